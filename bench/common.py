"""Shared pieces of ``bench/run.py`` and ``bench/drills.py``: the environment, the services they
start (gunicorn, Celery worker, SMTP sink), wrk, and a browser-like HTTP client for forms.

Everything talks to 127.0.0.1 only.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
PY = sys.executable
HOST = "127.0.0.1"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def require_services() -> tuple[str, str]:
    """DATABASE_URL (PostgreSQL) and REDIS_URL, or a clear message and exit status 2."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/sv_bench")
    if not redis_url.startswith("redis://"):
        problems.append("REDIS_URL must point at Redis, e.g. redis://127.0.0.1:6379/5")
    for url in (database_url, redis_url):
        host = urllib.parse.urlsplit(url).hostname
        if url and host not in (None, "127.0.0.1", "localhost", "::1"):
            problems.append(f"only services on 127.0.0.1 are used, not {host}")
    if problems:
        print("bench: cannot run:\n  - " + "\n  - ".join(problems), file=sys.stderr)
        print(
            "Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 make bench",
            file=sys.stderr,
        )
        sys.exit(2)
    return database_url, redis_url


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database DATABASE_URL names when it is missing (the server must be up)."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.strip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"database {name} missing: CREATE DATABASE")
            conn.execute(f'CREATE DATABASE "{name}"')


def cache_url_for(redis_url: str) -> str:
    """The cache lives on the same Redis server as the broker, in the next database number."""
    if os.environ.get("CACHE_URL"):
        return os.environ["CACHE_URL"]
    parts = urllib.parse.urlsplit(redis_url)
    db = int(parts.path.strip("/") or 0)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{(db + 1) % 16}"))


def production_env(*, database_url: str, redis_url: str, web_port: int, smtp_port: int, extra=None) -> dict:
    """Production settings (DEBUG off) for plain http on loopback."""
    site = f"http://{HOST}:{web_port}"
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            # The bench app: load_bench_data and the /bench/floor view exist only in these processes.
            "BENCH": "true",
            "SECRET_KEY": "bench-only-secret-key-" + "k" * 40,
            "ALLOWED_HOSTS": f"{HOST},localhost,testserver",
            "SITE_URL": site,
            "CSRF_TRUSTED_ORIGINS": site,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_URL": cache_url_for(redis_url),
            "EMAIL_URL": f"smtp://{HOST}:{smtp_port}",
            # Per-IP rate limits would turn a load generator on one address away after five posts.
            "DISABLE_RATE_LIMITS": "true",
            "STAFF_REQUIRE_MFA": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def manage(env: dict, *args: str, quiet=False) -> None:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=quiet, text=True, check=False)
    if result.returncode != 0:
        if quiet:
            print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")


def gunicorn_workers() -> int:
    return int(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 1) + 1))


class Services:
    """Processes this run started; stopped (by pid) at exit."""

    def __init__(self, env: dict, workdir: Path):
        self.env = env
        self.workdir = workdir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env=None) -> subprocess.Popen:
        out = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env or self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def stop(self, name: str, sig=signal.SIGTERM, timeout=15) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    # The services

    def start_sink(self, port: int, refuse_permanently=()) -> "SinkLog":
        sink = SinkLog(self.workdir / f"sink-{port}.log", self.workdir / f"sink-{port}")
        args = [PY, str(BENCH / "smtp_sink.py"), "--port", str(port), "--log", str(sink.path)]
        args += ["--state-dir", str(sink.state_dir)]
        for address in refuse_permanently:
            args += ["--refuse-permanently", address]
        self.start("sink", args)
        wait_for_port(port)
        return sink

    def start_gunicorn(self, port: int, workers: int) -> None:
        self.start(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"),
                "samverkan.wsgi",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
        )
        wait_for_http(port, "/healthz")

    def start_worker(self, name="worker", concurrency=2, env=None) -> subprocess.Popen:
        return self.start(
            name,
            [
                str(VENV_BIN / "celery"),
                "-A",
                "samverkan",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={concurrency}",
                "-n",
                f"bench-{name}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
        )


def wait_for_port(port: int, timeout=20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {HOST}:{port} after {timeout:.0f} s")


def wait_for_http(port: int, path: str, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            status, _, _ = http_get(port, path)
            if status == 200:
                return
            last = status
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise SystemExit(f"http://{HOST}:{port}{path} not ready after {timeout:.0f} s (last: {last})")


class SinkLog:
    """Reads what the SMTP sink accepted: one Message-ID per line."""

    def __init__(self, path: Path, state_dir: Path):
        self.path = path
        self.state_dir = state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        path.touch()

    def counts(self) -> Counter:
        with open(self.path, encoding="ascii") as fh:
            return Counter(line.strip() for line in fh if line.strip())

    def refuse(self, on: bool) -> None:
        flag = self.state_dir / "refuse"
        if on:
            flag.touch()
        else:
            flag.unlink(missing_ok=True)

    def reset(self) -> None:
        self.path.write_text("")


def delivery_report(message_ids, counts: Counter) -> dict:
    """Deliveries of the given Message-IDs: delivered once, duplicated, lost."""
    ids = list(message_ids)
    lost = sum(1 for mid in ids if counts.get(mid, 0) == 0)
    duplicates = sum(counts.get(mid, 0) - 1 for mid in ids if counts.get(mid, 0) > 1)
    return {"expected": len(ids), "delivered": len(ids) - lost, "duplicates": duplicates, "lost": lost}


# ---------------------------------------------------------------- HTTP like a browser


def http_get(port: int, path: str, cookies: dict | None = None, timeout=30.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Host": f"{HOST}:{port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, response.getheaders(), body
    finally:
        conn.close()


def http_post(port: int, path: str, data: dict | str, cookies: dict, timeout=60.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        body = data if isinstance(data, str) else urllib.parse.urlencode(data, doseq=True)
        headers = {
            "Host": f"{HOST}:{port}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": f"http://{HOST}:{port}",
            "Referer": f"http://{HOST}:{port}{path}",
        }
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        return response.status, response.getheaders(), content
    finally:
        conn.close()


def cookies_from(headers) -> dict:
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    return cookies


class _FormParser(HTMLParser):
    """The fields of the form that posts to ``action`` (or the first POST form)."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.in_form = False
        self.done = False
        self.fields: list[dict] = []
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (attrs.get("method") or "").lower() == "post":
            action = attrs.get("action") or ""
            if not action or action == self.action or action.endswith(self.action):
                self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            self.fields.append({"tag": "input", **attrs})
        elif tag == "select":
            self.select = {"tag": "select", "options": [], **attrs}
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = {"tag": "textarea", **attrs}
            self.fields.append(self.textarea)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
            self.done = True
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


EMAIL_MARK = "EMAILXXXX"


def registration_form_data(html: str, action: str) -> list[tuple[str, str]]:
    """What a person fills in on the registration form: every required field, consent ticked,
    honeypot empty; the e-mail is ``EMAILXXXX`` for the caller to replace."""
    parser = _FormParser(action)
    parser.feed(html)
    data: list[tuple[str, str]] = []
    for field in parser.fields:
        name = field.get("name")
        if not name:
            continue
        kind = (field.get("type") or "text").lower()
        tag = field["tag"]
        if name in ("website_address",):
            data.append((name, ""))
        elif tag == "input" and kind == "hidden":
            data.append((name, field.get("value", "")))
        elif tag == "input" and kind in ("submit", "button", "reset", "file"):
            continue
        elif tag == "input" and kind == "checkbox":
            if "consent" in name or "required" in field:
                data.append((name, field.get("value") or "on"))
        elif tag == "input" and kind == "radio":
            if not any(k == name for k, _ in data):
                data.append((name, field.get("value", "")))
        elif tag == "select":
            options = [o for o in field["options"] if o]
            if "required" in field and options:
                data.append((name, options[0]))
        elif kind == "email" or "email" in name:
            data.append((name, EMAIL_MARK))
        elif tag == "textarea":
            data.append((name, ""))
        elif "name" in name:
            data.append((name, "Bench Deltagare" if name == "name" else "Benchföreningen i Sundsvall"))
        elif "phone" in name:
            data.append((name, "070-123 45 67"))
        elif "required" in field:
            data.append((name, "Bench"))
    return data


def fill(data: list[tuple[str, str]], email: str) -> str:
    return urllib.parse.urlencode([(k, email if v == EMAIL_MARK else v) for k, v in data])


def browser_form(port: int, path: str) -> tuple[dict, list[tuple[str, str]]]:
    """GET the form like a browser: its cookies (csrftoken) and the fields to post."""
    status, headers, body = http_get(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return cookies_from(headers), registration_form_data(body.decode("utf-8", "replace"), path)


# ---------------------------------------------------------------- CPU per component

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _component(comm: str, cmdline: str) -> str | None:
    if comm.startswith("postgres") or comm == "postmaster":
        return "postgresql"
    if comm.startswith("redis-server"):
        return "redis"
    if "gunicorn" in cmdline:
        return "gunicorn (Django)"
    if "celery" in cmdline and "worker" in cmdline:
        return "celery worker"
    if "smtp_sink" in cmdline:
        return "smtp sink"
    return None


def _cpu_by_pid() -> dict[int, tuple[str, float]]:
    """(component, user + system CPU seconds so far) of every process a run drives (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        name = _component(comm, cmdline)
        if name:
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS)  # utime, stime
    return found


class CpuMeter:
    """CPU seconds per component while it runs: /proc is read every ``interval`` seconds, so a
    process that ends meanwhile (a PostgreSQL backend whose connection was recycled) keeps what
    it had used by its last reading; wrk, a child of this process, is counted from its rusage."""

    def __init__(self, interval: float = 0.5):
        import threading

        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start: dict[int, float] = {}
        self._last: dict[int, tuple[str, float]] = {}

    def __enter__(self):
        import resource

        self._start = {pid: cpu for pid, (_name, cpu) in _cpu_by_pid().items()}
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._children = children.ru_utime + children.ru_stime
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self._last.update(_cpu_by_pid())

    def __exit__(self, *exc):
        import resource

        self._stop.set()
        self._thread.join()
        self._last.update(_cpu_by_pid())
        totals: Counter = Counter()
        for pid, (name, cpu) in self._last.items():
            totals[name] += cpu - self._start.get(pid, 0.0)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        totals["load generator (wrk)"] = children.ru_utime + children.ru_stime - self._children
        self.seconds = {name: round(value, 3) for name, value in totals.items() if value > 0}
        return False


# ---------------------------------------------------------------- wrk


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk missing: apt-get install -y wrk")
        result = subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    print("bench: the load generator wrk is missing. Install it: sudo apt-get install -y wrk", file=sys.stderr)
    sys.exit(2)


def run_wrk(url: str, *, seconds: int, connections=16, threads=2, script="report.lua", env_extra=None) -> dict:
    """Run wrk and return requests/s, latency percentiles (ms), requests and errors."""
    env = dict(os.environ)
    env["BENCH_LUA_DIR"] = str(BENCH / "wrk")
    env.update(env_extra or {})
    args = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    args += ["-s", str(BENCH / "wrk" / script), url]
    result = subprocess.run(args, capture_output=True, text=True, env=env, check=False, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    raise RuntimeError(f"wrk gave no result: {result.stdout[-800:]} {result.stderr[-800:]}")


def tempdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))

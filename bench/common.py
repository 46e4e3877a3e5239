"""Shared pieces of ``bench/run.py`` and ``bench/drills.py``: the environment and the services they
start (gunicorn, Celery worker, SMTP sink). The browser-like HTTP client is ``bench/browser.py``;
the CPU meter and wrk are ``bench/measure.py``.

Everything talks to 127.0.0.1 only.
"""

import atexit
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
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


def gunicorn_text(workers: int, threads: int = 1) -> str:
    if threads > 1:
        return f"{workers} workers × {threads} threads (gthread, keep-alive)"
    return f"{workers} sync workers"


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

    def start_gunicorn(self, port: int, workers: int, threads: int = 1) -> None:
        """gunicorn with ``workers`` sync processes, or with ``threads`` > 1 that many threads in each
        (``gthread``: keeps clients' connections alive between requests, which sync workers close)."""
        args = [str(VENV_BIN / "gunicorn"), "samverkan.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
        if threads > 1:
            args += ["--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "5"]
        args += ["--backlog", "2048", "--timeout", "60", "--graceful-timeout", "5"]
        self.start("gunicorn", args)
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
            conn = http.client.HTTPConnection(HOST, port, timeout=30.0)
            try:
                conn.request("GET", path, headers={"Host": f"{HOST}:{port}"})
                status = conn.getresponse().status
            finally:
                conn.close()
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


def tempdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


_FIRST_REGION_SCOPE: list = []


def enter_first_region():
    """What this process reads and writes (the storm's meeting, the fan-out's rows) is the first region's,
    the one the pages are measured on (127.0.0.1): entered once, for the rest of the run."""
    from core.models import Region
    from core.regions import all_regions, region_scope

    with all_regions():
        first = Region.objects.order_by("pk").first()
    # Kept: a context manager nobody refers to is closed when collected, which would leave the region.
    kept = region_scope(first.pk)
    _FIRST_REGION_SCOPE.append(kept)
    kept.__enter__()
    atexit.register(kept.__exit__, None, None, None)  # left in order, before the interpreter tears down


# The bench's second region: the same paths on another host (bench/hosts.py, the cluster drill).
SECOND_REGION = {"name": "Region Bench-Halland", "short_name": "bench-halland", "host": "halland.localhost"}


def ensure_second_region():
    """The second region on ``halland.localhost`` (made when missing), for the bench's two-host scenarios."""
    from core.models import Region, RegionHost
    from core.regions import all_regions

    with all_regions():
        region, _ = Region.objects.get_or_create(
            short_name=SECOND_REGION["short_name"], defaults={"name": SECOND_REGION["name"]}
        )
        RegionHost.objects.get_or_create(host=SECOND_REGION["host"], defaults={"region": region, "is_primary": True})
    return region


# The tables each section churns: a queue table (the outbox) and what the sign-ups and reminders write.
CHURNED = ("outbox_outgoingemail", "meetings_registration", "meetings_reminder", "notifications_notification")


def vacuum_analyze(tables=CHURNED) -> None:
    """What PostgreSQL's autovacuum does after bulk changes, done before a section: this machine runs
    PostgreSQL with ``autovacuum = off``, and without it a queue table's dead index entries (every e-mail
    passes queued → sending → sent) and stale statistics made a claim scan hundreds of thousands of entries
    by the third section (issue 29). Production keeps autovacuum on (PostgreSQL's default)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')  # noqa: S608 - names from the list above

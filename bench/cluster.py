"""``make cluster``: the portal as several machines would run it, on 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan REDIS_URL=redis://127.0.0.1:6379/0 make cluster

- nginx (Debian's) on 127.0.0.1:CLUSTER_PORT (default 8088; 0 = a free port) balancing three gunicorn
  nodes; a refused or broken connection is retried on the next node (GET and HEAD whatever happened, a
  POST only when it never reached a node: nginx's ``proxy_next_upstream`` without ``non_idempotent``;
  except the two forms with an idempotency token, whose POSTs are passed on in any case);
- each node started from a directory of its own with its own ``MEDIA_ROOT``: no shared local disk,
  every file goes to the S3-compatible server (moto's standalone server, ``moto_server``);
- PgBouncer in transaction mode between every process and PostgreSQL (``DATABASE_TRANSACTION_POOLING``:
  no server-side cursors, no prepared statements);
- two Celery workers and exactly one beat (django-celery-beat's DatabaseScheduler);
- an SMTP sink (``bench/smtp_sink.py``) for the e-mails unless ``EMAIL_URL`` is set.

It prints the URL and stops everything it started on Ctrl-C (or SIGTERM). Every port but nginx's is
chosen at run time. Logs (JSON, with the request id that nginx sets and the tasks carry on) are in the
run's directory, which is printed. ``bench/drills.py --only cluster`` drives the same cluster.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.common import HOST, ROOT, VENV_BIN, log  # noqa: E402

NODES = 3
WORKERS = 2
BUCKET = "samverkan-dokument"
PRIVATE_BUCKET = "samverkan-privat"
S3_KEY, S3_SECRET, S3_REGION = "samverkan-cluster", "samverkan-cluster-secret", "eu-north-1"
INSTALL_HINT = "sudo apt-get install -y nginx pgbouncer"


def find_program(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )


def missing_requirements(database_url: str, redis_url: str) -> list[str]:
    """Everything the cluster needs that is not there, each with how to get it."""
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/samverkan")
    if not redis_url.startswith("redis://"):
        problems.append("REDIS_URL must point at Redis, e.g. redis://127.0.0.1:6379/0")
    for url in (database_url, redis_url):
        host = urllib.parse.urlsplit(url).hostname
        if url and host not in (None, "127.0.0.1", "localhost", "::1"):
            problems.append(f"the cluster runs on 127.0.0.1 only; {host} is elsewhere")
    for program in ("nginx", "pgbouncer"):
        if not find_program(program):
            problems.append(f"{program} is not installed: {INSTALL_HINT}")
    if not (VENV_BIN / "moto_server").exists():
        problems.append(
            "moto's S3 server is missing from the virtualenv: make install-dev (the dev set has moto[server])"
        )
    if database_url.startswith("postgres") and not problems:
        parts = urllib.parse.urlsplit(database_url)
        check = subprocess.run(
            ["pg_isready", "-h", parts.hostname or HOST, "-p", str(parts.port or 5432), "-q"], check=False
        )
        if check.returncode != 0:
            problems.append(f"PostgreSQL does not answer on {parts.hostname}:{parts.port or 5432}: start it first")
    if redis_url.startswith("redis://") and not problems:
        parts = urllib.parse.urlsplit(redis_url)
        ping = subprocess.run(
            ["redis-cli", "-h", parts.hostname or HOST, "-p", str(parts.port or 6379), "ping"],
            capture_output=True,
            text=True,
            check=False,
        )
        if "PONG" not in ping.stdout:
            problems.append(f"Redis does not answer on {parts.hostname}:{parts.port or 6379}: start it first")
    return problems


def _pgbouncer_user() -> str | None:
    """PgBouncer refuses to run as root: then it drops to the postgres (or nobody) account."""
    if os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


class Cluster:
    """The processes of one cluster run; ``start()`` brings them up, ``stop()`` ends them (by pid)."""

    def __init__(self, *, database_url: str, redis_url: str, port: int = 0, email_url: str = "", extra_env=None):
        self.database_url = database_url
        self.redis_url = redis_url
        self.workdir = common.tempdir("cluster-")
        os.chmod(self.workdir, 0o755)  # noqa: S103 - PgBouncer runs as postgres and reads its folder below
        self.port = port or common.free_port()
        self.node_ports = [common.free_port() for _ in range(NODES)]
        self.pgbouncer_port = common.free_port()
        self.s3_port = common.free_port()
        self.smtp_port = common.free_port()
        self.email_url = email_url
        self.url = f"http://{HOST}:{self.port}"
        db = urllib.parse.urlsplit(database_url)
        self.db = {
            "host": db.hostname or HOST,
            "port": db.port or 5432,
            "name": db.path.strip("/") or "samverkan",
            "user": urllib.parse.unquote(db.username or "postgres"),
            "password": urllib.parse.unquote(db.password or ""),
        }
        pooled = db._replace(netloc=f"{db.netloc.rsplit('@', 1)[0]}@{HOST}:{self.pgbouncer_port}")
        self.pooled_url = urllib.parse.urlunsplit(pooled)
        self.env = common.production_env(
            database_url=self.pooled_url, redis_url=redis_url, web_port=self.port, smtp_port=self.smtp_port
        )
        self.env.update(
            {
                "DATABASE_TRANSACTION_POOLING": "true",
                "CONN_MAX_AGE": "60",
                # Rate limits on (shared by every node through Redis), per client address from nginx.
                "DISABLE_RATE_LIMITS": "false",
                "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
                "LOG_FORMAT": "json",
                "LOG_LEVEL": "INFO",
                "AWS_S3_ENDPOINT_URL": f"http://{HOST}:{self.s3_port}",
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_PRIVATE_STORAGE_BUCKET_NAME": PRIVATE_BUCKET,
                "AWS_ACCESS_KEY_ID": S3_KEY,
                "AWS_SECRET_ACCESS_KEY": S3_SECRET,
                "AWS_S3_REGION_NAME": S3_REGION,
                "AWS_S3_ADDRESSING_STYLE": "path",
            }
        )
        if email_url:
            self.env["EMAIL_URL"] = email_url
        self.env.update(extra_env or {})
        self.services = common.Services(self.env, self.workdir)
        self.sink = None

    # ------------------------------------------------------------ pieces

    def node_dir(self, name: str) -> Path:
        path = self.workdir / name
        (path / "media").mkdir(parents=True, exist_ok=True)
        return path

    def node_env(self, name: str) -> dict:
        return {**self.env, "MEDIA_ROOT": str(self.node_dir(name) / "media"), "CLUSTER_NODE": name}

    def _start_in(self, name: str, args: list[str], cwd: Path, env: dict):
        out = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.services.procs[name] = proc
        return proc

    def start_pgbouncer(self):
        folder = self.workdir / "pgbouncer"
        folder.mkdir(exist_ok=True)
        db = self.db
        password = f" password={db['password']}" if db["password"] else ""
        (folder / "userlist.txt").write_text(f'"{db["user"]}" "{db["password"]}"\n')
        # Tracked parameters (TimeZone, client_encoding, …) are restored by PgBouncer on every server it
        # hands a client, so Django's SET TIME ZONE is safe in transaction mode.
        (folder / "pgbouncer.ini").write_text(
            f"""[databases]
{db["name"]} = host={db["host"]} port={db["port"]} dbname={db["name"]} user={db["user"]}{password}

[pgbouncer]
listen_addr = {HOST}
listen_port = {self.pgbouncer_port}
unix_socket_dir = {folder}
auth_type = trust
auth_file = {folder}/userlist.txt
pool_mode = transaction
max_client_conn = 400
default_pool_size = 20
reserve_pool_size = 5
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
admin_users = {db["user"]}
"""
        )
        args = [find_program("pgbouncer")]
        user = _pgbouncer_user()
        if user:
            shutil.chown(folder, user)
            for item in folder.iterdir():
                shutil.chown(item, user)
            args += ["-u", user]
        args.append(str(folder / "pgbouncer.ini"))
        self._start_in("pgbouncer", args, folder, self.env)
        common.wait_for_port(self.pgbouncer_port)

    def start_s3(self):
        self._start_in(
            "s3", [str(VENV_BIN / "moto_server"), "-H", HOST, "-p", str(self.s3_port)], self.workdir, self.env
        )
        common.wait_for_port(self.s3_port)
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://{HOST}:{self.s3_port}",
            region_name=S3_REGION,
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_SECRET,
        )
        for bucket in (BUCKET, PRIVATE_BUCKET):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
        self.s3 = client

    def start_node(self, index: int):
        name = f"node{index + 1}"
        port = self.node_ports[index]
        args = [str(VENV_BIN / "gunicorn"), "samverkan.wsgi", "--pythonpath", str(ROOT), "--bind", f"{HOST}:{port}"]
        args += ["--workers", os.environ.get("CLUSTER_NODE_WORKERS", "2"), "--timeout", "60", "--graceful-timeout", "5"]
        args += ["--access-logfile", "-", "--access-logformat", '%(h)s "%(r)s" %(s)s %(L)ss rid=%({x-request-id}i)s']
        self._start_in(name, args, self.node_dir(name), self.node_env(name))
        common.wait_for_http(port, "/healthz", timeout=60)

    def start_worker(self, index: int):
        name = f"worker{index + 1}"
        args = [str(VENV_BIN / "celery"), "-A", "samverkan", "worker", "--loglevel=INFO", "--concurrency=1"]
        args += ["-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
        env = {**self.node_env(name), "PYTHONPATH": str(ROOT)}
        self._start_in(name, args, self.node_dir(name), env)

    def start_beat(self, name: str = "beat"):
        """The one beat. Never started while another runs: ``stop_beat`` waits for the old one to be gone."""
        running = [n for n, p in self.services.procs.items() if n.startswith("beat") and p.poll() is None]
        if running:
            raise RuntimeError(f"a beat is already running ({running}); a second would run every job twice")
        folder = self.node_dir(name)
        args = [str(VENV_BIN / "celery"), "-A", "samverkan", "beat", "--loglevel=INFO"]
        args += [
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--pidfile",
            str(folder / "beat.pid"),
        ]
        env = {**self.node_env(name), "PYTHONPATH": str(ROOT)}
        return self._start_in(name, args, folder, env)

    def nginx_conf(self, trust_forwarded: bool) -> str:
        servers = "\n".join(f"        server {HOST}:{p} max_fails=1 fail_timeout=5s;" for p in self.node_ports)
        prefix = self.workdir / "nginx"
        user = "user root root;" if os.geteuid() == 0 else ""
        # The drill's load generator stands for many clients behind another proxy: it names them in
        # X-Forwarded-For, which nginx trusts from loopback only and hands on as X-Real-IP.
        realip = "set_real_ip_from 127.0.0.1;\n    real_ip_header X-Forwarded-For;" if trust_forwarded else ""
        return f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 30m;
    {realip}
    log_format cluster '$remote_addr "$request" $status $request_time rid=$request_id '
                       'upstream=$upstream_addr upstream_status=$upstream_status';
    upstream portal {{
{servers}
        keepalive 16;
    }}
    server {{
        listen {HOST}:{self.port};
        access_log {prefix}/access.log cluster;
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
            # A node that refuses, breaks or times out: the next one. GET/HEAD are retried whatever
            # happened; a POST only when it never reached a node (no non_idempotent): no double sign-up.
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
        # The forms whose POST carries an idempotency token (core/idempotency.py: the meeting sign-up and
        # the interest form): a POST that reached a node which died before answering is passed to the
        # next node too (non_idempotent); the token makes the repeat store nothing twice and answer
        # with the confirmation, so the visitor never sees the dead node's 502.
        location ~ ^/(moten/[^/]+/anmalan|organisationer/anmal-intresse)/$ {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            add_header X-Upstream $upstream_addr always;
            proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""

    def start_nginx(self, trust_forwarded=False):
        prefix = self.workdir / "nginx"
        prefix.mkdir(exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(self.nginx_conf(trust_forwarded))
        nginx = find_program("nginx")
        check = subprocess.run([nginx, "-t", "-q", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
        if check.returncode != 0:
            raise SystemExit(f"nginx refused its configuration:\n{check.stderr}")
        self._start_in("nginx", [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], prefix, self.env)
        common.wait_for_http(self.port, "/healthz")

    # ------------------------------------------------------------ the whole

    def start(self, *, trust_forwarded=False, demo=False):
        log(f"cluster: logs and node folders in {self.workdir}")
        # Files first: the demo data stores its documents there.
        self.start_s3()
        log(f"  S3-compatible server (moto) on {HOST}:{self.s3_port}, buckets {BUCKET} and {PRIVATE_BUCKET}")
        direct = {**self.env, "DATABASE_URL": self.database_url}
        common.manage(direct, "migrate", "--noinput", "-v0")
        common.manage(direct, "collectstatic", "--noinput", "-v0")
        if demo:
            common.manage(direct, "load_demo", quiet=True)
        if not self.email_url:
            self.sink = self.services.start_sink(self.smtp_port)
        self.start_pgbouncer()
        log(
            f"  PgBouncer (transaction mode) on {HOST}:{self.pgbouncer_port} → PostgreSQL {self.db['host']}:{self.db['port']}"
        )
        for index in range(NODES):
            self.start_node(index)
        log(f"  gunicorn nodes on {', '.join(f'{HOST}:{p}' for p in self.node_ports)} (each in its own folder)")
        for index in range(WORKERS):
            self.start_worker(index)
        self.start_beat()
        log(f"  {WORKERS} Celery workers, 1 beat")
        self.start_nginx(trust_forwarded=trust_forwarded)
        log(f"  nginx on {self.url} balancing the {NODES} nodes")
        return self

    def kill(self, name: str):
        """SIGKILL a process and its children (a machine that dies), and wait until it is gone."""
        self.services.stop(name, sig=signal.SIGKILL, timeout=10)

    def stop(self):
        # nginx first (no new requests), the database pooler last.
        order = ["nginx"] + [n for n in self.services.procs if n not in ("nginx", "pgbouncer")] + ["pgbouncer"]
        for name in order:
            self.services.stop(name)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8088")))
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    args = parser.parse_args()
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    problems = missing_requirements(database_url, redis_url)
    if args.port and not _port_free(args.port):
        problems.append(f"port {args.port} is in use: choose another with CLUSTER_PORT=… (0: any free port)")
    if problems:
        print("make cluster: cannot start:\n  - " + "\n  - ".join(problems), file=sys.stderr)
        print(
            "Example: DATABASE_URL=postgres://postgres@127.0.0.1:5432/samverkan REDIS_URL=redis://127.0.0.1:6379/0 make cluster",
            file=sys.stderr,
        )
        sys.exit(2)
    cluster = Cluster(
        database_url=database_url, redis_url=redis_url, port=args.port, email_url=os.environ.get("EMAIL_URL", "")
    )
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    # SIGINT too: a shell that starts this in the background would otherwise leave Ctrl-C ignored.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        cluster.start(demo=not args.no_demo)
        mails = f"SMTP sink on {HOST}:{cluster.smtp_port}" if cluster.sink else os.environ.get("EMAIL_URL")
        print(
            f"\nSamverkansportalen (cluster): {cluster.url}/  (coordinator: samordnare@example.se / samverkan-demo)\n"
            f"  e-mail: {mails}; logs: {cluster.workdir}\n  Ctrl-C stops everything.\n",
            flush=True,
        )
        while True:
            time.sleep(1)
            for name, proc in list(cluster.services.procs.items()):
                if proc.poll() is not None:
                    log(f"  {name} exited ({proc.returncode}); see {cluster.workdir / (name + '.log')}")
                    cluster.services.procs.pop(name)
    except KeyboardInterrupt:
        pass
    finally:
        log("cluster: stopping")
        cluster.stop()
        log("cluster: stopped")


if __name__ == "__main__":
    main()

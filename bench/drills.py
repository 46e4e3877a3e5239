"""``make drills``: fault drills on PostgreSQL + Redis + gunicorn + a Celery worker + an SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 make drills
    make drills DRILLS_ARGS="--only broker,smtp --quick"

- broker: Redis is stopped (``redis-cli -p PORT shutdown nosave``) during 500 sign-ups and started
  again after 30 s with the command the machine uses → every sign-up stored, every e-mail sent
  once after Redis is back.
- worker: the Celery worker is SIGKILLed in the middle of a fan-out and a new one started →
  every e-mail delivered; duplicates counted (only the accepted-then-killed window may duplicate).
- database: PostgreSQL is restarted (``pg_ctlcluster``) during page and sign-up load → errors
  only inside the restart window, service back within 5 s of the database, no half-written
  registration (a registration without its confirmation e-mail row).
- smtp: the sink refuses (451) for a minute → rows retried with backoff, then all sent; a
  permanently refused address (550) ends as failed and is visible in the admin.
- cluster: on ``bench/cluster.py``'s cluster (nginx, three gunicorn nodes, PgBouncer, two workers, one
  beat, moto S3) a web node is SIGKILLed under page and sign-up load and started again, and the beat is
  killed and replaced → errors counted, no sign-up lost or doubled, a file uploaded through one node
  downloaded through another, a session, rate limits and cache invalidation shared by every node, no
  periodic job sent twice (``bench/cluster_drill.py``; needs nginx and pgbouncer from Debian).
- webhooks: a few hundred events delivered by the worker to a partner's receiver on 127.0.0.1, which is
  SIGKILLed mid-run and started again → no event lost, every signature good, a second copy of an event
  only as a retry with the same event id (``bench/drills_webhooks.py``).

Each drill prints what it did and its outcome as numbers. The exit status is non-zero when
something was lost (or a drill's condition failed). The Redis port is that of REDIS_URL (or
``--redis-port``): point REDIS_URL at a private redis-server to leave the shared one alone.
The periodic outbox sweeper (beat's job in production, every 60 s with a 60 s grace) is run
by this script every 15 s with a 30 s grace, 20 s stuck time and 5 s backoff base, so that a
drill takes minutes.
"""

import argparse
import atexit
import json
import os
import sys
import threading
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    common,  # noqa: E402
)
from bench.common import log  # noqa: E402
from bench.drill_common import PERMANENTLY_REFUSED  # noqa: E402
from bench.drills_delivery import drill_smtp, drill_worker  # noqa: E402
from bench.drills_outage import PG_RESTART, drill_broker, drill_database  # noqa: E402
from bench.drills_webhooks import drill_webhooks  # noqa: E402

DRILL_ENV = {
    # Shorter clocks than production so that a drill takes minutes, not hours.
    "OUTBOX_QUEUED_GRACE_SECONDS": "30",
    "OUTBOX_STUCK_AFTER_SECONDS": "20",
    "OUTBOX_RETRY_BASE_SECONDS": "5",
    "OUTBOX_MAX_ATTEMPTS": "8",
    "EMAIL_TIMEOUT": "5",
    # The webhook drill's receiver is on 127.0.0.1 (http); retries after seconds, not hours.
    "WEBHOOKS_ALLOW_LOOPBACK": "true",
    "WEBHOOKS_RETRY_DELAYS": "2,4,8,15,30",
    "WEBHOOKS_QUEUED_GRACE_SECONDS": "20",
    "WEBHOOKS_STUCK_AFTER_SECONDS": "20",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="broker,worker,database,smtp,cluster,webhooks", help="comma list of drills")
    parser.add_argument("--quick", action="store_true", help="shorter outages (10 s broker, 20 s SMTP) and fewer rows")
    parser.add_argument("--redis-port", type=int, default=None, help="the broker's Redis port (default: REDIS_URL's)")
    parser.add_argument(
        "--pg-restart",
        default=PG_RESTART,
        help="command that restarts PostgreSQL ({version} is filled in); default: the machine's pg_ctlcluster",
    )
    parser.add_argument("--signups", type=int, default=500)
    parser.add_argument("--fanout", type=int, default=2000)
    parser.add_argument("--webhooks", type=int, default=300, help="events in the webhook drill")
    parser.add_argument("--receiver-down", type=float, default=10.0, help="seconds the webhook receiver stays down")
    parser.add_argument("--webhook-interval", type=float, default=0.05, help="seconds between two emitted events")
    args = parser.parse_args()
    args.drills = [d for d in args.only.split(",") if d]
    args.broker_down = 10 if args.quick else 30
    args.smtp_down = 20 if args.quick else 60
    if args.quick:
        args.signups = min(args.signups, 200)
        args.fanout = min(args.fanout, 600)
    return args


class Beat(threading.Thread):
    """Plays celery beat's outbox sweep: calls it every ``every`` seconds in this process."""

    def __init__(self, every=15.0):
        from core.region_state import current_region_id

        super().__init__(daemon=True)
        self.every = every
        self.region_id = current_region_id()  # the first region, entered by start_django()
        self.stopped = threading.Event()
        self.runs = 0
        self.requeued = 0
        self.unstuck = 0

    def run(self):
        import logging

        from django.db import connection

        from core.regions import region_scope
        from outbox.services import outbox_sweep

        # The sweeper logs a traceback for every failed publish while Redis is down; the drill says it once.
        logging.getLogger("outbox").setLevel(logging.ERROR)

        while not self.stopped.wait(self.every):
            try:
                # A thread starts outside the region the main thread entered: the sweep runs in it explicitly.
                with region_scope(self.region_id):
                    result = outbox_sweep()
                if result.get("requeued") or result.get("unstuck"):
                    log(f"    (sweep: {result})")
                self.runs += 1
                self.requeued += result.get("requeued", 0)
                self.unstuck += result.get("unstuck", 0)
            except Exception as exc:  # noqa: BLE001 - the database may be down in a drill
                log(f"    (sweep failed: {type(exc).__name__})")
                connection.close()

    def stop(self):
        self.stopped.set()
        self.join(5)


class Supervisor(threading.Thread):
    """Restarts the Celery worker when it exits on its own, as systemd (Restart=always) would.

    A worker the drill kills on purpose is removed from ``services.procs`` first and is left
    alone. Every restart is counted and reported: it is a finding, not a success.
    """

    def __init__(self, services, concurrency):
        super().__init__(daemon=True)
        self.services = services
        self.concurrency = concurrency
        self.stopped = threading.Event()
        self.restarts = []

    def run(self):
        while not self.stopped.wait(1.0):
            proc = self.services.procs.get("worker")
            if proc is not None and proc.poll() is not None:
                log(
                    f"    (the Celery worker exited by itself, code {proc.returncode}; restarted as a supervisor would)"
                )
                self.restarts.append(datetime.now(UTC).isoformat(timespec="seconds"))
                self.services.procs.pop("worker", None)
                self.services.start_worker(concurrency=self.concurrency)

    def stop(self):
        self.stopped.set()
        self.join(5)


# ---------------------------------------------------------------- drills


def drill_cluster(ctx, args):
    """A web node and the beat killed under load on the nginx + three-node cluster (bench/cluster_drill.py)."""
    from bench.cluster_drill import drill_cluster as run

    return run(ctx, args)


DRILLS = {
    "broker": drill_broker,
    "worker": drill_worker,
    "database": drill_database,
    "smtp": drill_smtp,
    "cluster": drill_cluster,
    "webhooks": drill_webhooks,
}


def start_django():
    """Django in this process (the drills read and write the database) and an empty broker queue."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from bench.common import enter_first_region

    enter_first_region()
    from samverkan.celery import app

    app.control.purge()


def forget_stale_rows():
    """Queued rows that earlier benchmark runs left behind would be swept first (oldest first) and
    delay the drills' own e-mails; they are benchmark rows addressed to example.se, so they go."""
    from outbox.models import OutgoingEmail

    stale = OutgoingEmail.objects.filter(status__in=["queued", "sending"], to__endswith="@example.se").filter(
        to__regex=r"^(fanout|batch|post|storm|worker|broker|smtp|db)\."
    )
    removed = stale.delete()[0]
    backlog = OutgoingEmail.objects.filter(status__in=["queued", "sending"]).count()
    log(f"outbox before the drills: {removed} stale benchmark rows deleted, {backlog} other rows waiting")


def write_results(results, *, run_id, quick, beat, supervisor):
    """Add the drills' results to ``bench/results/drills-latest.json``. Drills run one at a time
    accumulate: each entry says which run produced it."""
    out = common.ROOT / "bench" / "results" / "drills-latest.json"
    try:
        previous = json.loads(out.read_text()).get("drills", {})
    except (OSError, ValueError):
        previous = {}
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for name, result in results.items():
        previous[name] = {"run_id": run_id, "date": stamp, "quick": quick, **result}
    sweeps = {"runs": beat.runs, "requeued": beat.requeued, "unstuck": beat.unstuck}
    log(f"sweeper: {beat.runs} runs, {beat.requeued} tasks re-queued, {beat.unstuck} rows unstuck")
    out.write_text(
        json.dumps(
            {"last_run": run_id, "worker_restarts": supervisor.restarts, "sweeper": sweeps, "drills": previous},
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    return out


def start_single_node(services, *, run_id, web_port, smtp_port, concurrency):
    """The SMTP sink (one address refused for good), a Celery worker and gunicorn; returns the sink."""
    sink = services.start_sink(smtp_port, refuse_permanently=[PERMANENTLY_REFUSED.format(run_id=run_id)])
    services.start_worker(concurrency=concurrency)
    workers = common.gunicorn_workers()
    services.start_gunicorn(web_port, workers)
    log(f"gunicorn {workers} workers on 127.0.0.1:{web_port}, Celery worker ({concurrency}), SMTP sink :{smtp_port}")
    return sink


def run_drills(names, ctx, args) -> dict:
    """Each drill in turn; a drill that breaks is a failed drill, and the next one still runs."""
    results = {}
    for name in names:
        try:
            results[name] = DRILLS[name](ctx, args)
        except Exception as exc:  # noqa: BLE001 - a drill that breaks is a failed drill; go on with the next
            log(f"{name} drill broke: {type(exc).__name__}: {exc}")
            results[name] = {"passed": False, "error": f"{type(exc).__name__}: {exc}"}
    return results


def main():
    args = parse_args()
    unknown = [d for d in args.drills if d not in DRILLS]
    if unknown:
        raise SystemExit(f"unknown drill(s): {unknown}; choose from {list(DRILLS)}")
    database_url, redis_url = common.require_services()
    common.ensure_database(database_url)
    redis_port = args.redis_port or urllib.parse.urlsplit(redis_url).port or 6379
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    workdir = common.tempdir("drills-")
    web_port, smtp_port = common.free_port(), common.free_port()
    env = common.production_env(
        database_url=database_url, redis_url=redis_url, web_port=web_port, smtp_port=smtp_port, extra=DRILL_ENV
    )
    os.environ.update(env)
    log(f"drills {args.drills} (run {run_id}); broker Redis on port {redis_port}; logs in {workdir}")
    common.manage(env, "migrate", "--noinput", "-v0")
    common.manage(env, "collectstatic", "--noinput", "-v0")
    start_django()
    forget_stale_rows()
    services = common.Services(env, workdir)
    atexit.register(services.stop_all)
    concurrency = 2
    # The cluster drill brings its own processes; the single-node ones are for the other drills.
    single_node = any(name != "cluster" for name in args.drills)
    sink = None
    if single_node:
        sink = start_single_node(
            services, run_id=run_id, web_port=web_port, smtp_port=smtp_port, concurrency=concurrency
        )
    beat = Beat()
    supervisor = Supervisor(services, concurrency)
    if single_node:
        beat.start()
        supervisor.start()
    ctx = {
        "run_id": run_id,
        "web_port": web_port,
        "redis_port": redis_port,
        "services": services,
        "sink": sink,
        "concurrency": concurrency,
        "supervisor": supervisor,
        "database_url": database_url,
        "redis_url": redis_url,
    }
    results = run_drills(args.drills, ctx, args)
    if single_node:
        beat.stop()
        supervisor.stop()
    services.stop_all()
    out = write_results(results, run_id=run_id, quick=args.quick, beat=beat, supervisor=supervisor)
    failed = [name for name, r in results.items() if not r.get("passed")]
    log(f"drills: {len(results) - len(failed)} passed, {len(failed)} failed {failed or ''}; {out}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

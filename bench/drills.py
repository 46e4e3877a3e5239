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

Each drill prints what it did and its outcome as numbers. The exit status is non-zero when
something was lost (or a drill's condition failed). The Redis port is that of REDIS_URL (or
``--redis-port``): point REDIS_URL at a private redis-server to leave the shared one alone.
The periodic outbox sweeper (beat's job in production, every 60 s with a 60 s grace) is run
by this script every 15 s with a 30 s grace, 20 s stuck time and 5 s backoff base, so that a
drill takes minutes.
"""

import argparse
import atexit
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.common import log  # noqa: E402

REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port {port} --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect {version} main restart"
DRILL_ENV = {
    # Shorter clocks than production so that a drill takes minutes, not hours.
    "OUTBOX_QUEUED_GRACE_SECONDS": "30",
    "OUTBOX_STUCK_AFTER_SECONDS": "20",
    "OUTBOX_RETRY_BASE_SECONDS": "5",
    "OUTBOX_MAX_ATTEMPTS": "8",
    "EMAIL_TIMEOUT": "5",
}
PERMANENTLY_REFUSED = "refused.for.good.{run_id}@example.se"  # one address per run


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="broker,worker,database,smtp,cluster", help="comma list of drills")
    parser.add_argument("--quick", action="store_true", help="shorter outages (10 s broker, 20 s SMTP) and fewer rows")
    parser.add_argument("--redis-port", type=int, default=None, help="the broker's Redis port (default: REDIS_URL's)")
    parser.add_argument(
        "--pg-restart",
        default=PG_RESTART,
        help="command that restarts PostgreSQL ({version} is filled in); default: the machine's pg_ctlcluster",
    )
    parser.add_argument("--signups", type=int, default=500)
    parser.add_argument("--fanout", type=int, default=2000)
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
        super().__init__(daemon=True)
        self.every = every
        self.stopped = threading.Event()
        self.runs = 0
        self.requeued = 0
        self.unstuck = 0

    def run(self):
        import logging

        from django.db import connection

        from outbox.services import outbox_sweep

        # The sweeper logs a traceback for every failed publish while Redis is down; the drill says it once.
        logging.getLogger("outbox").setLevel(logging.ERROR)

        while not self.stopped.wait(self.every):
            try:
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


def drill_meeting(slug, capacity=None):
    from bench.run import run_meeting

    return run_meeting(slug, capacity=capacity, start_in=timedelta(days=20), title=f"Drill: {slug}")


def sign_up(port, path, email):
    """GET the form and POST it, like a browser. Returns (status or error name, time)."""
    try:
        cookies, data = common.browser_form(port, path)
        status, _, _ = common.http_post(port, path, common.fill(data, email), cookies, timeout=60)
        return status
    except Exception as exc:  # noqa: BLE001 - every failure is a figure here
        return type(exc).__name__


def wait_until(predicate, timeout, every=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


def registration_emails(meeting):
    """Message-IDs of the confirmation e-mails of a meeting's registrations, by address."""
    from meetings.models import Registration
    from outbox.models import OutgoingEmail

    addresses = list(Registration.objects.filter(meeting=meeting).values_list("email", flat=True))
    rows = OutgoingEmail.objects.filter(to__in=addresses).exclude(kind__icontains="coordinator")
    return addresses, rows


def outbox_done(rows_query):
    from outbox.models import OutgoingEmail

    return not rows_query().filter(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]).exists()


# ---------------------------------------------------------------- drills


def drill_broker(ctx, args):
    """Stop Redis during sign-ups, start it again; count stored sign-ups and e-mails sent once."""
    from django.urls import reverse

    port = ctx["redis_port"]
    meeting = drill_meeting("bench-drill-broker")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    total = args.signups
    spread = args.broker_down + 20  # seconds over which the sign-ups arrive
    log(f"broker drill: {total} sign-ups over ~{spread} s; Redis on port {port} stopped for {args.broker_down} s")
    statuses = Counter()
    errors_at = []
    started = time.monotonic()

    def one(i):
        time.sleep(max(0.0, started + i * spread / total - time.monotonic()))
        result = sign_up(ctx["web_port"], path, f"broker.{ctx['run_id']}.{i}@example.se")
        if result not in (302, 303):
            errors_at.append(time.monotonic() - started)
        return result

    def outage():
        time.sleep(5)
        log(f"  redis-cli -p {port} shutdown nosave")
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, check=False)
        ctx["down_at"] = time.monotonic() - started
        time.sleep(args.broker_down)
        command = REDIS_START.format(port=port)
        log(f"  {command}")
        subprocess.run(command, shell=True, check=False)  # noqa: S602 - the machine's own start command
        common.wait_for_port(port)
        ctx["up_at"] = time.monotonic() - started

    outage_thread = threading.Thread(target=outage)
    outage_thread.start()
    with ThreadPoolExecutor(16) as pool:
        ctx["broker_statuses"] = list(pool.map(one, range(total)))
    statuses.update(ctx["broker_statuses"])
    outage_thread.join()
    ok = statuses.get(302, 0) + statuses.get(303, 0)
    restarts_before = len(ctx["supervisor"].restarts)
    log(f"  responses: {dict(statuses)} (Redis down {ctx['down_at']:.0f}–{ctx['up_at']:.0f} s)")
    addresses, rows = registration_emails(meeting)
    stored = len(addresses)
    drained = wait_until(lambda: outbox_done(lambda: registration_emails(meeting)[1]), timeout=120)
    counts = ctx["sink"].counts()
    _, rows = registration_emails(meeting)
    message_ids = list(rows.values_list("message_id", flat=True))
    delivery = common.delivery_report(message_ids, counts)
    without_email = stored - len(set(rows.values_list("to", flat=True)))
    stored_set = set(addresses)
    error_but_stored = sum(
        1
        for i, status in enumerate(ctx.get("broker_statuses", []))
        if status not in (302, 303) and f"broker.{ctx['run_id']}.{i}@example.se" in stored_set
    )
    result = {
        "signups": total,
        "worker_restarts_by_supervisor": len(ctx["supervisor"].restarts),
        "http_errors_but_stored": error_but_stored,
        "redis_down_seconds": args.broker_down,
        "accepted": ok,
        "stored": stored,
        "http_errors": total - ok,
        "registrations_without_email_row": without_email,
        "drained": drained,
        **delivery,
    }
    lost = (total - stored) + delivery["lost"] + without_email
    result["lost"] = lost
    result["passed"] = lost == 0 and delivery["duplicates"] == 0
    log(
        f"  broker drill: {stored}/{total} sign-ups stored, {result['http_errors']} HTTP errors; e-mails: "
        f"{delivery['expected']} rows, {delivery['delivered']} delivered, {delivery['duplicates']} duplicates, "
        f"{delivery['lost']} lost → {'PASS' if result['passed'] else 'FAIL'}"
    )
    if result["http_errors"]:
        log(
            f"  note: {result['http_errors']} sign-ups answered with an error page; {error_but_stored} of them "
            "were stored all the same (the error came after the commit)"
        )
    if result["worker_restarts_by_supervisor"] > restarts_before:
        log("  note: the Celery worker died while Redis was down and had to be restarted")
    return result


def drill_worker(ctx, args):
    """SIGKILL the worker in the middle of a fan-out, start a new one; everything delivered?"""
    from django.utils import timezone

    from outbox.models import OutgoingEmail
    from outbox.tasks import send_email

    services, sink = ctx["services"], ctx["sink"]
    count = args.fanout
    kind = f"drill/worker/{ctx['run_id']}"
    now = timezone.now()
    rows = OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                kind=kind,
                to=f"worker.{i}@example.se",
                from_email="Samverkansportalen <no-reply@127.0.0.1>",
                subject="Påminnelse: dialogmöte i morgon",
                body_text="Hej! Välkommen till dialogmötet i morgon kl. 09.00.\n" * 20,
                message_id=f"<worker.{ctx['run_id']}.{i}@drill.invalid>",
                next_attempt_at=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    log(f"worker drill: {count} reminders queued (one send task each); SIGKILL the worker at ~30 % sent")
    for row in rows:
        send_email.delay(row.pk)

    def sent():
        return OutgoingEmail.objects.filter(kind=kind, status=OutgoingEmail.Status.SENT).count()

    wait_until(lambda: sent() >= count * 0.3, timeout=300, every=0.1)
    at_kill = sent()
    proc = services.procs["worker"]
    log(f"  kill -KILL the worker (pid {proc.pid} and its pool) with {at_kill}/{count} sent")
    services.stop("worker", sig=signal.SIGKILL)
    sending = OutgoingEmail.objects.filter(kind=kind, status=OutgoingEmail.Status.SENDING).count()
    time.sleep(2)
    log(f"  {sending} rows were in 'sending' at the kill; starting a new worker")
    services.start_worker(concurrency=ctx["concurrency"])
    started = time.monotonic()
    drained = wait_until(lambda: outbox_done(lambda: OutgoingEmail.objects.filter(kind=kind)), timeout=300)
    seconds = time.monotonic() - started
    delivery = common.delivery_report([r.message_id for r in rows], sink.counts())
    statuses = dict(Counter(OutgoingEmail.objects.filter(kind=kind).values_list("status", flat=True)))
    result = {
        "messages": count,
        "sent_at_kill": at_kill,
        "sending_at_kill": sending,
        "recovery_seconds": round(seconds, 1),
        "drained": drained,
        "statuses": statuses,
        **delivery,
    }
    # Only a message the sink accepted just before the kill (not yet marked sent) may go twice.
    result["passed"] = delivery["lost"] == 0 and delivery["duplicates"] <= max(sending, ctx["concurrency"])
    log(
        f"  worker drill: {delivery['delivered']}/{count} delivered, {delivery['duplicates']} duplicates (window: "
        f"{sending} in 'sending' at the kill), {delivery['lost']} lost, drained in {seconds:.1f} s → "
        f"{'PASS' if result['passed'] else 'FAIL'}"
    )
    return result


def drill_database(ctx, args):
    """Restart PostgreSQL under page and sign-up load."""
    from django.db import connection
    from django.urls import reverse

    from meetings.models import Registration

    version = sorted(os.listdir("/etc/postgresql"))[-1]
    meeting = drill_meeting("bench-drill-database")
    register = reverse("meetings:register", kwargs={"slug": meeting.slug})
    pages = [reverse("meetings:list"), meeting.get_absolute_url(), reverse("organisations:directory"), "/"]
    port = ctx["web_port"]
    events = []  # (seconds, kind, ok)
    stop = threading.Event()
    started = time.monotonic()
    outcomes = {}
    lock = threading.Lock()

    def reader(n):
        i = 0
        while not stop.is_set():
            path = pages[(n + i) % len(pages)]
            i += 1
            try:
                status, _, _ = common.http_get(port, path, timeout=30)
            except Exception as exc:  # noqa: BLE001
                status = type(exc).__name__
            events.append((time.monotonic() - started, "page", status == 200))
            time.sleep(0.05)

    def writer(n):
        i = 0
        while not stop.is_set():
            email = f"db.{ctx['run_id']}.{n}.{i}@example.se"
            i += 1
            status = sign_up(port, register, email)
            with lock:
                outcomes[email] = status
            events.append((time.monotonic() - started, "signup", status in (302, 303)))
            time.sleep(0.1)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(5)
    command = args.pg_restart.format(version=version)
    log(f"database drill: page and sign-up load running; {command}")
    restart_began = time.monotonic() - started
    subprocess.run(command, shell=True, check=False, capture_output=True)  # noqa: S602 - the machine's own command
    wait_until(lambda: subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0, 60, 0.1)
    db_up = time.monotonic() - started
    log(f"  PostgreSQL down/restarting {restart_began:.1f}–{db_up:.1f} s")
    time.sleep(15)
    stop.set()
    for thread in threads:
        thread.join(60)
    connection.close()
    errors = [(t, kind) for t, kind, ok in events if not ok]
    outside = [(t, kind) for t, kind in errors if t < restart_began or t > db_up + 5]
    last_error = max((t for t, _ in errors), default=None)
    back_after = max(0.0, (last_error - db_up)) if last_error is not None else 0.0
    stored = set(Registration.objects.filter(meeting=meeting).values_list("email", flat=True))
    _, rows = registration_emails(meeting)
    with_email = set(rows.values_list("to", flat=True))
    half_written = len(stored - with_email)
    accepted = {email for email, status in outcomes.items() if status in (302, 303)}
    lost = len(accepted - stored)
    result = {
        "requests": len(events),
        "errors": len(errors),
        "errors_outside_window": len(outside),
        "restart_window": [round(restart_began, 1), round(db_up, 1)],
        "service_back_seconds_after_db": round(back_after, 1),
        "signups_accepted": len(accepted),
        "signups_stored": len(stored),
        "accepted_but_not_stored": lost,
        "half_written_registrations": half_written,
    }
    result["passed"] = not outside and back_after <= 5 and half_written == 0 and lost == 0
    log(
        f"  database drill: {len(events)} requests, {len(errors)} errors ({len(outside)} outside the window); "
        f"service back {back_after:.1f} s after the database; {len(stored)} registrations, {half_written} "
        f"half-written, {lost} accepted but missing → {'PASS' if result['passed'] else 'FAIL'}"
    )
    return result


def drill_smtp(ctx, args):
    """The sink refuses for a while: rows are retried with backoff, then sent; a 550 address fails for good."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from outbox.models import OutgoingEmail

    sink = ctx["sink"]
    refused_address = PERMANENTLY_REFUSED.format(run_id=ctx["run_id"])
    meeting = drill_meeting("bench-drill-smtp")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    sink.refuse(True)
    log(
        f"smtp drill: the sink refuses every recipient (451) for {args.smtp_down} s; 40 sign-ups + one refused for good"
    )
    began = time.monotonic()
    emails = [f"smtp.{ctx['run_id']}.{i}@example.se" for i in range(40)] + [refused_address]
    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(lambda e: sign_up(ctx["web_port"], path, e), emails))
    time.sleep(max(0.0, args.smtp_down - (time.monotonic() - began)))
    _, rows = registration_emails(meeting)
    attempts_during = dict(Counter(rows.values_list("attempts", flat=True)))
    sink.refuse(False)
    log(f"  sink accepts again; attempts so far per row: {attempts_during}")
    drained = wait_until(lambda: outbox_done(lambda: registration_emails(meeting)[1]), timeout=240)
    seconds = time.monotonic() - began
    _, rows = registration_emails(meeting)
    by_status = dict(Counter(rows.values_list("status", flat=True)))
    refused = rows.filter(to=refused_address).first()
    others = rows.exclude(to=refused_address)
    delivery = common.delivery_report(others.values_list("message_id", flat=True), sink.counts())
    attempts = dict(Counter(others.values_list("attempts", flat=True)))
    # Visible in the admin: the failed filter of the outbox changelist lists the address.
    admin = get_user_model().objects.filter(is_superuser=True, email="drill-admin@example.se").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser(email="drill-admin@example.se", password=None)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    changelist = reverse("admin:outbox_outgoingemail_changelist") + "?status__exact=failed"
    response = client.get(changelist)
    in_admin = response.status_code == 200 and refused_address in response.content.decode("utf-8", "replace")
    result = {
        "refused_seconds": args.smtp_down,
        "signups": dict((str(k), v) for k, v in statuses.items()),
        "rows": by_status,
        "attempts_per_row": {str(k): v for k, v in attempts.items()},
        "drained_seconds": round(seconds, 1),
        "drained": drained,
        "permanently_refused_status": refused.status if refused else None,
        "permanently_refused_attempts": refused.attempts if refused else None,
        "failed_visible_in_admin": in_admin,
        **delivery,
    }
    result["passed"] = (
        delivery["lost"] == 0
        and delivery["duplicates"] == 0
        and refused is not None
        and refused.status == OutgoingEmail.Status.FAILED
        and in_admin
        and max(attempts or {0: 0}) > 1
    )
    log(
        f"  smtp drill: {delivery['delivered']}/{delivery['expected']} sent after {seconds:.0f} s (attempts per row "
        f"{result['attempts_per_row']}), {delivery['duplicates']} duplicates, {delivery['lost']} lost; "
        f"{refused_address}: {result['permanently_refused_status']} after {result['permanently_refused_attempts']} "
        f"attempt(s), in the admin's failed list: {in_admin} → {'PASS' if result['passed'] else 'FAIL'}"
    )
    return result


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
}


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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()
    from samverkan.celery import app

    app.control.purge()
    from outbox.models import OutgoingEmail

    # Queued rows that earlier benchmark runs left behind would be swept first (oldest first) and
    # delay the drills' own e-mails; they are benchmark rows addressed to example.se, so they go.
    stale = OutgoingEmail.objects.filter(status__in=["queued", "sending"], to__endswith="@example.se").filter(
        to__regex=r"^(fanout|batch|post|storm|worker|broker|smtp|db)\."
    )
    removed = stale.delete()[0]
    backlog = OutgoingEmail.objects.filter(status__in=["queued", "sending"]).count()
    log(f"outbox before the drills: {removed} stale benchmark rows deleted, {backlog} other rows waiting")
    services = common.Services(env, workdir)
    atexit.register(services.stop_all)
    concurrency = 2
    # The cluster drill brings its own processes; the single-node ones are for the other drills.
    single_node = any(name != "cluster" for name in args.drills)
    sink = None
    if single_node:
        sink = services.start_sink(smtp_port, refuse_permanently=[PERMANENTLY_REFUSED.format(run_id=run_id)])
        services.start_worker(concurrency=concurrency)
        workers = common.gunicorn_workers()
        services.start_gunicorn(web_port, workers)
        log(
            f"gunicorn {workers} workers on 127.0.0.1:{web_port}, Celery worker ({concurrency}), SMTP sink :{smtp_port}"
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
    results = {}
    for name in args.drills:
        try:
            results[name] = DRILLS[name](ctx, args)
        except Exception as exc:  # noqa: BLE001 - a drill that breaks is a failed drill; go on with the next
            log(f"{name} drill broke: {type(exc).__name__}: {exc}")
            results[name] = {"passed": False, "error": f"{type(exc).__name__}: {exc}"}
    if single_node:
        beat.stop()
        supervisor.stop()
    services.stop_all()
    import json

    out = common.ROOT / "bench" / "results" / "drills-latest.json"
    # Drills run one at a time accumulate: each entry says which run produced it.
    try:
        previous = json.loads(out.read_text()).get("drills", {})
    except (OSError, ValueError):
        previous = {}
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for name, result in results.items():
        previous[name] = {"run_id": run_id, "date": stamp, "quick": args.quick, **result}
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
    failed = [name for name, r in results.items() if not r.get("passed")]
    log(f"drills: {len(results) - len(failed)} passed, {len(failed)} failed {failed or ''}; {out}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

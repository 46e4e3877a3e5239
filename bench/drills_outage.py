"""Drills of the infrastructure (``make drills``): the broker (Redis) stopped during sign-ups, and
PostgreSQL restarted under page and sign-up load. See ``bench/drills.py``."""

import os
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench import browser, common
from bench.common import log
from bench.drill_common import drill_meeting, outbox_done, registration_emails, sign_up, wait_until

REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port {port} --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)


PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect {version} main restart"


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
    log(f"  responses: {dict(statuses)} (Redis down {ctx['down_at']:.0f}–{ctx['up_at']:.0f} s)")
    return _count_broker(ctx, args, meeting, statuses)


def _count_broker(ctx, args, meeting, statuses):
    """Sign-ups stored, their confirmation rows and what the sink received: nothing lost, nothing twice."""
    total = args.signups
    ok = statuses.get(302, 0) + statuses.get(303, 0)
    restarts_before = len(ctx["supervisor"].restarts)
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


def drill_database(ctx, args):
    """Restart PostgreSQL under page and sign-up load."""
    from django.db import connection
    from django.urls import reverse

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
                status, _, _ = browser.http_get(port, path, timeout=30)
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
    return _count_database(meeting, events, outcomes, restart_began, db_up)


def _count_database(meeting, events, outcomes, restart_began, db_up):
    """Errors inside and outside the restart window, how soon the service was back, and sign-ups
    accepted but missing or stored without their confirmation row."""
    from meetings.models import Registration

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

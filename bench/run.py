"""``make bench``: throughput and latency of the public pages, registration POSTs, a sign-up storm
and the reminder fan-out, on PostgreSQL + Redis + gunicorn + a Celery worker + an SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sv_bench REDIS_URL=redis://127.0.0.1:6379/5 make bench
    make bench BENCH_ARGS=--quick          # the same, shorter (under 2 minutes)

Steps: migrate, ``load_bench_data --scale N`` (idempotent), collectstatic, start the SMTP sink,
a Celery worker and gunicorn (production settings, DEBUG off), warm up, then wrk at 16
connections against each page for a fixed time; registration POSTs with fresh e-mails; the
storm (1,000 simultaneous sign-ups for 100 places); the fan-out (10,000 due reminders sent by
the worker) beside raw smtplib to the same sink; query counts per page at scale 0.001 and N.
Results: bench/results/latest.json, latest.md, latest.png. All traffic goes to 127.0.0.1.
"""

import argparse
import atexit
import json
import os
import smtplib
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from bench.common import HOST, ROOT, log  # noqa: E402

RESULTS = ROOT / "bench" / "results"
RUN_SLUG = "bench-run-"  # meetings the run creates itself (not part of the loaded set)

GOALS = {  # issue 10's table
    "page_ratio": 0.7,
    "api_ratio": 0.7,  # the open data API's lists (targets named "api …")
    "page_p99_ms": 50.0,
    "registration_rps": 200.0,
    "fanout_ratio": 0.5,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short run (under 2 minutes): 2 s per target, storm 200 for 20 places, 300 reminders",
    )
    parser.add_argument("--scale", type=float, default=None, help="data scale (default 1; 0.05 with --quick)")
    parser.add_argument(
        "--seconds", type=int, default=None, help="wrk duration per target (default 10; 3 with --quick)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--storm", type=int, default=1000, help="simultaneous sign-ups in the storm")
    parser.add_argument("--storm-places", type=int, default=100)
    parser.add_argument(
        "--fanout", type=int, default=None, help="reminders in the fan-out (default 10,000; 1,000 quick)"
    )
    parser.add_argument(
        "--fanout-cap", type=int, default=None, help="seconds allowed per fan-out measurement (default 120; 30 quick)"
    )
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--only", default="", help="comma list of sections: pages,register,storm,fanout,queries")
    parser.add_argument("--no-load", action="store_true", help="skip migrate and load_bench_data")
    args = parser.parse_args()
    args.scale = args.scale if args.scale is not None else (0.05 if args.quick else 1.0)
    args.seconds = args.seconds or (2 if args.quick else 10)
    args.fanout = args.fanout or (300 if args.quick else 10_000)
    args.fanout_cap = args.fanout_cap or (30 if args.quick else 120)
    if args.quick:
        args.storm = min(args.storm, 200)
        args.storm_places = min(args.storm_places, 20)
    args.workers = args.workers or common.gunicorn_workers()
    args.sections = set(filter(None, args.only.split(","))) or {"pages", "register", "storm", "fanout", "queries"}
    return args


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- data the run needs


def run_meeting(slug: str, *, capacity, start_in: timedelta, title: str):
    """A published meeting for this run, emptied of registrations (and their e-mails)."""
    from django.utils import timezone

    from meetings.models import Meeting, Registration
    from outbox.models import OutgoingEmail

    start = (timezone.now() + start_in).replace(second=0, microsecond=0)
    meeting, _ = Meeting.objects.update_or_create(
        slug=slug,
        defaults={
            "title": title,
            "summary": "Skapat av make bench.",
            "start": start,
            "end": start + timedelta(hours=2),
            "format": Meeting.Format.PHYSICAL,
            "venue_name": "Regionens hus",
            "venue_address": "Storgatan 1, Sundsvall",
            "capacity": capacity,
            "waitlist_enabled": True,
            "status": Meeting.Status.PUBLISHED,
            "registration_opens": None,
            "registration_closes": None,
            "notified_80_at": None,
            "notified_full_at": None,
        },
    )
    emails = list(Registration.objects.filter(meeting=meeting).values_list("email", flat=True))
    Registration.objects.filter(meeting=meeting).delete()
    for start_at in range(0, len(emails), 5000):
        OutgoingEmail.objects.filter(to__in=emails[start_at : start_at + 5000]).delete()
    return meeting


def page_targets() -> list[tuple[str, str]]:
    """(name, path) of every public page to drive; pages whose app has no such URL yet are left out."""
    from django.urls import NoReverseMatch, reverse

    from meetings.models import Meeting

    upcoming = (
        Meeting.objects.filter(slug__startswith="bench-mote-", start__gt=datetime.now(UTC)).order_by("start").first()
    )
    agreement = "bench-overenskommelse"
    wanted = [
        ("floor", "bench:floor", {}, ""),
        ("home", "core:home", {}, ""),
        ("meetings list", "meetings:list", {}, ""),
        ("meeting page", "meetings:detail", {"slug": upcoming.slug if upcoming else "missing"}, ""),
        ("organisations p1", "organisations:directory", {}, ""),
        (
            "organisations search",
            "organisations:directory",
            {},
            "?q=" + urllib.parse.quote("idrottsföreningen"),
        ),
        ("agreement page", "agreements:detail", {"slug": agreement}, ""),
        ("signatories p1", "agreements:signatories", {"slug": agreement}, ""),
        (
            "signatories search",
            "agreements:signatories",
            {"slug": agreement},
            "?q=" + urllib.parse.quote("pensionärsföreningen"),
        ),
        ("signatories csv", "agreements:signatories_csv", {"slug": agreement}, ""),
        ("meetings feed", "meetings:feed", {}, ""),
        ("challenges list", "challenges:list", {}, ""),
        ("consultations list", "consultations:list", {}, ""),
        ("selection rounds", "elections:list", {}, ""),
        ("open data", "opendata:documentation", {}, ""),
        ("api meetings", "api:meeting-list", {}, ""),
        ("api organisations", "api:organisation-list", {}, ""),
        ("api organisations search", "api:organisation-list", {}, "?q=" + urllib.parse.quote("idrottsföreningen")),
        ("api signatories", "api:signatory-list", {"agreement_slug": agreement}, ""),
    ]
    targets = []
    for name, url_name, kwargs, query in wanted:
        try:
            targets.append((name, reverse(url_name, kwargs=kwargs) + query))
        except NoReverseMatch:
            log(f"  {name}: no URL {url_name} yet, left out")
    return targets


# ---------------------------------------------------------------- sections


def bench_pages(port, targets, seconds, connections, warmup=20):
    """wrk against each target, after one warm-up round over all of them (every gunicorn worker has
    imported its views, opened its connections and filled the page cache before anything counts).

    On a shared machine the load moves during a run (the floor was seen at 1,300 and at 2,300 req/s
    in one run), so each target is paired with a floor measured right before it (half as long), and
    its ratio is to that floor. The floor's own row gives the median of those measurements."""
    results = []
    live = []
    for name, path in targets:
        status, _, body = common.http_get(port, path)
        if status != 200:
            log(f"  {name}: GET {path} answered {status}, left out")
            results.append({"name": name, "path": path, "skipped": f"HTTP {status}"})
            continue
        for _ in range(warmup):  # templates, connections, the page cache
            common.http_get(port, path)
        live.append((name, path, len(body)))
    for _name, path, _size in live:
        common.run_wrk(f"http://{HOST}:{port}{path}", seconds=1, connections=connections)
    floor_path = next((path for name, path, _size in live if name == "floor"), None)
    floors = []
    for name, path, size in live:
        if name == "floor":
            continue
        floor = None
        if floor_path:
            floor = common.run_wrk(
                f"http://{HOST}:{port}{floor_path}", seconds=max(2, seconds // 2), connections=connections
            )
            floors.append(floor)
        result = common.run_wrk(f"http://{HOST}:{port}{path}", seconds=seconds, connections=connections)
        result.update({"name": name, "path": path, "bytes": size})
        if floor and floor["rps"]:
            result["floor_rps"] = floor["rps"]
            result["ratio"] = result["rps"] / floor["rps"]
        results.append(result)
        log(
            f"  {name:22} {result['rps']:8.0f} req/s  p50 {result['p50_ms']:6.1f}  p95 {result['p95_ms']:6.1f}  "
            f"p99 {result['p99_ms']:6.1f} ms  errors {result['errors']}  (floor just before: "
            f"{result.get('floor_rps', 0):.0f} req/s, ratio {result.get('ratio', 0):.2f})"
        )
    if floors:
        ranked = sorted(floors, key=lambda f: f["rps"])
        median = {**ranked[len(ranked) // 2], "name": "floor", "path": floor_path, "bytes": 3, "ratio": 1.0}
        median["range_rps"] = [round(ranked[0]["rps"]), round(ranked[-1]["rps"])]
        results.insert(0, median)
        log(f"  floor: median {median['rps']:.0f} req/s of {len(floors)} (range {median['range_rps']})")
    return results


def bench_register(port, seconds, connections, run_id):
    from django.urls import reverse

    from meetings.models import Registration

    meeting = run_meeting(RUN_SLUG + "post", capacity=None, start_in=timedelta(days=40), title="Bench: POST-mål")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    cookies, data = common.browser_form(port, path)
    status, headers, body = common.http_post(port, path, common.fill(data, f"pre.{run_id}@example.se"), cookies)
    if status not in (302, 303) or not Registration.objects.filter(meeting=meeting).exists():
        text = body.decode("utf-8", "replace")
        log(f"  registration preflight failed: HTTP {status}; fields {[k for k, _ in data]}; {text[:300]}")
        return {"name": "registration POST", "path": path, "skipped": f"preflight HTTP {status}"}
    before = Registration.objects.filter(meeting=meeting).count()
    with common.CpuMeter() as meter:
        result = common.run_wrk(
            f"http://{HOST}:{port}{path}",
            seconds=seconds,
            connections=connections,
            script="register.lua",
            env_extra={
                "BENCH_BODY": common.fill(data, common.EMAIL_MARK + "@example.se"),
                "BENCH_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                "BENCH_ORIGIN": f"http://{HOST}:{port}",
                "BENCH_REFERER": f"http://{HOST}:{port}{path}",
                "BENCH_RUN_ID": run_id,
            },
        )
        # The e-mails these sign-ups queued are sent by the worker meanwhile: wait for them, so that the
        # CPU the sending costs is counted with the sign-ups that caused it.
        _wait_for_outbox(meeting, timeout=60)
    stored = Registration.objects.filter(meeting=meeting).count() - before
    result["cpu_ms_per_registration"] = {
        name: round(1000 * value / max(stored, 1), 2) for name, value in meter.seconds.items()
    }
    # A POST that answered 200 re-rendered the form with an error: wrk cannot see that, the database can.
    not_stored = max(0, result["requests"] - result["errors_status"] - stored)
    result.update({"name": "registration POST", "path": path, "stored": stored, "not_stored": not_stored})
    result["errors"] += not_stored
    log(
        f"  registration POST      {result['rps']:8.0f} req/s  p50 {result['p50_ms']:6.1f}  p95 {result['p95_ms']:6.1f}  "
        f"p99 {result['p99_ms']:6.1f} ms  errors {result['errors']} (stored {stored} of {result['requests']})"
    )
    per = result["cpu_ms_per_registration"]
    log(
        f"  CPU per stored registration (ms, confirmation e-mail sent included): "
        f"{', '.join(f'{name} {value}' for name, value in sorted(per.items(), key=lambda kv: -kv[1]))}; "
        f"total {sum(per.values()):.1f} ms on {os.cpu_count()} cores"
    )
    return result


def _wait_for_outbox(meeting, *, timeout: float) -> None:
    """Until the confirmations of ``meeting``'s sign-ups have left the outbox."""
    from meetings.models import Registration
    from outbox.models import OutgoingEmail

    emails = Registration.objects.filter(meeting=meeting).values("email")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not OutgoingEmail.objects.filter(to__in=emails, status__in=["queued", "sending"]).exists():
            return
        time.sleep(0.25)
    log(f"  outbox not empty after {timeout:.0f} s: CPU of the sending is counted only in part")


def bench_storm(port, people, places, run_id):
    from django.urls import reverse

    from meetings.models import Registration

    meeting = run_meeting(RUN_SLUG + "storm", capacity=places, start_in=timedelta(days=30), title="Bench: storm")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    log(f"  storm: {people} browsers GET the form")
    with ThreadPoolExecutor(32) as pool:
        forms = list(pool.map(lambda _: common.browser_form(port, path), range(people)))
    barrier = threading.Barrier(people)

    def sign_up(i):
        cookies, data = forms[i]
        barrier.wait()
        try:
            status, _, _ = common.http_post(
                port, path, common.fill(data, f"storm.{run_id}.{i}@example.se"), cookies, timeout=300
            )
            return status
        except OSError as exc:
            return type(exc).__name__

    log(f"  storm: {people} simultaneous POSTs")
    started = time.monotonic()
    with ThreadPoolExecutor(people) as pool:
        statuses = Counter(pool.map(sign_up, range(people)))
    seconds = time.monotonic() - started
    counts = Counter(Registration.objects.filter(meeting=meeting).values_list("status", flat=True))
    ok = statuses.get(302, 0) + statuses.get(303, 0)
    result = {
        "people": people,
        "places": places,
        "seconds": round(seconds, 2),
        "confirmed": counts.get("confirmed", 0),
        "waitlisted": counts.get("waitlisted", 0),
        "errors": people - ok,
        "responses": {str(k): v for k, v in statuses.items()},
    }
    log(
        f"  storm: {result['confirmed']} confirmed, {result['waitlisted']} waitlisted, {result['errors']} errors "
        f"in {seconds:.1f} s; responses {result['responses']}"
    )
    return result


def _wait_sent(ids_query, expected, *, timeout, label):
    """Poll until ``expected`` rows are sent (or failed); seconds until then, or None after ``timeout``."""
    from outbox.models import OutgoingEmail

    started = time.monotonic()
    while True:
        done = ids_query().filter(status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED]).count()
        now = time.monotonic()
        if done >= expected:
            return now - started
        if now - started > timeout:
            log(f"  {label}: {done}/{expected} after {timeout} s, stopped waiting")
            return None
        time.sleep(0.25)


def bench_fanout(services, sink, smtp_port, count, run_id, cap_seconds):
    """Due reminders planned and sent by the Celery worker, beside raw smtplib to the same sink.

    Three measurements on the same sink: (1) the application's path, ``meetings.tasks.plan_reminders``
    on the worker (one send task per reminder), capped at ``cap_seconds`` so that the run stays
    within its time (the task is then revoked and the queue purged; what was delivered by then
    gives the rate); (2) the same number of outbox rows sent by ``outbox.tasks.send_email_batch``
    (one SMTP connection per 100); (3) raw smtplib on one connection.
    """
    from django.utils import timezone

    from meetings.models import Registration, Reminder
    from outbox.models import OutgoingEmail
    from samverkan.celery import app

    meeting = run_meeting(RUN_SLUG + "fanout", capacity=None, start_in=timedelta(days=1), title="Bench: fan-out")
    created = timezone.now() - timedelta(days=5)
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=meeting,
                name=f"Fanout Deltagare {i}",
                email=f"fanout.{i}@example.se",
                consent_at=created,
                privacy_policy_version="2026-11",
                status=Registration.Status.CONFIRMED,
                created_at=created,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    log(f"  fan-out: {count} confirmed registrations for a meeting tomorrow; plan_reminders on the worker")
    sink.reset()

    def rows():
        return OutgoingEmail.objects.filter(
            pk__in=Reminder.objects.filter(registration__meeting=meeting).values("email")
        )

    started = time.monotonic()
    task = app.send_task("meetings.tasks.plan_reminders")
    planned_seconds = None
    complete = False
    while time.monotonic() - started < cap_seconds:
        if planned_seconds is None and Reminder.objects.filter(registration__meeting=meeting).count() >= count:
            planned_seconds = time.monotonic() - started
        if planned_seconds is not None and rows().filter(status=OutgoingEmail.Status.SENT).count() >= count:
            complete = True
            break
        time.sleep(0.5)
    total_seconds = time.monotonic() - started
    planned = Reminder.objects.filter(registration__meeting=meeting).count()
    if not complete:
        log(f"  fan-out: not done after {cap_seconds} s ({planned} planned); revoking the task, purging the queue")
        app.control.revoke(task.id, terminate=True)
        app.control.purge()
        time.sleep(2)
    message_ids = list(rows().values_list("message_id", flat=True))
    statuses = Counter(rows().values_list("status", flat=True))
    sent_ids = list(rows().filter(status=OutgoingEmail.Status.SENT).values_list("message_id", flat=True))
    counts = sink.counts()
    delivery = common.delivery_report(sent_ids, counts)
    worker = {
        "mode": "meetings.tasks.plan_reminders → outbox.tasks.send_email",
        "messages": count,
        "complete": complete,
        "planned": planned,
        "planned_seconds": round(planned_seconds, 2) if planned_seconds else None,
        "seconds": round(total_seconds, 2),
        "msgs_per_s": delivery["delivered"] / total_seconds,
        "statuses": dict(statuses),
        "rows": len(message_ids),
        **delivery,
    }
    # Lost: a row marked sent that the sink never saw (rows still queued when capped are not lost).
    log(
        f"  fan-out (plan_reminders): {worker['msgs_per_s']:.1f} msg/s ({delivery['delivered']} of {count} delivered "
        f"in {total_seconds:.1f} s{'' if complete else ', capped'}; planned {planned}); duplicates "
        f"{delivery['duplicates']}, lost {delivery['lost']}"
    )

    sample = rows().first()
    batch = bench_fanout_batch(sample, count, sink, run_id, cap_seconds=cap_seconds)

    # Raw smtplib: the same number of messages of the same size over one connection.
    raw_ids = [f"<raw.{run_id}.{i}@bench.invalid>" for i in range(count)]
    msg = EmailMessage()
    msg["From"] = sample.from_email if sample else "bench@example.se"
    msg["Subject"] = sample.subject if sample else "Påminnelse"
    msg.set_content(sample.body_text if sample else "Påminnelse " * 100)
    if sample and sample.body_html:
        msg.add_alternative(sample.body_html, subtype="html")
    started = time.monotonic()
    with smtplib.SMTP(HOST, smtp_port) as smtp:
        for i, message_id in enumerate(raw_ids):
            for header in ("To", "Message-ID"):
                del msg[header]
            msg["To"] = f"raw.{i}@example.se"
            msg["Message-ID"] = message_id
            smtp.send_message(msg)
    raw_seconds = time.monotonic() - started
    raw = {"messages": count, "seconds": round(raw_seconds, 2), "msgs_per_s": count / raw_seconds}
    raw.update(common.delivery_report(raw_ids, sink.counts()))
    log(f"  raw smtplib: {raw['msgs_per_s']:.0f} msg/s ({raw_seconds:.1f} s)")
    worker["ratio"] = worker["msgs_per_s"] / raw["msgs_per_s"]
    if batch:
        batch["ratio"] = batch["msgs_per_s"] / raw["msgs_per_s"]
    # Rows a capped measurement left queued would be sent by the next sweeper run (and hold up
    # the e-mails of later drills behind them): they are benchmark rows, so they go.
    leftover = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED, to__startswith="fanout.", to__endswith="@example.se"
    ).delete()[0]
    leftover += OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, kind="bench/batch").delete()[0]
    if leftover:
        log(f"  fan-out: {leftover} rows still queued after the cap deleted")
    return {"worker": worker, "batch": batch, "raw": raw}


def bench_fanout_batch(sample, count, sink, run_id, chunk=100, cap_seconds=300):
    """Outbox rows sent by ``outbox.tasks.send_email_batch`` (one SMTP connection per chunk)."""
    from django.utils import timezone

    from outbox.models import OutgoingEmail
    from outbox.tasks import send_email_batch

    if sample is None:
        return None
    OutgoingEmail.objects.filter(kind="bench/batch").delete()
    now = timezone.now()
    rows = OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                kind="bench/batch",
                to=f"batch.{i}@example.se",
                from_email=sample.from_email,
                subject=sample.subject,
                body_text=sample.body_text,
                body_html=sample.body_html,
                language=sample.language,
                message_id=f"<batch.{run_id}.{i}@bench.invalid>",
                next_attempt_at=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    ids = [row.pk for row in rows]
    started = time.monotonic()
    for start in range(0, len(ids), chunk):
        send_email_batch.delay(ids[start : start + chunk])
    tail = _wait_sent(
        lambda: OutgoingEmail.objects.filter(kind="bench/batch"), count, timeout=cap_seconds, label="batch"
    )
    seconds = time.monotonic() - started
    if tail is None:
        from samverkan.celery import app

        app.control.purge()
    sent_ids = list(
        OutgoingEmail.objects.filter(kind="bench/batch", status=OutgoingEmail.Status.SENT).values_list(
            "message_id", flat=True
        )
    )
    delivery = common.delivery_report(sent_ids, sink.counts())
    result = {
        "mode": f"outbox.tasks.send_email_batch, {chunk} per task",
        "messages": count,
        "complete": tail is not None,
        "seconds": round(seconds, 2),
        "msgs_per_s": delivery["delivered"] / seconds,
        **delivery,
    }
    log(
        f"  fan-out (send_email_batch): {result['msgs_per_s']:.0f} msg/s ({seconds:.1f} s); duplicates "
        f"{delivery['duplicates']}, lost {delivery['lost']}"
    )
    return result


def query_counts(env, database_url, targets):
    """Queries per page at scale 0.001 (a second database) and at the run's scale."""
    parts = urllib.parse.urlsplit(database_url)
    small_name = parts.path.strip("/") + "_small"
    small_url = urllib.parse.urlunsplit(parts._replace(path="/" + small_name))
    common.ensure_database(small_url)
    small_env = {**env, "DATABASE_URL": small_url}
    log(f"  scale 0.001 in database {small_name}")
    common.manage(small_env, "migrate", "--noinput", "-v0", quiet=True)
    common.manage(small_env, "load_bench_data", "--scale", "0.001", quiet=True)
    paths = [path for name, path in targets if name != "floor"]
    out = {}
    for label, run_env in (("small", small_env), ("large", env)):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "querycount.py"), *paths],
            cwd=ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            log(f"  query count ({label}) failed: {proc.stderr[-1500:]}")
            return {}
        out[label] = json.loads(proc.stdout.strip().splitlines()[-1])
    counts = {}
    for name, path in targets:
        if name == "floor":
            continue
        small, large = out["small"].get(path, {}), out["large"].get(path, {})
        counts[name] = {"small": small.get("queries"), "large": large.get("queries"), "status": large.get("status")}
        log(f"  {name:22} {small.get('queries')} → {large.get('queries')} queries")
    return counts


# ---------------------------------------------------------------- results


def write_results(results) -> Path:
    """latest.json/.md/.png; a --quick run writes quick-latest.*, a run of some sections (--only)
    partial-latest.*, and both leave the full figures alone."""
    from bench import report

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = "quick-latest" if results.get("quick") else ("partial-latest" if results.get("partial") else "latest")
    (RESULTS / f"{stem}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"{stem}.md").write_text(report.markdown(results))
    try:
        report.chart(results, RESULTS / f"{stem}.png")
    except Exception as exc:  # noqa: BLE001 - the chart is a nicety; the figures are written already
        log(f"chart not drawn: {exc}")
    log(f"results: {RESULTS / stem}.json, .md, .png")
    return RESULTS / f"{stem}.md"


def main():
    args = parse_args()
    database_url, redis_url = common.require_services()
    common.ensure_wrk()
    common.ensure_database(database_url)
    began = time.monotonic()
    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    workdir = common.tempdir("bench-")
    web_port, smtp_port = common.free_port(), common.free_port()
    env = common.production_env(database_url=database_url, redis_url=redis_url, web_port=web_port, smtp_port=smtp_port)
    os.environ.update(env)
    log(f"bench run {run_id}: scale {args.scale}, {args.seconds} s per target, logs in {workdir}")
    if not args.no_load:
        log("migrate")
        common.manage(env, "migrate", "--noinput", "-v0")
        log(f"load_bench_data --scale {args.scale}")
        common.manage(env, "load_bench_data", "--scale", str(args.scale))
    log("collectstatic")
    common.manage(env, "collectstatic", "--noinput", "-v0")
    setup_django()
    from django.core.cache import cache

    from samverkan.celery import app

    cache.clear()
    app.control.purge()

    services = common.Services(env, workdir)
    atexit.register(services.stop_all)
    sink = services.start_sink(smtp_port)
    services.start_worker(concurrency=args.worker_concurrency)
    services.start_gunicorn(web_port, args.workers)
    # The worker's start-up (imports, connections) would otherwise compete with the first targets.
    if not app.control.ping(timeout=30.0):
        log("  the Celery worker did not answer a ping within 30 s")
    log(
        f"gunicorn: {args.workers} sync workers on {HOST}:{web_port}; Celery worker: {args.worker_concurrency} "
        f"processes; SMTP sink on {HOST}:{smtp_port}; {os.cpu_count()} cores"
    )
    results = {
        "run_id": run_id,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "quick": args.quick,
        "partial": bool(args.only),
        "seconds_per_target": args.seconds,
        "connections": args.connections,
        "gunicorn_workers": args.workers,
        "celery_concurrency": args.worker_concurrency,
        "cores": os.cpu_count(),
        "goals": GOALS,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    targets = page_targets()
    if "pages" in args.sections:
        log("pages")
        results["pages"] = bench_pages(
            web_port, targets, args.seconds, args.connections, warmup=5 if args.quick else 20
        )
    if "register" in args.sections:
        log("registration POSTs")
        results["registration"] = bench_register(web_port, args.seconds, args.connections, run_id)
    if "storm" in args.sections:
        log("storm")
        results["storm"] = bench_storm(web_port, args.storm, args.storm_places, run_id)
    if "fanout" in args.sections:
        log("fan-out")
        results["fanout"] = bench_fanout(services, sink, smtp_port, args.fanout, run_id, args.fanout_cap)
    if "queries" in args.sections:
        log("queries per page")
        results["queries"] = query_counts(env, database_url, targets)
    results["total_seconds"] = round(time.monotonic() - began, 1)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    services.stop_all()
    print(write_results(results).read_text())
    log(f"done in {results['total_seconds']:.0f} s")


if __name__ == "__main__":
    main()

"""Sign-ups for ``make bench``: the run's own meeting, registration POSTs under wrk, and the storm of
browsers posting at the same moment."""

import os
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from bench import browser, measure
from bench.common import HOST, log

RUN_SLUG = "bench-run-"  # meetings the run creates itself (not part of the loaded set)
POST_WARMUP = 25  # sequential sign-ups before the measured ones: every gunicorn worker has made a few


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


def bench_register(port, seconds, connections, run_id):
    from django.urls import reverse

    from meetings.models import Registration

    meeting = run_meeting(RUN_SLUG + "post", capacity=None, start_in=timedelta(days=40), title="Bench: POST-mål")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    cookies, data = browser.browser_form(port, path)
    status, headers, body = browser.http_post(port, path, browser.fill(data, f"pre.{run_id}@example.se"), cookies)
    if status not in (302, 303) or not Registration.objects.filter(meeting=meeting).exists():
        text = body.decode("utf-8", "replace")
        log(f"  registration preflight failed: HTTP {status}; fields {[k for k, _ in data]}; {text[:300]}")
        return {"name": "registration POST", "path": path, "skipped": f"preflight HTTP {status}"}
    # Every worker's first sign-ups compile the form, the e-mail templates and the task's broker connection
    # (about 200 ms of CPU per worker, bench/request_cost.py): a run of this section alone, on workers just
    # started, counted that as sign-up CPU (33 ms per sign-up against 11.5 after the pages). Warm them first.
    for i in range(POST_WARMUP):
        browser.http_post(port, path, browser.fill(data, f"warm.{run_id}.{i}@example.se"), cookies)
    before = Registration.objects.filter(meeting=meeting).count()
    with measure.CpuMeter() as meter:
        result = measure.run_wrk(
            f"http://{HOST}:{port}{path}",
            seconds=seconds,
            connections=connections,
            script="register.lua",
            env_extra={
                "BENCH_BODY": browser.fill(data, browser.EMAIL_MARK + "@example.se", key=browser.KEY_MARK),
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


def bench_register_paced(port, rate: float, seconds: float, run_id: str) -> dict:
    """Sign-ups sent at a fixed rate (an open loop), not as fast as 16 connections allow (wrk's closed loop,
    where every answer waits behind the 15 others and latency is connections ÷ throughput by Little's law).
    Each POST is timed from the moment it was due, so a server that falls behind is charged for the wait."""
    from django.urls import reverse

    from meetings.models import Registration

    meeting = run_meeting(RUN_SLUG + "paced", capacity=None, start_in=timedelta(days=41), title="Bench: jämn takt")
    path = reverse("meetings:register", kwargs={"slug": meeting.slug})
    cookies, data = browser.browser_form(port, path)
    count = int(rate * seconds)
    bodies = [browser.fill(data, f"paced.{run_id}.{i}@example.se") for i in range(count)]

    def post(i: int, due: float):
        try:
            status, _, _ = browser.http_post(port, path, bodies[i], cookies, timeout=30)
        except OSError as exc:
            status = type(exc).__name__
        return status, time.monotonic() - due

    started = time.monotonic()
    with ThreadPoolExecutor(64) as pool:
        futures = []
        for i in range(count):
            due = started + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            futures.append(pool.submit(post, i, due))
        answers = [future.result() for future in futures]
    elapsed = time.monotonic() - started
    latencies = sorted(1000 * seconds for _, seconds in answers)
    stored = Registration.objects.filter(meeting=meeting).count()
    errors = sum(status not in (302, 303) for status, _ in answers) + max(0, count - stored)

    def pct(q):
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 1)

    result = {
        "rate": rate,
        "requests": count,
        "rps": round(count / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1], 1),
        "errors": errors,
        "stored": stored,
    }
    log(
        f"  sign-ups at {rate:.0f}/s (open loop): p50 {result['p50_ms']} p95 {result['p95_ms']} p99 {result['p99_ms']} "
        f"max {result['max_ms']} ms, errors {errors} (stored {stored} of {count})"
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
        forms = list(pool.map(lambda _: browser.browser_form(port, path), range(people)))
    barrier = threading.Barrier(people)

    def sign_up(i):
        cookies, data = forms[i]
        barrier.wait()
        try:
            status, _, _ = browser.http_post(
                port, path, browser.fill(data, f"storm.{run_id}.{i}@example.se"), cookies, timeout=300
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

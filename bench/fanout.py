"""E-mail fan-out for ``make bench``: reminder e-mails through the worker, one task per e-mail and in
batches over one SMTP connection."""

import smtplib
import time
from collections import Counter
from datetime import timedelta
from email.message import EmailMessage
from email.utils import parseaddr

from bench import common
from bench.common import HOST, log
from bench.signups import RUN_SLUG, run_meeting


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
    on the worker (it plans chunks of 500 and publishes a ``send_email_batch`` task per 100), capped at ``cap_seconds`` so that the run stays
    within its time (the task is then revoked and the queue purged; what was delivered by then
    gives the rate); (2) the same number of outbox rows sent by ``outbox.tasks.send_email_batch``
    (one SMTP connection per 100); (3) raw smtplib on one connection, the message flattened once.
    """
    meeting = run_meeting(RUN_SLUG + "fanout", capacity=None, start_in=timedelta(days=1), title="Bench: fan-out")
    _confirmed_registrations(meeting, count)
    log(f"  fan-out: {count} confirmed registrations for a meeting tomorrow; plan_reminders on the worker")
    sink.reset()
    worker, sample = _through_the_worker(meeting, count, sink, cap_seconds)
    batch = bench_fanout_batch(sample, count, sink, run_id, cap_seconds=cap_seconds)
    raw = _raw_smtplib(sample, count, sink, smtp_port, run_id)
    worker["ratio"] = worker["msgs_per_s"] / raw["msgs_per_s"]
    if batch:
        batch["ratio"] = batch["msgs_per_s"] / raw["msgs_per_s"]
    _delete_leftovers()
    return {"worker": worker, "batch": batch, "raw": raw}


def _confirmed_registrations(meeting, count):
    from django.utils import timezone

    from meetings.models import Registration

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


def _through_the_worker(meeting, count, sink, cap_seconds):
    """(1) ``plan_reminders`` on the worker, capped; returns the figures and one sent row as a sample."""
    from meetings.models import Reminder
    from outbox.models import OutgoingEmail
    from samverkan.celery import app

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
    delivery = common.delivery_report(sent_ids, sink.counts())
    worker = {
        "mode": "meetings.tasks.plan_reminders → outbox.tasks.send_email_batch",
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
    return worker, rows().first()


def _raw_smtplib(sample, count, sink, smtp_port, run_id):
    """(3) Raw smtplib: the same number of messages of the same size over one connection."""
    raw_ids = [f"<raw.{run_id}.{i}@bench.invalid>" for i in range(count)]
    msg = EmailMessage()
    msg["From"] = sample.from_email if sample else "bench@example.se"
    msg["Subject"] = sample.subject if sample else "Påminnelse"
    msg.set_content(sample.body_text if sample else "Påminnelse " * 100)
    if sample and sample.body_html:
        msg.add_alternative(sample.body_html, subtype="html")
    # The transport's own limit, like the floor of the pages: the message is flattened once and only its
    # recipient and Message-ID change per send (re-building it with the email package each time measured
    # Python's MIME code, which the outbox has to run and the reference need not).
    msg["To"], msg["Message-ID"] = "raw.RAWNUMBER@example.se", "<RAWMESSAGEID>"
    template = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    sender = parseaddr(msg["From"])[1]
    started = time.monotonic()
    with smtplib.SMTP(HOST, smtp_port) as smtp:
        for i, message_id in enumerate(raw_ids):
            data = template.replace(b"RAWNUMBER", str(i).encode()).replace(b"<RAWMESSAGEID>", message_id.encode())
            smtp.sendmail(sender, [f"raw.{i}@example.se"], data)
    raw_seconds = time.monotonic() - started
    raw = {"messages": count, "seconds": round(raw_seconds, 2), "msgs_per_s": count / raw_seconds}
    raw.update(common.delivery_report(raw_ids, sink.counts()))
    log(f"  raw smtplib: {raw['msgs_per_s']:.0f} msg/s ({raw_seconds:.1f} s)")
    return raw


def _delete_leftovers():
    """Rows a capped measurement left queued would be sent by the next sweeper run (and hold up
    the e-mails of later drills behind them): they are benchmark rows, so they go."""
    from outbox.models import OutgoingEmail

    leftover = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED, to__startswith="fanout.", to__endswith="@example.se"
    ).delete()[0]
    leftover += OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, kind="bench/batch").delete()[0]
    if leftover:
        log(f"  fan-out: {leftover} rows still queued after the cap deleted")


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
        send_email_batch.delay(rows[0].region_id, ids[start : start + chunk])
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

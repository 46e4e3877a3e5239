"""Drills of delivery (``make drills``): the Celery worker killed mid fan-out, and the SMTP server refusing
for a minute (and one address for good). See ``bench/drills.py``."""

import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench import common
from bench.common import log
from bench.drill_common import PERMANENTLY_REFUSED, drill_meeting, outbox_done, registration_emails, sign_up, wait_until


def drill_worker(ctx, args):
    """SIGKILL the worker in the middle of a fan-out, start a new one; everything delivered?

    Over 60 lines, kept whole: one scenario read top to bottom (queue, kill at the right moment, wait, count),
    whose steps share the timing and the rows they watch."""
    from django.utils import timezone

    from outbox.models import OutgoingEmail
    from outbox.tasks import send_queued

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
    log(
        f"worker drill: {count} e-mails queued, one drain asked for (as a commit does); SIGKILL the worker at ~30 % sent"
    )
    send_queued.delay(rows[0].region_id)  # a drain asks for the next one at every full batch

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


def drill_smtp(ctx, args):
    """The sink refuses for a while: rows are retried with backoff, then sent; a 550 address fails for good.

    Over 60 lines, kept whole: one scenario read top to bottom (refuse, sign up, accept again, wait, count,
    look in the admin), whose steps share the rows they watch."""
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

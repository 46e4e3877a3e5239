"""The outbox: every e-mail the portal sends is rendered, stored, then sent by a task.

Use ``email_queue`` from services: it renders ``templates/emails/<template>_subject.txt``,
``<template>.txt`` and ``<template>.html`` in the recipient's language and stores one row
per recipient. The send task is queued on commit, so a rolled-back change mails nobody.

This module owns the outbox's Celery tasks (``send_email``, ``send_email_batch``, ``sweep_outbox``):
the services queue them and the tasks run the services, so both live here and the imports run one
way (``tasks.py``, which Celery's autodiscovery imports, takes them from here). The registered names
stay ``outbox.tasks.*``, so messages already on the broker still route.
"""

import base64
import functools
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.links import region_context
from core.region_state import RegionMissing, current_region, current_region_id
from core.regions import for_each_region, in_region

from .claims import (  # noqa: F401 - public names
    PermanentFailure,
    email_claim,
    email_claim_due,
    email_record_result,
    email_record_sent,
    retry_delay,
)
from .connection import region_connection, worker_connection
from .models import OutgoingEmail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def region_sender(region=None) -> str:
    """The From of the region's e-mails: its sender address (``DEFAULT_FROM_EMAIL``'s when it keeps none),
    named after the portal and the region: ``Samverkansportalen – Region Halland <no-reply@…>``. With no
    region in force: ``DEFAULT_FROM_EMAIL`` as it is."""
    region = region if region is not None else current_region()
    if region is None:
        return settings.DEFAULT_FROM_EMAIL
    return _sender(settings.DEFAULT_FROM_EMAIL, region.name, region.sender_email)


@functools.lru_cache(maxsize=64)
def _sender(default_from: str, region_name: str, sender_email: str) -> str:
    # Kept per value: every e-mail of a region has the same sender, and building it costs a header parse.
    default_name, default_address = parseaddr(default_from)
    address = sender_email or default_address
    display = f"{default_name or 'Samverkansportalen'} – {region_name}"
    try:
        return str(Address(display_name=display, addr_spec=address))
    except (ValueError, IndexError):  # an address the header model refuses: the plain one still sends
        return address


def _msgid_domain(from_email: str = ""):
    address = parseaddr(from_email or settings.DEFAULT_FROM_EMAIL)[1]
    return address.rsplit("@", 1)[-1].strip() or "samverkan.local"


def _require_region() -> None:
    # bulk_create skips the model's save() and its region check: say what is wrong before the database does.
    if current_region() is None:
        raise RegionMissing("an e-mail is queued in a region: run it inside region_scope(region) or a regional task")


# The drain (issue 29): a commit that stored rows asks for one ``send_queued`` of the region unless one is asked
# for and has not begun; it claims due rows in batches: one task and few statements per batch, not per e-mail.
DRAIN_KEY = "outbox:drain"  # the cache's key function adds the region
DRAIN_SIGNAL_SECONDS = 60  # a drain asked for and lost (worker killed) stops blocking new ones after this
DRAIN_BATCH = 20  # rows claimed at once: what a worker killed mid-batch may have sent without recording it
DRAIN_BUDGET_SECONDS = 10  # a drain hands the rest to a new task after this, so other tasks get their turn
RECORD_EVERY = 5  # sent rows recorded together: a worker killed mid-batch sends at most these again


def _signal_drain(region_id: int) -> None:
    """Ask a worker to send the region's due rows, unless a drain is asked for and has not begun: it
    deletes the key before its first claim, so every row committed before a refused ``add`` is claimed."""
    if not cache.add(DRAIN_KEY, 1, timeout=DRAIN_SIGNAL_SECONDS):
        return
    try:
        send_queued.delay(region_id)
    except Exception:
        cache.delete(DRAIN_KEY)  # the next commit asks again
        raise


def _publish(publish, *args, ids) -> None:
    try:
        publish(*args)
    except Exception:  # broker or cache down: the rows stay queued for the sweeper
        logger.warning("outbox: could not queue e-mails %s; the sweeper will retry", list(ids), exc_info=True)


def _queue_send_on_commit(email_ids: Sequence[int]):
    # The region is taken now: the rows were just made (or picked) in the region in force.
    region_id = current_region_id()

    def _send():
        if send_queued.app.conf.task_always_eager:  # no worker: each row at its own commit, not others' rows
            for email_id in email_ids:
                _publish(send_email.delay, region_id, email_id, ids=[email_id])
        else:
            _publish(_signal_drain, region_id, ids=email_ids)

    transaction.on_commit(_send, robust=True)


# The tasks. Their names are the registered ones of messages on the broker: never change them.


@shared_task(name="outbox.tasks.send_email", ignore_result=True)
@in_region
def send_email(email_id: int) -> None:
    """``send_email.delay(region_id, email_id)``: send one outbox row of that region once, over the worker's kept SMTP connection (``connection.py``); a failed
    attempt is put back with a backoff for the sweeper."""
    try:
        connection = worker_connection.acquire()
    except Exception:
        connection = None  # the server is away: the send below fails and counts as the attempt
        logger.warning("outbox: could not open the SMTP connection to keep; sending without it")
    if connection is None:
        email_send(email_id=email_id)
        return
    ok = False
    try:
        email = email_send(email_id=email_id, connection=connection)
        ok = email is None or email.status == OutgoingEmail.Status.SENT
    finally:
        worker_connection.release(ok=ok)


@shared_task(name="outbox.tasks.send_queued", ignore_result=True)
@in_region
def send_queued() -> int:
    """``send_queued.delay(region_id)``: send the region's due rows in batches (the drain)."""
    return email_drain()


@shared_task(name="outbox.tasks.send_email_batch", ignore_result=True)
@in_region
def send_email_batch(email_ids: list[int]) -> None:
    """``send_email_batch.delay(region_id, email_ids)``: those rows over one SMTP connection (reminders)."""
    email_send_batch(email_ids=email_ids)


@shared_task(name="outbox.tasks.sweep_outbox", ignore_result=True)
@for_each_region
def sweep_outbox() -> dict:
    """Periodic, in every active region: re-queue rows that were never sent or got stuck while sending."""
    return outbox_sweep()


def render_email(*, template: str, context: dict, language: str | None = None) -> tuple[str, str, str]:
    """Render (subject, text, html) of ``templates/emails/<template>*`` in ``language``."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    ctx = {**region_context(), **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", ctx).strip()
        subject = " ".join(subject.splitlines())
        body_text = render_to_string(f"emails/{template}.txt", ctx)
        body_html = render_to_string(f"emails/{template}.html", ctx)
    return subject, body_text, body_html


def email_queue(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
    kind: str = "",
    queue_send: bool = True,
    rendered: tuple[str, str, str] | None = None,
) -> list[OutgoingEmail]:
    """Render an e-mail and store one queued row per recipient; the send is queued on commit.

    ``queue_send=False`` leaves the sending to the caller (e.g. ``send_email_batch`` over one SMTP
    connection for a fan-out); the sweeper still sends any row the caller never got to.
    ``rendered`` is (subject, text, html) already rendered from ``template`` in ``language`` (kept by
    the caller, filled per person): then nothing is rendered here.
    """
    rows = email_rows(
        to=to,
        template=template,
        context=context,
        language=language,
        attachments=attachments,
        reply_to=reply_to,
        kind=kind,
        rendered=rendered,
    )
    if not rows:
        return []
    rows = OutgoingEmail.objects.bulk_create(rows)
    if rows and rows[0].pk is None:  # backends without RETURNING on bulk insert
        rows = list(OutgoingEmail.objects.filter(message_id__in=[r.message_id for r in rows]))
    if queue_send:
        email_send_on_commit([row.pk for row in rows])
    return rows


def email_rows(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
    kind: str = "",
    rendered: tuple[str, str, str] | None = None,
) -> list[OutgoingEmail]:
    """The rows ``email_queue`` stores, rendered and not yet saved: for a caller that inserts them in
    the same statement as its own row, then calls ``email_send_on_commit`` with their ids."""
    recipients = [to] if isinstance(to, str) else list(dict.fromkeys(to))
    if not recipients:
        return []
    _require_region()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if rendered is None:
        rendered = render_email(template=template, context=context, language=language)
    subject, body_text, body_html = rendered
    stored_attachments = [
        {"filename": a.filename, "mimetype": a.mimetype, "content": base64.b64encode(a.content).decode("ascii")}
        for a in attachments
    ]
    now = timezone.now()
    from_email = region_sender()
    return [
        OutgoingEmail(
            kind=kind or template,
            to=recipient,
            from_email=from_email,
            reply_to=reply_to,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            language=language,
            attachments=stored_attachments,
            message_id=make_msgid(domain=_msgid_domain(from_email)),
            next_attempt_at=now,
        )
        for recipient in recipients
    ]


def email_send_on_commit(email_ids: Sequence[int]) -> None:
    """Queue the send tasks of stored rows when the transaction commits (at once outside one)."""
    _queue_send_on_commit(email_ids)


def email_queue_message(*, message: EmailMessage, kind: str = "") -> list[OutgoingEmail]:
    """Store an already rendered Django e-mail message (allauth's) in the outbox."""
    body_html = ""
    if isinstance(message, EmailMultiAlternatives):
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                body_html = content
    _require_region()
    body_text = message.body
    if message.content_subtype == "html":
        body_html, body_text = message.body, ""
    now = timezone.now()
    # allauth's messages come from DEFAULT_FROM_EMAIL: they are the region's mail like any other.
    from_email = message.from_email
    if not from_email or from_email == settings.DEFAULT_FROM_EMAIL:
        from_email = region_sender()
    rows = OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                kind=kind,
                to=recipient,
                from_email=from_email,
                subject=message.subject,
                body_text=body_text,
                body_html=body_html,
                language=translation.get_language() or "",
                message_id=make_msgid(domain=_msgid_domain(from_email)),
                next_attempt_at=now,
            )
            for recipient in message.to
        ]
    )
    if rows and rows[0].pk is None:
        rows = list(OutgoingEmail.objects.filter(message_id__in=[r.message_id for r in rows]))
    _queue_send_on_commit([row.pk for row in rows])
    return rows


def build_message(email: OutgoingEmail, connection=None) -> EmailMultiAlternatives:
    headers = {"Message-ID": email.message_id, **(email.headers or {})}
    if email.language:
        headers.setdefault("Content-Language", email.language)
    msg = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers=headers,
        connection=connection,
    )
    if email.body_html:
        msg.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments or []:
        msg.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return msg


def email_send(*, email_id: int, connection=None) -> OutgoingEmail | None:
    """Send one queued e-mail once. Returns the row, or None when there was nothing to send.

    Any exception from the backend counts as an attempt (not only SMTP and socket errors: a
    misconfigured or third-party backend raises what it likes), so every row ends sent or failed.
    """
    email = email_claim(email_id=email_id)
    if email is None:
        return None
    error = None
    try:
        if connection is None:
            connection = region_connection(fail_silently=False)
        build_message(email, connection=connection).send(fail_silently=False)
    except Exception as exc:
        error = exc
        # The type only: an exception's text can hold the recipient's address.
        logger.warning(
            "outbox: sending e-mail %s failed (attempt %s): %s", email.pk, email.attempts, type(exc).__name__
        )
    return email_record_result(email=email, error=error)


def email_drain(*, batch: int = DRAIN_BATCH, budget_seconds: float = DRAIN_BUDGET_SECONDS) -> int:
    """Send the due queued rows of the region in force, ``batch`` at a time; returns how many were sent.

    Each batch is claimed in one statement and its sent rows recorded in one; a failed send is recorded on
    its own (backoff or failed, as ``email_send``). Rows that another drain or task holds are skipped."""
    cache.delete(DRAIN_KEY)
    deadline = time.monotonic() + budget_seconds
    sent = 0
    while True:
        emails = email_claim_due(limit=batch)
        if len(emails) == batch:
            # More may be waiting (a commit that mailed hundreds): ask for another drain, so that the
            # worker's other processes take the next batches at the same time instead of this one alone.
            _publish(_signal_drain, current_region_id(), ids=[])
        sent += _send_claimed(emails)
        if len(emails) < batch:
            return sent
        if time.monotonic() > deadline:
            _signal_drain(current_region_id())
            return sent


def _send_claimed(emails: list[OutgoingEmail], connection=None) -> int:
    """Send claimed rows over ``connection``, else the worker's kept one; record the sent ones together."""
    done = []
    for email in emails:
        kept = None
        if connection is None:
            try:
                kept = worker_connection.acquire()
            except Exception:
                kept = None  # the server is away: the send below fails and counts as the attempt
        ok = False
        try:
            backend = connection or kept or region_connection(fail_silently=False)
            build_message(email, connection=backend).send(fail_silently=False)
            ok = True
        except Exception as exc:
            # The type only: an exception's text can hold the recipient's address.
            logger.warning(
                "outbox: sending e-mail %s failed (attempt %s): %s", email.pk, email.attempts, type(exc).__name__
            )
            email_record_result(email=email, error=exc)
        finally:
            if kept is not None:
                worker_connection.release(ok=ok)  # a failed connection is dropped, the next e-mail opens one
        if ok:
            done.append(email)
            if len(done) % RECORD_EVERY == 0:
                email_record_sent(emails=done[-RECORD_EVERY:])
    email_record_sent(emails=done[len(done) - len(done) % RECORD_EVERY :])
    return len(done)


def email_resend(*, emails: Iterable[OutgoingEmail]) -> int:
    """Queue failed e-mails again with a fresh set of attempts (a coordinator's "Skicka igen").

    Only failed rows are touched: a row that is queued, sending or sent is never sent twice. The
    send tasks are queued on commit. Returns how many rows were queued again.
    """
    ids = [email.pk for email in emails]
    now = timezone.now()
    with transaction.atomic():
        failed_ids = list(
            OutgoingEmail.objects.select_for_update()
            .filter(pk__in=ids, status=OutgoingEmail.Status.FAILED)
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=failed_ids).update(
            status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now, claimed_at=None, updated_at=now
        )
        _queue_send_on_commit(failed_ids)
    if failed_ids:
        logger.info("outbox: %s failed e-mails queued again", len(failed_ids))
    return len(failed_ids)


def email_send_batch(*, email_ids: Sequence[int]) -> int:
    """Send many queued e-mails over one SMTP connection, their results recorded ``DRAIN_BATCH`` at a time.
    Returns how many were sent."""
    sent = 0
    connection = region_connection()
    try:
        connection.open()
        for start in range(0, len(email_ids), DRAIN_BATCH):
            # Each row claimed by its primary key (one short statement each: the plan never depends on how
            # fresh the statistics of a busy queue table are), the sent ones recorded together.
            claimed = [email_claim(email_id=email_id) for email_id in email_ids[start : start + DRAIN_BATCH]]
            sent += _send_claimed([email for email in claimed if email is not None], connection)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: S110 - closing a broken connection is best effort
            pass
    return sent


def outbox_sweep(*, limit: int = 1000) -> dict:
    """Re-queue what is due and was never picked up, and what is stuck in sending.

    Runs periodically (beat). A row still queued past its next attempt plus a grace period
    was lost (broker down, worker gone); a row sending for longer than OUTBOX_STUCK_AFTER
    belonged to a worker that died. Both are queued again; the claim under lock keeps each
    e-mail to one sender.
    """
    now = timezone.now()
    stuck_ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - settings.OUTBOX_STUCK_AFTER
        ).values_list("pk", flat=True)[:limit]
    )
    stuck = OutgoingEmail.objects.filter(pk__in=stuck_ids, status=OutgoingEmail.Status.SENDING).update(
        status=OutgoingEmail.Status.QUEUED, next_attempt_at=now
    )
    due_ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now - settings.OUTBOX_QUEUED_GRACE
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    # Retries are due at next_attempt_at (no grace): they were put back on purpose.
    retry_ids = list(
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, attempts__gt=0, next_attempt_at__lte=now)
        .exclude(pk__in=due_ids + stuck_ids)
        .values_list("pk", flat=True)[:limit]
    )
    requeued = 0
    for email_id in dict.fromkeys(stuck_ids + due_ids + retry_ids):
        try:
            send_email.delay(current_region_id(), email_id)
        except Exception:
            logger.warning("outbox: broker unavailable during sweep", exc_info=True)
            break
        requeued += 1
        # Give the re-published task its grace again, so that a backlog larger than what the
        # workers send between two sweeps is not published over and over.
        OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.QUEUED).update(
            next_attempt_at=now + settings.OUTBOX_QUEUED_GRACE
        )
    result = {"unstuck": stuck, "requeued": requeued}
    if stuck or requeued:
        logger.info("outbox sweep: %s", result)
    return result

"""Reminders before a meeting, planned by the beat task ``meetings.tasks.plan_reminders``."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.links import site_url
from core.region_state import current_region_id
from outbox.models import OutgoingEmail
from outbox.services import email_rows

from ..models import Meeting, Registration, Reminder
from ..permissions import meeting_shares_online_link
from ..qr import qr_email_html
from .emails import render_registration_email

logger = logging.getLogger(__name__)

REMINDER_CHUNK = 500  # registrations locked, planned and mailed per transaction
SEND_BATCH = 100  # e-mails per send_email_batch task (one SMTP connection each)


def reminders_plan(*, now: datetime | None = None) -> int:
    """Create and mail the reminders that are due in the region in force; returns how many were queued.

    Due: a published meeting that has not started, a confirmed registration made before the
    reminder time, and no Reminder of that kind yet. Registrations are taken in chunks under
    ``FOR UPDATE SKIP LOCKED`` and the unique (registration, kind) constraint decides who
    mails whom, so a second run, or a second worker at the same time, mails nobody twice.
    """
    now = now or timezone.now()
    queued = 0
    for meeting in Meeting.objects.published().filter(start__gt=now):
        for kind, offset in meeting.reminder_slots():
            due_at = meeting.start - offset
            if now < due_at:
                continue
            while True:
                found, sent = _reminders_send_chunk(meeting=meeting, kind=kind, due_at=due_at)
                queued += sent
                if found < REMINDER_CHUNK:
                    break
    if queued:
        logger.info("meetings: %s reminders queued", queued)
    return queued


def _queue_batches(region_id: int, email_ids: list[int]) -> None:
    """Send in batches over one connection each (the rows were stored without their own send task), in
    the region that planned them (a worker has no host: the region goes with the task)."""
    from outbox.tasks import send_email_batch

    for start in range(0, len(email_ids), SEND_BATCH):
        try:
            send_email_batch.delay(region_id, email_ids[start : start + SEND_BATCH])
        except Exception:
            logger.warning("meetings: could not queue a reminder batch; the outbox sweeper sends them", exc_info=True)
            return


def _reminders_send_chunk(*, meeting: Meeting, kind: str, due_at: datetime) -> tuple[int, int]:
    """Plan and mail one chunk of due reminders of one kind. Returns (candidates found, e-mails queued)."""
    with transaction.atomic():
        started = timezone.now()
        candidates = list(
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(meeting=meeting, status=Registration.Status.CONFIRMED, created_at__lt=due_at)
            .exclude(reminders__kind=kind)
            .order_by("pk")
            .values_list("pk", "email", "language", "join_token", "checkin_code", "attendance")[:REMINDER_CHUNK]
        )
        if not candidates:
            return 0, 0
        ids = [person[0] for person in candidates]
        Reminder.objects.bulk_create([Reminder(registration_id=pk, kind=kind) for pk in ids], ignore_conflicts=True)
        # Ours are the rows inserted just now without an e-mail; a row another worker won has one.
        mine = dict(
            Reminder.objects.filter(
                registration_id__in=ids, kind=kind, email__isnull=True, created_at__gte=started
            ).values_list("registration_id", "pk")
        )
        people = [person for person in candidates if person[0] in mine]
        email_ids: list[int] = []
        region_id = current_region_id()
        transaction.on_commit(lambda: _queue_batches(region_id, email_ids), robust=True)
        context = {
            "meeting": meeting,
            "kind": kind,
            "meeting_url": f"{site_url()}{meeting.get_absolute_url()}",
        }
        # Everyone here is confirmed: their personal join link (never the meeting's own link) and, for
        # those who come to the venue, their check-in code belong in the reminder. The e-mail is
        # rendered once per language and filled per person (``emails.render_registration_email``).
        shares_link = meeting_shares_online_link(meeting)
        rows, owners = [], []
        for pk, email, language, token, code, attendance in people:
            language = language or settings.LANGUAGE_CODE
            full = {**context, **_personal_context(meeting, shares_link, token=token, code=code, attendance=attendance)}
            rendered = render_registration_email(
                template="meetings/reminder", context=full, language=language, name="", manage=""
            )
            rows += email_rows(
                to=email,
                template="meetings/reminder",
                context=full,
                language=language,
                reply_to=meeting.contact_email,
                kind="meetings.reminder",
                rendered=rendered,
            )
            owners.append(pk)
        rows = _emails_stored(rows)
        updates = [Reminder(pk=mine[pk], email_id=row.pk) for pk, row in zip(owners, rows, strict=True)]
        email_ids += [row.pk for row in rows]
        Reminder.objects.bulk_update(updates, ["email"], batch_size=REMINDER_CHUNK)
    return len(candidates), len(email_ids)


def _personal_context(meeting: Meeting, shares_link: bool, *, token, code: str, attendance: str) -> dict:
    """One person's part of the reminder: their own join link when the meeting shares one online, and
    their check-in code (with its QR code) when they come to the venue."""
    personal = {
        "join_url": f"{site_url()}{reverse('meetings:join', kwargs={'slug': meeting.slug, 'token': token})}"
        if shares_link
        else "",
        "checkin_code": "",
        "checkin_qr": "",
    }
    if meeting.has_venue and attendance != Registration.Attendance.ONLINE:
        shown = f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
        personal["checkin_code"] = shown
        personal["checkin_qr"] = qr_email_html(code, label=shown)
    return personal


def _emails_stored(rows: list) -> list:
    """The outbox rows inserted, each with its primary key (read back on backends without RETURNING)."""
    rows = OutgoingEmail.objects.bulk_create(rows)
    if rows and rows[0].pk is None:  # backends without RETURNING on bulk insert
        by_message = dict(
            OutgoingEmail.objects.filter(message_id__in=[r.message_id for r in rows]).values_list("message_id", "pk")
        )
        for row in rows:
            row.pk = by_message[row.message_id]
    return rows

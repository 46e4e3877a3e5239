"""Reminders before a meeting, planned by the beat task ``meetings.tasks.plan_reminders``."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.links import site_url
from core.region_state import current_region_id
from outbox.services import email_queue

from ..models import Meeting, Registration, Reminder
from ..permissions import meeting_shares_online_link

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
            .values_list("pk", "email", "language")[:REMINDER_CHUNK]
        )
        if not candidates:
            return 0, 0
        ids = [pk for pk, _, _ in candidates]
        Reminder.objects.bulk_create([Reminder(registration_id=pk, kind=kind) for pk in ids], ignore_conflicts=True)
        # Ours are the rows inserted just now without an e-mail; a row another worker won has one.
        mine = dict(
            Reminder.objects.filter(
                registration_id__in=ids, kind=kind, email__isnull=True, created_at__gte=started
            ).values_list("registration_id", "pk")
        )
        by_language: dict[str, list[tuple[int, str]]] = {}
        for pk, email, language in candidates:
            if pk in mine:
                by_language.setdefault(language or settings.LANGUAGE_CODE, []).append((pk, email))
        email_ids: list[int] = []
        region_id = current_region_id()
        transaction.on_commit(lambda: _queue_batches(region_id, email_ids), robust=True)
        context = {
            "meeting": meeting,
            "kind": kind,
            "meeting_url": f"{site_url()}{meeting.get_absolute_url()}",
            # Everyone here is confirmed: the online link belongs in their reminder.
            "online_link": meeting.online_link if meeting_shares_online_link(meeting) else "",
        }
        updates = []
        for language, people in by_language.items():
            rows = email_queue(
                to=[email for _, email in people],
                template="meetings/reminder",
                context=context,
                language=language,
                reply_to=meeting.contact_email,
                kind="meetings.reminder",
                queue_send=False,
            )
            row_by_email = {row.to: row.pk for row in rows}
            updates += [Reminder(pk=mine[pk], email_id=row_by_email.get(email)) for pk, email in people]
            email_ids += [row.pk for row in rows]
        Reminder.objects.bulk_update(updates, ["email"], batch_size=REMINDER_CHUNK)
    return len(candidates), len(email_ids)

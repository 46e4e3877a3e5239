"""Every write with a business rule about meetings and registrations.

Capacity is guarded by locking the meeting row before counting (``select_for_update``), so
concurrent sign-ups on PostgreSQL queue up behind each other and never overbook. E-mails go
through the outbox and are sent after commit.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.permissions import coordinator_emails
from outbox.services import Attachment, email_queue

from .cache import pages_changed, registrations_changed
from .calendar import meeting_ics
from .models import Meeting, MeetingDocument, ProgrammeItem, Registration, Reminder, Speaker
from .tokens import manage_url

logger = logging.getLogger(__name__)

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool


# --- e-mail helpers -----------------------------------------------------------------------


def _ics_attachment(meeting: Meeting, *, include_link: bool) -> Attachment:
    return Attachment(
        filename=f"{meeting.slug}.ics",
        content=meeting_ics(meeting, include_link=include_link),
        mimetype="text/calendar",
    )


def _email_registration(registration: Registration, *, template: str, ics: bool = False, extra: dict | None = None):
    """Mail one registrant in their language. The online link only goes to confirmed people."""
    meeting = registration.meeting
    confirmed = registration.status == Registration.Status.CONFIRMED
    include_link = confirmed and meeting.has_online_part and bool(meeting.online_link)
    context = {
        "meeting": meeting,
        "registration": registration,
        "manage_url": manage_url(registration),
        "meeting_url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
        "online_link": meeting.online_link if include_link else "",
        **(extra or {}),
    }
    attachments = [_ics_attachment(meeting, include_link=include_link)] if ics else []
    return email_queue(
        to=registration.email,
        template=f"meetings/{template}",
        context=context,
        language=registration.language or settings.LANGUAGE_CODE,
        attachments=attachments,
        reply_to=meeting.contact_email,
        kind=f"meetings.{template}",
    )


def _confirmed_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()


def _fill_level_reached(meeting: Meeting, confirmed: int) -> int | None:
    """Record (once each) that 80 % or 100 % of the places are taken; returns the level to announce.

    Call with the meeting row locked, so two sign-ups never both claim the same level."""
    if not meeting.capacity:
        return None
    now = timezone.now()
    changed = {}
    level = None
    if confirmed >= meeting.capacity and meeting.notified_full_at is None:
        meeting.notified_full_at = changed["notified_full_at"] = now
        level = 100
    if confirmed * 10 >= meeting.capacity * 8 and meeting.notified_80_at is None:
        meeting.notified_80_at = changed["notified_80_at"] = now
        level = level or 80
    if changed:
        Meeting.objects.filter(pk=meeting.pk).update(**changed)
    return level


def _email_coordinators_fill(meeting: Meeting, *, level: int, confirmed: int) -> None:
    recipients = coordinator_emails()
    if recipients:
        email_queue(
            to=recipients,
            template="meetings/coordinator_fill",
            context={
                "meeting": meeting,
                "percent": level,
                "confirmed": confirmed,
                "admin_url": f"{settings.SITE_URL}/admin/meetings/meeting/{meeting.pk}/change/",
            },
            language=settings.LANGUAGE_CODE,
            kind="meetings.coordinator_fill",
        )


def _notify_coordinators_of_fill(meeting: Meeting, confirmed: int) -> None:
    """Tell coordinators once at 80 % and once at 100 % of the places (flags stored on the meeting)."""
    level = _fill_level_reached(meeting, confirmed)
    if level:
        _email_coordinators_fill(meeting, level=level, confirmed=confirmed)


def _promote_waitlisted(meeting: Meeting) -> list[Registration]:
    """Fill free places from the waitlist, first come first served. Call with the meeting locked."""
    if meeting.status != Meeting.Status.PUBLISHED or meeting.is_past:
        return []
    waiting = meeting.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
    if meeting.capacity is not None:
        free = meeting.capacity - _confirmed_count(meeting)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        registration.meeting = meeting
        _email_registration(registration, template="promoted", ics=True)
        logger.info("meetings: registration %s promoted from the waitlist", registration.pk)
    if promoted:
        _notify_coordinators_of_fill(meeting, _confirmed_count(meeting))
    return promoted


# --- registrations ------------------------------------------------------------------------


def registration_create(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    consent: bool,
    phone: str = "",
    organisation=None,
    organisation_name: str = "",
    role: str = "",
    present_example: bool = False,
    example_description: str = "",
    needs: str = "",
    language: str = "",
    user=None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Sign someone up for a meeting: confirmed while places are left, else waitlisted (or refused).

    One active registration per e-mail and meeting: a second attempt creates nothing and
    re-sends the manage link (``created`` is False). Raises ValidationError when registration
    is closed, the meeting is full without a waitlist, or consent is missing.

    A meeting with limited places is locked (``select_for_update``) for the count and the
    insert only; the e-mails are rendered and stored right after, so concurrent sign-ups
    wait for each other for as short a time as possible.
    """
    if not consent:
        raise ValidationError(_("You need to agree to how we handle your personal data."), code="consent")
    fields = {
        "user": user if user is not None and user.is_authenticated else None,
        "name": name.strip(),
        "email": email.strip().lower(),
        "phone": phone.strip(),
        "organisation": organisation,
        "organisation_name": organisation_name.strip() or (organisation.name if organisation else ""),
        "role": role.strip(),
        "present_example": present_example,
        "example_description": example_description.strip() if present_example else "",
        "needs": needs.strip(),
        "privacy_policy_version": settings.PRIVACY_POLICY_VERSION,
        "language": (language or settings.LANGUAGE_CODE)[:8],
    }
    with transaction.atomic():
        registration, created, position, level, confirmed = _registration_insert(
            meeting_id=meeting.pk, fields=fields, now=now
        )
    meeting = registration.meeting
    with transaction.atomic():
        if not created:
            _email_registration(registration, template="already_registered")
        elif registration.status == Registration.Status.CONFIRMED:
            _email_registration(registration, template="confirmation", ics=True)
            if level:
                _email_coordinators_fill(meeting, level=level, confirmed=confirmed)
        else:
            _email_registration(registration, template="waitlisted", extra={"position": position})
    if created:
        registrations_changed(meeting.slug)
        logger.info(
            "meetings: registration %s created (%s) for meeting %s", registration.pk, registration.status, meeting.pk
        )
    return RegistrationResult(registration, created)


def _active_registration(meeting: Meeting, email: str) -> Registration | None:
    # Lower() matches the expression of the unique index, so the lookup uses it.
    return (
        meeting.registrations.annotate(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def _registration_insert(*, meeting_id: int, fields: dict, now: datetime | None):
    """Count and insert in one step. Returns (registration, created, waitlist position, fill level, confirmed)."""
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.capacity is not None:
        # Lock before counting: concurrent sign-ups for limited places queue up here.
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    existing = _active_registration(meeting, fields["email"])
    if existing is not None:
        existing.meeting = meeting
        return existing, False, None, None, None
    # Taken after the lock, so the waitlist order is the order in which sign-ups got the lock.
    now = now or timezone.now()
    confirmed = _confirmed_count(meeting) if meeting.capacity is not None else 0
    state = meeting.registration_state(confirmed=confirmed, now=now)
    if state == "full":
        raise ValidationError(_("The meeting is full."), code="full")
    if state not in ("open", "waitlist"):
        raise ValidationError(_("Registration for this meeting is closed."), code=state)
    status = Registration.Status.CONFIRMED if state == "open" else Registration.Status.WAITLISTED
    if not meeting.has_venue:
        fields = {**fields, "needs": ""}
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                meeting=meeting, status=status, consent_at=now, created_at=now, **fields
            )
    except IntegrityError:
        # The same address signed up a moment ago (the unique constraint caught it).
        existing = _active_registration(meeting, fields["email"])
        if existing is None:
            raise
        existing.meeting = meeting
        return existing, False, None, None, None
    position = level = None
    if status == Registration.Status.CONFIRMED:
        confirmed += 1
        level = _fill_level_reached(meeting, confirmed)
    else:
        position = meeting.registrations.filter(status=Registration.Status.WAITLISTED).count()
    return registration, True, position, level, confirmed


def registration_update(
    *,
    registration: Registration,
    name: str,
    phone: str = "",
    organisation_name: str = "",
    role: str = "",
    present_example: bool = False,
    example_description: str = "",
    needs: str = "",
) -> Registration:
    """Change the details of an active registration of a meeting that has not ended."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("meeting").get(pk=registration.pk)
        if not registration.is_active or registration.meeting.is_past:
            raise ValidationError(_("This registration can no longer be changed."), code="locked")
        registration.name = name.strip()
        registration.phone = phone.strip()
        registration.organisation_name = organisation_name.strip()
        registration.role = role.strip()
        registration.present_example = present_example
        registration.example_description = example_description.strip() if present_example else ""
        registration.needs = needs.strip() if registration.meeting.has_venue else ""
        registration.save()
    logger.info("meetings: registration %s updated", registration.pk)
    return registration


def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Cancel a registration; a freed place goes to the first on the waitlist, who is told.

    Returns the promoted registrations (none or one, more only if capacity was raised)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return []
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        promoted = _promote_waitlisted(meeting)
        registrations_changed(meeting.slug)
    logger.info("meetings: registration %s cancelled, %s promoted", registration.pk, len(promoted))
    return promoted


def registrations_mark_attended(*, registrations, attended: bool | None) -> int:
    """Record attendance for many registrations at once (coordinators, after the meeting)."""
    with transaction.atomic():
        return Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            attended=attended, updated_at=timezone.now()
        )


# --- meetings -----------------------------------------------------------------------------

_MOVE_FIELDS = ("start", "end", "venue_name", "venue_address", "format", "online_link")


def meeting_save(*, meeting: Meeting) -> Meeting:
    """Save a meeting (admin and services) and tell participants what changed.

    Moved (time, place or format) → "moved" notice with a new .ics to the active registrants;
    published → cancelled → "cancelled" notice; more places → the waitlist moves up.
    """
    with transaction.atomic():
        old = Meeting.objects.select_for_update().filter(pk=meeting.pk).first() if meeting.pk else None
        moved = old is not None and any(getattr(old, f) != getattr(meeting, f) for f in _MOVE_FIELDS)
        cancelled = (
            old is not None and old.status != Meeting.Status.CANCELLED and meeting.status == Meeting.Status.CANCELLED
        )
        if old is not None and (moved or cancelled):
            meeting.sequence = old.sequence + 1
        meeting.save()
        pages_changed()
        if old is None or old.status == Meeting.Status.DRAFT:
            return meeting
        active = list(meeting.registrations.filter(status__in=ACTIVE).order_by("created_at", "pk"))
        if cancelled:
            for registration in active:
                registration.meeting = meeting
                _email_registration(registration, template="cancelled", ics=True)
            logger.info("meetings: meeting %s cancelled, %s registrants told", meeting.pk, len(active))
            return meeting
        if moved and meeting.status == Meeting.Status.PUBLISHED:
            for registration in active:
                registration.meeting = meeting
                _email_registration(
                    registration,
                    template="moved",
                    ics=registration.status == Registration.Status.CONFIRMED,
                    extra={"old_start": old.start, "old_end": old.end},
                )
            logger.info("meetings: meeting %s moved, %s registrants told", meeting.pk, len(active))
        if old.capacity is not None and (meeting.capacity is None or meeting.capacity > old.capacity):
            _promote_waitlisted(meeting)
    return meeting


def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    """Change fields of a meeting and notify as ``meeting_save`` does."""
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    return meeting_save(meeting=meeting)


def meeting_message_participants(*, meeting: Meeting, subject: str, body: str) -> int:
    """A coordinator's message to every confirmed participant, in each one's language. Returns the count."""
    recipients = list(
        meeting.registrations.filter(status=Registration.Status.CONFIRMED).values_list("email", "language")
    )
    by_language: dict[str, list[str]] = {}
    for email, language in recipients:
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    with transaction.atomic():
        for language, emails in by_language.items():
            email_queue(
                to=emails,
                template="meetings/message",
                context={
                    "meeting": meeting,
                    "subject": subject,
                    "body": body,
                    "meeting_url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
                },
                language=language,
                reply_to=meeting.contact_email,
                kind="meetings.message",
            )
    logger.info("meetings: message to %s participants of meeting %s", len(recipients), meeting.pk)
    return len(recipients)


def _unique_slug(base: str) -> str:
    base = slugify(base)[:180] or "mote"
    slug, n = base, 2
    while Meeting.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def meeting_copy(*, meeting: Meeting) -> Meeting:
    """A new draft with the same details, programme, speakers and documents; no registrations."""
    with transaction.atomic():
        copy = Meeting.objects.get(pk=meeting.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.title = _("Copy of %(title)s") % {"title": meeting.title}
        copy.slug = _unique_slug(f"{meeting.slug}-kopia")
        copy.status = Meeting.Status.DRAFT
        copy.sequence = 0
        copy.notified_80_at = copy.notified_full_at = None
        copy.save()
        for item in meeting.programme_items.prefetch_related("speakers"):
            speakers = list(item.speakers.all())
            new_item = ProgrammeItem.objects.create(
                meeting=copy,
                order=item.order,
                start_time=item.start_time,
                end_time=item.end_time,
                title=item.title,
                description=item.description,
            )
            Speaker.objects.bulk_create(
                [
                    Speaker(
                        programme_item=new_item, order=s.order, name=s.name, title=s.title, organisation=s.organisation
                    )
                    for s in speakers
                ]
            )
        MeetingDocument.objects.bulk_create(
            [
                MeetingDocument(meeting=copy, kind=d.kind, title=d.title, file=d.file, url=d.url, order=d.order)
                for d in meeting.documents.all()
            ]
        )
    logger.info("meetings: meeting %s copied to %s", meeting.pk, copy.pk)
    return copy


# --- reminders ----------------------------------------------------------------------------

REMINDER_CHUNK = 500  # registrations locked, planned and mailed per transaction
SEND_BATCH = 100  # e-mails per send_email_batch task (one SMTP connection each)


def reminders_plan(*, now: datetime | None = None) -> int:
    """Create and mail the reminders that are due; returns how many were queued.

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


def _queue_batches(email_ids: list[int]) -> None:
    """Send in batches over one connection each; the outbox's own per-e-mail tasks then find them sent."""
    from outbox.tasks import send_email_batch

    for start in range(0, len(email_ids), SEND_BATCH):
        try:
            send_email_batch.delay(email_ids[start : start + SEND_BATCH])
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
        # Registered before email_queue's own callbacks, so the batches reach the worker first.
        transaction.on_commit(lambda: _queue_batches(email_ids), robust=True)
        context = {
            "meeting": meeting,
            "kind": kind,
            "meeting_url": f"{settings.SITE_URL}{meeting.get_absolute_url()}",
            # Everyone here is confirmed: the online link belongs in their reminder.
            "online_link": meeting.online_link if meeting.has_online_part else "",
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
            )
            row_by_email = {row.to: row.pk for row in rows}
            updates += [Reminder(pk=mine[pk], email_id=row_by_email.get(email)) for pk, email in people]
            email_ids += [row.pk for row in rows]
        Reminder.objects.bulk_update(updates, ["email"], batch_size=REMINDER_CHUNK)
    return len(candidates), len(email_ids)

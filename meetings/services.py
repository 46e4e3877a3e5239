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
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.permissions import coordinator_emails
from outbox.services import Attachment, email_queue

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


def _notify_coordinators_of_fill(meeting: Meeting, confirmed: int) -> None:
    """Tell coordinators once at 80 % and once at 100 % of the places (flags stored on the meeting)."""
    if not meeting.capacity:
        return
    now = timezone.now()
    changed = []
    levels = []
    if confirmed >= meeting.capacity and meeting.notified_full_at is None:
        meeting.notified_full_at = now
        changed.append("notified_full_at")
        levels.append(100)
    if confirmed * 10 >= meeting.capacity * 8 and meeting.notified_80_at is None:
        meeting.notified_80_at = now
        changed.append("notified_80_at")
        if not levels:
            levels.append(80)
    if not changed:
        return
    Meeting.objects.filter(pk=meeting.pk).update(**{field: now for field in changed})
    recipients = coordinator_emails()
    if recipients:
        email_queue(
            to=recipients,
            template="meetings/coordinator_fill",
            context={
                "meeting": meeting,
                "percent": levels[0],
                "confirmed": confirmed,
                "admin_url": f"{settings.SITE_URL}/admin/meetings/meeting/{meeting.pk}/change/",
            },
            language=settings.LANGUAGE_CODE,
            kind="meetings.coordinator_fill",
        )


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
    """
    if not consent:
        raise ValidationError(_("You need to agree to how we handle your personal data."), code="consent")
    clock_given = now is not None
    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        # The lock serialises sign-ups per meeting: count and insert happen as one step.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = (
            meeting.registrations.filter(email__iexact=email).exclude(status=Registration.Status.CANCELLED).first()
        )
        if existing is not None:
            existing.meeting = meeting
            _email_registration(existing, template="already_registered")
            return RegistrationResult(existing, False)
        if not clock_given:
            # Taken under the lock, so the waitlist order is the order in which sign-ups got the lock.
            now = timezone.now()
        confirmed = _confirmed_count(meeting)
        state = meeting.registration_state(confirmed=confirmed, now=now)
        if state == "full":
            raise ValidationError(_("The meeting is full."), code="full")
        if state not in ("open", "waitlist"):
            raise ValidationError(_("Registration for this meeting is closed."), code=state)
        status = Registration.Status.CONFIRMED if state == "open" else Registration.Status.WAITLISTED
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    meeting=meeting,
                    user=user if user is not None and user.is_authenticated else None,
                    name=name.strip(),
                    email=email,
                    phone=phone.strip(),
                    organisation=organisation,
                    organisation_name=organisation_name.strip() or (organisation.name if organisation else ""),
                    role=role.strip(),
                    present_example=present_example,
                    example_description=example_description.strip() if present_example else "",
                    needs=needs.strip() if meeting.has_venue else "",
                    consent_at=now,
                    privacy_policy_version=settings.PRIVACY_POLICY_VERSION,
                    language=(language or settings.LANGUAGE_CODE)[:8],
                    status=status,
                    created_at=now,
                )
        except IntegrityError:
            # Only reachable without the lock's protection (another transaction won the race).
            existing = meeting.registrations.filter(email__iexact=email).exclude(status=Registration.Status.CANCELLED)
            return RegistrationResult(existing.get(), False)
        if status == Registration.Status.CONFIRMED:
            _email_registration(registration, template="confirmation", ics=True)
            _notify_coordinators_of_fill(meeting, confirmed + 1)
        else:
            position = meeting.registrations.filter(status=Registration.Status.WAITLISTED).count()
            _email_registration(registration, template="waitlisted", extra={"position": position})
    logger.info("meetings: registration %s created (%s) for meeting %s", registration.pk, status, meeting.pk)
    return RegistrationResult(registration, True)


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
    logger.info("meetings: registration %s cancelled, %s promoted", registration.pk, len(promoted))
    return promoted


def registrations_mark_attended(*, registrations, attended: bool | None) -> int:
    """Record attendance for many registrations at once (coordinators, after the meeting)."""
    with transaction.atomic():
        return Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            attended=attended, updated_at=timezone.now()
        )


# --- meetings -----------------------------------------------------------------------------

_MOVE_FIELDS = ("start", "end", "venue_name", "venue_address", "format")


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


def reminders_plan(*, now: datetime | None = None) -> int:
    """Create and mail the reminders that are due; returns how many were queued.

    Due: a published meeting that has not started, a confirmed registration made before the
    reminder time, and no Reminder of that kind yet. The unique (registration, kind)
    constraint makes a second run, or a second worker, create nothing.
    """
    now = now or timezone.now()
    queued = 0
    meetings = Meeting.objects.published().filter(start__gt=now)
    for meeting in meetings:
        for kind, offset in meeting.reminder_slots():
            due_at = meeting.start - offset
            if now < due_at:
                continue
            candidate_ids = list(
                meeting.registrations.filter(status=Registration.Status.CONFIRMED, created_at__lt=due_at)
                .exclude(reminders__kind=kind)
                .values_list("pk", flat=True)
            )
            for registration_id in candidate_ids:
                if _reminder_send(registration_id=registration_id, kind=kind, meeting=meeting):
                    queued += 1
    if queued:
        logger.info("meetings: %s reminders queued", queued)
    return queued


def _reminder_send(*, registration_id: int, kind: str, meeting: Meeting) -> bool:
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=registration_id, status=Registration.Status.CONFIRMED)
            .first()
        )
        if registration is None:
            return False
        reminder, created = Reminder.objects.get_or_create(registration=registration, kind=kind)
        if not created:
            return False
        registration.meeting = meeting
        rows = _email_registration(registration, template="reminder", extra={"kind": kind})
        reminder.email = rows[0] if rows else None
        reminder.save(update_fields=["email"])
    return True

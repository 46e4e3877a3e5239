"""Shared pieces of the meeting services: the registrant e-mails, counts and the waitlist."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.links import site_url
from core.permissions import coordinator_emails
from outbox.services import Attachment, email_queue, email_rows

from ..calendar import meeting_ics
from ..models import Meeting, Registration
from ..permissions import online_link_visible
from ..qr import qr_email_html
from ..tokens import manage_url
from .emails import FILLED_TEMPLATES, kept, render_registration_email, revision_key

logger = logging.getLogger(__name__)

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool
    # The same form (its idempotency token) was sent again: answered as the first POST was, nothing stored or sent.
    replayed: bool = False


def ics_attachment(meeting: Meeting, *, join_url: str = "") -> Attachment:
    """The meeting's .ics for a registrant's e-mail. Without a personal join link it is the same for
    every sign-up until the meeting is edited, so it is built once per meeting revision (every column's
    value) and language in each process (``emails.kept``) instead of once per e-mail; with one (a
    confirmed participant of a digital or hybrid meeting) it is that person's own."""
    if join_url:
        content = meeting_ics(meeting, join_url=join_url)
    else:
        key = revision_key("ics", context={"meeting": meeting})
        content = kept.get_or_build(key, lambda: meeting_ics(meeting))
    return Attachment(filename=f"{meeting.slug}.ics", content=content, mimetype="text/calendar")


def join_url(registration: Registration) -> str:
    """The registration's personal join link, absolute."""
    return f"{site_url()}{registration.get_join_url()}"


def checkin_shown(registration: Registration) -> bool:
    """A confirmed registration that comes to the venue gets a check-in code (and its QR code)."""
    return (
        registration.status == Registration.Status.CONFIRMED
        and registration.meeting.has_venue
        and registration.attendance != Registration.Attendance.ONLINE
        and registration.meeting.status == Meeting.Status.PUBLISHED
    )


def _registration_email_parts(registration: Registration, *, manage: str, ics: bool, extra: dict | None):
    meeting = registration.meeting
    personal_join = join_url(registration) if online_link_visible(registration) else ""
    context = {
        "meeting": meeting,
        "registration": registration,
        "manage_url": manage,
        "meeting_url": f"{site_url()}{meeting.get_absolute_url()}",
        "join_url": personal_join,
        "checkin_code": "",
        "checkin_qr": "",
        **(extra or {}),
    }
    if checkin_shown(registration) and not context.get("no_checkin"):
        context["checkin_code"] = registration.checkin_code_display
        context["checkin_qr"] = qr_email_html(registration.checkin_code, label=registration.checkin_code_display)
    context.pop("no_checkin", None)
    attachments = [ics_attachment(meeting, join_url=context["join_url"])] if ics else []
    return context, attachments


def email_registration(registration: Registration, *, template: str, ics: bool = False, extra: dict | None = None):
    """Mail one registrant in their language. The online link only goes to confirmed people.

    The templates of ``FILLED_TEMPLATES`` are rendered once per meeting revision and filled with the
    person's name, manage link and waitlist place (``emails.render_registration_email``)."""
    return email_queue(**_registration_email(registration, template=template, ics=ics, extra=extra))


def registration_email_rows(registration: Registration, *, template: str, ics: bool = False) -> list:
    """The outbox rows of ``email_registration``, not yet stored (``outbox.services.email_rows``)."""
    return email_rows(**_registration_email(registration, template=template, ics=ics, extra=None))


def _registration_email(registration: Registration, *, template: str, ics: bool, extra: dict | None) -> dict:
    manage = manage_url(registration)
    context, attachments = _registration_email_parts(registration, manage=manage, ics=ics, extra=extra)
    language = registration.language or settings.LANGUAGE_CODE
    rendered = None
    if template in FILLED_TEMPLATES:
        rendered = render_registration_email(
            template=f"meetings/{template}",
            context=context,
            language=language,
            name=registration.name,
            manage=manage,
            position=context.get("position"),
        )
    return {
        "to": registration.email,
        "template": f"meetings/{template}",
        "context": context,
        "language": language,
        "attachments": attachments,
        "reply_to": registration.meeting.contact_email,
        "kind": f"meetings.{template}",
        "rendered": rendered,
    }


def confirmed_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()


def fill_level_reached(meeting: Meeting, confirmed: int) -> int | None:
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


def email_coordinators_fill(meeting: Meeting, *, level: int, confirmed: int) -> None:
    recipients = coordinator_emails()
    if recipients:
        email_queue(
            to=recipients,
            template="meetings/coordinator_fill",
            context={
                "meeting": meeting,
                "percent": level,
                "confirmed": confirmed,
                "admin_url": f"{site_url()}/admin/meetings/meeting/{meeting.pk}/change/",
            },
            language=settings.LANGUAGE_CODE,
            kind="meetings.coordinator_fill",
        )


def notify_coordinators_of_fill(meeting: Meeting, confirmed: int) -> None:
    """Tell coordinators once at 80 % and once at 100 % of the places (flags stored on the meeting)."""
    level = fill_level_reached(meeting, confirmed)
    if level:
        email_coordinators_fill(meeting, level=level, confirmed=confirmed)


def promote_waitlisted(meeting: Meeting) -> list[Registration]:
    """Fill free places from the waitlist, first come first served. Call with the meeting locked."""
    if meeting.status != Meeting.Status.PUBLISHED or meeting.is_past:
        return []
    waiting = meeting.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
    if meeting.capacity is not None:
        free = meeting.capacity - confirmed_count(meeting)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        registration.meeting = meeting
        email_registration(registration, template="promoted", ics=True)
        logger.info("meetings: registration %s promoted from the waitlist", registration.pk)
    if promoted:
        notify_coordinators_of_fill(meeting, confirmed_count(meeting))
    return promoted

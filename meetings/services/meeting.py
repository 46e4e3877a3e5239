"""Changes to meetings that participants must hear of, messages to them, and copies."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.admin_confirm import Preview
from core.events import emit
from core.links import site_url
from outbox.services import email_queue

from ..models import Meeting, MeetingDocument, ProgrammeItem, Registration, RegistrationQuestion, Reminder, Speaker
from ..selectors import pages
from .common import ACTIVE, email_registration, promote_waitlisted

logger = logging.getLogger(__name__)

# Not the online link: participants have their personal join links, which open whatever link the meeting has.
_MOVE_FIELDS = ("start", "end", "venue_name", "venue_address", "format")


def meeting_save(*, meeting: Meeting) -> Meeting:
    """Save a meeting (admin and services) and tell participants what changed.

    Moved (time, place or format) → "moved" notice with a new .ics to the active registrants;
    published → cancelled → "cancelled" notice; more places → the waitlist moves up; a new start
    time → the reminders are planned again.
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
        pages.bump()
        if meeting.status == Meeting.Status.PUBLISHED and (old is None or old.status == Meeting.Status.DRAFT):
            _emit_published(meeting)
        if old is None or old.status == Meeting.Status.DRAFT:
            return meeting
        active = list(meeting.registrations.filter(status__in=ACTIVE).order_by("created_at", "pk"))
        if cancelled:
            for registration in active:
                registration.meeting = meeting
                email_registration(
                    registration, template="cancelled", ics=True, extra={"join_url": "", "no_checkin": True}
                )
            logger.info("meetings: meeting %s cancelled, %s registrants told", meeting.pk, len(active))
            return meeting
        if old.start != meeting.start:
            # A new time is a new schedule: the reminders are planned again for it.
            Reminder.objects.filter(registration__meeting=meeting).delete()
        if moved and meeting.status == Meeting.Status.PUBLISHED:
            for registration in active:
                registration.meeting = meeting
                email_registration(
                    registration,
                    template="moved",
                    ics=registration.status == Registration.Status.CONFIRMED,
                    extra={"old_start": old.start, "old_end": old.end},
                )
            logger.info("meetings: meeting %s moved, %s registrants told", meeting.pk, len(active))
        if old.capacity is not None and (meeting.capacity is None or meeting.capacity > old.capacity):
            promote_waitlisted(meeting)
    return meeting


def _emit_published(meeting: Meeting) -> None:
    """Tell the followers of the meeting's areas and topics (core.events; read on commit, after the
    admin has saved the areas)."""

    def targets():
        areas = meeting.areas.values_list("pk", flat=True)
        topics = meeting.topics.values_list("pk", flat=True)
        return [("organisations.area", pk) for pk in areas] + [("meetings.topic", pk) for pk in topics]

    emit("meetings.published", obj=meeting, title=meeting.title, url=meeting.get_absolute_url(), targets=targets)


def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    """Change fields of a meeting and notify as ``meeting_save`` does."""
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    return meeting_save(meeting=meeting)


def _mail_in_each_language(*, meeting: Meeting, registrations, template: str, context: dict, kind: str) -> int:
    """Queue one e-mail per recipient, rendered once per language. Returns the number of recipients."""
    recipients = list(registrations.values_list("email", "language"))
    by_language: dict[str, list[str]] = {}
    for email, language in recipients:
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    context = {"meeting": meeting, "meeting_url": f"{site_url()}{meeting.get_absolute_url()}", **context}
    with transaction.atomic():
        for language, emails in by_language.items():
            email_queue(
                to=emails,
                template=template,
                context=context,
                language=language,
                reply_to=meeting.contact_email,
                kind=kind,
            )
    return len(recipients)


def meeting_message_participants(*, meeting: Meeting, subject: str, body: str) -> int:
    """A coordinator's message to every confirmed participant, in each one's language. Returns the count."""
    count = _mail_in_each_language(
        meeting=meeting,
        registrations=meeting.registrations.filter(status=Registration.Status.CONFIRMED),
        template="meetings/message",
        context={"subject": subject, "body": body},
        kind="meetings.message",
    )
    logger.info("meetings: message to %s participants of meeting %s", count, meeting.pk)
    return count


def _attendance_recorded(meeting: Meeting) -> bool:
    """Whether the portal recorded who came: someone joined through their personal link or was checked in."""
    return meeting.registrations.filter(Q(joined_at__isnull=False) | Q(checked_in_at__isnull=False)).exists()


def _documentation_recipients(meeting: Meeting):
    """The registrations the documentation goes to: when the portal recorded who came (personal links,
    check-in), those who joined, checked in or were marked present; else everyone confirmed and not marked
    absent (a coordinator's marks alone leave the unmarked in: they may have come)."""
    confirmed = meeting.registrations.filter(status=Registration.Status.CONFIRMED).exclude(attended=False)
    if _attendance_recorded(meeting):
        return confirmed.filter(Q(attended=True) | Q(joined_at__isnull=False) | Q(checked_in_at__isnull=False))
    return confirmed


def meeting_send_documentation_preview(*, meeting: Meeting) -> Preview:
    """What sending the documentation will do; a meeting without documents or participants is left as it is."""
    documents = len(meeting.documents.all())
    recipients = _documentation_recipients(meeting).count()
    problems = []
    if not documents:
        problems.append(_("The meeting has no documents."))
    if not recipients:
        problems.append(_("The meeting has no confirmed participants who were not marked absent."))
    return Preview(
        obj=meeting,
        effects=[
            (
                _(
                    "The links to the meeting's %(count)s document(s) are sent to every participant who attended "
                    "(joined through their link, checked in or marked present)."
                )
                if _attendance_recorded(meeting)
                else _(
                    "The links to the meeting's %(count)s document(s) are sent to every confirmed participant not "
                    "marked absent."
                )
            )
            % {"count": documents},
        ],
        recipients=recipients,
        irreversible=[_("The e-mails cannot be recalled; sending again mails everyone again.")],
        problems=problems,
    )


def meeting_send_documentation(*, meeting: Meeting) -> int:
    """After the meeting: the links to its documents (minutes, slides, recording) to those who attended
    (``_documentation_recipients``), in each one's language. Returns the count."""
    documents = [
        {"title": d.title, "kind": d.get_kind_display(), "href": f"{site_url()}{d.href}" if d.file else d.href}
        for d in meeting.documents.all()
    ]
    if not documents:
        return 0
    count = _mail_in_each_language(
        meeting=meeting,
        registrations=_documentation_recipients(meeting),
        template="meetings/documentation",
        context={"documents": documents},
        kind="meetings.documentation",
    )
    logger.info("meetings: documentation to %s participants of meeting %s", count, meeting.pk)
    return count


SLUG_ATTEMPTS = 5


def _unique_slug(base: str) -> str:
    """A slug no meeting of the region in force has yet (slugs are unique per region): ``base``, then
    ``base-2``, ``base-3`` …"""
    base = slugify(base)[:180] or "mote"
    taken = set(Meeting.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_with_free_slug(meeting: Meeting, base: str) -> None:
    """Save a new meeting under a free slug. Two copies made at the same moment may both find the same
    slug free: the loser's insert is refused by the unique (region, slug) index inside a savepoint, and
    it takes the next free slug."""
    for attempt in range(SLUG_ATTEMPTS):
        meeting.slug = _unique_slug(base)
        try:
            with transaction.atomic():
                meeting.save()
            return
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1 or not Meeting.objects.filter(slug=meeting.slug).exists():
                raise
            meeting.pk = meeting.id = None
            meeting._state.adding = True


def meeting_copy(*, meeting: Meeting) -> Meeting:
    """A new draft with the same details, topics, areas, programme, speakers, questions at sign-up and
    documents; no registrations (nor answers)."""
    with transaction.atomic():
        copy = Meeting.objects.get(pk=meeting.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.title = _("Copy of %(title)s") % {"title": meeting.title}
        copy.status = Meeting.Status.DRAFT
        copy.sequence = 0
        copy.notified_80_at = copy.notified_full_at = None
        _save_with_free_slug(copy, f"{meeting.slug}-kopia")
        copy.topics.set(meeting.topics.all())
        copy.areas.set(meeting.areas.all())
        for item in meeting.programme_items.prefetch_related("speakers"):
            speakers = list(item.speakers.all())
            new_item = ProgrammeItem.objects.create(
                meeting=copy,
                order=item.order,
                start_time=item.start_time,
                end_time=item.end_time,
                title=item.title,
                title_en=item.title_en,
                description=item.description,
                description_en=item.description_en,
            )
            Speaker.objects.bulk_create(
                [
                    Speaker(
                        programme_item=new_item, order=s.order, name=s.name, title=s.title, organisation=s.organisation
                    )
                    for s in speakers
                ]
            )
        RegistrationQuestion.objects.bulk_create(
            [
                RegistrationQuestion(
                    meeting=copy,
                    order=q.order,
                    kind=q.kind,
                    text=q.text,
                    text_en=q.text_en,
                    required=q.required,
                    choices=q.choices,
                    choices_en=q.choices_en,
                )
                for q in meeting.questions.all()
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


def _speaker_registration(meeting: Meeting, speaker: Speaker) -> Registration:
    """A new registration for a speaker who has none; when the speaker signed up on the form a moment ago
    (the unique index on an address's active registration refuses this one), that registration."""
    email = speaker.email.strip().lower()
    try:
        with transaction.atomic():
            return Registration.objects.create(
                meeting=meeting,
                name=speaker.name,
                email=email,
                organisation_name=speaker.organisation,
                role=speaker.title,
                status=Registration.Status.CONFIRMED,
                language=settings.LANGUAGE_CODE,
            )
    except IntegrityError:
        return meeting.registrations.filter(email__iexact=email).exclude(status=Registration.Status.CANCELLED).get()


def speakers_send_confirmations(*, meeting: Meeting) -> int:
    """Each programme speaker with an e-mail address or a registration, not yet confirmed, gets their own
    confirmation: the practical details, their programme item, their personal join link (digital and
    hybrid) and check-in code (on site), with the calendar file. A speaker without a registration gets
    one (confirmed, outside the places' count of the form). Returns the number of confirmations."""
    from django.utils import timezone

    sent = 0
    with transaction.atomic():
        speakers = (
            Speaker.objects.select_for_update(of=("self",))
            .select_related("programme_item", "registration")
            .filter(programme_item__meeting=meeting, confirmation_sent_at__isnull=True)
            .exclude(email="", registration__isnull=True)
        )
        for speaker in speakers:
            registration = speaker.registration
            if registration is None or registration.status == Registration.Status.CANCELLED:
                registration = (
                    meeting.registrations.filter(email__iexact=speaker.email).exclude(status="cancelled").first()
                )
            if registration is None:
                registration = _speaker_registration(meeting, speaker)
            if registration.status == Registration.Status.WAITLISTED:
                # A speaker has a place whatever the waitlist says.
                registration.status = Registration.Status.CONFIRMED
                registration.save(update_fields=["status", "updated_at"])
            registration.meeting = meeting
            email_registration(
                registration, template="speaker", ics=True, extra={"speaker": speaker, "item": speaker.programme_item}
            )
            speaker.registration = registration
            speaker.confirmation_sent_at = timezone.now()
            speaker.save(update_fields=["registration", "confirmation_sent_at"])
            sent += 1
    logger.info("meetings: %s speaker confirmations for meeting %s", sent, meeting.pk)
    return sent

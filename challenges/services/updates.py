"""Progress notes and decisions, and meetings linked to a challenge: the participants are mailed once about each."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core.events import emit
from core.links import site_url

from ..cache import pages_changed
from ..models import Challenge, Update
from .recipients import mail_context, mail_users, participant_recipients
from .rights import require_coordinator


def update_post(
    *, challenge: Challenge, by, title: str, text: str = "", kind: str = Update.Kind.PROGRESS, date=None
) -> Update:
    """A coordinator posts a dated progress note or decision; every participant is mailed once."""
    require_coordinator(by)
    with transaction.atomic():
        update = Update(
            challenge=challenge,
            title=title.strip(),
            text=(text or "").strip(),
            kind=kind,
            date=date or timezone.localdate(),
            author=by,
        )
        update.full_clean()
        update.save()
        update_notify(update=update)
        pages_changed()
        if challenge.is_public:
            emit(
                "challenges.update",
                obj=update,
                title=f"{challenge.title}: {update.title}",
                url=challenge.get_absolute_url(),
                targets=[("challenges.challenge", challenge.pk)],
            )
    return update


def update_notify(*, update: Update) -> int:
    """Mail the participants about an update, once: a second call mails nobody."""
    with transaction.atomic():
        locked = Update.objects.select_for_update().select_related("challenge").get(pk=update.pk)
        if locked.notified_at is not None:
            return 0
        count = 0
        if locked.challenge.is_public:
            count = mail_users(
                participant_recipients(challenge=locked.challenge),
                template="challenges/update_posted",
                context=mail_context(locked.challenge, update=locked),
                kind="challenges.update",
            )
        locked.notified_at = timezone.now()
        locked.save(update_fields=["notified_at"])
    update.notified_at = locked.notified_at
    return count


def challenge_meetings_link(*, challenge: Challenge, meetings: Iterable, by) -> list:
    """Link meetings to a challenge; participants get one e-mail per newly linked meeting."""
    require_coordinator(by)
    with transaction.atomic():
        already = set(challenge.meetings.values_list("pk", flat=True))
        added = [meeting for meeting in meetings if meeting.pk not in already]
        if added:
            challenge.meetings.add(*added)
            challenge_meetings_notify(challenge=challenge, meetings=added)
            pages_changed()
    return added


def challenge_meetings_notify(*, challenge: Challenge, meetings: Iterable) -> int:
    """Tell the participants about meetings just linked to the challenge (public, non-draft meetings only),
    and the followers of the challenge or the meeting (``core.events``)."""
    from meetings.models import Meeting

    if not challenge.is_public:
        return 0
    recipients = participant_recipients(challenge=challenge)
    count = 0
    for meeting in meetings:
        if meeting.status == Meeting.Status.DRAFT:
            continue
        emit(
            "challenges.meeting_linked",
            obj=meeting,
            title=f"{challenge.title}: {meeting.title}",
            url=meeting.get_absolute_url(),
            targets=[("challenges.challenge", challenge.pk), ("meetings.meeting", meeting.pk)],
        )
        count += mail_users(
            recipients,
            template="challenges/meeting_linked",
            context=mail_context(challenge, meeting=meeting, meeting_url=site_url() + meeting.get_absolute_url()),
            kind="challenges.meeting",
        )
    return count

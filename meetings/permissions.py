"""Who may see what of a meeting: plain predicates for views, services, serializers and admin.

``online_link_visible`` is THE rule for the link to join a digital or hybrid meeting: the person's
registration page, their own calendar file and every e-mail to them (confirmation, moved,
reminder, cancellation) ask it, so the link never shows in one place and hides in another. The
link is a door into the meeting room, shared with confirmed participants only, only while the
meeting still takes place: not on the waitlist, not after cancelling, not once the meeting is
cancelled or over. Public pages, feeds and the API never carry it.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .models import Meeting, Registration


def meeting_shares_online_link(meeting: Meeting, now: datetime | None = None) -> bool:
    """The meeting has a link to give its confirmed participants: published (not cancelled), with an
    online part and a link, and not yet over."""
    now = now or timezone.now()
    return (
        meeting.status == Meeting.Status.PUBLISHED
        and meeting.has_online_part
        and bool(meeting.online_link)
        and now <= meeting.end
    )


def online_link_visible(registration: Registration, now: datetime | None = None) -> bool:
    """Whether this registrant is shown the online link (on their page, in their .ics and e-mails)."""
    return registration.status == Registration.Status.CONFIRMED and meeting_shares_online_link(
        registration.meeting, now
    )

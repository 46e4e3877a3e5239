"""Who may see what of a meeting: plain predicates for views, services, serializers and admin.

``online_link_visible`` is THE rule for the way into a digital or hybrid meeting: the person's
registration page, their own calendar file and every e-mail to them (confirmation, moved,
reminder, cancellation) ask it, so the way in never shows in one place and hides in another. It is
shared with confirmed participants only, only while the meeting still takes place: not on the
waitlist, not after cancelling, not once the meeting is cancelled or over. What they get is their
personal join link (``Registration.get_join_url``), never the meeting's own link, which only the
join view hands out, in the window around the meeting (``join_window``), recording attendance. Public
pages, feeds and the API never carry either.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from .models import Meeting, Registration


def meeting_shares_online_link(meeting: Meeting, now: datetime | None = None) -> bool:
    """The meeting gives its confirmed participants a way in: published (not cancelled), with an online
    part, and not yet over. The personal join link goes out even before the organiser has the meeting
    room's link: it opens whatever link the meeting has in the window (a page says so while it has none)."""
    now = now or timezone.now()
    return meeting.status == Meeting.Status.PUBLISHED and meeting.has_online_part and now <= meeting.end


def online_link_visible(registration: Registration, now: datetime | None = None) -> bool:
    """Whether this registrant is shown the online link (on their page, in their .ics and e-mails)."""
    return registration.status == Registration.Status.CONFIRMED and meeting_shares_online_link(
        registration.meeting, now
    )


JOIN_OPENS_BEFORE = timedelta(minutes=30)


def join_window(meeting: Meeting) -> tuple[datetime, datetime]:
    """When a personal join link opens the meeting link: from 30 minutes before the start to the end."""
    return meeting.start - JOIN_OPENS_BEFORE, meeting.end

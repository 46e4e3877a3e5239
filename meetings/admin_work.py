"""Meetings in the next fortnight, with their fill level, on the admin's start page (core/registry.py)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.registry import WorkItem, WorkRow

from .models import Meeting

DAYS_AHEAD = 14


def items(request):
    if not request.user.has_perm("meetings.view_meeting"):
        return []
    now = timezone.now()
    until = now + timedelta(days=DAYS_AHEAD)
    meetings = list(
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(end__gte=now, start__lte=until)
        .with_counts()
        .order_by("start")
    )
    rows = []
    for meeting in meetings:
        note = date_format(timezone.localtime(meeting.start), "j F H:i")
        if meeting.status == Meeting.Status.DRAFT:
            note += " · " + _("draft")
        if meeting.waitlisted_count:
            note += " · " + ngettext("%(n)d on the waitlist", "%(n)d on the waitlist", meeting.waitlisted_count) % {
                "n": meeting.waitlisted_count
            }
        rows.append(
            WorkRow(
                label=meeting.title,
                url=reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                note=note,
                value=meeting.confirmed_count,
                maximum=meeting.capacity,
            )
        )
    # The list filtered the way the admin's own date filter does it: from today's midnight, local time.
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    query = urlencode(
        {"start__gte": today.isoformat(), "start__lt": (today + timedelta(days=DAYS_AHEAD + 1)).isoformat()}
    )
    return [
        WorkItem(
            _("Meetings in the next 14 days"),
            len(meetings),
            f"{reverse('admin:meetings_meeting_changelist')}?{query}",
            rows=tuple(rows),
            kind="info",
        )
    ]

"""iCalendar (.ics) for one meeting and for the feed of all published meetings.

The meeting's own online link never goes into a calendar file. A confirmed participant's own file (their
e-mails and manage page) carries their personal join link (``join_url``) instead, which opens the
meeting link in the window and records that they came.
"""

from datetime import UTC
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from core.links import region_name, site_url
from core.translated import translated

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# Sweden's rules since 1996 (EU summer time), as calendar programs write them. Generating the
# zone from the tz database on every file took tens of milliseconds; this is parsed once.
_VTIMEZONE = Timezone.from_ical(
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Stockholm\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def _domain() -> str:
    return site_url().split("//")[-1].split("/")[0].split(":")[0] or "samverkan.local"


def meeting_uid(meeting) -> str:
    """Stable per meeting, so a calendar updates the event when the meeting moves."""
    return f"meeting-{meeting.pk}@{_domain()}"


def _location(meeting) -> str:
    if meeting.has_venue:
        return ", ".join(p for p in (meeting.venue_name, meeting.venue_address) if p)
    return _("Digital meeting")


def _event(meeting, *, join_url: str = "", cancelled: bool = False, organizer: bool = True) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.start, STOCKHOLM))
    event.add("dtend", timezone.localtime(meeting.end, STOCKHOLM))
    event.add("summary", str(translated(meeting, "title")))
    url = f"{site_url()}{meeting.get_absolute_url()}"
    description = "\n\n".join(p for p in (str(translated(meeting, "summary")), url) if p)
    if join_url and meeting.has_online_part:
        description += "\n\n" + _("Join online: %(link)s") % {"link": join_url}
    event.add("description", description)
    event.add("location", _location(meeting))
    event.add("url", url)
    event.add("sequence", meeting.sequence)
    is_cancelled = cancelled or meeting.status == meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    if organizer and meeting.contact_email:
        event.add(
            "organizer",
            f"mailto:{meeting.contact_email}",
            parameters={"cn": meeting.contact_name or meeting.organiser or region_name()},
        )
    return event


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Samverkansportalen//meetings//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_VTIMEZONE)
    return cal


def meeting_ics(meeting, *, join_url: str = "", method: str = "PUBLISH") -> bytes:
    """One meeting as an .ics file (METHOD:PUBLISH, or CANCEL for a cancelled meeting)."""
    if meeting.status == meeting.Status.CANCELLED:
        method = "CANCEL"
    cal = _calendar(method)
    cal.add("x-wr-calname", str(translated(meeting, "title")))
    cal.add_component(_event(meeting, join_url=join_url))
    return cal.to_ical()


def meetings_feed_ics(meetings) -> bytes:
    """A subscribable feed of the given meetings; never with online links, and without the contact
    person: one meeting's page and its .ics name them to a visitor, a feed of every meeting would hand
    every contact's name and address to a bulk harvest (as the API leaves them out)."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", _("Meetings – %(region)s") % {"region": region_name()})
    cal.add("x-wr-timezone", "Europe/Stockholm")
    for meeting in meetings:
        cal.add_component(_event(meeting, organizer=False))
    return cal.to_ical()


# "Add to Google Calendar / Outlook": plain links to the services' own forms, filled in from the same
# data as the .ics (no online link, which is personal to confirmed participants). Times are UTC.
GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"


def _details(meeting) -> str:
    return "\n\n".join(p for p in (meeting.summary, f"{site_url()}{meeting.get_absolute_url()}") if p)


def google_calendar_url(meeting) -> str:
    """Google Calendar's new-event form for the meeting (``dates`` as ``YYYYMMDDTHHMMSSZ/…``, UTC)."""
    start, end = (timezone.localtime(moment, UTC).strftime("%Y%m%dT%H%M%SZ") for moment in (meeting.start, meeting.end))
    query = {
        "action": "TEMPLATE",
        "text": meeting.title,
        "dates": f"{start}/{end}",
        "details": _details(meeting),
        "location": _location(meeting),
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(query, quote_via=quote)}"


def outlook_calendar_url(meeting) -> str:
    """Outlook's new-event form for the meeting (ISO 8601 times in UTC)."""
    start, end = (
        timezone.localtime(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for moment in (meeting.start, meeting.end)
    )
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": meeting.title,
        "startdt": start,
        "enddt": end,
        "body": _details(meeting),
        "location": _location(meeting),
    }
    return f"{OUTLOOK_CALENDAR}?{urlencode(query, quote_via=quote)}"

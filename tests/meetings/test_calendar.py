from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from meetings.calendar import meeting_ics, meeting_uid
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _may_meeting(**kwargs):
    return MeetingFactory(
        digital=True,
        start=datetime(2022, 5, 4, 9, 0, tzinfo=STOCKHOLM),
        end=datetime(2022, 5, 4, 12, 0, tzinfo=STOCKHOLM),
        **kwargs,
    )


def test_meeting_ics_parses_with_stockholm_start_and_stable_uid(client):
    meeting = _may_meeting()
    response = client.get(f"/moten/{meeting.slug}/kalender.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH"
    event = cal.walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start == datetime(2022, 5, 4, 9, 0, tzinfo=STOCKHOLM)
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert str(event["UID"]) == meeting_uid(meeting)
    assert cal.walk("VTIMEZONE")
    assert str(event["SUMMARY"]) == meeting.title


def test_uid_stays_when_meeting_moves():
    meeting = _may_meeting()
    first = Calendar.from_ical(meeting_ics(meeting)).walk("VEVENT")[0]["UID"]
    meeting.start = meeting.start.replace(day=5)
    meeting.end = meeting.end.replace(day=5)
    second = Calendar.from_ical(meeting_ics(meeting)).walk("VEVENT")[0]["UID"]
    assert first == second


def test_feed_lists_published_meetings_only(client):
    published = MeetingFactory(title="Publicerat möte")
    MeetingFactory(status="draft", title="Utkast")
    response = client.get("/moten/kalender.ics")
    cal = Calendar.from_ical(response.content)
    titles = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert titles == [published.title]


def test_cancelled_meeting_ics_says_cancelled():
    meeting = _may_meeting(status="cancelled")
    cal = Calendar.from_ical(meeting_ics(meeting))
    assert cal["METHOD"] == "CANCEL"
    assert cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"


def test_feed_leaves_out_meetings_older_than_a_year(client):
    recent = MeetingFactory(past=True, title="Förra månadens möte")
    _may_meeting(title="Mötet 2022")
    cal = Calendar.from_ical(client.get("/moten/kalender.ics").content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [recent.title]


def test_the_feed_of_every_meeting_does_not_hand_out_the_contact_persons(client):
    meeting = MeetingFactory(contact_name="Anna Andersson", contact_email="anna.andersson@example.se")
    feed = client.get("/moten/kalender.ics").content.decode()
    assert meeting.title in feed
    assert "Anna Andersson" not in feed and "anna.andersson@example.se" not in feed
    # One meeting's file names its contact, as its page does.
    single = Calendar.from_ical(client.get(f"/moten/{meeting.slug}/kalender.ics").content).walk("VEVENT")[0]
    assert str(single["ORGANIZER"]) == "mailto:anna.andersson@example.se"

"""'Add to Google Calendar / Outlook' beside the .ics on a meeting's page (issue 26)."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.html import escape

from meetings.calendar import google_calendar_url, outlook_calendar_url
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

# 14:00–16:30 in Stockholm in summer (CEST, +02:00) is 12:00–14:30 UTC.
START = dt.datetime(2030, 6, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def meeting():
    return MeetingFactory(
        title="Dialog & samverkan: Ukraina #2",
        slug="dialog-ukraina",
        summary="Om stöd till flyktingar – 100 % öppet",
        start=START,
        end=START + dt.timedelta(hours=2, minutes=30),
        venue_name="Folkets hus",
        venue_address="Storgatan 1, Härnösand",
    )


def _query(url):
    parts = urlsplit(url)
    return parts, {name: values[0] for name, values in parse_qs(parts.query, strict_parsing=True).items()}


def test_google_link_has_the_title_and_utc_times(meeting):
    parts, query = _query(google_calendar_url(meeting))
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "calendar.google.com", "/calendar/render")
    assert query["action"] == "TEMPLATE"
    assert query["text"] == "Dialog & samverkan: Ukraina #2"
    assert query["dates"] == "20300603T120000Z/20300603T143000Z"
    assert query["location"] == "Folkets hus, Storgatan 1, Härnösand"
    assert query["details"].startswith("Om stöd till flyktingar – 100 % öppet\n\nhttp")
    assert query["details"].endswith("/moten/dialog-ukraina/")


def test_outlook_link_has_the_title_and_utc_times(meeting):
    parts, query = _query(outlook_calendar_url(meeting))
    assert (parts.netloc, parts.path) == ("outlook.live.com", "/calendar/0/deeplink/compose")
    assert query["subject"] == "Dialog & samverkan: Ukraina #2"
    assert query["startdt"] == "2030-06-03T12:00:00Z"
    assert query["enddt"] == "2030-06-03T14:30:00Z"
    assert query["location"] == "Folkets hus, Storgatan 1, Härnösand"
    assert "Om stöd till flyktingar" in query["body"]


def test_the_title_cannot_break_out_of_its_parameter(meeting):
    url = google_calendar_url(meeting)
    assert "&" not in url.split("text=")[1].split("&dates=")[0]
    assert "#" not in url and " " not in url


def test_winter_times_are_utc_too():
    winter = MeetingFactory(
        start=dt.datetime(2030, 1, 15, 17, 0, tzinfo=dt.UTC), end=dt.datetime(2030, 1, 15, 19, 0, tzinfo=dt.UTC)
    )
    assert _query(google_calendar_url(winter))[1]["dates"] == "20300115T170000Z/20300115T190000Z"


def test_meeting_page_offers_the_links_beside_the_ics(client, meeting):
    content = client.get(meeting.get_absolute_url()).content.decode()
    ics = content.index("Lägg till i din kalender (.ics)")
    google = content.index("Lägg till i Google Kalender")
    outlook = content.index("Lägg till i Outlook")
    assert ics < google < outlook
    assert f'href="{escape(google_calendar_url(meeting))}"' in content
    assert f'href="{escape(outlook_calendar_url(meeting))}"' in content


def test_a_digital_meeting_says_so_and_never_carries_its_online_link(client):
    from meetings.models import Meeting

    online = MeetingFactory(
        format=Meeting.Format.DIGITAL, venue_name="", venue_address="", online_link="https://meet.example.se/hemlig"
    )
    _parts, query = _query(google_calendar_url(online))
    assert query["location"] == "Digitalt möte"
    assert "hemlig" not in google_calendar_url(online) and "hemlig" not in outlook_calendar_url(online)


def test_english_page_labels(client, meeting):
    client.cookies["django_language"] = "en"
    content = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add to Google Calendar" in content and "Add to Outlook" in content

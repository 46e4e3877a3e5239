"""The online link of a digital meeting reaches confirmed participants only."""

import pytest
from django.core import mail

from meetings import services
from meetings.tokens import manage_url
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.se/hemlig-rum-4711"


@pytest.fixture
def meeting():
    return MeetingFactory(digital=True, online_link=LINK, capacity=1)


def test_public_pages_feed_and_ics_never_show_the_link(client, meeting):
    RegistrationFactory(meeting=meeting)
    for path in (
        "/",
        "/moten/",
        f"/moten/{meeting.slug}/",
        f"/moten/{meeting.slug}/anmalan/",
        f"/moten/{meeting.slug}/kalender.ics",
        "/moten/kalender.ics",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert LINK not in response.content.decode(), path


def test_response_after_registering_does_not_show_the_link(client, meeting):
    response = client.post(
        f"/moten/{meeting.slug}/anmalan/",
        {"name": "Anna", "email": "anna@example.se", "consent": "on"},
        follow=True,
    )
    assert "Tack för din anmälan" in response.content.decode()
    assert LINK not in response.content.decode()


def test_confirmed_person_gets_link_in_email_ics_and_manage_page(client, meeting, run_on_commit):
    with run_on_commit():
        result = services.registration_create(meeting=meeting, name="Anna", email="anna@example.se", consent=True)
    message = mail.outbox[-1]
    assert LINK in message.body and LINK in message.alternatives[0][0]
    ics = message.attachments[0][1]
    assert LINK in (ics.decode() if isinstance(ics, bytes) else ics).replace("\r\n ", "")
    path = manage_url(result.registration, absolute=False)
    assert LINK in client.get(path).content.decode()


def test_waitlisted_person_never_gets_the_link(client, meeting, run_on_commit):
    RegistrationFactory(meeting=meeting)
    with run_on_commit():
        result = services.registration_create(meeting=meeting, name="Bo", email="bo@example.se", consent=True)
    assert result.registration.status == "waitlisted"
    message = mail.outbox[-1]
    assert LINK not in message.body and LINK not in message.alternatives[0][0]
    path = manage_url(result.registration, absolute=False)
    assert LINK not in client.get(path).content.decode()
    assert LINK not in client.get(path + "kalender.ics").content.decode()


def test_cancelled_person_no_longer_sees_the_link(client, meeting):
    registration = RegistrationFactory(meeting=meeting, status="cancelled")
    response = client.get(manage_url(registration, absolute=False))
    assert response.status_code == 200
    content = response.content.decode()
    assert meeting.title in content and "Avbokad" in content  # their own page, showing the cancellation
    assert LINK not in content

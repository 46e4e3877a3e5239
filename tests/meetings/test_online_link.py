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


def test_confirmed_person_gets_their_personal_link_in_email_ics_and_manage_page(client, meeting, run_on_commit):
    """Issue 24: the personal join link, never the meeting's own link, in the e-mail, the .ics and the page."""
    with run_on_commit():
        result = services.registration_create(meeting=meeting, name="Anna", email="anna@example.se", consent=True)
    personal = result.registration.get_join_url()
    message = mail.outbox[-1]
    assert personal in message.body and personal in message.alternatives[0][0]
    assert LINK not in message.body and LINK not in message.alternatives[0][0]
    ics = _unfolded(message.attachments[0][1])
    assert personal in ics and LINK not in ics
    path = manage_url(result.registration, absolute=False)
    page = client.get(path).content.decode()
    assert personal in page and LINK not in page
    own_ics = _unfolded(client.get(path + "kalender.ics").content)
    assert personal in own_ics and LINK not in own_ics


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


# One rule (meetings.permissions.online_link_visible) for the page, the .ics and the e-mails. Before
# it, the registration page hid the link once the meeting was over, while the person's .ics kept it;
# and neither the page nor the .ics (nor the cancellation e-mail's .ics) hid it for a cancelled meeting.


def _unfolded(content) -> str:
    return (content.decode() if isinstance(content, bytes) else content).replace("\r\n ", "")


def test_cancelled_meeting_shows_the_link_nowhere(client, meeting):
    registration = RegistrationFactory(meeting=meeting, status="confirmed")
    type(meeting).objects.filter(pk=meeting.pk).update(status="cancelled")
    path = manage_url(registration, absolute=False)
    assert LINK not in client.get(path).content.decode()
    assert LINK not in _unfolded(client.get(path + "kalender.ics").content)


def test_cancellation_email_and_its_calendar_file_carry_no_link(meeting, run_on_commit):
    RegistrationFactory(meeting=meeting, status="confirmed")
    meeting.status = "cancelled"
    with run_on_commit():
        services.meeting_save(meeting=meeting)
    message = mail.outbox[-1]
    assert LINK not in message.body
    assert message.attachments, "the cancellation carries the calendar file that removes the event"
    assert LINK not in _unfolded(message.attachments[0][1])


def test_calendar_file_of_a_meeting_that_is_over_has_no_link(client):
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() - dt.timedelta(days=2)
    over = MeetingFactory(digital=True, online_link=LINK, start=start, end=start + dt.timedelta(hours=2))
    registration = RegistrationFactory(meeting=over, status="confirmed")
    path = manage_url(registration, absolute=False)
    assert LINK not in client.get(path).content.decode()
    assert LINK not in _unfolded(client.get(path + "kalender.ics").content)


def test_link_is_shown_until_the_meeting_ends():
    import datetime as dt

    from meetings.permissions import online_link_visible

    meeting = MeetingFactory(digital=True, online_link=LINK)
    registration = RegistrationFactory(meeting=meeting, status="confirmed")
    assert online_link_visible(registration, now=meeting.start)
    assert online_link_visible(registration, now=meeting.end)
    assert not online_link_visible(registration, now=meeting.end + dt.timedelta(seconds=1))

"""The personal join link (issue 24): ``/moten/<slug>/delta/<token>/`` opens the meeting link in the
window and records attendance once; before it a waiting page, after it the documentation; any other
token a clear page with nothing recorded and no link. The raw link is in no e-mail and no .ics."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Registration
from tests.factories import MeetingDocumentFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.se/hemlig-rum-4711"


def _meeting(starts_in: timedelta, **kwargs) -> Meeting:
    start = (timezone.now() + starts_in).replace(microsecond=0)
    kwargs.setdefault("digital", True)
    return MeetingFactory(start=start, end=start + timedelta(hours=2), online_link=LINK, **kwargs)


def _unfolded(content) -> str:
    return (content.decode() if isinstance(content, bytes) else content).replace("\r\n ", "")


def test_before_the_window_a_waiting_page_with_the_time_and_a_calendar_file(client):
    meeting = _meeting(timedelta(hours=2))
    registration = RegistrationFactory(meeting=meeting)
    response = client.get(registration.get_join_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "har inte öppnat" in content and LINK not in content
    assert f"/moten/{meeting.slug}/delta/{registration.join_token}/kalender.ics" in content
    ics = client.get(f"/moten/{meeting.slug}/delta/{registration.join_token}/kalender.ics")
    assert ics.status_code == 200
    text = _unfolded(ics.content)
    assert registration.join_token in text and LINK not in text
    registration.refresh_from_db()
    assert registration.joined_at is None and registration.attended is None


def test_in_the_window_the_button_opens_the_room_and_records_the_first_join_once(client):
    from django.test import Client

    meeting = _meeting(timedelta(minutes=20))  # the window opens 30 minutes before the start
    registration = RegistrationFactory(meeting=meeting)
    # A mail provider's link scanner opens the link (a GET): a page with the button, nothing recorded.
    page = client.get(registration.get_join_url())
    content = page.content.decode()
    assert page.status_code == 200 and "Anslut till mötet" in content and LINK not in content
    registration.refresh_from_db()
    assert registration.joined_at is None and registration.attended is None
    # The button (a POST, no form token needed: the personal token is the proof).
    first = Client(enforce_csrf_checks=True).post(registration.get_join_url())
    assert first.status_code == 303 and first["Location"] == LINK
    assert first["Referrer-Policy"] == "no-referrer"
    registration.refresh_from_db()
    joined = registration.joined_at
    assert joined is not None and registration.attended is True
    # Another click, another device: the link still opens, the attendance is the first one.
    again = Client(HTTP_USER_AGENT="phone").post(registration.get_join_url())
    assert again.status_code == 303
    registration.refresh_from_db()
    assert registration.joined_at == joined


def test_the_service_records_one_attendance_however_many_calls():
    meeting = _meeting(timedelta(minutes=-10))
    registration = RegistrationFactory(meeting=meeting)
    results = [services.registration_record_join(registration=registration) for _ in range(3)]
    assert results == [True, False, False]


def test_after_the_end_the_documentation_or_a_page_saying_it_will_come(client):
    meeting = _meeting(timedelta(hours=-5))
    registration = RegistrationFactory(meeting=meeting)
    content = client.get(registration.get_join_url()).content.decode()
    assert "Dokumentationen kommer" in content and LINK not in content
    MeetingDocumentFactory(meeting=meeting, title="Minnesanteckningar", url="https://example.se/minnen.pdf")
    content = client.get(registration.get_join_url()).content.decode()
    assert "Minnesanteckningar" in content and LINK not in content
    registration.refresh_from_db()
    assert registration.joined_at is None


@pytest.mark.parametrize(
    "case,status,text",
    [
        ("forged", 404, "inte giltig"),
        ("other_meeting", 404, "inte giltig"),
        ("cancelled", 403, "avbokad"),
        ("waitlisted", 403, "reservlistan"),
        ("nul", 404, "inte giltig"),
        ("meeting_cancelled", 403, "inställt"),
    ],
)
def test_refused_tokens_get_a_clear_page_no_attendance_no_link(client, case, status, text):
    meeting = _meeting(timedelta(minutes=5))
    registration = RegistrationFactory(meeting=meeting)
    token, slug = registration.join_token, meeting.slug
    if case == "forged":
        token = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    elif case == "other_meeting":
        slug = _meeting(timedelta(minutes=5)).slug
    elif case in ("cancelled", "waitlisted"):
        Registration.objects.filter(pk=registration.pk).update(status=case)
    elif case == "nul":
        token = token[:10] + "%00" + token[10:]
    elif case == "meeting_cancelled":
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    for response in (client.get(f"/moten/{slug}/delta/{token}/"), client.post(f"/moten/{slug}/delta/{token}/")):
        content = response.content.decode()
        assert response.status_code == status
        assert text in content.lower() and LINK not in content
    registration.refresh_from_db()
    assert registration.joined_at is None and registration.attended is None
    assert client.get(f"/moten/{slug}/delta/{token}/kalender.ics").status_code == 404


def test_the_join_link_of_a_draft_meeting_opens_nothing(client):
    meeting = _meeting(timedelta(minutes=5), status=Meeting.Status.DRAFT)
    registration = RegistrationFactory(meeting=meeting)
    response = client.get(registration.get_join_url())
    assert response.status_code == 404 and LINK not in response.content.decode()


def test_english_waiting_page(client):
    meeting = _meeting(timedelta(days=1))
    registration = RegistrationFactory(meeting=meeting)
    client.cookies["django_language"] = "en"
    content = client.get(registration.get_join_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has not opened yet" in content


def test_tokens_are_unique_and_unguessable():
    meeting = _meeting(timedelta(days=1))
    tokens = {RegistrationFactory(meeting=meeting).join_token for _ in range(20)}
    assert len(tokens) == 20 and all(len(token) >= 32 for token in tokens)


# The probe of every e-mail to a registrant: the meeting's own link is in none of them, nor in any
# attachment; the confirmed ones carry the personal link instead.


def _everything_sent() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, *(content for content, _ in message.alternatives)]
        parts += [_unfolded(content) for _, content, _ in message.attachments]
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", [Meeting.Format.DIGITAL, Meeting.Format.HYBRID])
def test_no_email_or_calendar_file_to_a_registrant_carries_the_raw_link(fmt, register, run_on_commit):
    start = timezone.now() + timedelta(minutes=50)
    meeting = MeetingFactory(
        format=fmt, online_link=LINK, capacity=1, start=start, end=start + timedelta(hours=2), venue_name="Teatern"
    )
    attendance = {"attendance": "online"} if fmt == Meeting.Format.HYBRID else {}
    with run_on_commit():
        anna = register(meeting, "anna@example.se", **attendance).registration  # confirmation
        bo = register(meeting, "bo@example.se", **attendance).registration  # waitlisted
        register(meeting, "anna@example.se", **attendance)  # already registered
        Registration.objects.filter(pk=anna.pk).update(created_at=timezone.now() - timedelta(days=3))
        services.reminders_plan()  # both reminders
        services.registration_cancel(registration=anna)  # receipt, and Bo promoted
        services.meeting_update(meeting=meeting, venue_name="Nya teatern", start=start + timedelta(minutes=5))
        services.meeting_message_participants(meeting=meeting, subject="Hej", body="Välkomna")
        meeting.refresh_from_db()
        meeting.status = Meeting.Status.CANCELLED
        services.meeting_save(meeting=meeting)
    kinds = {message.subject for message in mail.outbox}
    assert len(kinds) >= 7, kinds
    sent = _everything_sent()
    assert LINK not in sent and "hemlig-rum" not in sent
    assert anna.get_join_url() in sent and bo.get_join_url() in sent

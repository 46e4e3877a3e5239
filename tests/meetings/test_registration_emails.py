"""The sign-up e-mail is rendered from the stored registration and commits with it."""

import re
from unittest import mock

import pytest

from meetings.models import Registration
from meetings.services import registrations
from meetings.tokens import registration_from_token
from outbox.models import OutgoingEmail
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _rows(email):
    return list(OutgoingEmail.objects.filter(to=email))


def test_confirmation_has_the_manage_link_and_attachment(register):
    meeting = MeetingFactory(capacity=5)
    registration = register(meeting, "anna@example.se", name="Anna <Andersson>").registration
    [row] = _rows("anna@example.se")
    assert row.kind == "meetings.confirmation"
    assert row.reply_to == meeting.contact_email
    assert row.attachments and row.attachments[0]["filename"] == f"{meeting.slug}.ics"
    token = re.search(r"/moten/anmalan/([^/\s\"]+)/", row.body_text).group(1)
    assert registration_from_token(token) == registration
    assert f"/moten/anmalan/{token}/" in row.body_html
    assert "Anna &lt;Andersson&gt;" in row.body_html
    assert "Anna <Andersson>" in row.body_text


def test_waitlist_notice_has_the_position(register):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "first@example.se")
    register(meeting, "second@example.se", language="en")
    register(meeting, "third@example.se", language="en")
    [row] = _rows("third@example.se")
    assert row.kind == "meetings.waitlisted"
    assert "waitlist as number 2." in row.body_text
    assert "waitlist as number 2." in row.body_html


def test_a_meeting_that_fills_up_after_the_page_was_loaded_waitlists_with_the_right_notice(register):
    meeting = MeetingFactory(capacity=1)
    seen_by_the_form = registrations.Meeting.objects.get(pk=meeting.pk)  # loaded while a place was free
    register(meeting, "first@example.se")

    registration = register(seen_by_the_form, "late@example.se", language="en").registration

    assert registration.status == Registration.Status.WAITLISTED
    [row] = _rows("late@example.se")
    assert row.kind == "meetings.waitlisted"
    assert "waitlist as number 1." in row.body_text
    assert not row.attachments


def test_the_confirmation_shows_the_meeting_as_it_is_when_the_place_is_taken(register):
    meeting = MeetingFactory(capacity=5, title="Old title")
    seen_by_the_form = registrations.Meeting.objects.get(pk=meeting.pk)
    registrations.Meeting.objects.filter(pk=meeting.pk).update(title="New title")

    register(seen_by_the_form, "anna@example.se")

    [row] = _rows("anna@example.se")
    assert "New title" in row.subject and "Old title" not in row.body_text


def test_no_registration_without_its_confirmation_row(register):
    meeting = MeetingFactory(capacity=5)
    with mock.patch.object(registrations, "email_registration", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            register(meeting, "anna@example.se")
    assert not Registration.objects.filter(email="anna@example.se").exists()
    assert not _rows("anna@example.se")


def test_unlimited_meeting_takes_no_lock(register):
    meeting = MeetingFactory(capacity=None)
    with mock.patch.object(registrations.Meeting.objects, "select_for_update") as lock:
        result = register(meeting, "anna@example.se")
    lock.assert_not_called()
    assert result.registration.status == Registration.Status.CONFIRMED
    assert [row.kind for row in _rows("anna@example.se")] == ["meetings.confirmation"]


def _ics(row) -> str:
    import base64

    return base64.b64decode(row.attachments[0]["content"]).decode()


def test_every_confirmation_carries_the_calendar_file_of_the_meeting_as_it_is_then(register, run_on_commit):
    meeting = MeetingFactory(capacity=None, title="Dialogmöte om kollektivtrafik")
    register(meeting, "first@example.se")
    meeting.title = "Dialogmöte om länstrafiken"
    with run_on_commit():  # an admin edit: the meetings' version moves on at commit
        meeting.save()
    register(meeting, "second@example.se")
    [first], [second] = _rows("first@example.se"), _rows("second@example.se")
    assert "SUMMARY:Dialogmöte om kollektivtrafik" in _ics(first)
    assert "SUMMARY:Dialogmöte om länstrafiken" in _ics(second)

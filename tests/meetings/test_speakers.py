"""Speakers linked to an e-mail address or a registration get their own confirmation (issue 24)."""

import pytest
from django.core import mail

from meetings import services
from meetings.models import Meeting
from tests.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.se/hemlig-rum-4711"


def test_a_speaker_by_email_gets_a_registration_and_a_confirmation_with_the_personal_link(run_on_commit):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, online_link=LINK, capacity=1)
    RegistrationFactory(meeting=meeting)  # the places are taken: a speaker still has one
    item = ProgrammeItemFactory(meeting=meeting, title="Goda exempel från 2015")
    speaker = SpeakerFactory(programme_item=item, name="Linda Strid", email="Linda@Example.se")
    SpeakerFactory(programme_item=item, name="Utan adress")
    with run_on_commit():
        assert services.speakers_send_confirmations(meeting=meeting) == 1
        assert services.speakers_send_confirmations(meeting=meeting) == 0  # once each
    speaker.refresh_from_db()
    registration = speaker.registration
    assert registration.email == "linda@example.se" and registration.status == "confirmed"
    (message,) = mail.outbox
    assert message.to == ["linda@example.se"] and "Goda exempel från 2015" in message.body
    assert registration.get_join_url() in message.body and LINK not in message.body
    assert registration.checkin_code_display in message.body
    ics = message.attachments[0][1]
    assert LINK not in (ics.decode() if isinstance(ics, bytes) else ics).replace("\r\n ", "")


def test_a_speaker_linked_to_a_registration_uses_it(run_on_commit):
    meeting = MeetingFactory(digital=True, online_link=LINK)
    registration = RegistrationFactory(meeting=meeting, email="bo@example.se", name="Bo Berg")
    speaker = SpeakerFactory(programme_item=ProgrammeItemFactory(meeting=meeting), registration=registration)
    with run_on_commit():
        assert services.speakers_send_confirmations(meeting=meeting) == 1
    speaker.refresh_from_db()
    assert speaker.registration == registration and meeting.registrations.count() == 1
    assert mail.outbox[0].to == ["bo@example.se"] and registration.get_join_url() in mail.outbox[0].body


def test_a_speaker_given_the_persons_address_is_in_their_data_and_unlinked_when_the_account_goes():
    from accounts.selectors import user_data_export
    from accounts.services import user_delete
    from tests.factories import UserFactory

    person = UserFactory(email="linda@example.se")
    item = ProgrammeItemFactory(meeting=MeetingFactory())
    speaker = SpeakerFactory(programme_item=item, name="Linda Strid", email="Linda@Example.se")
    other = SpeakerFactory(programme_item=item, name="Bo Berg", email="bo@example.se")
    assert [row["name"] for row in user_data_export(user=person)["meetings.Speaker"]] == ["Linda Strid"]
    user_delete(user=person)
    speaker.refresh_from_db()
    other.refresh_from_db()
    assert (speaker.email, speaker.registration, speaker.name) == ("", None, "Linda Strid")
    assert other.email == "bo@example.se"


def test_a_speaker_who_signs_up_on_the_form_at_the_same_moment_keeps_that_registration(run_on_commit):
    """The form's sign-up commits between the look-up and the speaker's new registration: the unique index
    on an address's active registration refuses the second, and the speaker's confirmation uses the first."""
    from django.db import connection

    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    speaker = SpeakerFactory(programme_item=ProgrammeItemFactory(meeting=meeting), email="linda@example.se")
    signed_up = []

    def form_sign_up_first(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        looked_up = sql.startswith("SELECT") and "linda@example.se" in [str(p).lower() for p in params or ()]
        if looked_up and not signed_up:  # the look-up found no registration of the address; now there is one
            signed_up.append(None)  # its own statements pass here too
            signed_up[0] = RegistrationFactory(meeting=meeting, email="linda@example.se", status="waitlisted")
        return result

    with run_on_commit(), connection.execute_wrapper(form_sign_up_first):
        assert services.speakers_send_confirmations(meeting=meeting) == 1
    speaker.refresh_from_db()
    assert signed_up and speaker.registration == signed_up[0]
    assert speaker.registration.status == "confirmed"  # a speaker has a place whatever the waitlist says
    assert meeting.registrations.filter(email="linda@example.se").count() == 1
    assert [m.to for m in mail.outbox] == [["linda@example.se"]]

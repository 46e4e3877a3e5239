from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_registration_is_confirmed_while_places_are_left(register):
    meeting = MeetingFactory(capacity=2)
    result = register(meeting, "anna@example.se")
    assert result.created
    assert result.registration.status == Registration.Status.CONFIRMED
    assert result.registration.privacy_policy_version
    assert result.registration.consent_at is not None


def test_full_meeting_puts_people_on_the_waitlist_in_order(register):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "first@example.se")
    second = register(meeting, "second@example.se").registration
    third = register(meeting, "third@example.se").registration
    assert second.status == third.status == Registration.Status.WAITLISTED
    waiting = list(meeting.registrations.filter(status="waitlisted").order_by("created_at", "pk"))
    assert waiting == [second, third]


def test_full_meeting_without_waitlist_refuses(register):
    meeting = MeetingFactory(capacity=1, waitlist_enabled=False)
    register(meeting, "first@example.se")
    with pytest.raises(ValidationError):
        register(meeting, "second@example.se")
    assert meeting.registrations.count() == 1


def test_unlimited_capacity_confirms_everyone(register):
    meeting = MeetingFactory(capacity=None)
    for n in range(5):
        register(meeting, f"p{n}@example.se")
    assert meeting.registrations.filter(status="confirmed").count() == 5


@pytest.mark.parametrize("capacity", [30, None], ids=["limited", "unlimited"])
def test_second_attempt_with_same_email_creates_nothing_and_resends_manage_link(register, run_on_commit, capacity):
    meeting = MeetingFactory(capacity=capacity)
    register(meeting, "anna@example.se")
    with run_on_commit():
        result = register(meeting, "Anna@Example.se")
    assert not result.created
    assert meeting.registrations.count() == 1
    assert "/moten/anmalan/" in mail.outbox[-1].body


def test_cancelled_person_may_register_again(register):
    meeting = MeetingFactory()
    first = register(meeting, "anna@example.se").registration
    services.registration_cancel(registration=first)
    again = register(meeting, "anna@example.se")
    assert again.created
    assert meeting.registrations.count() == 2


def test_database_refuses_two_active_registrations_for_one_email():
    from django.db import IntegrityError, transaction

    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, email="anna@example.se")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(meeting=meeting, email="ANNA@example.se")


def test_registration_after_closing_time_is_refused(register):
    meeting = MeetingFactory(registration_closes=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        register(meeting, "late@example.se")
    assert exc.value.code == "closed"
    assert not meeting.registrations.exists()


def test_registration_before_opening_time_is_refused(register):
    meeting = MeetingFactory(registration_opens=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        register(meeting, "early@example.se")


def test_draft_and_cancelled_meetings_refuse_registrations(register):
    for status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        meeting = MeetingFactory(status=status)
        with pytest.raises(ValidationError):
            register(meeting, "someone@example.se")


def test_registration_without_consent_is_refused(register):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError):
        register(meeting, "anna@example.se", consent=False)


def test_cancellation_promotes_first_waitlisted_and_tells_them(register, run_on_commit):
    meeting = MeetingFactory(capacity=1)
    confirmed = register(meeting, "first@example.se").registration
    second = register(meeting, "second@example.se").registration
    register(meeting, "third@example.se")
    with run_on_commit():
        promoted = services.registration_cancel(registration=confirmed)
    assert promoted == [second]
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert meeting.registrations.filter(status="waitlisted").count() == 1
    promotion = [m for m in mail.outbox if m.to == ["second@example.se"]]
    assert len(promotion) == 1
    assert promotion[0].attachments[0][0].endswith(".ics")


def test_cancelling_a_waitlisted_person_promotes_nobody(register):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "first@example.se")
    second = register(meeting, "second@example.se").registration
    third = register(meeting, "third@example.se").registration
    assert services.registration_cancel(registration=second) == []
    third.refresh_from_db()
    assert third.status == Registration.Status.WAITLISTED


def test_raising_capacity_moves_the_waitlist_up(register):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "first@example.se")
    second = register(meeting, "second@example.se").registration
    services.meeting_update(meeting=meeting, capacity=2)
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED


def test_confirmation_email_has_ics_manage_link_and_registrants_language(register, run_on_commit):
    meeting = MeetingFactory()
    with run_on_commit():
        register(meeting, "anna@example.se", language="en")
    message = mail.outbox[-1]
    assert message.subject.startswith("Registration confirmed")
    assert "/moten/anmalan/" in message.body
    assert message.attachments[0][2].startswith("text/calendar")
    html = message.alternatives[0][0]
    assert "/moten/anmalan/" in html


def test_swedish_registrant_gets_swedish_confirmation(register, run_on_commit):
    meeting = MeetingFactory()
    with run_on_commit():
        register(meeting, "anna@example.se", language="sv")
    assert mail.outbox[-1].subject.startswith("Anmälan bekräftad")


def test_waitlisted_person_gets_waitlist_notice_with_position(register, run_on_commit):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "first@example.se")
    with run_on_commit():
        register(meeting, "second@example.se", language="en")
    message = mail.outbox[-1]
    assert message.subject.startswith("You are on the waitlist")
    assert "number 1" in message.body
    assert not message.attachments


def test_coordinators_are_told_at_80_and_100_percent_once_each(register, coordinator, run_on_commit):
    meeting = MeetingFactory(capacity=5)
    with run_on_commit():
        for n in range(7):
            register(meeting, f"p{n}@example.se")
    to_coordinator = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(to_coordinator) == 2
    assert "80" in to_coordinator[0].subject
    assert "100" in to_coordinator[1].subject
    meeting.refresh_from_db()
    assert meeting.notified_80_at and meeting.notified_full_at


def test_moving_a_meeting_sends_notice_with_new_ics(register, run_on_commit):
    meeting = MeetingFactory()
    register(meeting, "anna@example.se", language="en")
    with run_on_commit():
        services.meeting_update(
            meeting=meeting, start=meeting.start + timedelta(days=1), end=meeting.end + timedelta(days=1)
        )
    message = mail.outbox[-1]
    assert message.subject.startswith("Changed time or place")
    ics = message.attachments[0][1]
    assert "SEQUENCE:1" in (ics.decode() if isinstance(ics, bytes) else ics)


def test_cancelling_a_meeting_tells_active_registrants(register, run_on_commit):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "anna@example.se", language="en")
    register(meeting, "bo@example.se", language="en")
    mail.outbox.clear()
    with run_on_commit():
        services.meeting_update(meeting=meeting, status=Meeting.Status.CANCELLED)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bo@example.se"]
    assert all(m.subject.startswith("Cancelled") for m in mail.outbox)


def test_editing_a_draft_mails_nobody(run_on_commit):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    with run_on_commit():
        services.meeting_update(
            meeting=meeting, start=meeting.start + timedelta(days=1), end=meeting.end + timedelta(days=1)
        )
    assert mail.outbox == []


def test_message_reaches_confirmed_participants_only(register, run_on_commit):
    meeting = MeetingFactory(capacity=1)
    register(meeting, "anna@example.se")
    register(meeting, "bo@example.se")
    mail.outbox.clear()
    with run_on_commit():
        count = services.meeting_message_participants(meeting=meeting, subject="Lokalbyte", body="Vi ses i sal B.")
    assert count == 1
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]
    assert mail.outbox[0].subject == "Lokalbyte"


def test_copy_meeting_makes_a_draft_with_programme_and_no_registrations():
    meeting = MeetingFactory()
    item = ProgrammeItemFactory(meeting=meeting, title="Rätten till vård")
    SpeakerFactory(programme_item=item, name="Anna-Karin Öberg")
    RegistrationFactory(meeting=meeting)
    copy = services.meeting_copy(meeting=meeting)
    assert copy.status == Meeting.Status.DRAFT
    assert copy.slug != meeting.slug
    assert copy.registrations.count() == 0
    assert copy.programme_items.get().speakers.get().name == "Anna-Karin Öberg"


def test_registration_update_changes_details_but_not_needs_of_digital_meeting():
    meeting = MeetingFactory(digital=True)
    registration = RegistrationFactory(meeting=meeting)
    services.registration_update(registration=registration, name="Nytt Namn", needs="Rullstol")
    registration.refresh_from_db()
    assert registration.name == "Nytt Namn"
    assert registration.needs == ""


def test_marking_attendance():
    registrations = RegistrationFactory.create_batch(3)
    assert services.registrations_mark_attended(registrations=registrations[:2], attended=True) == 2
    assert Registration.objects.filter(attended=True).count() == 2


def test_retention_anonymises_registrations_long_after_the_meeting():
    from meetings.retention import purge

    old = MeetingFactory(start=timezone.now() - timedelta(days=200))
    recent = MeetingFactory(past=True)
    gone = RegistrationFactory(meeting=old, name="Anna Andersson", needs="Glutenfritt", attended=True)
    kept = RegistrationFactory(meeting=recent, name="Bo Berg")
    assert purge(now=timezone.now()) == {"registrations_anonymised": 1}
    assert purge(now=timezone.now()) == {"registrations_anonymised": 0}
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.name != "Anna Andersson" and "anna" not in gone.email and gone.needs == ""
    assert gone.attended is True and gone.status == "confirmed"
    assert kept.name == "Bo Berg"


def test_a_new_online_link_mails_nobody_the_personal_links_open_it(client, register, run_on_commit):
    """Participants hold personal join links (issue 24): a new meeting room needs no e-mail, and the raw
    link is never mailed; in the window the personal link opens the new room."""
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(minutes=10)
    meeting = MeetingFactory(digital=True, start=start, end=start + timedelta(hours=1))
    register(meeting, "anna@example.se")
    mail.outbox.clear()
    with run_on_commit():
        services.meeting_update(meeting=meeting, online_link="https://meet.example.se/nytt-rum")
    assert mail.outbox == []
    registration = meeting.registrations.get()
    response = client.post(registration.get_join_url())
    assert response.status_code == 303 and response["Location"] == "https://meet.example.se/nytt-rum"


def test_documentation_goes_to_participants_not_marked_absent(run_on_commit):
    from tests.factories import MeetingDocumentFactory

    meeting = MeetingFactory(past=True)
    MeetingDocumentFactory(meeting=meeting, title="Minnesanteckningar", url="https://example.se/minnen.pdf")
    RegistrationFactory(meeting=meeting, email="var.dar@example.se", attended=True)
    RegistrationFactory(meeting=meeting, email="uteblev@example.se", attended=False)
    RegistrationFactory(meeting=meeting, email="i.ko@example.se", status="waitlisted")
    with run_on_commit():
        assert services.meeting_send_documentation(meeting=meeting) == 1
    assert [m.to for m in mail.outbox] == [["var.dar@example.se"]]
    assert "https://example.se/minnen.pdf" in mail.outbox[0].body


def test_documentation_goes_to_those_who_attended_when_the_meeting_recorded_attendance(run_on_commit):
    from django.utils import timezone

    from tests.factories import MeetingDocumentFactory

    meeting = MeetingFactory(past=True)
    MeetingDocumentFactory(meeting=meeting, title="Minnesanteckningar", url="https://example.se/minnen.pdf")
    RegistrationFactory(meeting=meeting, email="anslot@example.se", joined_at=timezone.now())
    RegistrationFactory(meeting=meeting, email="checkade.in@example.se", checked_in_at=timezone.now())
    RegistrationFactory(meeting=meeting, email="kom.aldrig@example.se")  # confirmed, never joined nor checked in
    preview = services.meeting_send_documentation_preview(meeting=meeting)
    assert preview.recipients == 2 and "som var med" in preview.effects[0]
    with run_on_commit():
        assert services.meeting_send_documentation(meeting=meeting) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["anslot@example.se", "checkade.in@example.se"]


def test_documentation_preview_counts_whom_the_documentation_is_sent_to():
    from outbox.models import OutgoingEmail
    from tests.factories import MeetingDocumentFactory

    meeting = MeetingFactory(past=True)
    preview = services.meeting_send_documentation_preview(meeting=meeting)
    assert preview.problems == [
        "Mötet har inga dokument.",
        "Mötet har inga bekräftade deltagare som inte markerats frånvarande.",
    ]
    MeetingDocumentFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, attended=True)
    RegistrationFactory(meeting=meeting, attended=False)
    RegistrationFactory(meeting=meeting, status="waitlisted")
    preview = services.meeting_send_documentation_preview(meeting=meeting)
    assert preview.possible and preview.recipients == 1
    before = OutgoingEmail.objects.count()
    assert services.meeting_send_documentation(meeting=meeting) == preview.recipients
    assert OutgoingEmail.objects.count() - before == preview.recipients

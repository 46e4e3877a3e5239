from datetime import timedelta

import pytest
from django.core import mail

from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/meetings/meeting/"


def test_meeting_list_shows_counts_and_fill_bar_without_n_plus_one(coordinator_client, django_assert_max_num_queries):
    for _ in range(6):
        meeting = MeetingFactory(capacity=4)
        RegistrationFactory.create_batch(2, meeting=meeting)
        RegistrationFactory(meeting=meeting, status="waitlisted")
    with django_assert_max_num_queries(12):
        response = coordinator_client.get(CHANGELIST)
    content = response.content.decode()
    assert response.status_code == 200
    assert '<rect width="50" height="12"' in content
    assert "style=" not in content.split('id="result_list"', 1)[1].split("</table>", 1)[0]


def test_registration_list_filters_and_search(coordinator_client):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, name="Ingrid Flodin", status="waitlisted")
    RegistrationFactory(meeting=meeting, name="Linda Strid")
    response = coordinator_client.get("/admin/meetings/registration/", {"status": "waitlisted", "q": "Flodin"})
    content = response.content.decode()
    assert "Ingrid Flodin" in content and "Linda Strid" not in content


def test_message_action_previews_then_sends(coordinator_client, run_on_commit):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting, email="anna@example.se")
    RegistrationFactory(meeting=meeting, email="bo@example.se", status="waitlisted")
    base = {"action": "message_participants", "_selected_action": [meeting.pk]}
    first = coordinator_client.post(CHANGELIST, base)
    assert 'name="subject"' in first.content.decode()
    preview = coordinator_client.post(
        CHANGELIST, {**base, "subject": "Ny lokal", "body": "Vi ses i sal B.", "preview": "1"}
    )
    assert "Vi ses i sal B." in preview.content.decode()
    assert mail.outbox == []
    with run_on_commit():
        coordinator_client.post(CHANGELIST, {**base, "subject": "Ny lokal", "body": "Vi ses i sal B.", "send": "1"})
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]


def test_copy_action_creates_draft_with_programme(coordinator_client):
    meeting = MeetingFactory(title="Dialogmöte om hälsa")
    SpeakerFactory(programme_item=ProgrammeItemFactory(meeting=meeting))
    RegistrationFactory(meeting=meeting)
    coordinator_client.post(CHANGELIST, {"action": "copy_meeting", "_selected_action": [meeting.pk]})
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert copy.status == "draft" and copy.programme_items.get().speakers.count() == 1
    assert not copy.registrations.exists()


def test_mark_attended_action(coordinator_client):
    registrations = RegistrationFactory.create_batch(2)
    coordinator_client.post(
        "/admin/meetings/registration/",
        {"action": "mark_attended", "_selected_action": [r.pk for r in registrations]},
    )
    assert Registration.objects.filter(attended=True).count() == 2


def test_export_registrations_as_csv(coordinator_client):
    registration = RegistrationFactory(name="Sofia Tungfelt")
    response = coordinator_client.post(
        "/admin/meetings/registration/export/",
        {
            "format": "0",
            "resource": "0",
            **{f"registrationresource_{f}": "on" for f in ("id", "meeting", "name", "email", "status")},
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sofia Tungfelt" in body and registration.meeting.title in body


def test_moving_meeting_in_admin_mails_participants(coordinator_client, run_on_commit):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, email="anna@example.se")
    new_start = meeting.start + timedelta(days=7)
    from django.utils import timezone

    local = timezone.localtime(new_start)
    local_end = timezone.localtime(new_start + timedelta(hours=2))
    data = {
        "title": meeting.title,
        "slug": meeting.slug,
        "status": "published",
        "summary": meeting.summary,
        "description": meeting.description,
        "topics": [],
        "start_0": local.strftime("%Y-%m-%d"),
        "start_1": local.strftime("%H:%M:%S"),
        "end_0": local_end.strftime("%Y-%m-%d"),
        "end_1": local_end.strftime("%H:%M:%S"),
        "format": meeting.format,
        "venue_name": meeting.venue_name,
        "venue_address": meeting.venue_address,
        "online_link": "",
        "capacity": meeting.capacity,
        "waitlist_enabled": "on",
        # Chosen from a list ("2 dagar före", "1 timme före"): the value is the offset in seconds.
        "reminder_before": str(2 * 24 * 3600),
        "reminder_before_online": "3600",
        "contact_email": meeting.contact_email,
        "contact_name": meeting.contact_name,
        "programme_items-TOTAL_FORMS": "0",
        "programme_items-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0",  # the registrations shown on the page are read-only
        "registrations-INITIAL_FORMS": "0",
    }
    with run_on_commit():
        response = coordinator_client.post(f"{CHANGELIST}{meeting.pk}/change/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert mail.outbox[-1].to == ["anna@example.se"]
    assert mail.outbox[-1].attachments
    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_physical_meeting_without_venue_is_refused():
    from django.core.exceptions import ValidationError

    meeting = MeetingFactory.build(venue_name="")
    with pytest.raises(ValidationError) as exc:
        meeting.full_clean()
    assert "venue_name" in exc.value.message_dict


def test_admin_pages_open_for_coordinators(coordinator_client):
    meeting = MeetingFactory()
    item = ProgrammeItemFactory(meeting=meeting)
    SpeakerFactory(programme_item=item)
    registration = RegistrationFactory(meeting=meeting)
    for path in (
        "/admin/meetings/meeting/add/",
        f"/admin/meetings/meeting/{meeting.pk}/change/",
        f"/admin/meetings/programmeitem/{item.pk}/change/",
        "/admin/meetings/registration/",
        f"/admin/meetings/registration/{registration.pk}/change/",
        "/admin/meetings/reminder/",
        "/admin/meetings/speaker/",
        "/admin/meetings/meetingdocument/",
    ):
        assert coordinator_client.get(path).status_code == 200, path


def test_send_documentation_action_asks_first_then_sends(coordinator_client, run_on_commit):
    from tests.factories import MeetingDocumentFactory

    meeting = MeetingFactory(past=True, title="Dialogmöte om pengar")
    MeetingDocumentFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, email="anna@example.se", attended=True)
    RegistrationFactory(meeting=meeting, email="bo@example.se")
    RegistrationFactory(meeting=meeting, email="borta@example.se", attended=False)
    no_documents = MeetingFactory(past=True, title="Möte utan dokument")
    RegistrationFactory(meeting=no_documents, attended=True)
    no_participants = MeetingFactory(past=True, title="Möte utan deltagare")
    MeetingDocumentFactory(meeting=no_participants)
    data = {"action": "send_documentation", "_selected_action": [meeting.pk, no_documents.pk, no_participants.pk]}
    with run_on_commit():
        page = coordinator_client.post(CHANGELIST, data)
    html = page.content.decode()
    assert "Totalt skickas 2 e-postmeddelanden." in html
    assert "Mötet har inga dokument." in html
    assert "Mötet har inga bekräftade deltagare som inte markerats frånvarande." in html
    assert mail.outbox == []
    with run_on_commit():
        response = coordinator_client.post(CHANGELIST, {**data, "confirm": "yes"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert f"{meeting}: dokumentationen är köad till 2 deltagare." in messages
    assert any(m.startswith(f"{no_documents}: inget skickades") and "inga dokument." in m for m in messages)
    assert any(m.startswith(f"{no_participants}: inget skickades") for m in messages)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.se", "bo@example.se"]
    assert mail.outbox[0].subject.startswith("Dokumentation:")

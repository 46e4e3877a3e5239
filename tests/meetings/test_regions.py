"""Meetings in two regions: region A (the test region, host "testserver") and region B (Region Halland,
"halland.testserver"). Nothing of B appears on A's host and the other way round: pages, feeds, .ics,
sign-up, manage links, documents, the API, the admin and its export; slugs and topic names are unique
per region; the reminders run in every region from a clean context."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from core.permissions import ensure_coordinator_group
from core.regions import all_regions, no_region, region_scope
from meetings import services
from meetings.models import Meeting, Registration, Reminder, Topic
from meetings.tasks import plan_reminders
from meetings.tokens import manage_url
from tests.factories import MeetingDocumentFactory, MeetingFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

B = "halland.testserver"


@pytest.fixture
def two(other_region):
    """A meeting in each region, with the same slug, topic and a registration each."""
    a = MeetingFactory(slug="dialogmote", title="Sundsvallsmötet", topics="Folkhälsa")
    RegistrationFactory(meeting=a, name="Anna Sundsvall", email="anna@example.se")
    with region_scope(other_region):
        b = MeetingFactory(slug="dialogmote", title="Halmstadmötet", topics="Folkhälsa")
        RegistrationFactory(meeting=b, name="Bo Halmstad", email="bo@example.se")
    return a, b


@pytest.fixture
def halland_coordinator(other_region):
    user = UserFactory(is_staff=True, email="samordnare@halland.example.se")
    user.groups.add(ensure_coordinator_group())
    other_region.coordinators.add(user)
    return user


def _text(response) -> str:
    return response.content.decode()


# Public pages, feeds, .ics -------------------------------------------------------------------------


def test_each_host_lists_and_shows_only_its_own_meetings(client, two):
    on_a, on_b = _text(client.get("/moten/")), _text(client.get("/moten/", HTTP_HOST=B))
    assert "Sundsvallsmötet" in on_a and "Halmstadmötet" not in on_a
    assert "Halmstadmötet" in on_b and "Sundsvallsmötet" not in on_b
    home_a, home_b = _text(client.get("/")), _text(client.get("/", HTTP_HOST=B))
    assert "Sundsvallsmötet" in home_a and "Halmstadmötet" not in home_a
    assert "Halmstadmötet" in home_b and "Sundsvallsmötet" not in home_b
    # The same slug in both regions: each host serves its own meeting.
    assert "Sundsvallsmötet" in _text(client.get("/moten/dialogmote/"))
    assert "Halmstadmötet" in _text(client.get("/moten/dialogmote/", HTTP_HOST=B))


def test_a_meeting_of_the_other_region_is_404_on_this_host(client, other_region):
    with region_scope(other_region):
        meeting = MeetingFactory(slug="bara-i-halland")
    for path in ("/moten/bara-i-halland/", "/moten/bara-i-halland/kalender.ics", "/moten/bara-i-halland/anmalan/"):
        assert client.get(path).status_code == 404, path
        assert client.get(path, HTTP_HOST=B).status_code == 200, path
    assert meeting.pk


def test_the_calendar_and_the_rss_and_atom_feeds_are_per_region(client, two, settings):
    settings.SITE_URL = "https://samverkan.example.se"
    _a, b = two
    feed_b = _text(client.get("/moten/kalender.ics", HTTP_HOST=B))
    assert "Halmstadmötet" in feed_b and "Sundsvallsmötet" not in feed_b
    assert f"UID:meeting-{b.pk}@halland.testserver" in feed_b
    assert "X-WR-CALNAME:Möten – Region Halland" in feed_b
    feed_a = _text(client.get("/moten/kalender.ics"))
    assert "Sundsvallsmötet" in feed_a and "Halmstadmötet" not in feed_a and "Region Halland" not in feed_a
    for path in ("/moten/flode.rss", "/moten/flode.atom"):
        on_b = _text(client.get(path, HTTP_HOST=B))
        assert "Halmstadmötet" in on_b and "Sundsvallsmötet" not in on_b
        assert "http://halland.testserver/moten/dialogmote/" in on_b
        assert "Halmstadmötet" not in _text(client.get(path))
    single = _text(client.get("/moten/dialogmote/kalender.ics", HTTP_HOST=B))
    assert f"UID:meeting-{b.pk}@halland.testserver" in single
    assert "https://halland.testserver/moten/dialogmote/" in single.replace("\r\n ", "")


def test_the_topic_filter_knows_only_this_regions_topics(client, two):
    on_b = _text(client.get("/moten/?amne=folkhalsa", HTTP_HOST=B))
    assert "Halmstadmötet" in on_b and "Sundsvallsmötet" not in on_b


# Sign-up, manage links, documents --------------------------------------------------------------------


def _form(**overrides):
    return {"name": "Anna Andersson", "email": "anna@example.se", "consent": "on", **overrides}


def test_a_sign_up_on_this_host_for_the_other_regions_meeting_is_404_and_stores_nothing(client, other_region):
    with region_scope(other_region):
        meeting = MeetingFactory(slug="halmstad")
    response = client.post("/moten/halmstad/anmalan/", _form(email="ny@example.se"))
    assert response.status_code == 404
    with region_scope(other_region):
        assert not meeting.registrations.exists()


def test_a_sign_up_on_the_other_host_is_stored_there_and_its_mail_links_to_that_host(
    client, other_region, settings, run_on_commit
):
    settings.SITE_URL = "https://samverkan.example.se"
    with region_scope(other_region):
        MeetingFactory(slug="halmstad", title="Halmstadmötet")
    with run_on_commit():
        response = client.post("/moten/halmstad/anmalan/", _form(), HTTP_HOST=B)
    assert response.status_code == 302
    assert not Registration.objects.exists()
    with region_scope(other_region):
        registration = Registration.objects.get()
        assert registration.region_id == other_region.pk
    body = mail.outbox[-1].body
    assert "https://halland.testserver/moten/anmalan/" in body
    assert "samverkan.example.se" not in body


def test_the_form_token_of_one_region_is_a_new_sign_up_in_the_other(client, other_region):
    a = MeetingFactory(slug="moten-a")
    with region_scope(other_region):
        MeetingFactory(slug="halmstad")
    key = "k" * 32
    services.registration_create(meeting=a, name="Anna", email="anna@example.se", consent=True, idempotency_key=key)
    response = client.post(
        "/moten/halmstad/anmalan/", _form(email="bo@example.se", name="Bo", idempotency_key=key), HTTP_HOST=B
    )
    assert response.status_code == 302
    with region_scope(other_region):
        assert list(Registration.objects.values_list("email", flat=True)) == ["bo@example.se"]


def test_a_manage_link_works_only_on_its_regions_host(client, other_region):
    with region_scope(other_region):
        registration = RegistrationFactory()
        path = manage_url(registration, absolute=False)
    assert client.get(path).status_code == 404
    assert client.get(path + "kalender.ics").status_code == 404
    assert client.post(path + "avboka/").status_code == 404
    assert client.get(path, HTTP_HOST=B).status_code == 200
    with region_scope(other_region):
        registration.refresh_from_db()
        assert registration.status == Registration.Status.CONFIRMED


def test_an_uploaded_document_is_stored_under_its_regions_key_and_served_only_on_its_host(
    client, other_region, media_root
):
    with region_scope(other_region):
        meeting = MeetingFactory(slug="halmstad")
        document = MeetingDocumentFactory.build(meeting=meeting, url="")
        document.file.save("minnen.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    assert document.file.name.startswith(f"regions/{other_region.key}/meetings/documents/")
    assert (media_root / document.file.name).exists()
    path = reverse("meetings:document", kwargs={"slug": "halmstad", "pk": document.pk})
    assert client.get(path).status_code == 404
    assert client.get(path, HTTP_HOST=B).status_code == 200


# The API --------------------------------------------------------------------------------------------------


def test_the_api_lists_and_shows_only_the_hosts_region(client, two):
    _a, b = two
    listed_b = client.get("/api/v1/meetings/", HTTP_HOST=B).json()
    assert [m["title"] for m in listed_b["results"]] == ["Halmstadmötet"]
    assert listed_b["results"][0]["url"].startswith("http://halland.testserver/")
    listed_a = client.get("/api/v1/meetings/").json()
    assert [m["title"] for m in listed_a["results"]] == ["Sundsvallsmötet"]
    assert client.get("/api/v1/meetings/?q=Halmstad").json()["results"] == []
    assert client.get("/api/v1/meetings/dialogmote/", HTTP_HOST=B).json()["id"] == b.pk


# The admin ---------------------------------------------------------------------------------------------


def test_the_admin_lists_nothing_of_the_other_region(coordinator_client, two):
    _a, b = two
    meetings = _text(coordinator_client.get("/admin/meetings/meeting/"))
    assert "Sundsvallsmötet" in meetings and "Halmstadmötet" not in meetings
    registrations = _text(coordinator_client.get("/admin/meetings/registration/"))
    assert "Anna Sundsvall" in registrations and "Bo Halmstad" not in registrations
    filtered = _text(coordinator_client.get(f"/admin/meetings/registration/?meeting__id__exact={b.pk}"))
    assert "Bo Halmstad" not in filtered
    topics = _text(coordinator_client.get("/admin/meetings/topic/"))
    assert topics.count("Folkhälsa") >= 1 and "0 av 2" not in topics


def test_an_admin_object_id_of_the_other_region_is_404(coordinator_client, two):
    _a, b = two
    with region_scope(b.region_id):
        registration = b.registrations.get()
        topic = b.topics.get()
    paths = [
        f"/admin/meetings/meeting/{b.pk}/change/",
        f"/admin/meetings/meeting/{b.pk}/delete/",
        f"/admin/meetings/meeting/{b.pk}/history/",
        f"/admin/meetings/meeting/{b.pk}/deltagarlista/",
        f"/admin/meetings/meeting/{b.pk}/incheckning/",
        f"/admin/meetings/registration/{registration.pk}/change/",
        f"/admin/meetings/topic/{topic.pk}/change/",
    ]
    for path in paths:
        assert coordinator_client.get(path).status_code == 404, path
    assert coordinator_client.post(f"/admin/meetings/meeting/{b.pk}/delete/", {"post": "yes"}).status_code == 404
    with region_scope(b.region_id):
        assert Meeting.objects.filter(pk=b.pk).exists()


def test_the_other_regions_coordinator_sees_their_meeting(client, two, halland_coordinator):
    _a, b = two
    client.force_login(halland_coordinator)
    response = client.get(f"/admin/meetings/meeting/{b.pk}/change/", HTTP_HOST=B)
    assert response.status_code == 200 and "Halmstadmötet" in _text(response)
    assert "Sundsvallsmötet" not in _text(client.get("/admin/meetings/meeting/", HTTP_HOST=B))


def test_admin_actions_act_only_on_this_regions_rows(coordinator_client, two):
    a, b = two
    with region_scope(b.region_id):
        b_registration = b.registrations.get()
    a_registration = a.registrations.get()
    response = coordinator_client.post(
        "/admin/meetings/registration/",
        {"action": "cancel_registrations", "_selected_action": [a_registration.pk, b_registration.pk]},
    )
    assert response.status_code == 302
    a_registration.refresh_from_db()
    assert a_registration.status == Registration.Status.CANCELLED
    with region_scope(b.region_id):
        b_registration.refresh_from_db()
        assert b_registration.status == Registration.Status.CONFIRMED
    coordinator_client.post("/admin/meetings/meeting/", {"action": "copy_meeting", "_selected_action": [b.pk]})
    with region_scope(b.region_id):
        assert Meeting.objects.count() == 1
    assert Meeting.objects.count() == 1


def test_the_registration_export_has_only_this_regions_rows(coordinator_client, two):
    url = reverse("admin:meetings_registration_export")
    response = coordinator_client.post(url, {"format": "0", "resource": "0", "registrationresource_name": "on"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [["Anna Sundsvall"]]


def test_a_topic_or_area_of_the_other_region_is_no_choice_in_the_meeting_form(coordinator_client, two):
    _a, b = two
    with region_scope(b.region_id):
        b_topic = b.topics.get()
    form = _text(coordinator_client.get("/admin/meetings/meeting/add/"))
    assert f'value="{b_topic.pk}"' not in form.split('name="topics"', 1)[-1].split("</div>", 1)[0]


# Uniqueness per region ---------------------------------------------------------------------------


def test_the_same_slug_and_topic_name_in_two_regions_but_not_twice_in_one(coordinator_client, two):
    assert Topic.objects.count() == 1
    with region_scope(two[1].region_id):
        assert Topic.objects.count() == 1
    now = timezone.localtime() + timedelta(days=10)
    data = {
        "title": "Ett till",
        "slug": "dialogmote",
        "status": "draft",
        "start_0": now.strftime("%Y-%m-%d"),
        "start_1": "10:00:00",
        "end_0": now.strftime("%Y-%m-%d"),
        "end_1": "12:00:00",
        "format": "digital",
        "waitlist_enabled": "on",
        **{
            f"{prefix}-{key}": value
            for prefix in ("programme_items", "documents", "registrations")
            for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
        },
    }
    response = coordinator_client.post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 200
    assert "används redan i regionen: välj ett annat." in _text(response)
    topic = coordinator_client.post("/admin/meetings/topic/add/", {"name": "Folkhälsa", "slug": "annan"})
    assert topic.status_code == 200
    assert "Namn används redan i regionen: välj ett annat." in _text(topic)
    assert coordinator_client.post("/admin/meetings/topic/add/", {"name": "Ny", "slug": "ny"}).status_code == 302


def test_a_copy_takes_a_free_slug_of_its_own_region(other_region):
    MeetingFactory(slug="dialogmote-kopia")
    with region_scope(other_region):
        original = MeetingFactory(slug="dialogmote")
        copy = services.meeting_copy(meeting=original)
        assert copy.slug == "dialogmote-kopia" and copy.region_id == other_region.pk


def test_two_copies_at_once_both_get_a_slug(monkeypatch):
    """The race: another copy took the slug between the look-up and the insert; the unique index refuses
    it inside a savepoint and the copy takes the next free slug."""
    from meetings.services import meeting as meeting_services

    original = MeetingFactory(slug="dialogmote")
    MeetingFactory(slug="dialogmote-kopia")
    real = meeting_services._unique_slug
    answers = iter(["dialogmote-kopia"])
    monkeypatch.setattr(meeting_services, "_unique_slug", lambda base: next(answers, None) or real(base))
    copy = services.meeting_copy(meeting=original)
    assert copy.slug == "dialogmote-kopia-2"


# Tasks, the demo, personal data -----------------------------------------------------------------------


def _due_for_reminder(**fields):
    meeting = MeetingFactory(start=timezone.now() + timedelta(days=1), **fields)
    registration = RegistrationFactory(meeting=meeting)
    Registration.objects.filter(pk=registration.pk).update(created_at=timezone.now() - timedelta(days=5))
    return registration


def test_the_reminder_job_runs_in_every_region_from_a_clean_context(other_region, settings):
    settings.SITE_URL = "https://samverkan.example.se"
    _due_for_reminder(title="Sundsvallsmötet")
    with region_scope(other_region):
        _due_for_reminder(title="Halmstadmötet", slug="halmstad")
    with no_region():
        results = plan_reminders()
    assert results == {"vasternorrland": 1, "halland": 1}
    with region_scope(other_region):
        reminder = Reminder.objects.select_related("email").get()
        assert reminder.region_id == other_region.pk
        assert "https://halland.testserver/moten/halmstad/" in reminder.email.body_text
    assert Reminder.objects.get().region_id != other_region.pk
    with no_region():
        assert plan_reminders() == {"vasternorrland": 0, "halland": 0}


def test_the_demo_loads_into_the_first_region_from_a_clean_context(region):
    with no_region():
        from meetings.demo import load

        load()
    assert Meeting.objects.filter(slug="verkstad-goda-exempel-integration").exists()
    with all_regions():
        assert set(Meeting.objects.values_list("region_id", flat=True)) == {region.pk}


def test_erasing_a_person_cancels_in_each_region_and_the_waitlist_there_hears_on_its_host(
    other_region, settings, run_on_commit
):
    from meetings.personal_data import erase

    settings.SITE_URL = "https://samverkan.example.se"
    user = UserFactory(email="person@example.se")
    with region_scope(other_region):
        meeting = MeetingFactory(capacity=1, slug="halmstad")
        RegistrationFactory(meeting=meeting, user=user, email="person@example.se")
        RegistrationFactory(meeting=meeting, email="kö@example.se", status="waitlisted")
    RegistrationFactory(user=user, email="person@example.se")
    with run_on_commit(), all_regions():
        result = erase(user)
    assert result == {"registrations_cancelled": 2, "registrations_anonymised": 2, "speakers_unlinked": 0}
    promoted = [m for m in mail.outbox if m.to == ["kö@example.se"]]
    assert promoted and "https://halland.testserver/moten/" in promoted[0].body
    assert re.search(r"https://halland\.testserver/moten/anmalan/", promoted[0].body)

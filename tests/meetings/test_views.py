import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Registration
from meetings.tokens import manage_url
from tests.factories import (
    MeetingDocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    RepresentativeFactory,
    SpeakerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {"name": "Anna Andersson", "email": "anna@example.se", "organisation_name": "Röda Korset", "consent": "on"}
    data.update(overrides)
    return data


def _manage_path(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/moten/anmalan/[^/\s]+/)", text).group(1)


def test_list_shows_upcoming_then_archive_with_documents(client):
    past = MeetingFactory(past=True, title="Träff i februari")
    MeetingDocumentFactory(meeting=past, title="Minnesanteckningar februari")
    MeetingFactory(title="Kommande dialogmöte")
    content = client.get("/moten/").content.decode()
    assert content.index("Kommande dialogmöte") < content.index("Träff i februari")
    assert "Minnesanteckningar februari" in content


def test_drafts_are_invisible(client):
    draft = MeetingFactory(status="draft", title="Hemligt utkast")
    assert "Hemligt utkast" not in client.get("/moten/").content.decode()
    assert client.get(f"/moten/{draft.slug}/").status_code == 404
    assert client.get(f"/moten/{draft.slug}/anmalan/").status_code == 404
    assert client.get(f"/moten/{draft.slug}/kalender.ics").status_code == 404


def test_list_query_count_is_constant(client, django_assert_max_num_queries):
    for _ in range(8):
        meeting = MeetingFactory()
        RegistrationFactory.create_batch(2, meeting=meeting)
        past = MeetingFactory(past=True)
        MeetingDocumentFactory.create_batch(2, meeting=past)
    # + the topics of each list and the topic and area filter options: constant in the number of meetings.
    with django_assert_max_num_queries(10):
        response = client.get("/moten/")
    assert response.status_code == 200


def test_detail_query_count_is_constant(client, django_assert_max_num_queries):
    meeting = MeetingFactory()
    for _ in range(5):
        item = ProgrammeItemFactory(meeting=meeting)
        SpeakerFactory.create_batch(3, programme_item=item)
    MeetingDocumentFactory.create_batch(3, meeting=meeting)
    # + the meeting's topics (one prefetch, whatever their number)
    with django_assert_max_num_queries(7):
        response = client.get(f"/moten/{meeting.slug}/")
    assert response.status_code == 200


def test_detail_shows_swedish_date_programme_speakers_and_places_left(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2030, 5, 8, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    meeting = MeetingFactory(digital=True, start=start, end=start + timedelta(hours=3), capacity=10)
    item = ProgrammeItemFactory(meeting=meeting, title="Rätten till vård")
    SpeakerFactory(programme_item=item, name="David Lindqvist", title="asylsamordnare")
    RegistrationFactory.create_batch(4, meeting=meeting)
    content = client.get(f"/moten/{meeting.slug}/").content.decode()
    assert "onsdag 8 maj 2030 kl. 09.00" in content
    assert "Digitalt möte" in content
    assert "Rätten till vård" in content and "David Lindqvist, asylsamordnare" in content
    assert "6 platser kvar" in content
    assert '<rect class="fill" x="0" y="0" width="40"' in content
    assert "style=" not in content.split("<main", 1)[1]


def test_detail_of_full_meeting_offers_waitlist(client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    assert "Ställ dig i kö" in client.get(f"/moten/{meeting.slug}/").content.decode()


def test_detail_explains_closed_registration(client):
    meeting = MeetingFactory(registration_closes=timezone.now() - timedelta(hours=1))
    content = client.get(f"/moten/{meeting.slug}/").content.decode()
    assert "Anmälan är stängd" in content
    assert client.get(f"/moten/{meeting.slug}/anmalan/").content.decode().count('<form method="post" novalidate') == 0


def test_register_shows_confirmation_and_sends_email_with_manage_link(client, run_on_commit):
    meeting = MeetingFactory()
    with run_on_commit():
        response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(), follow=True)
    assert "Tack för din anmälan" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.language == "sv"
    message = mail.outbox[-1]
    assert message.to == ["anna@example.se"]
    assert client.get(_manage_path(message.body)).status_code == 200


def test_register_with_english_language_stores_it(client):
    meeting = MeetingFactory()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(f"/moten/{meeting.slug}/anmalan/", _form())
    assert Registration.objects.get().language == "en"


def test_missing_consent_shows_error_summary_and_creates_nothing(client):
    meeting = MeetingFactory()
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(consent=""))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not Registration.objects.exists()


def test_consent_is_not_pre_ticked_and_privacy_page_linked(client):
    meeting = MeetingFactory()
    content = client.get(f"/moten/{meeting.slug}/anmalan/").content.decode()
    consent = re.search(r"<input[^>]*name=\"consent\"[^>]*>", content).group(0)
    assert "checked" not in consent
    assert 'href="/personuppgifter/"' in content


def test_needs_field_only_for_meetings_with_a_venue(client):
    physical = MeetingFactory()
    digital = MeetingFactory(digital=True)
    assert 'name="needs"' in client.get(f"/moten/{physical.slug}/anmalan/").content.decode()
    assert 'name="needs"' not in client.get(f"/moten/{digital.slug}/anmalan/").content.decode()


def test_honeypot_filled_creates_nothing(client):
    meeting = MeetingFactory()
    client.post(f"/moten/{meeting.slug}/anmalan/", _form(website_address="http://spam.example"))
    assert not Registration.objects.exists()


def test_rate_limit_per_ip(client):
    meeting = MeetingFactory(capacity=None)
    for n in range(10):
        client.post(f"/moten/{meeting.slug}/anmalan/", _form(email=f"p{n}@example.se"))
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(email="p11@example.se"))
    assert response.status_code == 429
    assert Registration.objects.count() == 10


def test_second_registration_says_already_registered(client, run_on_commit):
    meeting = MeetingFactory()
    client.post(f"/moten/{meeting.slug}/anmalan/", _form())
    with run_on_commit():
        response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(email="ANNA@example.se"), follow=True)
    assert "Du är redan anmäld" in response.content.decode()
    assert Registration.objects.count() == 1
    assert "/moten/anmalan/" in mail.outbox[-1].body


def test_full_meeting_form_puts_person_on_waitlist(client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(), follow=True)
    assert "Du står i kö" in response.content.decode()
    assert Registration.objects.get(email="anna@example.se").status == "waitlisted"


def test_logged_in_user_gets_prefilled_form_and_sees_registrations_on_my_pages(client):
    user = UserFactory(email="karin@example.se", full_name="Karin Karlsson")
    organisation = OrganisationFactory(name="Möckelnföreningarna")
    RepresentativeFactory(user=user, organisation=organisation)
    meeting = MeetingFactory(title="Dialog om nära vård")
    client.force_login(user)
    content = client.get(f"/moten/{meeting.slug}/anmalan/").content.decode()
    assert 'value="Karin Karlsson"' in content and 'value="karin@example.se"' in content
    assert "Möckelnföreningarna" in content
    client.post(
        f"/moten/{meeting.slug}/anmalan/",
        _form(name="Karin Karlsson", email="karin@example.se", organisation=organisation.pk),
    )
    registration = Registration.objects.get()
    assert registration.user == user and registration.organisation == organisation
    assert "Dialog om nära vård" in client.get("/mina-sidor/").content.decode()


def test_manage_page_changes_details(client):
    registration = RegistrationFactory(name="Anna")
    path = manage_url(registration, absolute=False)
    client.post(path, {"name": "Anna Andersson", "role": "ordförande"})
    registration.refresh_from_db()
    assert registration.name == "Anna Andersson" and registration.role == "ordförande"


def test_manage_page_cancel_promotes_the_waitlist(client, run_on_commit):
    meeting = MeetingFactory(capacity=1)
    first = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, status="waitlisted")
    cancel_path = manage_url(first, absolute=False) + "avboka/"
    assert "Ja, avboka" in client.get(cancel_path).content.decode()
    with run_on_commit():
        response = client.post(cancel_path, follow=True)
    assert "Din anmälan är avbokad" in response.content.decode()
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == "cancelled"
    assert waiting.status == "confirmed"
    assert mail.outbox[-1].to == [waiting.email]


def test_forged_manage_token_is_404(client):
    registration = RegistrationFactory()
    path = manage_url(registration, absolute=False)
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get("/moten/anmalan/1/").status_code == 404


def test_cached_detail_page_shows_new_places_left_after_a_registration(client, register, run_on_commit):
    meeting = MeetingFactory(capacity=10)
    assert "10 platser kvar" in client.get(f"/moten/{meeting.slug}/").content.decode()
    with run_on_commit():
        register(meeting, "anna@example.se")
    assert "9 platser kvar" in client.get(f"/moten/{meeting.slug}/").content.decode()


def test_cached_list_shows_meeting_after_an_update(client, run_on_commit):
    from meetings import services

    meeting = MeetingFactory(title="Gammal titel")
    assert "Gammal titel" in client.get("/moten/").content.decode()
    with run_on_commit():
        services.meeting_update(meeting=meeting, title="Ny titel")
    assert "Ny titel" in client.get("/moten/").content.decode()


def test_archive_is_paginated(client):
    for n in range(25):
        MeetingFactory(past=True, title=f"Arkivmöte {n:02d}")
    first = client.get("/moten/").content.decode()
    assert first.count("Arkivmöte") == 20
    assert "Sida 1 av 2" in first
    second = client.get("/moten/?arkiv=2&sida=1").content.decode()
    assert second.count("Arkivmöte") == 5
    assert client.get("/moten/?arkiv=abc").status_code == 200


def test_manage_link_does_not_reveal_the_email_address():
    import base64

    registration = RegistrationFactory(email="hemlig.person@example.se")
    token = manage_url(registration, absolute=False).split("/")[-2]
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert b"hemlig" not in decoded


def test_thank_you_page_needs_a_valid_receipt(client):
    meeting = MeetingFactory()
    response = client.get(f"/moten/{meeting.slug}/anmalan/klar/?kvitto=forged")
    assert response.status_code == 302 and response["Location"] == f"/moten/{meeting.slug}/"


def test_registering_creates_no_session(client):
    meeting = MeetingFactory()
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form())
    assert "sessionid" not in response.cookies


def test_home_lists_upcoming_published_meetings(client):
    MeetingFactory(title="Dialog om nära vård")
    MeetingFactory(title="Hemligt utkast", status="draft")
    content = client.get("/").content.decode()
    assert "Dialog om nära vård" in content and "Hemligt utkast" not in content


def test_my_pages_list_registrations_made_with_my_verified_address_before_logging_in(client):
    user = UserFactory(email="karin@example.se")
    RegistrationFactory(email="karin@example.se", meeting=MeetingFactory(title="Verkstad om integration"))
    RegistrationFactory(email="karin@example.se", status="cancelled", meeting=MeetingFactory(title="Avbokat möte"))
    client.force_login(user)
    content = client.get("/mina-sidor/").content.decode()
    assert "Verkstad om integration" in content and "Avbokat möte" not in content

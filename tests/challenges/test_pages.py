"""Public challenge pages: who sees what, filters, the take-part panel, forms, caching and query counts."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from challenges.models import Challenge, ChallengeDocument, Participation
from outbox.models import OutgoingEmail
from tests.factories import (
    AreaOfActivityFactory,
    ChallengeFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ParticipationFactory,
    RegistrationFactory,
    UpdateFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("challenges:list")
RAISE = reverse("challenges:raise")


def _raise_data(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "title": "Långa avstånd till vården",
        "summary": "Äldre i glesbygden har långt till vårdcentralen.",
        "description": "",
        **overrides,
    }


def test_the_list_shows_public_challenges_only(client):
    ChallengeFactory(title="Flyktingsituationen och folkhälsan")
    ChallengeFactory(title="Hemlig idé", proposed=True)
    ChallengeFactory(title="Avböjd idé", status=Challenge.Status.DECLINED, published=False)
    ChallengeFactory(title="Opublicerad", published=False)
    page = client.get(LIST).content.decode()
    assert "Flyktingsituationen och folkhälsan" in page
    for hidden in ("Hemlig idé", "Avböjd idé", "Opublicerad"):
        assert hidden not in page


def test_filters_and_search_narrow_the_list(client):
    health = AreaOfActivityFactory(name="Folkhälsa", slug="folkhalsa")
    ange = MunicipalityFactory(name="Ånge")
    ChallengeFactory(title="Vaccinationsnivån", areas=[health], status=Challenge.Status.IN_PROGRESS)
    ChallengeFactory(title="Nära vård i Ånge", municipalities=[ange], raised_by=Challenge.RaisedBy.REGION)
    raised = ChallengeFactory(
        title="Goda exempel från 2015",
        raised_by=Challenge.RaisedBy.CIVIL_SOCIETY,
        raising_organisation=OrganisationFactory(),
    )
    assert "Vaccinationsnivån" in client.get(LIST, {"area": "folkhalsa"}).content.decode()
    assert "Nära vård i Ånge" not in client.get(LIST, {"area": "folkhalsa"}).content.decode()
    assert "Nära vård i Ånge" in client.get(LIST, {"municipality": ange.pk}).content.decode()
    assert "Vaccinationsnivån" not in client.get(LIST, {"status": "accepted"}).content.decode()
    civil = client.get(LIST, {"raised_by": "civil_society"}).content.decode()
    assert raised.title in civil and "Vaccinationsnivån" not in civil
    assert "Goda exempel" in client.get(LIST, {"q": "exempel"}).content.decode()
    # Nonsense filters are ignored, never an error.
    assert client.get(LIST, {"status": "x", "municipality": "abc", "page": "zz"}).status_code == 200


def test_a_proposed_challenge_is_404_for_others_and_visible_to_its_raiser_and_coordinators(
    client, representative, other_representative, coordinator
):
    challenge = ChallengeFactory(proposed=True, raising_organisation=representative.organisation, title="Ny idé")
    url = challenge.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(other_representative)
    assert client.get(url).status_code == 404
    client.force_login(representative)
    response = client.get(url)
    assert response.status_code == 200 and "väntar på samordnarna" in response.content.decode()
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_the_detail_page_shows_participants_meetings_updates_and_outcome(client):
    challenge = ChallengeFactory(
        title="Social hållbarhet", status=Challenge.Status.CONCLUDED, outcome="Dialogen fortsätter varje år."
    )
    listed = OrganisationFactory(name="Halmstad Teaters vänner")
    ParticipationFactory(challenge=challenge, organisation=listed)
    ParticipationFactory(
        challenge=challenge, organisation=OrganisationFactory(name="Olistad förening", public_listing=False)
    )
    upcoming = MeetingFactory(title="Kommande dialogmöte", capacity=10)
    RegistrationFactory(meeting=upcoming)
    past = MeetingFactory(title="Dialogmöte 6 oktober", past=True)
    MeetingDocumentFactory(meeting=past, title="Minnesanteckningar")
    challenge.meetings.set([upcoming, past])
    UpdateFactory(challenge=challenge, title="Första dialogmötet")
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert listed.get_absolute_url() in page
    assert "Olistad förening" not in page and "1 organisation som inte finns med" in page
    assert "Kommande dialogmöte" in page and "9 platser kvar" in page
    assert "Minnesanteckningar" in page
    assert "Första dialogmötet" in page
    assert "Dialogen fortsätter varje år." in page


def test_the_meeting_and_organisation_pages_show_their_challenges(client):
    organisation = OrganisationFactory(name="Ukrainahjälpen")
    meeting = MeetingFactory(title="Mötet 4 maj")
    challenge = ChallengeFactory(title="Flyktingsituationen")
    hidden = ChallengeFactory(title="Ännu inte antagen", proposed=True)
    ParticipationFactory(challenge=challenge, organisation=organisation)
    ParticipationFactory(challenge=hidden, organisation=organisation)
    challenge.meetings.add(meeting)
    hidden.meetings.add(meeting)
    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Flyktingsituationen" in meeting_page and "Ännu inte antagen" not in meeting_page
    organisation_page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Flyktingsituationen" in organisation_page and "Ännu inte antagen" not in organisation_page


def test_the_home_page_shows_challenges_in_focus(client):
    ChallengeFactory(title="I fokus", in_focus=True)
    assert "I fokus" in client.get("/").content.decode()


def test_raising_asks_anonymous_visitors_to_log_in_first(client):
    response = client.get(RAISE)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_person_without_a_verified_organisation_is_told_how_to_get_one(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(RAISE)
    assert response.status_code == 403
    assert reverse("organisations:interest") in response.content.decode()


def test_raising_through_the_form_shows_the_proposed_challenge_to_the_raiser(client, representative, coordinator):
    client.force_login(representative)
    response = client.post(RAISE, _raise_data(representative.organisation), follow=True)
    challenge = Challenge.objects.get()
    assert response.redirect_chain[-1][0] == challenge.get_absolute_url()
    assert challenge.status == Challenge.Status.PROPOSED and challenge.raised_by_user == representative
    assert "skickats till samordnarna" in response.content.decode()


def test_a_refused_form_explains_and_keeps_what_was_typed(client, representative):
    client.force_login(representative)
    response = client.post(
        RAISE, _raise_data(representative.organisation, title="", summary="x" * 401, description="Min text")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and 'href="#id_title"' in page and 'href="#id_summary"' in page
    assert "Min text" in page
    assert not Challenge.objects.exists()


def test_nul_characters_are_refused_with_a_message(client, representative):
    client.force_login(representative)
    response = client.post(RAISE, _raise_data(representative.organisation, title="Null\x00tecken"))
    assert response.status_code == 400 and 'href="#id_title"' in response.content.decode()


def test_raising_for_another_organisation_is_refused(client, representative, other_representative):
    client.force_login(representative)
    response = client.post(RAISE, _raise_data(other_representative.organisation))
    assert response.status_code == 400
    assert not Challenge.objects.exists()


def test_the_honeypot_drops_the_submission(client, representative):
    client.force_login(representative)
    client.post(RAISE, _raise_data(representative.organisation, website_address="http://spam.example"))
    assert not Challenge.objects.exists()


def test_the_rate_limit_keeps_the_form(client, representative, settings):
    settings.CHALLENGES_FORM_RATE = "1/m"
    client.force_login(representative)
    client.post(RAISE, _raise_data(representative.organisation))
    response = client.post(RAISE, _raise_data(representative.organisation, title="Andra försöket"))
    assert response.status_code == 429 and "Andra försöket" in response.content.decode()
    assert Challenge.objects.count() == 1


def test_joining_and_leaving_through_the_pages(client, other_representative, coordinator):
    challenge = ChallengeFactory()
    client.force_login(other_representative)
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert reverse("challenges:join", args=[challenge.slug]) in page
    response = client.post(
        reverse("challenges:join", args=[challenge.slug]),
        {"organisation": other_representative.organisation.pk, "role": "takes_part"},
    )
    assert response.status_code == 302
    participation = Participation.objects.get(challenge=challenge)
    leave = reverse("challenges:leave", args=[challenge.slug, participation.pk])
    assert client.get(leave).status_code == 200
    client.post(leave)
    assert not Participation.objects.filter(challenge=challenge).exists()
    assert OutgoingEmail.objects.filter(kind="challenges.left").exists()


def test_a_join_without_a_role_is_explained(client, other_representative):
    challenge = ChallengeFactory()
    client.force_login(other_representative)
    response = client.post(
        reverse("challenges:join", args=[challenge.slug]), {"organisation": other_representative.organisation.pk}
    )
    assert response.status_code == 400 and 'id="error-summary"' in response.content.decode()


def test_one_cannot_take_another_organisation_out(client, representative, other_representative):
    participation = ParticipationFactory(organisation=other_representative.organisation)
    client.force_login(representative)
    url = reverse("challenges:leave", args=[participation.challenge.slug, participation.pk])
    assert client.post(url).status_code == 404
    assert Participation.objects.filter(pk=participation.pk).exists()


def test_joining_a_proposed_challenge_by_url_is_404(client, other_representative):
    challenge = ChallengeFactory(proposed=True)
    client.force_login(other_representative)
    response = client.post(
        reverse("challenges:join", args=[challenge.slug]),
        {"organisation": other_representative.organisation.pk, "role": "follows"},
    )
    assert response.status_code == 404


def test_the_email_preference_is_saved_from_mina_sidor(client, representative):
    client.force_login(representative)
    assert "Skicka e-post till mig när en utmaning" in client.get(reverse("accounts:mypages")).content.decode()
    client.post(reverse("challenges:email_preference"), {})
    from challenges.services import email_preference_get

    assert email_preference_get(user=representative) is False
    client.post(reverse("challenges:email_preference"), {"updates": "on"})
    assert email_preference_get(user=representative) is True


def test_mina_sidor_lists_the_challenges_of_my_organisations(client, representative):
    ParticipationFactory(
        challenge=ChallengeFactory(
            title="Vår föreslagna", proposed=True, raising_organisation=representative.organisation
        ),
        organisation=representative.organisation,
        role=Participation.Role.RAISED,
    )
    ParticipationFactory(challenge=ChallengeFactory(title="Där vi deltar"), organisation=representative.organisation)
    client.force_login(representative)
    page = client.get(reverse("accounts:mypages")).content.decode()
    assert "Vår föreslagna" in page and "Där vi deltar" in page


def test_documents_are_served_only_to_those_who_see_the_challenge(client, media_root, representative):
    pdf = ContentFile(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="beslut.pdf")
    public = ChallengeDocument.objects.create(challenge=ChallengeFactory(), title="Beslut", file=pdf)
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    pdf.seek(0)
    hidden = ChallengeDocument.objects.create(
        challenge=ChallengeFactory(proposed=True, raising_organisation=representative.organisation),
        title="Utkast",
        file=ContentFile(pdf.read(), name="utkast.pdf"),
    )
    assert client.get(hidden.get_absolute_url()).status_code == 404
    client.force_login(representative)
    assert client.get(hidden.get_absolute_url()).status_code == 200


def test_an_accepted_challenge_shows_at_once_although_the_list_is_cached(
    client, coordinator, representative, run_on_commit
):
    from challenges import services

    challenge = ChallengeFactory(proposed=True, raising_organisation=representative.organisation, title="Ny på listan")
    assert "Ny på listan" not in client.get(LIST).content.decode()
    with run_on_commit():  # the page version moves on when the write commits
        services.challenge_accept(challenge=challenge, by=coordinator)
    assert "Ny på listan" in client.get(LIST).content.decode()
    assert client.get(challenge.get_absolute_url()).status_code == 200


def _many(n):
    areas = [AreaOfActivityFactory() for _ in range(3)]
    municipalities = [MunicipalityFactory() for _ in range(3)]
    for _i in range(n):
        challenge = ChallengeFactory(
            areas=areas,
            municipalities=municipalities,
            raised_by=Challenge.RaisedBy.CIVIL_SOCIETY,
            raising_organisation=OrganisationFactory(),
        )
        for _ in range(3):
            ParticipationFactory(challenge=challenge)
            UpdateFactory(challenge=challenge)
        meetings = [MeetingFactory(), MeetingFactory(past=True)]
        MeetingDocumentFactory(meeting=meetings[1])
        challenge.meetings.set(meetings)
    return challenge


@pytest.mark.parametrize("rows", [3, 12])
def test_list_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, rows):
    _many(rows)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_detail_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, rows):
    challenge = _many(1)
    for _ in range(rows):
        ParticipationFactory(challenge=challenge)
        UpdateFactory(challenge=challenge)
        challenge.meetings.add(MeetingFactory(start=timezone.now() + timedelta(days=3)))
    with django_assert_max_num_queries(20):
        assert client.get(challenge.get_absolute_url()).status_code == 200


def test_a_cached_detail_page_costs_no_query_for_anonymous_visitors(client, django_assert_max_num_queries):
    challenge = _many(1)
    client.get(challenge.get_absolute_url())
    with django_assert_max_num_queries(0):  # the whole page comes from the cache
        assert client.get(challenge.get_absolute_url()).status_code == 200


def test_a_cached_list_page_costs_no_query_and_shows_a_sign_up_at_once(
    client, run_on_commit, django_assert_max_num_queries
):
    from meetings import services as meeting_services

    challenge = ChallengeFactory(title="Psykisk hälsa bland unga")
    meeting = MeetingFactory(capacity=10)
    challenge.meetings.add(meeting)
    client.get(LIST, {"q": "psykisk"})
    with django_assert_max_num_queries(0):
        assert "Psykisk hälsa bland unga" in client.get(LIST, {"q": "psykisk"}).content.decode()
    assert "10 platser kvar" in client.get(challenge.get_absolute_url()).content.decode()
    with run_on_commit():
        meeting_services.registration_create(meeting=meeting, name="Ada", email="ada@example.org", consent=True)
    assert "9 platser kvar" in client.get(challenge.get_absolute_url()).content.decode()


def test_cached_meeting_and_organisation_pages_show_a_newly_linked_challenge(
    client, coordinator, other_representative, run_on_commit
):
    from challenges import services

    meeting = MeetingFactory(title="Dialogmöte i Kramfors")
    organisation = other_representative.organisation
    challenge = ChallengeFactory(title="Nära vård i glesbygden")
    assert "Nära vård i glesbygden" not in client.get(meeting.get_absolute_url()).content.decode()
    assert "Nära vård i glesbygden" not in client.get(organisation.get_absolute_url()).content.decode()
    with run_on_commit():  # the meetings' page version moves on after commit
        services.challenge_meetings_link(challenge=challenge, meetings=[meeting], by=coordinator)
        services.participation_join(
            challenge=challenge, organisation=organisation, user=other_representative, role="follows"
        )
    assert "Nära vård i glesbygden" in client.get(meeting.get_absolute_url()).content.decode()
    assert "Nära vård i glesbygden" in client.get(organisation.get_absolute_url()).content.decode()


def test_an_admin_edit_of_the_title_shows_at_once_on_the_cached_pages(client, run_on_commit):
    challenge = ChallengeFactory(title="Gammal rubrik")
    assert "Gammal rubrik" in client.get(LIST).content.decode()
    client.get(challenge.get_absolute_url())
    challenge.title = "Ny rubrik"
    with run_on_commit():
        challenge.save()  # as the admin does: the post_save signal moves the version on at commit
    assert "Ny rubrik" in client.get(LIST).content.decode()
    assert "Ny rubrik" in client.get(challenge.get_absolute_url()).content.decode()


def test_english_pages_are_complete(client):
    challenge = ChallengeFactory(title="Flyktingsituationen")
    client.cookies["django_language"] = "en"
    try:
        page = client.get(challenge.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "We want to take part" in page and "How it is going" in page
    finally:
        from django.utils import translation

        translation.activate("sv")


@pytest.mark.parametrize(
    "language, shown, hidden", [("en", "Public health", "Folkhälsa"), ("sv", "Folkhälsa", "Public health")]
)
def test_the_areas_are_named_in_the_readers_language(client, language, shown, hidden):
    challenge = ChallengeFactory(title="Vård på distans")
    challenge.areas.add(AreaOfActivityFactory(name="Folkhälsa", name_en="Public health", slug="folkhalsa"))
    client.cookies["django_language"] = language
    try:
        for page in (client.get(LIST).content.decode(), client.get(challenge.get_absolute_url()).content.decode()):
            main = page.split("<main", 1)[1].split("</main>", 1)[0]
            assert shown in main
            assert hidden not in main
    finally:
        from django.utils import translation

        translation.activate("sv")


def test_ids_no_column_holds_are_refused_not_a_500(client, representative):
    huge = "9223372036854775808"
    assert client.get(LIST, {"municipality": huge, "area": huge}).status_code == 200
    client.force_login(representative)
    response = client.post(RAISE, _raise_data(representative.organisation, municipalities=[huge], areas=["-1"]))
    assert (
        response.status_code == 400
        and 'href="#id_municipalities_0"' in response.content.decode()
        or (response.status_code == 400 and "id_municipalities" in response.content.decode())
    )
    response = client.post(RAISE, {**_raise_data(representative.organisation), "organisation": huge})
    assert response.status_code == 400
    challenge = ChallengeFactory()
    response = client.post(reverse("challenges:join", args=[challenge.slug]), {"organisation": huge, "role": "follows"})
    assert response.status_code == 400

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import InterestSubmission, Organisation
from tests.factories import (
    AreaOfActivityFactory,
    ContactFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
INTEREST = reverse("organisations:interest")


def interest_data(**overrides):
    data = {
        "organisation_name": "Möckelnföreningarna",
        "organisation_number": "802002-4280",
        "legal_form": "ideell_forening",
        "contact_name": "Sofia Tungfelt",
        "contact_email": "sofia@example.se",
        "contact_phone": "070-000 00 00",
        "contact_role": "contact",
        "wants_present_example": "on",
        "message": "Projektet Cross",
        "consent": "on",
    }
    data.update(overrides)
    return data


# Directory


def test_directory_lists_only_verified_organisations_that_consented(client):
    OrganisationFactory(name="Synlig förening")
    OrganisationFactory(name="Väntande förening", status=Organisation.Status.SUBMITTED)
    OrganisationFactory(name="Hemlig förening", public_listing=False)
    OrganisationFactory(name="Vilande förening", status=Organisation.Status.INACTIVE)
    content = client.get(DIRECTORY).content.decode()
    assert "Synlig förening" in content
    assert "Väntande förening" not in content
    assert "Hemlig förening" not in content
    assert "Vilande förening" not in content


def test_directory_searches_by_name(client):
    OrganisationFactory(name="ABF Västernorrland")
    OrganisationFactory(name="Sensus Västernorrland")
    content = client.get(DIRECTORY, {"q": "abf"}).content.decode()
    assert "ABF Västernorrland" in content
    assert "Sensus Västernorrland" not in content


def test_directory_filters_by_municipality(client):
    sundsvall = MunicipalityFactory(name="Sundsvall")
    OrganisationFactory(name="I Sundsvall", municipality=sundsvall)
    OrganisationFactory(name="I Timrå", municipality=MunicipalityFactory(name="Timrå"))
    content = client.get(DIRECTORY, {"municipality": sundsvall.pk}).content.decode()
    assert "I Sundsvall" in content
    assert "I Timrå" not in content


@pytest.mark.parametrize("params", [{"municipality": "x"}, {"area": "' OR 1=1"}, {"municipality": "9" * 30}])
def test_a_filter_value_that_names_nothing_is_said_and_the_whole_list_shown(client, params):
    OrganisationFactory(name="Musikförening")
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    (name,) = params
    assert f'href="#id_{name}"' in summary and "Välj ett giltigt alternativ" in summary
    assert 'aria-invalid="true"' in html and "Musikförening" in html


def test_a_valid_filter_shows_no_error_summary(client):
    sundsvall = MunicipalityFactory(name="Sundsvall")
    assert 'id="error-summary"' not in client.get(DIRECTORY, {"municipality": sundsvall.pk}).content.decode()


def test_directory_filters_by_area(client):
    culture = AreaOfActivityFactory(name="Kultur")
    OrganisationFactory(name="Musikförening", areas=[culture])
    OrganisationFactory(name="Idrottsförening", areas=[AreaOfActivityFactory(name="Idrott")])
    content = client.get(DIRECTORY, {"area": culture.pk}).content.decode()
    assert "Musikförening" in content
    assert "Idrottsförening" not in content


def test_directory_is_paginated_by_twenty_and_keeps_the_filter_in_page_links(client):
    municipality = MunicipalityFactory()
    OrganisationFactory.create_batch(25, municipality=municipality)
    response = client.get(DIRECTORY, {"municipality": municipality.pk})
    assert len(response.context["page_obj"].object_list) == 20
    assert f"municipality={municipality.pk}&amp;page=2" in response.content.decode()


def _directory_queries(client):
    cache.clear()  # measure the uncached rendering, not a cache hit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(DIRECTORY)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_directory_query_count_is_the_same_for_5_and_500_organisations(client, django_assert_max_num_queries):
    areas = AreaOfActivityFactory.create_batch(3)
    OrganisationFactory.create_batch(5, areas=areas)
    with_5 = _directory_queries(client)
    OrganisationFactory.create_batch(495, areas=areas)
    with django_assert_max_num_queries(with_5):
        client.get(DIRECTORY)
    assert _directory_queries(client) == with_5


def test_detail_shows_profile_but_no_contact_data(client):
    organisation = OrganisationFactory(description="Vi spelar musik.")
    ContactFactory(organisation=organisation, name="Hemlig Person", email="hemlig@example.se", phone="070-999 99 99")
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Vi spelar musik." in content
    assert "Hemlig Person" not in content
    assert "hemlig@example.se" not in content
    assert "070-999 99 99" not in content


def test_detail_of_unverified_organisation_is_not_found_for_the_public(client):
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_detail_of_unlisted_organisation_is_visible_to_its_representative(client):
    link = RepresentativeFactory(organisation__public_listing=False)
    client.force_login(link.user)
    response = client.get(link.organisation.get_absolute_url())
    assert response.status_code == 200
    assert reverse("organisations:edit", args=[link.organisation.slug]) in response.content.decode()


# Interest form


def test_interest_form_consent_is_not_pre_ticked_and_links_to_privacy_page(client):
    content = client.get(INTEREST).content.decode()
    assert 'name="consent"' in content
    assert "checked" not in content.split('name="consent"')[1].split(">")[0]
    assert reverse("core:privacy") in content


def test_interest_form_offers_public_listing_pre_ticked_as_an_opt_out(client):
    content = client.get(INTEREST).content.decode()
    listing = content.split('name="wants_public_listing"')[1].split(">")[0]
    assert "checked" in listing


def test_interest_post_redirects_to_thanks_and_mails_sender_and_coordinators(
    client, coordinator, run_on_commit, mailoutbox
):
    with run_on_commit():
        response = client.post(INTEREST, interest_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:thanks")
    thanks = client.get(response["Location"]).content.decode()
    assert "Möckelnföreningarna" in thanks
    assert sorted(m.to[0] for m in mailoutbox) == ["samordnare@example.se", "sofia@example.se"]
    submission = InterestSubmission.objects.get()
    assert submission.wants_present_example and not submission.wants_dialogue_meetings


def test_interest_with_wrong_check_digit_names_the_field_and_keeps_other_values(client):
    response = client.post(INTEREST, interest_data(organisation_number="802002-4281"))
    content = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in content
    assert 'href="#id_organisation_number"' in content
    assert 'value="Sofia Tungfelt"' in content
    assert 'value="802002-4281"' in content
    assert "Projektet Cross" in content
    assert Organisation.objects.count() == 0


def test_interest_without_any_wish_or_message_asks_for_one(client):
    data = interest_data(message="")
    del data["wants_present_example"]
    response = client.post(INTEREST, data)
    assert response.status_code == 400
    assert InterestSubmission.objects.count() == 0


def test_error_summary_links_the_missing_wish_to_the_first_choice(client):
    data = interest_data(message="")
    del data["wants_present_example"]
    content = client.post(INTEREST, data).content.decode()
    summary = content[content.index('id="error-summary"') : content.index("</ul>", content.index('id="error-summary"'))]
    assert '<a href="#id_wants_dialogue_meetings">Välj minst en sak' in summary
    assert 'id="id_wants_dialogue_meetings"' in content


def test_honeypot_submission_is_dropped_silently(client):
    response = client.post(INTEREST, interest_data(website_address="http://spam.example"))
    assert response.status_code == 302
    assert InterestSubmission.objects.count() == 0


def test_rate_limit_refuses_the_sixth_post_in_a_minute_and_keeps_what_was_typed(client, settings):
    settings.ORGANISATIONS_INTEREST_RATE = "5/m"
    cache.clear()
    for n in range(5):
        client.post(INTEREST, interest_data(contact_email=f"person{n}@example.se"))
    response = client.post(INTEREST, interest_data(contact_email="sjatte@example.se"))
    content = response.content.decode()
    assert response.status_code == 429
    assert 'value="sjatte@example.se"' in content
    assert InterestSubmission.objects.count() == 5


def test_same_number_submitted_twice_through_the_form_gives_one_organisation(client):
    client.post(INTEREST, interest_data())
    client.post(INTEREST, interest_data(organisation_number="8020024280", contact_email="ny@example.se"))
    assert Organisation.objects.count() == 1
    assert InterestSubmission.objects.count() == 2


def test_interest_form_is_in_english_when_english_is_chosen(client):
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(INTEREST, interest_data(organisation_number="802002-4281"))
    assert "check digit" in response.content.decode()


# Representatives


def test_representative_edits_the_public_profile(client):
    link = RepresentativeFactory()
    client.force_login(link.user)
    url = reverse("organisations:edit", args=[link.organisation.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"description": "Ny text", "website": "https://example.se", "public_listing": "on"})
    assert response.status_code == 302
    link.organisation.refresh_from_db()
    assert link.organisation.description == "Ny text"


def test_edit_by_another_user_is_forbidden(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    url = reverse("organisations:edit", args=[organisation.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"description": "Kapat"}).status_code == 403


def test_edit_by_anonymous_visitor_asks_to_log_in(client):
    organisation = OrganisationFactory()
    response = client.get(reverse("organisations:edit", args=[organisation.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_edit_with_invalid_website_shows_error_summary(client):
    link = RepresentativeFactory()
    client.force_login(link.user)
    response = client.post(reverse("organisations:edit", args=[link.organisation.slug]), {"website": "inte en adress"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_my_pages_lists_my_organisations_with_edit_links(client):
    link = RepresentativeFactory(organisation__name="Min förening")
    client.force_login(link.user)
    content = client.get(reverse("accounts:mypages")).content.decode()
    assert "Min förening" in content
    assert reverse("organisations:edit", args=[link.organisation.slug]) in content


def test_home_page_shows_number_of_listed_organisations(client):
    OrganisationFactory.create_batch(3)
    content = client.get(reverse("core:home")).content.decode()
    assert reverse("organisations:directory") in content
    assert "3" in content.split('id="home-organisations-heading"')[1]


def test_interest_form_is_prefilled_for_a_logged_in_user(client):
    user = UserFactory(full_name="Rut Representant", email="rut@example.se")
    client.force_login(user)
    content = client.get(INTEREST).content.decode()
    assert 'value="Rut Representant"' in content
    assert 'value="rut@example.se"' in content

"""The cached public pages (directory, detail, home count, filter options): a hit costs no query,
and an edit through a service or the admin shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from organisations import selectors, services
from organisations.models import Organisation
from tests.factories import (
    AreaOfActivityFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
CHANGELIST = reverse("admin:organisations_organisation_changelist")


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_directory_second_visit_is_served_from_the_cache_without_queries(client):
    OrganisationFactory.create_batch(3)
    _, first = _queries(client, DIRECTORY, {"q": "förening"})
    response, second = _queries(client, DIRECTORY, {"q": "förening"})
    assert first > 0
    assert second == 0
    assert "Föreningen" in response.content.decode()


def test_directory_caches_each_search_separately(client):
    OrganisationFactory(name="ABF Västernorrland")
    OrganisationFactory(name="Sensus Västernorrland")
    client.get(DIRECTORY, {"q": "abf"})
    content = client.get(DIRECTORY, {"q": "sensus"}).content.decode()
    assert "Sensus Västernorrland" in content
    assert "ABF Västernorrland" not in content


def test_directory_shows_an_organisation_verified_through_the_service_at_once(client, coordinator, run_on_commit):
    organisation = OrganisationFactory(name="Nyverifierad förening", status=Organisation.Status.SUBMITTED)
    assert "Nyverifierad förening" not in client.get(DIRECTORY).content.decode()
    with run_on_commit():
        services.organisation_verify(organisation=organisation, by=coordinator)
    assert "Nyverifierad förening" in client.get(DIRECTORY).content.decode()


def test_directory_drops_an_organisation_marked_inactive_in_the_admin_at_once(client, coordinator, run_on_commit):
    OrganisationFactory(name="Snart vilande förening")
    assert "Snart vilande förening" in client.get(DIRECTORY).content.decode()
    organisation = Organisation.objects.get(name="Snart vilande förening")
    client.force_login(coordinator)
    with run_on_commit():
        client.post(CHANGELIST, {"action": "mark_inactive", "_selected_action": [organisation.pk]})
    client.logout()
    assert "Snart vilande förening" not in client.get(DIRECTORY).content.decode()


def test_filter_options_show_a_new_municipality_and_area_at_once(client, run_on_commit):
    OrganisationFactory()
    client.get(DIRECTORY)
    with run_on_commit():
        MunicipalityFactory(name="Ånge")
        AreaOfActivityFactory(name="Friluftsliv", slug="friluftsliv")
    content = client.get(DIRECTORY).content.decode()
    assert ">Ånge</option>" in content
    assert ">Friluftsliv</option>" in content


def test_filter_keeps_the_chosen_municipality_selected(client):
    sundsvall = MunicipalityFactory(name="Sundsvall")
    OrganisationFactory(municipality=sundsvall)
    content = client.get(DIRECTORY, {"municipality": sundsvall.pk}).content.decode()
    assert f'<option value="{sundsvall.pk}" selected>Sundsvall</option>' in content


def test_detail_second_anonymous_visit_is_served_from_the_cache_without_queries(client):
    organisation = OrganisationFactory()
    _queries(client, organisation.get_absolute_url())
    _, second = _queries(client, organisation.get_absolute_url())
    assert second == 0


def test_detail_shows_a_profile_edit_through_the_service_at_once(client, run_on_commit):
    organisation = OrganisationFactory(description="Gammal beskrivning.")
    representative = RepresentativeFactory(organisation=organisation)
    assert "Gammal beskrivning." in client.get(organisation.get_absolute_url()).content.decode()
    with run_on_commit():
        services.organisation_profile_update(
            organisation=organisation,
            user=representative.user,
            description="Ny beskrivning.",
            website="",
            areas=[],
            municipality=organisation.municipality,
            public_listing=True,
        )
    content = client.get(organisation.get_absolute_url()).content.decode()
    assert "Ny beskrivning." in content
    assert "Gammal beskrivning." not in content


def test_detail_edit_link_is_never_served_to_anonymous_visitors_from_the_cache(client):
    organisation = OrganisationFactory()
    representative = RepresentativeFactory(organisation=organisation)
    url = organisation.get_absolute_url()
    client.get(url)
    client.force_login(representative.user)
    assert reverse("organisations:edit", args=[organisation.slug]) in client.get(url).content.decode()
    client.logout()
    assert reverse("organisations:edit", args=[organisation.slug]) not in client.get(url).content.decode()


def test_detail_caches_each_language_separately(client):
    organisation = OrganisationFactory()
    url = organisation.get_absolute_url()
    with translation.override("sv"):  # the request activates English; put Swedish back for the next test
        assert "Tillbaka till alla organisationer" in client.get(url).content.decode()
        client.cookies["django_language"] = "en"
        assert "Back to all organisations" in client.get(url).content.decode()


def test_home_count_shows_a_verified_organisation_at_once(coordinator, run_on_commit):
    OrganisationFactory()
    organisation = OrganisationFactory(status=Organisation.Status.SUBMITTED)
    assert selectors.organisation_public_count() == 1
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.organisation_public_count() == 1
    assert len(ctx.captured_queries) == 0
    with run_on_commit():
        services.organisation_verify(organisation=organisation, by=coordinator)
    assert selectors.organisation_public_count() == 2

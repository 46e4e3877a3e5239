"""A region's portal lists its own organisations first; those of a partner county (the demo's Västra Götaland
signatories in Alingsås, Borås, …) come after them, whatever their names. The region in force's name says
which county is its own."""

import copy

import pytest
from django.urls import reverse

from core.regions import region_scope
from organisations import selectors
from organisations.models import Organisation
from tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")


def _listed(name, municipality):
    return OrganisationFactory(
        name=name, municipality=municipality, status=Organisation.Status.VERIFIED, public_listing=True
    )


def _named(region, name):
    """The region in force under another name (in memory only)."""
    renamed = copy.copy(region)
    renamed.name = name
    return region_scope(renamed)


@pytest.fixture
def partner_and_own(region):
    assert region.name == "Region Västernorrland"
    alingsas = MunicipalityFactory(name="Alingsås", county="Västra Götaland")
    sundsvall = MunicipalityFactory(name="Sundsvall", county="Västernorrland")
    _listed("Alingsås Pensionärsförening", alingsas)
    _listed("Sundsvalls Schackklubb", sundsvall)
    _listed("Örnsköldsviks Scoutkår", MunicipalityFactory(name="Örnsköldsvik", county="Västernorrland"))
    _listed("Anonyma föreningen", None)


def test_directory_lists_the_portals_own_organisations_before_a_partner_regions(client, partner_and_own):
    names = [o.name for o in client.get(DIRECTORY).context["page_obj"].object_list]
    assert names == [
        "Anonyma föreningen",
        "Sundsvalls Schackklubb",
        "Örnsköldsviks Scoutkår",
        "Alingsås Pensionärsförening",
    ]


def test_another_regions_portal_puts_its_own_first(partner_and_own, region):
    with _named(region, "Västra Götalandsregionen"):
        names = [o.name for o in selectors.organisation_directory_queryset()]
    assert names[0] == "Alingsås Pensionärsförening"


def test_without_a_recognised_region_the_directory_is_alphabetical(partner_and_own, region):
    with _named(region, "Samverkansportalen"):
        names = [o.name for o in selectors.organisation_directory_queryset()]
    assert names == [
        "Alingsås Pensionärsförening",
        "Anonyma föreningen",
        "Sundsvalls Schackklubb",
        "Örnsköldsviks Scoutkår",
    ]


def test_a_search_keeps_the_own_region_first(client, partner_and_own):
    names = [o.name for o in client.get(DIRECTORY, {"q": "s"}).context["page_obj"].object_list]
    assert names.index("Sundsvalls Schackklubb") < names.index("Alingsås Pensionärsförening")


def test_building_the_directory_queryset_reads_nothing(django_assert_num_queries):
    # The API's schema builds it at start-up (manage.py check --deploy), before there is a database.
    with django_assert_num_queries(0):
        selectors.organisation_directory_queryset()

"""Accent-insensitive search and organisation numbers in any spelling, in the directory and the signatory list."""

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def red_cross():
    return OrganisationFactory(
        name="Röda Korsets regionråd", organisation_number="802002-4280", status="verified", public_listing=True
    )


@pytest.mark.parametrize("term", ["röda", "roda", "RODA", "RÖDA", "regionrad", "Regionråd"])
def test_directory_finds_the_organisation_with_or_without_accents(client, red_cross, term):
    OrganisationFactory(name="Idrottsföreningen Norrstjärnan", status="verified", public_listing=True)
    page = client.get("/organisationer/", {"q": term}).content.decode()
    assert "Röda Korsets regionråd" in page
    assert "Norrstjärnan" not in page


@pytest.mark.parametrize("term", ["8020024280", "802002-4280", "802002 4280", "16802002-4280", "802002–4280"])
def test_directory_finds_the_organisation_by_number_in_any_spelling(client, red_cross, term):
    OrganisationFactory(name="Idrottsföreningen Norrstjärnan", status="verified", public_listing=True)
    page = client.get("/organisationer/", {"q": term}).content.decode()
    assert "Röda Korsets regionråd" in page
    assert "Norrstjärnan" not in page


def test_a_search_that_matches_nothing_says_so_without_error(client, red_cross):
    response = client.get("/organisationer/", {"q": "zzzz"})
    assert response.status_code == 200
    assert "Röda Korsets regionråd" not in response.content.decode()


@pytest.fixture
def agreement():
    from tests.factories import AgreementFactory

    return AgreementFactory()


def _signatories(client, agreement, **params):
    from django.urls import reverse

    return client.get(reverse("agreements:signatories", kwargs={"slug": agreement.slug}), params).content.decode()


@pytest.mark.parametrize("term", ["boras", "BORÅS", "Borås"])
def test_signatory_list_finds_with_or_without_accents(client, agreement, term):
    from tests.factories import SignatoryFactory

    SignatoryFactory(agreement=agreement, organisation__name="Borås Scoutkår")
    SignatoryFactory(agreement=agreement, organisation__name="Skövde Kulturförening")
    page = _signatories(client, agreement, q=term)
    assert "Borås Scoutkår" in page
    assert "Skövde Kulturförening" not in page


def test_signatory_list_finds_by_organisation_number_in_any_spelling(client, agreement):
    from tests.factories import SignatoryFactory

    signatory = SignatoryFactory(agreement=agreement, organisation__name="Borås Scoutkår")
    SignatoryFactory(agreement=agreement, organisation__name="Skövde Kulturförening")
    number = signatory.organisation.organisation_number.replace("-", "")
    page = _signatories(client, agreement, q=f"16{number}")
    assert "Borås Scoutkår" in page
    assert "Skövde Kulturförening" not in page

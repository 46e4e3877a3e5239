"""The agreement's public pages: the signatory list for Swedish Excel, the sign card, the working group."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from agreements.models import Signatory
from organisations.models import Representative
from tests.factories import AgreementFactory, SignatoryFactory, UserFactory
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def agreement():
    return AgreementFactory()


def test_excel_csv_is_semicolon_separated_with_bom_and_keeps_swedish_letters(client, agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Föreningen Åsa, Älvsbyn")
    content = client.get(reverse("agreements:signatories_excel_csv", kwargs={"slug": agreement.slug})).content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.count(";") == 3
    assert row.startswith("Föreningen Åsa, Älvsbyn;")


def test_xlsx_download_opens_with_the_list(client, agreement):
    from openpyxl import load_workbook

    SignatoryFactory(agreement=agreement, organisation__name="=Föreningen")
    response = client.get(reverse("agreements:signatories_xlsx", kwargs={"slug": agreement.slug}))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Organisation"
    assert rows[1][0] == "'=Föreningen"  # a formula from the public is neutralised


def test_the_list_page_offers_excel_beside_the_documented_csv(client, agreement):
    page = client.get(reverse("agreements:signatories", kwargs={"slug": agreement.slug})).content.decode()
    assert "undertecknare.xlsx" in page
    assert "undertecknare-excel.csv" in page
    assert "undertecknare.csv" in page


def test_an_organisation_that_has_signed_is_not_asked_to_sign_again(client, agreement):
    user = UserFactory()
    organisation = OrganisationFactory(name="Scoutkåren")
    Representative.objects.create(user=user, organisation=organisation)
    SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.PENDING)
    client.force_login(user)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert reverse("agreements:sign", kwargs={"slug": agreement.slug}) not in page
    assert "Scoutkåren" in page
    client.logout()
    anonymous = client.get(agreement.get_absolute_url()).content.decode()
    assert reverse("agreements:sign", kwargs={"slug": agreement.slug}) in anonymous

"""The open data downloads of the signatory list (agreements.exports), made from the API's serializers,
and the chart geometry (agreements.charts)."""

import datetime as dt
import json

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from agreements import charts, exports, selectors
from agreements.models import Signatory
from agreements.selectors import GrowthPoint
from tests.factories import MunicipalityFactory, OrganisationFactory, SignatoryFactory

pytestmark = pytest.mark.django_db


def _json_url(agreement):
    return reverse("agreements:signatories_json", kwargs={"slug": agreement.slug})


def test_the_json_download_is_the_documented_document_from_the_api_serializer(client, agreement):
    agreement.adopted_on = dt.date(2013, 11, 5)
    agreement.save()
    borås = MunicipalityFactory(name="Borås")
    SignatoryFactory(
        agreement=agreement,
        organisation=OrganisationFactory(
            name="Allmänna Föreningen", organisation_number="802002-4280", municipality=borås
        ),
        signed_on=dt.date(2014, 4, 10),
        signed_by_name="Hemlig Person",
    )
    SignatoryFactory(
        agreement=agreement,
        organisation=OrganisationFactory(name="Bygdens Förening", organisation_number="", municipality=None),
        signed_on=dt.date(2015, 1, 2),
    )
    SignatoryFactory(agreement=agreement, status=Signatory.Status.PENDING)
    response = client.get(_json_url(agreement))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'inline; filename="samverkan-undertecknare.json"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response.content.startswith(b'{\n "agreement": {\n  "title": "\xc3\x96verenskommelse')  # UTF-8, indent 1
    assert (
        json.loads(response.content)
        == {
            "agreement": {
                "title": "Överenskommelse om samverkan",
                "slug": "samverkan",
                "status": agreement.status,
                "adopted": "2013-11-05",
                "url": f"{django_settings.SITE_URL}{agreement.get_absolute_url()}",  # cached for every visitor: on SITE_URL, not the Host
            },
            "count": 2,
            "signatories": [
                {
                    "organisation": "Allmänna Föreningen",
                    "organisation_number": "802002-4280",
                    "municipality": "Borås",
                    "date_signed": "2014-04-10",
                },
                {
                    "organisation": "Bygdens Förening",
                    "organisation_number": "",
                    "municipality": "",  # a missing value is an empty text, as in the CSV
                    "date_signed": "2015-01-02",
                },
            ],
        }
    )
    assert b"Hemlig Person" not in response.content


def test_every_format_has_the_same_rows(agreement):
    SignatoryFactory(agreement=agreement, organisation__name="Föreningen Ett", signed_on=dt.date(2016, 3, 1))
    signatories = selectors.signatory_public_list(agreement=agreement, search="", municipality=None, area=None)
    csv_text = exports.signatories_csv(signatories).decode("utf-8-sig")
    excel_text = exports.signatories_excel_csv(signatories).decode("utf-8-sig")
    assert csv_text.splitlines()[1].split(",")[0] == "Föreningen Ett"
    assert excel_text.splitlines()[1].split(";")[0] == "Föreningen Ett"
    assert exports.signatories_xlsx(signatories)[:2] == b"PK"  # a workbook (zip)


def test_growth_chart_geometry():
    assert charts.signatory_growth_chart([]) is None
    chart = charts.signatory_growth_chart(
        [GrowthPoint(year=2014, count=10, added=10), GrowthPoint(year=2015, count=5, added=0)], width=208, height=140
    )
    assert (chart["width"], chart["height"], chart["baseline"]) == (208, 140, 100)
    first, second = chart["bars"]
    # plot height 76 (140 - 24 - 40); each slot is 100 wide with a bar of 64 in its middle
    assert first == {
        "year": 2014,
        "count": 10,
        "x": 26.0,
        "y": 24.0,
        "width": 64.0,
        "height": 76.0,
        "cx": 58.0,
        "value_y": 18.0,
        "label_y": 120,
    }
    assert (second["x"], second["height"], second["y"]) == (126.0, 38.0, 62.0)  # half the count, half the bar


def test_growth_chart_of_years_without_signatories_draws_flat_bars():
    chart = charts.signatory_growth_chart([GrowthPoint(year=2020, count=0, added=0)])
    assert chart["bars"][0]["height"] == 0 and chart["bars"][0]["y"] == chart["baseline"]

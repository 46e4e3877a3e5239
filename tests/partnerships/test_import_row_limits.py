"""The import of earlier decisions (partnerships.resources.DecisionResource) reports a cell the database
cannot hold as that row's error, before anything reaches the database: an amount no column holds (past
PositiveIntegerField, PostgreSQL's "integer out of range", or past float, "1e309"), or a control character
(PostgreSQL refuses NUL in text: the error would abort the transaction, and every later row with it)."""

import pytest
import tablib

from partnerships.models import Application, Decision, GrantCall
from partnerships.resources import DecisionResource
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Diarienummer",
    "Organisationsnummer",
    "Organisation",
    "Bidragsform",
    "Ändamål",
    "Beslut",
    "Beviljat belopp",
    "Sökt belopp",
    "Beslutsdatum",
    "Återrapport senast",
    "Motivering",
]


def _row(**cells):
    row = {
        "Diarienummer": "RS-2024-1",
        "Organisationsnummer": "802000-1114",
        "Organisation": "Föreningen Gemenskap",
        "Bidragsform": "Föreningsbidrag 2024",
        "Ändamål": "Sommarläger",
        "Beslut": "Beviljat",
        "Beviljat belopp": "15000",
        "Sökt belopp": "20000",
        "Beslutsdatum": "2024-05-02",
        "Återrapport senast": "",
        "Motivering": "",
    }
    row.update(cells)
    return [row[header] for header in HEADERS]


def _import(*rows):
    return DecisionResource().import_data(tablib.Dataset(*rows, headers=HEADERS), dry_run=False)


def _row_errors(result) -> dict[int, str]:
    """Each refused row's number and its messages, as the admin shows them."""
    return {row.number: " ".join(row.error.messages) for row in result.invalid_rows}


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Föreningen Gemenskap", organisation_number="802000-1114")


@pytest.mark.parametrize(
    "cells",
    [
        {"Beviljat belopp": "3000000000"},
        {"Beviljat belopp": "1e309"},
        {"Beviljat belopp": "inf"},
        {"Beviljat belopp": "NaN"},
        {"Beviljat belopp": "9" * 5000},
        {"Sökt belopp": "3000000000"},
        {"Sökt belopp": "-1e309"},
    ],
    ids=["past-the-column", "past-float", "infinity", "nan", "5000-digits", "requested-past-the-column", "minus-inf"],
)
def test_an_amount_no_column_holds_is_the_rows_error(organisation, postgres_nul_rule, cells):
    result = _import(_row(**cells), _row(Diarienummer="RS-2024-2", **{"Bidragsform": "Annat bidrag"}))
    assert not result.has_errors()  # no exception, no database error
    errors = _row_errors(result)
    assert list(errors) == [1]  # the second row is fine, and not refused for the first one's error
    assert "kronor" in errors[1] or "kronor" in errors[1].lower()
    assert not Decision.objects.exists() and not Application.objects.exists()  # a bad row imports nothing


@pytest.mark.parametrize("column", ["Diarienummer", "Bidragsform", "Ändamål", "Motivering", "Organisationsnummer"])
@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x08"])
def test_a_control_character_is_the_rows_error(organisation, postgres_nul_rule, column, character):
    row = _row(**{column: _row()[HEADERS.index(column)] + character + "X"})
    result = _import(row, _row(Diarienummer="RS-2024-2", **{"Bidragsform": "Annat bidrag"}))
    assert not result.has_errors()
    errors = _row_errors(result)
    assert list(errors) == [1]
    assert not GrantCall.objects.exists() and not Decision.objects.exists()


def test_a_large_amount_a_column_holds_is_imported(organisation):
    result = _import(_row(**{"Beviljat belopp": "2 147 483 647", "Sökt belopp": "2147483647,0"}))
    assert not result.has_errors() and not result.has_validation_errors()
    assert Decision.objects.get().amount == 2_147_483_647

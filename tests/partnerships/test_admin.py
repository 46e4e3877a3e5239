"""The coordinators' admin: assessment page, decision page, the announce action asks first, the export in a
municipal grant system's columns (formulas neutralised) and the import of earlier decisions."""

import datetime as dt

import pytest
import tablib
from django.urls import reverse

from outbox.models import OutgoingEmail
from partnerships import services
from partnerships.models import Application, Assessment, Decision, GrantCall
from partnerships.resources import DecisionResource
from tests.factories import OrganisationFactory
from tests.factories.partnerships import NOW, ApplicationFactory, DecisionFactory

from .conftest import application_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(clock, client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def submitted(call, organisation, representative):
    draft = services.application_save(
        call=call, organisation=organisation, user=representative, now=NOW, **application_kwargs(call)
    )
    return services.application_submit(application=draft, user=representative, now=NOW)


def test_the_assessment_page_saves_scores_per_criterion(staff, coordinator, submitted):
    url = reverse("admin:partnerships_application_assess", args=[submitted.pk])
    assert staff.get(url).status_code == 200
    data = {f"score_{c.pk}": "4" for c in submitted.call.criteria.all()} | {"complete": "on", "comment": "Bra"}
    response = staff.post(url, data)
    assert response.status_code == 302
    assessment = Assessment.objects.get(assessor=coordinator)
    assert assessment.completed_at is not None and assessment.total() == 8


def test_a_declared_conflict_on_the_page_keeps_the_assessor_out(staff, coordinator, submitted):
    url = reverse("admin:partnerships_application_assess", args=[submitted.pk])
    staff.post(url, {"conflict_of_interest": "on", "conflict_note": "Styrelseledamot"})
    data = {f"score_{c.pk}": "4" for c in submitted.call.criteria.all()} | {"complete": "on"}
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "jäv" in response.text
    assert not Assessment.objects.get(assessor=coordinator).scores.exists()


def test_the_decision_page_refuses_a_grant_over_the_ceiling_and_keeps_input(staff, submitted):
    Application.objects.filter(pk=submitted.pk).update(status="assessed")
    url = reverse("admin:partnerships_application_decide", args=[submitted.pk])
    response = staff.post(url, {"outcome": "granted", "amount": "90000"})
    assert response.status_code == 200 and 'value="90000"' in response.text
    assert not Decision.objects.exists()
    assert staff.post(url, {"outcome": "granted", "amount": "25000"}).status_code == 302
    assert Decision.objects.get().decided_at is None


def test_announcing_asks_first_then_mails(staff, submitted, representative):
    Application.objects.filter(pk=submitted.pk).update(status="assessed")
    submitted.refresh_from_db()
    decision = services.decision_prepare(application=submitted, outcome="granted", amount=20_000, by=None)
    url = reverse("admin:partnerships_decision_changelist")
    data = {"action": "announce_decisions", "_selected_action": [decision.pk]}
    response = staff.post(url, data)
    assert response.status_code == 200 and "Ja, meddela" in response.text
    assert not OutgoingEmail.objects.filter(kind__startswith="partnerships.decision").exists()
    staff.post(url, {**data, "confirm": "yes"})
    assert Decision.objects.get().decided_at is not None
    assert OutgoingEmail.objects.get(kind="partnerships.decision.granted").to == representative.email


def test_the_export_has_the_grant_systems_columns_and_neutralises_formulas():
    organisation = OrganisationFactory(name='=HYPERLINK("http://x")', organisation_number="802000-1114")
    application = ApplicationFactory(organisation=organisation, status="granted", submitted_at=NOW)
    DecisionFactory(application=application, amount=12_000, public_purpose="+Läger", case_number="RS-1")
    DecisionFactory(application=ApplicationFactory(status="assessed", submitted_at=NOW), decided_at=None)
    dataset = DecisionResource().export()
    assert dataset.headers[:6] == [
        "Diarienummer",
        "Organisationsnummer",
        "Organisation",
        "Bidragsform",
        "Ändamål",
        "Beslut",
    ]
    assert len(dataset) == 1  # only announced decisions
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["Organisation"].startswith("'=") and row["Ändamål"] == "'+Läger"
    assert row["Beslut"] == "Beviljat" and row["Beviljat belopp"] == 12_000 or row["Beviljat belopp"] == "12000"


def _sheet(*rows):
    headers = [
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
    return tablib.Dataset(*rows, headers=headers)


def test_earlier_decisions_are_imported_with_their_call():
    OrganisationFactory(name="Föreningen Gemenskap", organisation_number="802000-1114")
    sheet = _sheet(
        [
            "RS-2024-1",
            "802000-1114",
            "Föreningen Gemenskap",
            "Föreningsbidrag 2024",
            "Sommarläger",
            "Beviljat",
            "15 000",
            "20000",
            "2024-05-02",
            "2025-05-01",
            "",
        ],
    )
    result = DecisionResource().import_data(sheet, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    decision = Decision.objects.get()
    assert decision.amount == 15_000 and decision.case_number == "RS-2024-1"
    assert decision.decided_at.date() == dt.date(2024, 5, 2)
    assert decision.application.status == "granted"
    assert GrantCall.objects.get().status == "closed"


def test_an_import_with_a_bad_row_imports_nothing():
    OrganisationFactory(organisation_number="802000-1114")
    sheet = _sheet(
        ["", "802000-1114", "", "Föreningsbidrag 2024", "Läger", "Beviljat", "1000", "", "2024-05-02", "", ""],
        ["", "802000-1114", "", "Föreningsbidrag 2024", "Läger", "Kanske", "1000", "", "2024-05-02", "", ""],
    )
    result = DecisionResource().import_data(sheet, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Decision.objects.exists() and not Application.objects.exists()

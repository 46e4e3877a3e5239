"""Public records (issue 27, items 1 and 2): case numbers in the region's format with a counter per region
and year; retention rules that run only under the region's disposal decision; the records page."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.urls import reverse

from agreements.models import Agreement
from challenges.models import Challenge
from core.case_numbers import case_number_next, case_number_regex, format_case_number
from core.checks import retention_rules_have_decisions
from core.models import CaseNumberCounter, DisposalDecision
from core.regions import region_scope
from core.retention import SKIPPED, personal_data_purge
from tests.factories.agreements import AgreementFactory
from tests.factories.challenges import ChallengeFactory
from tests.factories.regions import record_disposal_decisions

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def with_format(region):
    region.case_number_format = "RS {year}/{number}"
    region.save(update_fields=["case_number_format"])
    return region


def _agreement_form_clean(agreement, case_number):
    agreement.case_number = case_number
    agreement.full_clean()


# The format ------------------------------------------------------------------------------------------


def test_the_format_writes_and_recognises_the_regions_numbers():
    assert format_case_number("RS {year}-{number:5}", year=2026, number=42) == "RS 2026-00042"
    assert case_number_regex("RS {year}-{number:5}").fullmatch("RS 2026-00042")
    assert not case_number_regex("RS {year}-{number:5}").fullmatch("RS 2026-42")
    assert not case_number_regex("RS {year}/{number}").fullmatch("RS 26/1")


def test_a_case_number_off_the_pattern_is_refused_in_swedish(with_format):
    agreement = AgreementFactory()
    with pytest.raises(ValidationError) as caught:
        _agreement_form_clean(agreement, "2026-123")
    message = caught.value.message_dict["case_number"][0]
    assert "följer inte regionens format för diarienummer" in message and "RS {year}/{number}" in message
    _agreement_form_clean(agreement, "  RS 2026/123 ")  # spaces as pasted are tidied
    assert agreement.case_number == "RS 2026/123"


def test_a_duplicate_in_the_region_is_refused_but_another_region_may_use_the_number(with_format, other_region):
    AgreementFactory(case_number="RS 2026/7")
    second = AgreementFactory()
    with pytest.raises(ValidationError) as caught:
        _agreement_form_clean(second, "RS 2026/7")
    assert "Diarienumret används redan i regionen" in caught.value.message_dict["case_number"][0]
    second.case_number = ""
    second.full_clean()  # blanks never clash
    with region_scope(other_region):
        theirs = AgreementFactory(slug="deras")
        _agreement_form_clean(theirs, "RS 2026/7")
        theirs.save()
    assert Agreement.objects.filter(case_number="RS 2026/7").count() == 1


# The counter -----------------------------------------------------------------------------------------


def test_the_counter_passes_over_numbers_registered_by_hand(with_format):
    ChallengeFactory(case_number="RS 2026/2")
    assert case_number_next(region=with_format, year=2026) == "RS 2026/1"
    assert case_number_next(region=with_format, year=2026) == "RS 2026/3"
    assert case_number_next(region=with_format, year=2027) == "RS 2027/1"


def test_the_admin_action_assigns_the_next_number(coordinator_client, with_format):
    agreement = AgreementFactory()
    numbered = AgreementFactory(case_number="RS 2025/9")
    response = coordinator_client.post(
        reverse("admin:agreements_agreement_changelist"),
        {"action": "assign_case_numbers", "_selected_action": [agreement.pk, numbered.pk]},
        follow=True,
    )
    agreement.refresh_from_db()
    year = agreement.updated_at.astimezone().year
    assert agreement.case_number == f"RS {year}/1"
    assert "Diarienummer tilldelat" in response.content.decode()
    assert "har redan diarienumret RS 2025/9" in response.content.decode()


def test_the_admin_searches_case_numbers(coordinator_client, with_format):
    AgreementFactory(title="Den rätta", case_number="RS 2026/55")
    AgreementFactory(title="Den andra")
    page = coordinator_client.get(reverse("admin:agreements_agreement_changelist"), {"q": "2026/55"}).content.decode()
    assert "Den rätta" in page and "Den andra" not in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_at_once_never_get_the_same_number(region):
    region.case_number_format = "RS {year}/{number}"
    region.save(update_fields=["case_number_format"])
    numbers, errors, barrier = [], [], threading.Barrier(6)

    def take():
        try:
            with region_scope(region):
                barrier.wait()
                numbers.append(case_number_next(region=region, year=2026))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == sorted(f"RS 2026/{n}" for n in range(1, 7))
    with region_scope(region):
        assert CaseNumberCounter.objects.get(year=2026).last_number == 6


# Public pages and the API -----------------------------------------------------------------------------


def test_the_public_page_list_and_api_show_the_case_number(client):
    agreement = AgreementFactory(title="Överenskommelsen", case_number="RS 2014/321")
    AgreementFactory(title="Utan nummer")
    assert "RS 2014/321" in client.get(agreement.get_absolute_url()).content.decode()
    listed = client.get(reverse("agreements:list"), {"diarienummer": "2014/321"}).content.decode()
    assert "Överenskommelsen" in listed and "Utan nummer" not in listed
    data = client.get(f"/api/v1/agreements/{agreement.slug}/").json()
    assert data["case_number"] == "RS 2014/321"


def test_the_challenge_search_finds_a_case_number(client):
    challenge = ChallengeFactory(title="Ensamhet bland äldre", case_number="RS 2022/88")
    ChallengeFactory(title="Annan utmaning")
    page = client.get(reverse("challenges:list"), {"q": "2022/88"}).content.decode()
    assert challenge.title in page and "Annan utmaning" not in page
    assert client.get(f"/api/v1/challenges/{challenge.slug}/").json()["case_number"] == "RS 2022/88"
    assert Challenge.objects.get(pk=challenge.pk).case_number == "RS 2022/88"


def test_the_openapi_schema_describes_the_case_number(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "case_number" in schema["components"]["schemas"]["Agreement"]["properties"]


# Disposal decisions ----------------------------------------------------------------------------------


def test_a_rule_without_a_decision_is_skipped_in_production(settings, region):
    settings.DEBUG = False
    result = personal_data_purge()
    assert result["outbox"] == SKIPPED and result["meetings"] == SKIPPED
    record_disposal_decisions(region)
    assert personal_data_purge()["outbox"] == 0


def test_check_deploy_names_the_rule_without_a_decision(settings, region):
    settings.DEBUG = False
    record_disposal_decisions(region)
    DisposalDecision.objects.filter(key="meeting-registrations").delete()
    errors = retention_rules_have_decisions()
    assert [error.id for error in errors] == ["core.E010"]
    assert "“meetings”" in errors[0].msg and "meeting-registrations" in errors[0].msg and region.name in errors[0].msg
    with pytest.raises(SystemCheckError, match="meeting-registrations"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
    settings.DEBUG = True
    assert retention_rules_have_decisions() == []


def test_check_deploy_before_the_database_answers_informs_and_does_not_fail(settings, monkeypatch):
    """A build (CI) runs `check --deploy` where no database answers yet: that is said, not an error."""
    from django.db import OperationalError

    from core import checks as records_checks

    settings.DEBUG = False

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(records_checks, "missing_decisions", unreachable)
    messages = retention_rules_have_decisions()
    assert [message.id for message in messages] == ["core.I010"]
    assert not any(message.is_serious(level=30) for message in messages)  # below WARNING: the build goes on


def test_the_records_page_lists_each_rule_with_its_decision_in_both_languages(client, region):
    record_disposal_decisions(region)
    DisposalDecision.objects.filter(key="sent-emails").update(reference="RS 2023/400", decided_by="Regionfullmäktige")
    swedish = client.get(reverse("core:records")).content.decode()
    assert "Så hanterar vi handlingar" in swedish
    assert "Anmälningar till möten" in swedish and "90 dagar efter att mötet slutat" in swedish
    assert "RS 2023/400, beslutat av Regionfullmäktige" in swedish
    assert reverse("core:records") in client.get("/").content.decode()  # the footer links it
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(reverse("core:records")).content.decode()
    assert "How we handle records" in english and "Registrations for meetings" in english
    assert 'RS 2023/400, decided by <span lang="sv">Regionfullmäktige</span>' in english
    privacy = client.get(reverse("core:privacy")).content.decode()
    assert "Registrations for meetings" in privacy and "RS 2023/400" in privacy


def test_a_rule_without_a_decision_says_so_on_the_records_page(client):
    assert "Inget beslut registrerat ännu" in client.get(reverse("core:records")).content.decode()


def test_a_coordinator_gets_a_swedish_message_for_a_number_off_the_pattern(coordinator_client, with_format):
    agreement = AgreementFactory()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    form = coordinator_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name not in ("replaced_by", "adopted_on")}
    data.update({"adopted_on": "2014-03-01", "case_number": "2026:1"})
    for prefix in ("versions", "action_plans", "working_group"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    page = coordinator_client.post(url, data).content.decode()
    assert "följer inte regionens format för diarienummer" in page and 'value="2026:1"' in page
    agreement.refresh_from_db()
    assert agreement.case_number == ""


def test_a_coordinator_records_the_regions_disposal_decision(coordinator_client):
    changelist = coordinator_client.get(reverse("admin:core_disposaldecision_changelist")).content.decode()
    assert "Dessa gallringsregler saknar beslut" in changelist
    response = coordinator_client.post(
        reverse("admin:core_disposaldecision_add"),
        {"key": "meeting-registrations", "reference": "RS 2024/9", "decided_on": "2024-05-02", "decided_by": "RS"},
    )
    assert response.status_code == 302
    assert DisposalDecision.objects.get(key="meeting-registrations").reference == "RS 2024/9"


@pytest.mark.parametrize("name", ["agreements:list", "consultations:list", "elections:list"])
def test_a_control_character_in_the_case_number_filter_is_dropped_not_a_500(client, name):
    """A NUL byte is refused by PostgreSQL in a query: the filter drops it and searches the rest."""
    with_number = AgreementFactory(case_number="RS 2014/321", title="Med nummer")
    response = client.get(reverse(name), {"diarienummer": "2014\x00/321\x07"})
    assert response.status_code == 200
    if name == "agreements:list":
        assert with_number.title in response.content.decode()

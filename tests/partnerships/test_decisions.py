"""From a submitted application to the follow-up report: two assessors (a conflicted one kept out), the
decision and its e-mail, the report's reminders (once each) and its review."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from outbox.models import OutgoingEmail
from partnerships import services
from partnerships.models import Application, Decision, FollowUpReport, ReportReminder
from partnerships.tasks import remind_reports
from tests.factories import UserFactory
from tests.factories.partnerships import NOW

from .conftest import application_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(call, organisation, representative):
    draft = services.application_save(
        call=call, organisation=organisation, user=representative, now=NOW, **application_kwargs(call)
    )
    return services.application_submit(application=draft, user=representative, now=NOW)


@pytest.fixture
def assessors(db):
    return [UserFactory(email=f"bedomare{n}@example.se", is_staff=True) for n in (1, 2, 3)]


def _full_scores(call, score=4):
    return {criterion.pk: (score, "Bra.") for criterion in call.criteria.all()}


def _assess(application, assessors):
    for assessor in assessors:
        services.assessment_save(
            application=application, assessor=assessor, scores=_full_scores(application.call), complete=True, now=NOW
        )


def test_two_completed_assessments_make_the_application_assessed(submitted, assessors):
    _assess(submitted, assessors[:1])
    assert Application.objects.get().status == Application.Status.SUBMITTED
    _assess(submitted, assessors[1:2])
    assert Application.objects.get().status == Application.Status.ASSESSED


def test_a_conflicted_assessor_cannot_assess_and_does_not_count(submitted, assessors):
    services.assessment_declare_conflict(application=submitted, assessor=assessors[0], note="Sitter i styrelsen")
    with pytest.raises(ValidationError) as error:
        services.assessment_save(
            application=submitted, assessor=assessors[0], scores=_full_scores(submitted.call), complete=True, now=NOW
        )
    assert error.value.code == "conflict"
    _assess(submitted, assessors[1:2])
    assert Application.objects.get().status == Application.Status.SUBMITTED  # one counts, not two


def test_declaring_a_conflict_removes_scores_already_given(submitted, assessors):
    _assess(submitted, assessors[:2])
    services.assessment_declare_conflict(application=submitted, assessor=assessors[0])
    mine = submitted.assessments.get(assessor=assessors[0])
    assert not mine.scores.exists() and mine.completed_at is None
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_completing_needs_every_criterion(submitted, assessors):
    first = submitted.call.criteria.first()
    with pytest.raises(ValidationError) as error:
        services.assessment_save(
            application=submitted, assessor=assessors[0], scores={first.pk: (3, "")}, complete=True, now=NOW
        )
    assert "Genomförbarhet" in " ".join(error.value.messages)


def test_a_grant_over_the_amount_applied_for_is_refused(submitted, assessors):
    _assess(submitted, assessors[:2])
    with pytest.raises(ValidationError) as error:
        services.decision_prepare(application=submitted, outcome="granted", amount=40_000, by=assessors[0])
    assert error.value.code == "amount"
    assert not Decision.objects.exists()


def test_a_refusal_needs_a_reason(submitted, assessors):
    _assess(submitted, assessors[:2])
    with pytest.raises(ValidationError):
        services.decision_prepare(application=submitted, outcome="refused", reason=" ", by=assessors[0])


def test_an_unassessed_application_cannot_be_decided(submitted, assessors):
    with pytest.raises(ValidationError) as error:
        services.decision_prepare(application=submitted, outcome="granted", amount=10_000, by=assessors[0])
    assert error.value.code == "not_assessed"


def test_announcing_a_grant_mails_the_organisation_and_asks_for_a_report(submitted, assessors, representative):
    _assess(submitted, assessors[:2])
    decision = services.decision_prepare(application=submitted, outcome="granted", amount=25_000, by=assessors[0])
    preview = services.decision_announce_preview(decision=decision)
    assert preview.recipients == 1 and preview.possible
    assert not OutgoingEmail.objects.filter(kind__startswith="partnerships.decision").exists()
    services.decision_announce(decision=decision, by=assessors[0], now=NOW)
    assert Application.objects.get().status == Application.Status.GRANTED
    mail = OutgoingEmail.objects.get(kind="partnerships.decision.granted")
    assert mail.to == representative.email and "25\u00a0000\u00a0kr" in mail.body_text
    report = FollowUpReport.objects.get()
    assert report.due_on == dt.date(2031, 3, 1)
    with pytest.raises(ValidationError):
        services.decision_announce(decision=decision, by=assessors[0], now=NOW)
    assert OutgoingEmail.objects.filter(kind="partnerships.decision.granted").count() == 1


def test_announcing_a_refusal_tells_the_reason(submitted, assessors):
    _assess(submitted, assessors[:2])
    decision = services.decision_prepare(
        application=submitted, outcome="refused", reason="Budgeten räcker inte till alla.", by=assessors[0]
    )
    services.decision_announce(decision=decision, by=assessors[0], now=NOW)
    mail = OutgoingEmail.objects.get(kind="partnerships.decision.refused")
    assert "Budgeten räcker inte till alla." in mail.body_text
    assert not FollowUpReport.objects.exists()


@pytest.fixture
def report(submitted, assessors):
    _assess(submitted, assessors[:2])
    decision = services.decision_prepare(
        application=submitted, outcome="granted", amount=25_000, by=assessors[0], report_due_on=dt.date(2030, 12, 31)
    )
    services.decision_announce(decision=decision, by=assessors[0], now=NOW)
    return FollowUpReport.objects.get()


def test_report_reminders_go_once_per_kind(report, region):
    before = dt.datetime(2030, 12, 10, 9, tzinfo=dt.UTC)
    assert services.reports_remind(now=before) == 1
    assert services.reports_remind(now=before) == 0
    after = dt.datetime(2031, 1, 2, 9, tzinfo=dt.UTC)
    assert services.reports_remind(now=after) == 1
    assert services.reports_remind(now=after) == 0
    assert sorted(ReportReminder.objects.values_list("kind", flat=True)) == ["month", "overdue"]


def test_no_reminder_long_before_the_due_date(report):
    assert services.reports_remind(now=NOW) == 0


def test_the_beat_task_reminds_in_every_region(report, clock):
    clock.set(dt.datetime(2030, 12, 10, 9, tzinfo=dt.UTC))
    remind_reports.apply()
    remind_reports.apply()
    assert OutgoingEmail.objects.filter(kind="partnerships.report_reminder.month").count() == 1


def test_report_submitted_then_returned_then_approved(report, representative, assessors, other_representative):
    with pytest.raises(ValidationError):
        services.report_submit(
            report=report, user=other_representative, what_was_done="x", money_used="y", amount_used=1
        )
    services.report_submit(
        report=report, user=representative, what_was_done="Läxhjälp", money_used="Hyra", amount_used=25_000
    )
    services.report_review(report=report, by=assessors[0], approve=False, comment="Bifoga kvitton.")
    assert FollowUpReport.objects.get().review_status == FollowUpReport.Review.RETURNED
    assert "Bifoga kvitton." in OutgoingEmail.objects.get(kind="partnerships.report.returned").body_text
    services.report_submit(
        report=report, user=representative, what_was_done="Läxhjälp", money_used="Hyra, kvitton", amount_used=25_000
    )
    services.report_review(report=report, by=assessors[0], approve=True)
    assert FollowUpReport.objects.get().review_status == FollowUpReport.Review.APPROVED
    assert services.reports_remind(now=dt.datetime(2031, 2, 1, tzinfo=dt.UTC)) == 0


def test_an_empty_report_is_refused_and_nothing_changes(report, representative):
    with pytest.raises(ValidationError):
        services.report_submit(report=report, user=representative, what_was_done=" ", money_used="", amount_used=None)
    assert FollowUpReport.objects.get().review_status == FollowUpReport.Review.DUE


def test_retention_deletes_old_drafts_and_keeps_submitted_applications(
    call, organisation, representative, other_organisation
):
    from partnerships.retention import purge
    from tests.factories import RepresentativeFactory

    RepresentativeFactory(user=representative, organisation=other_organisation)
    services.application_save(call=call, organisation=other_organisation, user=representative, now=NOW, title="Utkast")
    draft = services.application_save(
        call=call, organisation=organisation, user=representative, now=NOW, **application_kwargs(call)
    )
    services.application_submit(application=draft, user=representative, now=NOW)
    assert purge(now=call.closes_at + dt.timedelta(days=300)) == {"drafts": 0}
    assert purge(now=call.closes_at + dt.timedelta(days=366)) == {"drafts": 1}
    assert list(Application.objects.values_list("status", flat=True)) == ["submitted"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_decision_rewritten_while_another_coordinator_announces_it_does_not_deadlock(submitted, assessors):
    """One coordinator rewrites the decision (the application locked, then the decision written) while
    another announces it: the announcement waits for the rewrite and announces what it wrote."""
    import threading
    import time

    from django.db import connection

    from core.regions import current_region, region_scope

    _assess(submitted, assessors[:2])
    decision = services.decision_prepare(application=submitted, outcome="granted", amount=20_000, by=assessors[0])
    region = current_region()
    locked, errors = threading.Event(), []

    def pause_after_the_lock(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "FOR UPDATE" in sql and '"partnerships_application"' in sql and not locked.is_set():
            locked.set()
            time.sleep(0.5)  # the announcement starts meanwhile and takes what locks it can
        return result

    def rewrite():
        with region_scope(region):
            try:
                with connection.execute_wrapper(pause_after_the_lock), transaction.atomic():
                    services.decision_prepare(application=submitted, outcome="granted", amount=25_000, by=assessors[1])
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)
            finally:
                connection.close()

    def announce():
        with region_scope(region):
            try:
                locked.wait(timeout=30)
                services.decision_announce(decision=decision, by=assessors[0], now=NOW)
            except Exception as exc:  # noqa: BLE001 - asserted below
                errors.append(exc)
            finally:
                connection.close()

    threads = [threading.Thread(target=rewrite), threading.Thread(target=announce)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    announced = Decision.objects.get()
    assert announced.decided_at is not None and announced.amount == 25_000
    assert Application.objects.get().status == Application.Status.GRANTED

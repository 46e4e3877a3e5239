"""Applying for a grant: a draft saved by any representative, submitted once under a mandate, before the
deadline, with a budget that adds up and stays under the call's ceiling."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from outbox.models import OutgoingEmail
from partnerships import services
from partnerships.models import Application
from tests.factories.partnerships import NOW

from .conftest import application_kwargs

pytestmark = pytest.mark.django_db


def _save(call, organisation, user, **overrides):
    return services.application_save(
        call=call, organisation=organisation, user=user, now=NOW, **application_kwargs(call, **overrides)
    )


def test_a_representative_saves_a_draft_and_a_second_save_edits_it(call, organisation, representative):
    first = _save(call, organisation, representative, title="Första")
    second = _save(call, organisation, representative, title="Andra")
    assert first.pk == second.pk
    assert Application.objects.get().title == "Andra"
    assert [line.item for line in second.budget_lines.all()] == ["Lokalhyra", "Material"]


def test_submitting_needs_a_mandate_and_keeps_the_draft(call, organisation, unmandated):
    draft = _save(call, organisation, unmandated)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, user=unmandated, now=NOW)
    assert error.value.code == "no_mandate"
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and draft.title == "Läxhjälp för nyanlända"


def test_submit_sets_the_status_and_mails_a_receipt(call, organisation, representative):
    draft = _save(call, organisation, representative)
    submitted = services.application_submit(application=draft, user=representative, now=NOW)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_by == representative and submitted.mandate is not None
    receipt = OutgoingEmail.objects.get(kind="partnerships.application_submitted")
    assert receipt.to == representative.email
    assert "Stöd till ideella organisationer 2030" in receipt.subject


def test_submitting_twice_gives_one_submission(call, organisation, representative, second_representative):
    draft = _save(call, organisation, representative)
    services.application_submit(application=draft, user=representative, now=NOW)
    with pytest.raises(services.ApplicationLockedError):
        services.application_submit(application=draft, user=second_representative, now=NOW)
    assert OutgoingEmail.objects.filter(kind="partnerships.application_submitted").count() == 1
    assert Application.objects.get().submitted_by == representative


def test_a_submitted_application_can_no_longer_be_saved(call, organisation, representative):
    draft = _save(call, organisation, representative)
    services.application_submit(application=draft, user=representative, now=NOW)
    with pytest.raises(services.ApplicationLockedError):
        _save(call, organisation, representative, title="Ändrad")
    assert Application.objects.get().title == "Läxhjälp för nyanlända"


def test_nothing_is_saved_or_submitted_after_the_deadline(call, organisation, representative):
    draft = _save(call, organisation, representative)
    late = call.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, user=representative, now=late)
    assert error.value.code == "closed"
    with pytest.raises(ValidationError):
        services.application_save(call=call, organisation=organisation, user=representative, now=late, title="x")
    assert Application.objects.get().status == Application.Status.DRAFT


def test_a_budget_that_does_not_add_up_is_refused_with_the_sums(call, organisation, representative):
    draft = _save(call, organisation, representative, amount_requested=35_000)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, user=representative, now=NOW)
    assert "kostnadsposterna blir 30\u00a0000\u00a0kr men det sökta beloppet är 35\u00a0000\u00a0kr" in " ".join(
        error.value.messages
    )
    assert Application.objects.get().status == Application.Status.DRAFT


def test_over_the_ceiling_is_refused(call, organisation, representative):
    draft = _save(call, organisation, representative, amount_requested=60_000, budget=[("Lokal", 60_000)])
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, user=representative, now=NOW)
    assert "utlysningens tak på 50\u00a0000\u00a0kr" in " ".join(error.value.messages)


def test_a_required_question_must_be_answered(call, organisation, representative):
    draft = _save(call, organisation, representative, answers={})
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, user=representative, now=NOW)
    assert "Hur många deltar?" in " ".join(error.value.messages)


def test_another_organisations_application_is_refused(call, organisation, representative, other_representative):
    draft = _save(call, organisation, representative)
    with pytest.raises(ValidationError) as error:
        _save(call, organisation, other_representative)
    assert error.value.code == "not_representative"
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=draft, user=other_representative, now=NOW)
    assert error.value.code == "not_representative"
    assert Application.objects.get().status == Application.Status.DRAFT


def test_a_draft_call_takes_no_application(call, organisation, representative):
    call.status = call.Status.DRAFT
    call.save()
    with pytest.raises(ValidationError):
        _save(call, organisation, representative)
    assert not Application.objects.exists()

"""The consultation's status steps: preconditions in the service against the deadline, the admin's
confirmation pages (what happens, to how many e-mails, nothing without ``confirm``), and going back to
draft while nobody has answered."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Answer, Consultation
from outbox.models import OutgoingEmail
from tests.factories import ContactFactory
from tests.factories.consultations import NOW, AnswerFactory, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:consultations_consultation_changelist"


@pytest.fixture
def staff(clock, client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def draft(organisation, other_organisation, representative, other_representative):
    consultation = ConsultationFactory(
        invited=[organisation, other_organisation], closes_at=NOW + dt.timedelta(days=10)
    )
    SectionFactory(consultation=consultation)
    return consultation


def test_open_preview_counts_the_e_mails_the_opening_queues(draft, organisation):
    ContactFactory(organisation=organisation, email="kontakt@example.se")
    preview = services.consultation_open_preview(consultation=draft, now=NOW)
    assert preview.possible
    services.consultation_open(consultation=draft, now=NOW)
    assert preview.recipients == OutgoingEmail.objects.filter(kind="consultations.opened").count() == 3


def test_open_preview_lists_every_problem_and_the_service_refuses(organisation):
    empty = ConsultationFactory(closes_at=NOW - dt.timedelta(days=1))
    preview = services.consultation_open_preview(consultation=empty, now=NOW)
    assert len(preview.problems) == 3  # no section, deadline passed, nobody invited
    with pytest.raises(ValidationError) as caught:
        services.consultation_open(consultation=empty, now=NOW)
    assert len(caught.value.messages) == 3
    empty.refresh_from_db()
    assert empty.status == Consultation.Status.DRAFT


def test_open_action_does_nothing_without_confirm(staff, draft):
    page = staff.post(reverse(CHANGELIST), {"action": "open_consultations", "_selected_action": [draft.pk]})
    html = page.content.decode()
    assert "2 e-postmeddelanden skickas" in html and "kan inte återkallas" in html
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.DRAFT
    assert OutgoingEmail.objects.count() == 0


def test_close_action_before_the_deadline_explains_and_offers_no_button(staff, consultation):
    page = staff.post(reverse(CHANGELIST), {"action": "close_consultations", "_selected_action": [consultation.pk]})
    html = page.content.decode()
    assert "Sista svarsdag har inte passerat" in html and 'name="confirm"' not in html
    response = staff.post(
        reverse(CHANGELIST), {"action": "close_consultations", "_selected_action": [consultation.pk], "confirm": "yes"}
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN


def test_opening_can_be_taken_back_while_nobody_has_answered(staff, draft):
    services.consultation_open(consultation=draft, now=NOW)
    queued = OutgoingEmail.objects.count()
    data = {"action": "consultations_back_to_draft", "_selected_action": [draft.pk]}
    assert (
        "Inbjudan som organisationerna fick kan inte återkallas"
        in staff.post(reverse(CHANGELIST), data).content.decode()
    )
    staff.post(reverse(CHANGELIST), {**data, "confirm": "yes"})
    draft.refresh_from_db()
    assert draft.status == Consultation.Status.DRAFT and draft.opens_at is None
    assert OutgoingEmail.objects.count() == queued
    assert draft.history.first().history_change_reason == "step back"


def test_opening_cannot_be_taken_back_once_an_answer_is_started(draft, organisation):
    services.consultation_open(consultation=draft, now=NOW)
    AnswerFactory(consultation=draft, organisation=organisation, state=Answer.State.DRAFT, submitted_at=None)
    with pytest.raises(ValidationError, match="börjat svara"):
        services.consultation_step_back(consultation=draft)


def test_compilation_cannot_be_published_before_the_deadline(consultation):
    preview = services.compilation_publish_preview(consultation=consultation, now=NOW)
    assert not preview.possible
    with pytest.raises(ValidationError):
        services.compilation_publish(consultation=consultation, now=NOW)


def test_reopening_after_the_deadline_lets_the_organisation_submit_late(consultation, organisation):
    answer = AnswerFactory(consultation=consultation, organisation=organisation)
    after = consultation.closes_at + dt.timedelta(days=1)
    preview = services.answer_reopen_preview(answer=answer, now=after)
    assert any("får skicka in det sent" in effect for effect in preview.effects)
    services.answer_reopen(answer=answer, by=None, now=after)
    answer.refresh_from_db()
    assert answer.state == Answer.State.DRAFT and answer.late_allowed


def test_a_compiled_consultations_answers_cannot_be_reopened(consultation, organisation):
    answer = AnswerFactory(consultation=consultation, organisation=organisation)
    Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.COMPILED)
    with pytest.raises(ValidationError, match="Sammanställningen är publicerad"):
        services.answer_reopen(answer=answer, by=None)

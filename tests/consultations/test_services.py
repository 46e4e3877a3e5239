"""The consultation's rules: opening invites, one answer per organisation, drafts, submission, the deadline."""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from consultations import services
from consultations.models import Answer, Consultation, SectionAnswer
from tests.factories import ContactFactory, OrganisationFactory, RepresentativeFactory, SignatoryFactory, UserFactory
from tests.factories.consultations import NOW, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db


@contextmanager
def refused(code):
    """The service refuses with a ValidationError of this code (the message is in the active language)."""
    with pytest.raises(ValidationError) as info:
        yield
    assert info.value.code == code, info.value.messages


def _positions(consultation, position="agree", comment=""):
    return {s.pk: (position, comment) for s in consultation.sections.all()}


def test_opening_mails_every_invited_organisations_representatives_and_contacts(
    run_on_commit, organisation, representative, other_organisation
):
    ContactFactory(organisation=organisation, email="kontakt@gemenskap.se")
    consultation = ConsultationFactory(invited=[organisation, other_organisation])
    SectionFactory(consultation=consultation)
    with run_on_commit():
        services.consultation_open(consultation=consultation, now=NOW)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["kontakt@gemenskap.se", "representant@example.se"]
    assert consultation.title in mail.outbox[0].subject
    assert "/remisser/" in mail.outbox[0].body


def test_opening_needs_sections_a_future_deadline_and_someone_invited(organisation):
    no_sections = ConsultationFactory(invited=[organisation])
    with refused("no_sections"):
        services.consultation_open(consultation=no_sections, now=NOW)
    past = ConsultationFactory(invited=[organisation], closes_at=NOW - dt.timedelta(hours=1))
    SectionFactory(consultation=past)
    with refused("deadline_passed"):
        services.consultation_open(consultation=past, now=NOW)
    nobody = ConsultationFactory()
    SectionFactory(consultation=nobody)
    with refused("nobody_invited"):
        services.consultation_open(consultation=nobody, now=NOW)


def test_signatories_audience_invites_only_verified_signatories(organisation, other_organisation):
    signatory = SignatoryFactory(organisation=organisation)
    SignatoryFactory(agreement=signatory.agreement, organisation=other_organisation, status="pending")
    consultation = ConsultationFactory(audience=Consultation.Audience.SIGNATORIES, agreement=signatory.agreement)
    from consultations.selectors import invited_organisations

    assert list(invited_organisations(consultation=consultation)) == [organisation]


def test_saving_twice_edits_the_one_answer(consultation, organisation, representative):
    services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation, "partly", "Först"),
        now=NOW,
    )
    services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation, "agree", "Sedan"),
        general_comment="Bra",
        now=NOW,
    )
    answer = Answer.objects.get()
    assert answer.state == Answer.State.DRAFT
    assert answer.general_comment == "Bra"
    assert set(SectionAnswer.objects.values_list("position", "comment")) == {("agree", "Sedan")}
    assert SectionAnswer.objects.count() == 3


def test_another_organisations_representative_cannot_answer_for_it(consultation, organisation, other_representative):
    with refused("not_representative"):
        services.answer_save(
            consultation=consultation,
            organisation=organisation,
            user=other_representative,
            positions=_positions(consultation),
            now=NOW,
        )
    assert not Answer.objects.exists()


def test_an_organisation_that_is_not_invited_cannot_answer(consultation):
    outsider = OrganisationFactory(name="Utanför")
    user = UserFactory()
    RepresentativeFactory(user=user, organisation=outsider)
    with refused("not_invited"):
        services.answer_save(
            consultation=consultation, organisation=outsider, user=user, positions=_positions(consultation), now=NOW
        )


def test_submitting_needs_a_position_on_every_section_and_keeps_the_draft(consultation, organisation, representative):
    first = consultation.sections.first()
    answer = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions={first.pk: ("agree", "Ja")},
        now=NOW,
    )
    with refused("incomplete"):
        services.answer_submit(answer=answer, user=representative, now=NOW)
    answer.refresh_from_db()
    assert answer.state == Answer.State.DRAFT
    assert answer.sections.get(section=first).comment == "Ja"


def test_submitted_answer_is_read_only_until_a_coordinator_reopens_it(
    run_on_commit, consultation, organisation, representative, coordinator
):
    answer = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation),
        now=NOW,
    )
    with run_on_commit():
        services.answer_submit(answer=answer, user=representative, now=NOW)
    assert [m.to for m in mail.outbox] == [["representant@example.se"]]  # the receipt
    with pytest.raises(services.AnswerLockedError):
        services.answer_save(
            consultation=consultation,
            organisation=organisation,
            user=representative,
            positions=_positions(consultation, "disagree"),
            now=NOW,
        )
    services.answer_reopen(answer=answer, by=coordinator)
    services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation, "disagree"),
        now=NOW,
    )
    assert set(SectionAnswer.objects.values_list("position", flat=True)) == {"disagree"}


def test_after_the_deadline_nothing_is_accepted(consultation, organisation, representative):
    answer = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation),
        now=NOW,
    )
    later = consultation.closes_at + dt.timedelta(minutes=1)
    with refused("closed"):
        services.answer_submit(answer=answer, user=representative, now=later)
    with pytest.raises(services.ConsultationClosedError):
        services.answer_save(
            consultation=consultation,
            organisation=organisation,
            user=representative,
            positions=_positions(consultation, "partly"),
            now=later,
        )
    answer.refresh_from_db()
    assert answer.state == Answer.State.DRAFT


def test_a_late_answer_the_coordinator_accepted_is_marked_late(consultation, organisation, representative, coordinator):
    later = consultation.closes_at + dt.timedelta(days=1)
    services.consultation_close(consultation=consultation, now=later)
    services.answer_allow_late(consultation=consultation, organisation=organisation, by=coordinator)
    answer = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=representative,
        positions=_positions(consultation),
        now=later,
    )
    answer = services.answer_submit(answer=answer, user=representative, now=later)
    assert answer.is_submitted and answer.late


def test_closing_before_the_deadline_is_refused(consultation):
    with refused("deadline_not_passed"):
        services.consultation_close(consultation=consultation, now=NOW)


def test_compilation_is_published_only_after_the_deadline_and_invited_are_told(
    run_on_commit, consultation, organisation, representative, coordinator
):
    with refused("still_open"):
        services.compilation_publish(consultation=consultation, by=coordinator, now=NOW)
    later = consultation.closes_at + dt.timedelta(days=2)
    with run_on_commit():
        services.compilation_publish(consultation=consultation, by=coordinator, summary="Sammanfattning", now=later)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.COMPILED
    assert consultation.compilation_summary == "Sammanfattning"
    assert [m.to for m in mail.outbox] == [["representant@example.se"]]
    with refused("already_compiled"):
        services.compilation_publish(consultation=consultation, by=coordinator, now=later)


def test_null_character_in_a_response_is_refused(consultation):
    with pytest.raises(ValidationError):
        services.section_response_set(section=consultation.sections.first(), text="a\x00b", by=None)

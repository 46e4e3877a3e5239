"""One rule for "does the form still take this answer" (consultations.permissions.accepting_answers), and
who a consultation's e-mails reach (the contacts policy of organisations.representation)."""

import datetime as dt

import pytest
from django.core import mail

from consultations import services
from consultations.models import Consultation
from consultations.permissions import accepting_answers
from tests.factories import ContactFactory, InterestSubmissionFactory
from tests.factories.consultations import NOW, AnswerFactory, ConsultationFactory, SectionFactory

pytestmark = pytest.mark.django_db

AFTER = NOW + dt.timedelta(days=30)  # past the factory's deadline


def _answer(consultation, organisation, *, late_allowed):
    return AnswerFactory(
        consultation=consultation,
        organisation=organisation,
        state="draft",
        submitted_at=None,
        late_allowed=late_allowed,
    )


@pytest.mark.parametrize(
    ("status", "now", "late_allowed", "accepting"),
    [
        ("open", NOW, False, True),
        ("open", AFTER, False, False),
        ("open", AFTER, True, True),
        ("closed", AFTER, True, True),
        ("closed", AFTER, False, False),
        ("compiled", AFTER, True, False),
        # The answer page used to accept a late-allowed answer in every status but "compiled",
        # a draft included, while the service refused it: the service's rule won (a draft takes none).
        ("draft", NOW, True, False),
        ("draft", NOW, False, False),
    ],
)
def test_accepting_answers(organisation, status, now, late_allowed, accepting):
    consultation = ConsultationFactory(status=status)
    answer = _answer(consultation, organisation, late_allowed=late_allowed)
    assert accepting_answers(consultation, now, answer=answer) is accepting


def test_the_deadline_itself_is_too_late(organisation):
    consultation = ConsultationFactory(status=Consultation.Status.OPEN)
    assert accepting_answers(consultation, consultation.closes_at - dt.timedelta(seconds=1))
    assert not accepting_answers(consultation, consultation.closes_at)


def test_opening_never_mails_an_unconfirmed_contact_person(run_on_commit, organisation, representative):
    """Anyone can name a known organisation number on the public form; until a coordinator confirms
    that contact person, the organisation's consultations do not reach them."""
    ContactFactory(organisation=organisation, email="okand@example.se", confirmed=False)
    consultation = ConsultationFactory(invited=[organisation])
    SectionFactory(consultation=consultation)
    with run_on_commit():
        services.consultation_open(consultation=consultation, now=NOW)
    assert sorted(m.to[0] for m in mail.outbox) == ["representant@example.se"]


def test_a_contact_person_gets_the_invitation_in_the_language_they_wrote_in(run_on_commit, organisation):
    contact = ContactFactory(organisation=organisation, email="contact@example.org")
    InterestSubmissionFactory(organisation=organisation, contact=contact, language="en")
    consultation = ConsultationFactory(invited=[organisation], title="Regional plan")
    SectionFactory(consultation=consultation)
    with run_on_commit():
        services.consultation_open(consultation=consultation, now=NOW)
    (message,) = mail.outbox
    assert message.to == ["contact@example.org"]
    assert message.subject.startswith("Consultation: Regional plan")

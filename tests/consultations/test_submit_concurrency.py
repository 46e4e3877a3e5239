"""Many submits of one answer at the same moment (a double click, several tabs, several representatives):
one submission, one receipt, and every request gets a page, never a 500 or a deadlock."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Answer, Consultation
from core.regions import current_region, region_scope
from outbox.models import OutgoingEmail
from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, UserFactory
from tests.factories.consultations import ConsultationFactory, SectionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10


def _at_once(target, count):
    """Run ``target(n)`` in ``count`` threads released together by a barrier; each thread has its own
    database connection and closes it at the end. Returns the exceptions raised."""
    barrier = threading.Barrier(count)
    errors = []
    region = current_region()  # a new thread starts with no region: each enters the test's

    def run(n):
        try:
            barrier.wait(timeout=30)
            with region_scope(region):
                target(n)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


@pytest.fixture
def open_consultation(settings):
    settings.CONSULTATIONS_ANSWER_RATE = "1000/m"
    organisation = OrganisationFactory()
    users = [UserFactory() for _ in range(THREADS)]
    for user in users:
        MandatedRepresentativeFactory(user=user, organisation=organisation)
    consultation = ConsultationFactory(
        invited=[organisation],
        status=Consultation.Status.OPEN,
        opens_at=timezone.now() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    sections = [SectionFactory(consultation=consultation) for _ in range(3)]
    return consultation, organisation, users, sections


def test_parallel_submits_of_one_answer_submit_it_once_and_answer_every_request(open_consultation):
    consultation, organisation, users, sections = open_consultation
    # The draft exists (the common case: the form was saved before); every request saves and submits it.
    services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=users[0],
        positions={s.pk: ("agree", "") for s in sections},
    )
    url = reverse("consultations:answer", args=[consultation.slug])
    data = {"action": "submit", "organisation": organisation.pk, "understands_public": "on"}
    for section in sections:
        data[f"position_{section.pk}"] = "partly"
        data[f"comment_{section.pk}"] = "Samma svar"
    responses = {}

    def submit(n):
        client = Client(raise_request_exception=False)
        client.force_login(users[n])
        responses[n] = client.post(url, data)

    assert _at_once(submit, THREADS) == []
    codes = sorted(r.status_code for r in responses.values())
    assert len(codes) == THREADS
    assert 500 not in codes
    answer = Answer.objects.get()
    assert answer.is_submitted
    # Exactly one request submitted it (a redirect to the answer); the others were shown the submitted answer.
    assert codes.count(302) == 1, codes
    for response in responses.values():
        if response.status_code != 302:
            assert response.status_code == 409
            assert "Svaret är redan inskickat" in response.content.decode()
    assert OutgoingEmail.objects.filter(kind="consultations.answer_submitted").count() == 1
    assert len(mail.outbox) <= 1


def test_parallel_service_submits_lock_in_one_order(open_consultation):
    """Saving (consultation, then answer) and submitting at once: the same lock order, so no deadlock."""
    consultation, organisation, users, sections = open_consultation
    answer = services.answer_save(
        consultation=consultation,
        organisation=organisation,
        user=users[0],
        positions={s.pk: ("agree", "") for s in sections},
    )
    outcomes = []

    def work(n):
        try:
            if n % 2:
                services.answer_submit(answer=answer, user=users[n])
            else:
                services.answer_save(
                    consultation=consultation,
                    organisation=organisation,
                    user=users[n],
                    positions={s.pk: ("disagree", f"Tråd {n}") for s in sections},
                )
            outcomes.append("done")
        except services.AnswerLockedError:
            outcomes.append("already submitted")

    assert _at_once(work, THREADS) == []
    assert len(outcomes) == THREADS
    assert Answer.objects.get().is_submitted
    assert OutgoingEmail.objects.filter(kind="consultations.answer_submitted").count() == 1

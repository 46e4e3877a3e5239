"""Two representatives of one organisation saving at the same moment: one answer, never two, never an error."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from consultations import services
from consultations.models import Answer, Consultation, Reminder
from core.regions import current_region, region_scope
from tests.factories import OrganisationFactory, RepresentativeFactory, UserFactory
from tests.factories.consultations import ConsultationFactory, SectionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _run_at_once(target, count):
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
    return errors


def test_concurrent_first_saves_make_one_answer():
    organisation = OrganisationFactory()
    users = [UserFactory() for _ in range(THREADS)]
    for user in users:
        RepresentativeFactory(user=user, organisation=organisation)
    consultation = ConsultationFactory(
        invited=[organisation],
        status=Consultation.Status.OPEN,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=5),
    )
    section = SectionFactory(consultation=consultation)

    def save(n):
        services.answer_save(
            consultation=consultation,
            organisation=organisation,
            user=users[n],
            positions={section.pk: ("agree", f"Kommentar {n}")},
        )

    assert _run_at_once(save, THREADS) == []
    answer = Answer.objects.get()
    assert answer.sections.count() == 1


def test_concurrent_reminder_runs_mail_each_organisation_once():
    organisations = [OrganisationFactory() for _ in range(5)]
    for organisation in organisations:
        RepresentativeFactory(user=UserFactory(), organisation=organisation)
    consultation = ConsultationFactory(
        invited=organisations,
        status=Consultation.Status.OPEN,
        opens_at=timezone.now() - dt.timedelta(days=20),
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    SectionFactory(consultation=consultation)
    queued = []

    def plan(n):
        queued.append(services.reminders_plan())

    assert _run_at_once(plan, 4) == []
    assert sum(queued) == 5
    assert Reminder.objects.count() == 5

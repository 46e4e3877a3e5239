"""Reminders 7 days and 1 day before the deadline, once each, only to organisations that have not submitted."""

import datetime as dt

import pytest
from django.core import mail

from consultations import services
from consultations.models import Reminder
from consultations.tasks import plan_reminders
from tests.factories.consultations import NOW, AnswerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_represented(consultation, representative, other_representative):
    return consultation


def test_week_reminder_runs_twice_and_mails_each_organisation_once(run_on_commit, both_represented):
    week_before = both_represented.closes_at - dt.timedelta(days=6)
    with run_on_commit():
        assert services.reminders_plan(now=week_before) == 2
        assert services.reminders_plan(now=week_before) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["annan@example.se", "representant@example.se"]
    assert all("One week left" in m.subject or "En vecka kvar" in m.subject for m in mail.outbox)
    assert Reminder.objects.filter(kind=Reminder.Kind.WEEK).count() == 2


def test_nothing_is_due_before_the_week_reminder(both_represented):
    assert services.reminders_plan(now=both_represented.closes_at - dt.timedelta(days=8)) == 0
    assert not Reminder.objects.exists()


def test_organisation_that_submitted_gets_no_reminder(run_on_commit, both_represented, organisation):
    AnswerFactory(consultation=both_represented, organisation=organisation)
    with run_on_commit():
        services.reminders_plan(now=both_represented.closes_at - dt.timedelta(hours=20))
    assert [m.to for m in mail.outbox] == [["annan@example.se"]]
    assert Reminder.objects.get().kind == Reminder.Kind.DAY


def test_day_reminder_replaces_a_missed_week_reminder(both_represented):
    services.reminders_plan(now=both_represented.closes_at - dt.timedelta(hours=12))
    assert set(Reminder.objects.values_list("kind", flat=True)) == {Reminder.Kind.DAY}


def test_beat_task_twice_closes_the_overdue_consultation_and_reminds_once(clock, run_on_commit, both_represented):
    clock.set(both_represented.closes_at - dt.timedelta(hours=3))
    with run_on_commit():
        plan_reminders.apply()
        plan_reminders.apply()
    assert len(mail.outbox) == 2
    clock.set(both_represented.closes_at + dt.timedelta(minutes=5))
    plan_reminders.apply()
    both_represented.refresh_from_db()
    assert both_represented.status == "closed"


def test_reminder_due_before_opening_is_skipped(both_represented):
    # Opened five days before the deadline: the invitation is fresh, the week reminder would be noise.
    both_represented.opens_at = both_represented.closes_at - dt.timedelta(days=5)
    both_represented.save()
    assert services.reminders_plan(now=NOW + dt.timedelta(days=10)) == 0

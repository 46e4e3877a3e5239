from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Reminder
from meetings.tasks import plan_reminders
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _meeting_starting_in(delta, **kwargs):
    start = timezone.now() + delta
    return MeetingFactory(start=start, end=start + timedelta(hours=2), **kwargs)


def _registered_long_ago(meeting, **kwargs):
    return RegistrationFactory(meeting=meeting, created_at=timezone.now() - timedelta(days=10), **kwargs)


def test_plan_reminders_twice_sends_one_email(run_on_commit):
    meeting = _meeting_starting_in(timedelta(days=1))
    _registered_long_ago(meeting, email="anna@example.se")
    with run_on_commit():
        plan_reminders.apply()
        plan_reminders.apply()
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]
    assert Reminder.objects.count() == 1


def test_cancelled_person_gets_no_reminder(run_on_commit):
    meeting = _meeting_starting_in(timedelta(days=1))
    _registered_long_ago(meeting, status="cancelled")
    with run_on_commit():
        plan_reminders.apply()
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_waitlisted_person_gets_no_reminder():
    meeting = _meeting_starting_in(timedelta(days=1))
    _registered_long_ago(meeting, status="waitlisted")
    assert services.reminders_plan() == 0


def test_no_reminder_before_it_is_due():
    meeting = _meeting_starting_in(timedelta(days=5))
    _registered_long_ago(meeting)
    assert services.reminders_plan() == 0


def test_digital_meeting_also_gets_the_one_hour_reminder_with_the_link(run_on_commit):
    meeting = _meeting_starting_in(timedelta(minutes=50), digital=True)
    _registered_long_ago(meeting, language="en")
    with run_on_commit():
        assert services.reminders_plan() == 2
    assert {r.kind for r in Reminder.objects.all()} == {"first", "last"}
    # The personal join link, never the meeting's own link (issue 24).
    registration = meeting.registrations.get()
    assert all(registration.get_join_url() in m.body for m in mail.outbox)
    assert all(meeting.online_link not in m.body + m.alternatives[0][0] for m in mail.outbox)
    assert mail.outbox[0].subject.startswith("Reminder")


def test_physical_meeting_gets_no_one_hour_reminder():
    meeting = _meeting_starting_in(timedelta(minutes=50))
    _registered_long_ago(meeting)
    assert services.reminders_plan() == 1
    assert Reminder.objects.get().kind == "first"


def test_meeting_specific_offset_is_used():
    meeting = _meeting_starting_in(timedelta(days=6), reminder_before=timedelta(days=7))
    _registered_long_ago(meeting)
    assert services.reminders_plan() == 1


def test_person_who_registered_after_the_reminder_time_gets_none():
    meeting = _meeting_starting_in(timedelta(days=1))
    RegistrationFactory(meeting=meeting)  # registered now, after "2 days before"
    assert services.reminders_plan() == 0


def test_no_reminders_for_draft_or_started_meetings():
    _registered_long_ago(_meeting_starting_in(timedelta(days=1), status=Meeting.Status.DRAFT))
    _registered_long_ago(_meeting_starting_in(timedelta(minutes=-5)))
    assert services.reminders_plan() == 0


def test_reminder_constraint_stops_a_second_row():
    from django.db import IntegrityError, transaction

    registration = RegistrationFactory()
    Reminder.objects.create(registration=registration, kind="first")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(registration=registration, kind="first")


def test_reminders_are_planned_again_when_the_meeting_moves(run_on_commit):
    meeting = _meeting_starting_in(timedelta(days=1))
    _registered_long_ago(meeting)
    assert services.reminders_plan() == 1
    later = meeting.start + timedelta(days=7)
    services.meeting_update(meeting=meeting, start=later, end=later + timedelta(hours=2))
    assert services.reminders_plan() == 0
    assert services.reminders_plan(now=later - timedelta(days=1)) == 1

"""Reads of the meeting pages that used to live in views and template tags."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import selectors
from meetings.models import Meeting, Registration
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_waitlist_position_counts_by_sign_up_time_then_id():
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    at = timezone.now()
    first = RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED, created_at=at)
    same_moment = RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED, created_at=at)
    later = RegistrationFactory(
        meeting=meeting, status=Registration.Status.WAITLISTED, created_at=at + dt.timedelta(seconds=1)
    )

    positions = [selectors.registration_waitlist_position(registration=r) for r in (first, same_moment, later)]

    assert positions == [1, 2, 3]


def test_a_confirmed_registration_has_no_waitlist_position():
    registration = RegistrationFactory(status=Registration.Status.CONFIRMED)
    assert selectors.registration_waitlist_position(registration=registration) is None


def test_home_page_lists_upcoming_meetings_without_cancelled_ones(client):
    MeetingFactory(title="Inställt möte", status=Meeting.Status.CANCELLED)
    MeetingFactory(title="Kommande möte")

    html = client.get("/").content.decode()

    assert "Kommande möte" in html
    assert "Inställt möte" not in html


def test_upcoming_meetings_carry_their_counts():
    meeting = MeetingFactory(capacity=3)
    RegistrationFactory(meeting=meeting)
    [found] = selectors.meetings_upcoming(include_cancelled=False)
    assert found.confirmed_count == 1

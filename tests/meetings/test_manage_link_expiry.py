"""A manage link works until the meeting is over plus the retention period, then never again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.tokens import manage_url, registration_from_token, registration_link_expires_at, registration_token
from tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_link_works_after_the_meeting_within_the_retention_period(settings):
    settings.MEETINGS_REGISTRATION_RETENTION_DAYS = 90
    registration = RegistrationFactory()
    token = registration_token(registration)
    assert registration_from_token(token, now=registration.meeting.end + timedelta(days=89)) == registration


def test_link_stops_working_when_the_retention_period_is_over(settings):
    settings.MEETINGS_REGISTRATION_RETENTION_DAYS = 90
    registration = RegistrationFactory()
    token = registration_token(registration)
    assert registration_from_token(token, now=registration.meeting.end + timedelta(days=91)) is None


def test_expiry_follows_the_meeting_when_it_is_moved(settings):
    settings.MEETINGS_REGISTRATION_RETENTION_DAYS = 30
    registration = RegistrationFactory()
    before = registration_link_expires_at(registration)
    registration.meeting.end += timedelta(days=7)
    assert registration_link_expires_at(registration) == before + timedelta(days=7)


def test_old_manage_link_answers_not_found(client, settings):
    settings.MEETINGS_REGISTRATION_RETENTION_DAYS = 30
    start = (timezone.now() - timedelta(days=60)).replace(microsecond=0)
    registration = RegistrationFactory(meeting=MeetingFactory(start=start, end=start + timedelta(hours=2)))
    assert client.get(manage_url(registration, absolute=False)).status_code == 404

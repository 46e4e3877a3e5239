"""The place in the waitlist, shown where the person looks: after signing up, on their own registration page
and in Mina sidor."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings import selectors
from meetings.models import Registration
from meetings.tokens import manage_url
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

WAITLISTED = Registration.Status.WAITLISTED


def _form(**overrides):
    data = {"name": "Anna Andersson", "email": "anna@example.se", "consent": "on"}
    data.update(overrides)
    return data


def test_sign_up_on_the_waitlist_says_the_place_in_the_queue(client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=timezone.now() - dt.timedelta(minutes=5))
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(), follow=True)
    assert Registration.objects.get(email="anna@example.se").status == WAITLISTED
    assert "Du är nummer 2 på väntelistan." in response.content.decode()


def test_confirmed_sign_up_shows_no_queue_place(client):
    meeting = MeetingFactory(capacity=5)
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form(), follow=True)
    assert "på väntelistan" not in response.content.decode()


def test_own_registration_page_says_the_place_in_the_queue(client):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    at = timezone.now()
    RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at - dt.timedelta(minutes=2))
    mine = RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at)
    page = client.get(manage_url(mine, absolute=False)).content.decode()
    assert "Du är nummer 2 på väntelistan." in page


def test_my_pages_say_the_place_in_each_queue_in_one_query(client, django_assert_max_num_queries):
    user = UserFactory(email="karin@example.se")
    at = timezone.now()
    for ahead in range(4):
        meeting = MeetingFactory(capacity=1, title=f"Möte {ahead}")
        RegistrationFactory(meeting=meeting)
        for minutes in range(ahead):
            RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at - dt.timedelta(minutes=minutes + 1))
        RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at, user=user, email="karin@example.se")
    client.force_login(user)
    client.get("/mina-sidor/")  # warm the session and the page's other caches
    with django_assert_max_num_queries(25):
        page = client.get("/mina-sidor/").content.decode()
    for ahead in range(4):
        assert f"nummer {ahead + 1} i kön" in page


def test_waitlist_positions_agree_with_the_single_position_and_its_ties():
    meeting = MeetingFactory(capacity=1)
    other = MeetingFactory(capacity=1)
    at = timezone.now()
    registrations = [
        RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at),
        RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at),
        RegistrationFactory(meeting=meeting, status=WAITLISTED, created_at=at - dt.timedelta(seconds=1)),
        RegistrationFactory(meeting=other, status=WAITLISTED, created_at=at),
        RegistrationFactory(meeting=other, status=Registration.Status.CONFIRMED),
    ]
    positions = selectors.waitlist_positions(registrations=registrations)
    assert positions == {
        r.pk: selectors.registration_waitlist_position(registration=r) for r in registrations if r.status == WAITLISTED
    }
    assert sorted(positions.values()) == [1, 1, 2, 3]

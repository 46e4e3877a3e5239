"""Retention of the webhooks' log: finished attempts go WEBHOOKS_RETENTION_DAYS after they finished, events
once no attempt of them is left; waiting and claimed attempts, and the endpoints, stay whatever their age."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.regions import region_scope
from core.retention import personal_data_purge
from webhooks.models import Delivery, Endpoint, Event

from .conftest import make_endpoint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("disposal_decisions")]

NOW = timezone.now()
Status = Delivery.Status


def _event(days_ago):
    return Event.objects.create(
        name="meetings.published",
        object_type="meetings.meeting",
        object_id=1,
        occurred_at=NOW - timedelta(days=days_ago),
    )


def _attempt(endpoint, event, status, *, finished_days_ago=None, due_days_ago=0, attempt=1):
    finished = NOW - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
    return Delivery.objects.create(
        endpoint=endpoint,
        event=event,
        attempt=attempt,
        status=status,
        due_at=NOW - timedelta(days=due_days_ago),
        finished_at=finished,
    )


def _purge(now=NOW):
    return personal_data_purge(now=now)["webhooks"]


def test_finished_attempts_go_after_the_period_and_their_event_with_the_last(endpoint, settings):
    settings.WEBHOOKS_RETENTION_DAYS = 90
    old = _event(days_ago=120)
    _attempt(endpoint, old, Status.FAILED, finished_days_ago=119, due_days_ago=120)
    _attempt(endpoint, old, Status.SUCCEEDED, finished_days_ago=100, due_days_ago=100, attempt=2)
    recent = _event(days_ago=30)
    kept = _attempt(endpoint, recent, Status.SUCCEEDED, finished_days_ago=30, due_days_ago=30)

    assert _purge() == {"deliveries_deleted": 2, "events_deleted": 1}

    assert list(Delivery.objects.all()) == [kept]
    assert list(Event.objects.all()) == [recent]
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()
    assert _purge() == {"deliveries_deleted": 0, "events_deleted": 0}  # a second run finds nothing left


def test_an_attempt_finished_inside_the_period_keeps_an_old_event(endpoint, settings):
    settings.WEBHOOKS_RETENTION_DAYS = 90
    event = _event(days_ago=200)
    _attempt(endpoint, event, Status.FAILED, finished_days_ago=200, due_days_ago=200)
    last = _attempt(endpoint, event, Status.SUCCEEDED, finished_days_ago=10, due_days_ago=10, attempt=2)

    assert _purge() == {"deliveries_deleted": 1, "events_deleted": 0}
    assert list(Delivery.objects.all()) == [last]
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("status", [Status.PENDING, Status.SENDING])
def test_waiting_and_claimed_attempts_are_never_deleted_nor_their_event(endpoint, settings, status):
    settings.WEBHOOKS_RETENTION_DAYS = 90
    event = _event(days_ago=400)
    waiting = _attempt(endpoint, event, status, due_days_ago=400)

    assert _purge() == {"deliveries_deleted": 0, "events_deleted": 0}
    assert list(Delivery.objects.all()) == [waiting]


def test_an_attempt_cancelled_before_it_was_tried_goes_by_its_due_time(endpoint, settings):
    settings.WEBHOOKS_RETENTION_DAYS = 90
    event = _event(days_ago=95)
    _attempt(endpoint, event, Status.CANCELLED, due_days_ago=91)
    fresh = _attempt(endpoint, _event(days_ago=89), Status.CANCELLED, due_days_ago=89)

    assert _purge() == {"deliveries_deleted": 1, "events_deleted": 1}
    assert list(Delivery.objects.all()) == [fresh]


def test_the_period_is_the_setting(endpoint, settings):
    event = _event(days_ago=40)
    _attempt(endpoint, event, Status.SUCCEEDED, finished_days_ago=40, due_days_ago=40)
    settings.WEBHOOKS_RETENTION_DAYS = 45
    assert _purge() == {"deliveries_deleted": 0, "events_deleted": 0}
    settings.WEBHOOKS_RETENTION_DAYS = 30
    assert _purge() == {"deliveries_deleted": 1, "events_deleted": 1}


def test_the_purge_of_one_region_leaves_anothers_log(endpoint, other_region, settings):
    settings.WEBHOOKS_RETENTION_DAYS = 90
    with region_scope(other_region):
        theirs = _attempt(
            make_endpoint(name="Hallands partner"),
            _event(days_ago=200),
            Status.SUCCEEDED,
            finished_days_ago=200,
            due_days_ago=200,
        )
    _attempt(endpoint, _event(days_ago=200), Status.SUCCEEDED, finished_days_ago=200, due_days_ago=200)

    assert _purge() == {"deliveries_deleted": 1, "events_deleted": 1}
    with region_scope(other_region):
        assert list(Delivery.objects.all()) == [theirs]

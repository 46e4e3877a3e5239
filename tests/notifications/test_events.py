"""core.events and the registry's events, followables and subscribers (issue 25): declared by each app,
emitted through one function, heard by every subscriber once after the commit, in the region."""

import pytest

from core.events import emit
from core.registry import AlreadyRegistered, PortalRegistry, portal
from tests.factories.organisations import AreaOfActivityFactory

pytestmark = pytest.mark.django_db


def test_an_event_and_a_followable_are_declared_once():
    registry = PortalRegistry()
    registry.register("meetings")
    registry.event("meetings.x", "X")
    with pytest.raises(AlreadyRegistered):
        registry.event("meetings.x", "X")
    registry.followable("meetings.topic", "meetings.Topic", "Topic", lookup="slug")
    with pytest.raises(AlreadyRegistered):
        registry.followable("meetings.topic", "meetings.Topic", "Topic")
    with pytest.raises(LookupError):
        registry.event("challenges.y", "Y")  # challenges not registered with this registry


def test_the_declared_events_of_the_apps():
    names = {event.name for event in portal.event_types()}
    assert {"meetings.published", "challenges.accepted", "challenges.update"} <= names
    kinds = {f.kind for f in portal.followables()}
    assert {"organisations.area", "organisations.municipality", "meetings.topic", "challenges.challenge"} <= kinds


def test_every_subscriber_hears_the_event_after_the_commit_in_its_region(region, django_capture_on_commit_callbacks):
    from core.region_state import current_region_id

    heard = []
    portal.subscriber("meetings", lambda event: heard.append((event, current_region_id())))
    try:
        area = AreaOfActivityFactory(slug="halsa")
        with django_capture_on_commit_callbacks(execute=True):
            emit(
                "meetings.published",
                obj=area,
                title="Hälsa",
                url="/x/",
                targets=lambda: [("organisations.area", area.pk)],
            )
            assert heard == []  # not before the commit
        ((event, region_id),) = heard
        assert event.name == "meetings.published" and event.targets == (("organisations.area", area.pk),)
        assert region_id == region.pk and event.object_type == "organisations.areaofactivity"
    finally:
        portal._apps["meetings"].subscribers.pop()


def test_a_failing_subscriber_does_not_stop_the_others(django_capture_on_commit_callbacks):
    heard = []

    def broken(event):
        raise RuntimeError("boom")

    portal.subscriber("meetings", broken, order=1)
    portal.subscriber("meetings", heard.append, order=2)
    try:
        area = AreaOfActivityFactory(slug="kultur")
        with django_capture_on_commit_callbacks(execute=True):
            emit("meetings.published", obj=area)
        assert len(heard) == 1
    finally:
        del portal._apps["meetings"].subscribers[-2:]

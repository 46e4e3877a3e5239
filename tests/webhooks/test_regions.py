"""An endpoint hears only its own region's events; another region's endpoint is a 404 in the admin."""

import pytest
from django.urls import reverse

from core.events import emit
from core.regions import region_scope
from tests.factories import MeetingFactory
from webhooks.models import Delivery, Endpoint

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


def test_an_endpoint_of_one_region_gets_no_events_of_another(
    sent, region, other_region, django_capture_on_commit_callbacks
):
    ours = make_endpoint(name="Vår partner")
    with region_scope(other_region):
        theirs = make_endpoint(name="Hallands partner")
        meeting = MeetingFactory()
        with django_capture_on_commit_callbacks(execute=True):
            emit("meetings.published", obj=meeting, title=meeting.title, url=meeting.get_absolute_url())
        assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [theirs.pk]
    assert not Delivery.objects.filter(endpoint=ours).exists()
    assert len(sent.requests) == 1
    assert sent.requests[0]["headers"]["X-Samverkan-Signature"]


def test_another_regions_endpoint_is_not_found_in_the_admin(coordinator_client, other_region, sent):
    with region_scope(other_region):
        theirs = make_endpoint(name="Hallands partner")
    assert coordinator_client.get(reverse("admin:webhooks_endpoint_change", args=[theirs.pk])).status_code in (302, 404)
    assert (
        "Hallands partner" not in coordinator_client.get(reverse("admin:webhooks_endpoint_changelist")).content.decode()
    )
    assert Endpoint.objects.count() == 0

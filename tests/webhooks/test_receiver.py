"""Against a real receiver (an http.server thread on 127.0.0.1, allowed by WEBHOOKS_ALLOW_LOOPBACK): the
signature checks with the example on the open data page, and a 500 from the receiver leads to a retry
that carries the same event id."""

import html
import json
import re

import pytest
from django.urls import reverse

from core.events import emit
from tests.factories import MeetingFactory
from webhooks.delivery import deliveries_sweep
from webhooks.models import Delivery

from .conftest import SECRET, make_endpoint

pytestmark = pytest.mark.django_db


def documented_verify(client):
    """The ``verify`` function exactly as the open data page shows it."""
    page = client.get(reverse("opendata:documentation")).content.decode()
    code = html.unescape(re.search(r'<code class="language-python">(.*?)</code>', page, re.S).group(1))
    namespace = {}
    exec(code, namespace)  # noqa: S102 - our own documentation's example, under test
    return namespace["verify"]


def test_a_delivery_to_a_real_receiver_is_signed_and_a_500_is_retried_with_the_same_event_id(
    receiver, client, django_capture_on_commit_callbacks
):
    verify = documented_verify(client)
    endpoint = make_endpoint(url=receiver.url("/samverkan?token=x"))
    receiver.statuses = [500]
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        emit("meetings.published", obj=meeting, title=meeting.title, url=meeting.get_absolute_url())
    first = Delivery.objects.get(attempt=1)
    assert first.status == Delivery.Status.FAILED and first.http_status == 500 and first.response_snippet == "ok"
    retry = Delivery.objects.get(attempt=2)
    deliveries_sweep(now=retry.due_at)
    retry.refresh_from_db()
    assert retry.status == Delivery.Status.SUCCEEDED and retry.http_status == 200 and retry.duration_ms is not None
    assert len(receiver.requests) == 2
    ids = []
    for request in receiver.requests:
        assert request["path"] == "/samverkan?token=x"
        assert verify(SECRET, request["headers"], request["body"])
        assert not verify("whsec_wrong", request["headers"], request["body"])
        assert not verify(SECRET, request["headers"], request["body"] + b" ")
        ids.append(json.loads(request["body"])["id"])
    assert ids[0] == ids[1] == str(first.event.uuid)
    deliveries = [r["headers"]["X-Samverkan-Delivery"] for r in receiver.requests]
    assert deliveries == [str(first.uuid), str(retry.uuid)]
    assert [r["headers"]["X-Samverkan-Attempt"] for r in receiver.requests] == ["1", "2"]
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 0


def test_a_receiver_that_is_down_is_a_failed_attempt_never_a_crash(settings, receiver):
    from webhooks.delivery import delivery_attempt
    from webhooks.models import Event

    url = receiver.url()
    receiver.close()
    endpoint = make_endpoint(url=url)
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    delivery = delivery_attempt(delivery_id=Delivery.objects.create(endpoint=endpoint, event=event).pk)
    assert delivery.status == Delivery.Status.FAILED and delivery.error == "Anslutningen nekades"
    receiver.close = lambda: None

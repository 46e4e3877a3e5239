"""Events become signed deliveries to the endpoints that chose them, retried with backoff under the same
event id, and an endpoint whose events fail every attempt ten times in a row is disabled and its
coordinator told (the tasks called as Celery calls them)."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.events import emit
from core.links import absolute_url
from outbox.models import OutgoingEmail
from tests.factories import MeetingFactory
from webhooks.delivery import deliveries_sweep
from webhooks.models import Delivery, Event
from webhooks.tasks import deliver, sweep

from .conftest import SECRET, make_endpoint

pytestmark = pytest.mark.django_db


def publish(capture, meeting=None, name="meetings.published"):
    meeting = meeting or MeetingFactory()
    with capture(execute=True):
        emit(name, obj=meeting, title=meeting.title, url=meeting.get_absolute_url())
    return meeting


def test_an_event_is_delivered_once_to_each_endpoint_that_chose_it(sent, endpoint, django_capture_on_commit_callbacks):
    make_endpoint(name="Vill bara utmaningar", events=["challenges.update"])
    make_endpoint(name="Avstängd", is_active=False)
    meeting = publish(django_capture_on_commit_callbacks)
    assert len(sent.requests) == 1
    (body,) = sent.bodies()
    event = Event.objects.get()
    assert body == {
        "id": str(event.uuid),
        "event": "meetings.published",
        "time": timezone.localtime(event.occurred_at).isoformat(),
        "object": {
            "type": "meetings.meeting",
            "id": meeting.pk,
            "url": absolute_url(f"/api/v1/meetings/{meeting.slug}/"),
        },
    }
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_the_body_holds_nothing_personal(sent, endpoint, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(contact_name="Nina Ulander", contact_email="nina@example.se")
    publish(django_capture_on_commit_callbacks, meeting)
    raw = sent.requests[0]["body"].decode()
    assert "Nina" not in raw and "@" not in raw and meeting.title not in raw


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_body(sent, endpoint, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks)
    request = sent.requests[0]
    headers, body = request["headers"], request["body"]
    expected = hmac.new(SECRET.encode(), f"{headers['X-Samverkan-Timestamp']}.".encode() + body, hashlib.sha256)
    assert headers["X-Samverkan-Signature"] == "sha256=" + expected.hexdigest()
    assert headers["X-Samverkan-Event"] == "meetings.published"
    assert headers["X-Samverkan-Delivery"] == str(Delivery.objects.get().uuid)
    assert abs(int(headers["X-Samverkan-Timestamp"]) - timezone.now().timestamp()) < 60
    wrong = hmac.new(b"another secret", f"{headers['X-Samverkan-Timestamp']}.".encode() + body, hashlib.sha256)
    assert headers["X-Samverkan-Signature"] != "sha256=" + wrong.hexdigest()


def test_a_failed_attempt_is_retried_with_backoff_and_the_same_event_id(
    sent, endpoint, django_capture_on_commit_callbacks
):
    sent.answers = [500, 502, TimeoutError("timed out"), 503, 500, 500]
    publish(django_capture_on_commit_callbacks)
    first = Delivery.objects.get(attempt=1)
    assert first.status == Delivery.Status.FAILED and first.http_status == 500
    assert "500" in first.error
    waits = []
    now = timezone.now()
    for attempt in range(2, 7):
        pending = Delivery.objects.get(attempt=attempt)
        previous = Delivery.objects.get(attempt=attempt - 1)
        waits.append(round((pending.due_at - previous.finished_at).total_seconds()))
        assert deliveries_sweep(now=pending.due_at - timedelta(seconds=1))["queued"] == 0  # not before it is due
        now = pending.due_at
        assert deliveries_sweep(now=now)["queued"] == 1  # runs the attempt (tasks are eager here)
    assert waits == [60, 300, 1800, 7200, 43200]
    assert not Delivery.objects.filter(attempt=7).exists()  # six attempts, then it gives up
    assert len({body["id"] for body in sent.bodies()}) == 1 and len(sent.requests) == 6
    assert len({r["headers"]["X-Samverkan-Delivery"] for r in sent.requests}) == 6
    assert Delivery.objects.get(attempt=3).error == "Inget svar i tid (tidsgränsen passerad)"
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 1 and endpoint.is_active


def test_a_retry_that_succeeds_sets_the_count_back(sent, endpoint, django_capture_on_commit_callbacks):
    endpoint.failure_count = 4
    endpoint.save()
    sent.answers = [500, 200]
    publish(django_capture_on_commit_callbacks)
    retry = Delivery.objects.get(attempt=2)
    deliver.apply(args=(retry.region_id, retry.pk))
    retry.refresh_from_db()
    endpoint.refresh_from_db()
    assert retry.status == Delivery.Status.SUCCEEDED and endpoint.failure_count == 0


def test_a_task_run_twice_sends_once(sent, endpoint, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    deliver.apply(args=(delivery.region_id, delivery.pk))
    deliver.apply(args=(delivery.region_id, delivery.pk))
    assert len(sent.requests) == 1


def test_an_attempt_whose_worker_died_is_settled_and_retried(sent, endpoint):
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    stuck = Delivery.objects.create(
        endpoint=endpoint, event=event, status=Delivery.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=5)
    )
    assert sweep.apply().successful()
    stuck.refresh_from_db()
    assert stuck.status == Delivery.Status.FAILED and "blev inte klart" in stuck.error
    retry = Delivery.objects.get(attempt=2)
    assert retry.status == Delivery.Status.PENDING
    deliveries_sweep(now=retry.due_at)
    assert json.loads(sent.requests[0]["body"])["id"] == str(event.uuid)


def test_a_first_attempt_never_queued_is_sent_by_the_sweeper(sent, endpoint):
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    Delivery.objects.create(endpoint=endpoint, event=event, due_at=timezone.now() - timedelta(minutes=2))
    assert deliveries_sweep()["queued"] == 1
    assert len(sent.requests) == 1


def test_ten_events_failing_every_attempt_disable_the_endpoint_and_mail_its_coordinator(
    sent, endpoint, settings, django_capture_on_commit_callbacks, coordinator
):
    settings.WEBHOOKS_RETRY_DELAYS = [60]  # two attempts per event
    sent.answers = [500] * 40
    for _ in range(9):
        publish(django_capture_on_commit_callbacks)
        retry = Delivery.objects.filter(status=Delivery.Status.PENDING).get()
        deliveries_sweep(now=retry.due_at)
    endpoint.refresh_from_db()
    assert endpoint.failure_count == 9 and endpoint.is_active
    assert not OutgoingEmail.objects.filter(kind="webhooks.disabled").exists()
    publish(django_capture_on_commit_callbacks)  # the tenth: its first attempt fails, its retry waits
    waiting = Delivery.objects.get(status=Delivery.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=waiting.due_at)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None and endpoint.failure_count == 10
    (email,) = OutgoingEmail.objects.filter(kind="webhooks.disabled")
    assert email.to == coordinator.email
    assert "Partnerns system" in email.subject and "avstängd" in email.subject.lower()
    assert mail.outbox and mail.outbox[-1].to == [coordinator.email]
    requests = len(sent.requests)
    publish(django_capture_on_commit_callbacks)  # a disabled endpoint gets nothing more
    assert len(sent.requests) == requests


def test_a_disabled_endpoints_waiting_attempts_are_cancelled(sent, endpoint):
    from webhooks.delivery import endpoint_disable

    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    waiting = Delivery.objects.create(endpoint=endpoint, event=event, attempt=2)
    endpoint_disable(endpoint=endpoint)
    waiting.refresh_from_db()
    assert waiting.status == Delivery.Status.CANCELLED
    deliveries_sweep(now=timezone.now() + timedelta(days=1))
    assert sent.requests == []


def test_the_api_address_is_given_only_for_what_the_api_publishes():
    from challenges.models import Challenge
    from tests.factories import ChallengeFactory
    from webhooks.links import api_url

    public = ChallengeFactory()
    hidden = ChallengeFactory(status=Challenge.Status.PROPOSED)
    draft = MeetingFactory(status="draft")
    assert api_url("challenges.challenge", public.pk) == absolute_url(f"/api/v1/challenges/{public.slug}/")
    assert api_url("challenges.challenge", hidden.pk) == ""
    assert api_url("meetings.meeting", draft.pk) == ""
    assert api_url("webhooks.endpoint", 1) == ""

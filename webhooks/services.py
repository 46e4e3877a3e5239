"""Endpoints and events: register an endpoint (its secret made here and shown once), rotate its secret,
enable it again, send it a test event, and turn every emitted event into one queued delivery per endpoint
that wants it (the subscriber ``core.events`` calls)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.registry import portal

from .delivery import queue_on_commit
from .links import api_url
from .models import Delivery, Endpoint, Event
from .transport import UnsafeURL, check_url

TEST_EVENT = "webhooks.test"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def event_choices() -> list[tuple[str, str]]:
    """The events an endpoint may choose: every event the apps declared (``portal.event``)."""
    return [(event.name, f"{event.label} ({event.name})") for event in portal.event_types()]


def url_validate(url: str) -> str:
    """The URL as stored, or a ``ValidationError`` saying why it may not be called."""
    try:
        check_url(url)
    except UnsafeURL as exc:
        raise ValidationError(str(exc), code="unsafe_url") from exc
    return url.strip()


@transaction.atomic
def endpoint_save(*, endpoint: Endpoint) -> str | None:
    """Save an endpoint after checking its address; a new one gets its secret, returned (to be shown once)."""
    endpoint.url = url_validate(endpoint.url)
    known = {name for name, _label in event_choices()}
    endpoint.events = [name for name in dict.fromkeys(endpoint.events or []) if name in known]
    secret = None
    if endpoint.pk is None:
        secret = endpoint.secret = new_secret()
        endpoint.secret_created_at = timezone.now()
    if endpoint.is_active and endpoint.disabled_at is not None:  # enabled again in the form
        endpoint.disabled_at, endpoint.failure_count = None, 0
    endpoint.save()
    return secret


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint) -> str:
    """A new secret for the endpoint, returned once; the old one stops signing at once."""
    secret = new_secret()
    Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret, secret_created_at=timezone.now())
    endpoint.refresh_from_db()
    return secret


@transaction.atomic
def endpoint_enable(*, endpoint: Endpoint) -> None:
    """Active again, its count of failures from zero (attempts cancelled when it was disabled stay so)."""
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=True, disabled_at=None, failure_count=0)
    endpoint.refresh_from_db()


@transaction.atomic
def endpoint_send_test(*, endpoint: Endpoint) -> Delivery:
    """Queue a test event (``webhooks.test``, the endpoint itself as its object) to this endpoint only."""
    if not endpoint.is_active:
        raise ValidationError("inactive")
    event = Event.objects.create(name=TEST_EVENT, object_type="webhooks.endpoint", object_id=endpoint.pk)
    delivery = Delivery.objects.create(endpoint=endpoint, event=event, attempt=1)
    queue_on_commit([delivery.pk])
    return delivery


def on_event(event) -> Event | None:
    """The subscriber ``core.events`` calls after the commit, in the event's region: the event stored once,
    one queued delivery per active endpoint of the region that chose it. Nothing personal is kept."""
    endpoints = [e for e in Endpoint.objects.filter(is_active=True).only("pk", "events") if e.wants(event.name)]
    if not endpoints:
        return None
    stored = Event.objects.create(
        name=event.name,
        object_type=event.object_type,
        object_id=event.object_id,
        api_url=api_url(event.object_type, event.object_id)[:500],
        occurred_at=event.at,
    )
    deliveries = Delivery.objects.bulk_create(
        [Delivery(endpoint_id=e.pk, event=stored, attempt=1, due_at=event.at) for e in endpoints]
    )
    if deliveries and deliveries[0].pk is None:  # backends without RETURNING on bulk insert
        deliveries = list(Delivery.objects.filter(event=stored))
    queue_on_commit([d.pk for d in deliveries])
    return stored

"""Delivering an event to an endpoint: one attempt per task, retried with backoff, signed.

Every attempt is a ``Delivery`` row before it is a request. The first attempt's task is queued when the
event's transaction commits; a failed attempt writes the next attempt's row, due after the next delay of
``WEBHOOKS_RETRY_DELAYS``, and the sweeper (every minute) queues what is due, what was never queued
(broker down) and, after ``WEBHOOKS_STUCK_AFTER``, records an attempt whose worker died as failed and
plans the next. The task claims its row under lock (pending → sending), so a task queued twice sends once;
a retry carries the same event id, so a receiver that saw an attempt it answered too late can tell.

An event whose every attempt failed counts against its endpoint; after ``WEBHOOKS_DISABLE_AFTER`` such
events in a row (a success sets the count back to nought) the endpoint is disabled, its waiting attempts
are cancelled and its coordinator is told by e-mail (the outbox).

The tasks live here beside the services that queue and run them (as the outbox's do), so the imports run
one way; ``tasks.py`` exposes them to Celery's autodiscovery under the names ``webhooks.tasks.*``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import ssl
import time
from collections.abc import Sequence
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.links import site_url
from core.permissions import coordinator_emails
from core.region_state import current_region_id
from core.regions import for_each_region, in_region
from outbox.services import email_queue

from . import transport
from .models import Delivery, Endpoint, Event

logger = logging.getLogger(__name__)

USER_AGENT = "Samverkansportalen-Webhooks/1"


# The body and its signature ----------------------------------------------------------------------


def payload(event: Event) -> bytes:
    """The body of every attempt of ``event``: the same bytes each time (its id, name, time and object)."""
    data = {
        "id": str(event.uuid),
        "event": event.name,
        "time": timezone.localtime(event.occurred_at).isoformat(),
        "object": {"type": event.object_type, "id": event.object_id, "url": event.api_url or None},
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256, keyed by the endpoint's secret, of ``<timestamp>.<body>``."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signed_headers(delivery: Delivery, body: bytes, *, timestamp: str | None = None) -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Samverkan-Event": delivery.event.name,
        "X-Samverkan-Delivery": str(delivery.uuid),
        "X-Samverkan-Attempt": str(delivery.attempt),
        "X-Samverkan-Timestamp": timestamp,
        "X-Samverkan-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }


# Queueing ---------------------------------------------------------------------------------------


def _publish(delivery_ids: Sequence[int], region_id: int) -> int:
    published = 0
    for delivery_id in delivery_ids:
        try:
            deliver.delay(region_id, delivery_id)
        except Exception:
            # Broker down: the row stays pending and the sweeper queues it when the broker is back.
            logger.warning("webhooks: could not queue delivery %s; the sweeper will", delivery_id, exc_info=True)
            break
        published += 1
    return published


def queue_on_commit(delivery_ids: Sequence[int]) -> None:
    """Queue the attempts' tasks when the transaction commits (at once outside one)."""
    region_id = current_region_id()
    ids = list(delivery_ids)
    transaction.on_commit(lambda: _publish(ids, region_id), robust=True)


# One attempt ------------------------------------------------------------------------------------


def _claim(delivery_id: int) -> Delivery | None:
    """The attempt, now ``sending`` and this worker's, or None (done, taken, or its endpoint disabled)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return None
        if not delivery.endpoint.is_active:
            delivery.status, delivery.finished_at = Delivery.Status.CANCELLED, timezone.now()
            delivery.save(update_fields=["status", "finished_at"])
            return None
        delivery.status, delivery.claimed_at = Delivery.Status.SENDING, timezone.now()
        delivery.save(update_fields=["status", "claimed_at"])
        return delivery


def _error_text(exc: Exception, secret: str) -> str:
    if isinstance(exc, transport.UnsafeURL):
        text = _("Refused, no request made: %(reason)s") % {"reason": exc}
    elif isinstance(exc, TimeoutError | socket.timeout):
        text = _("No answer in time (timed out)")
    elif isinstance(exc, ssl.SSLError):
        text = f"TLS: {getattr(exc, 'reason', None) or type(exc).__name__}"
    elif isinstance(exc, ConnectionRefusedError):
        text = _("Connection refused")
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text.replace(secret, "[secret]")[:300] if secret else text[:300]


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Make one attempt: claim it, check the address again, POST the signed body, record the outcome."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    body = payload(delivery.event)
    headers = signed_headers(delivery, body)
    started = time.monotonic()
    response, error = None, None
    try:
        response = transport.post(delivery.endpoint.url, body, headers)
    except (transport.UnsafeURL, OSError, http.client.HTTPException, ValueError) as exc:
        error = _error_text(exc, delivery.endpoint.secret)
        logger.info("webhooks: delivery %s failed: %s", delivery.pk, type(exc).__name__)
    duration_ms = response.duration_ms if response else int((time.monotonic() - started) * 1000)
    if response is not None and not 200 <= response.status < 300:
        error = _("The endpoint answered HTTP %(status)s") % {"status": response.status}
    return delivery_finish(
        delivery=delivery,
        error=error,
        http_status=response.status if response else None,
        snippet=response.snippet if response else "",
        duration_ms=duration_ms,
    )


@transaction.atomic
def delivery_finish(
    *, delivery: Delivery, error: str | None, http_status=None, snippet: str = "", duration_ms=None
) -> Delivery | None:
    """Record an attempt's outcome (once: a row no longer ``sending`` was settled by the sweeper), plan the
    next attempt after a failure, and keep the endpoint's count of events that failed every attempt."""
    now = timezone.now()
    delays = settings.WEBHOOKS_RETRY_DELAYS
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    retry_at = None
    if error and delivery.attempt <= len(delays) and endpoint.is_active:
        retry_at = now + timedelta(seconds=delays[delivery.attempt - 1])
    settled = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.FAILED if error else Delivery.Status.SUCCEEDED,
        http_status=http_status,
        duration_ms=duration_ms,
        error=(error or "")[:300],
        response_snippet=(snippet or "")[:200],
        retry_at=retry_at,
        finished_at=now,
    )
    if not settled:
        return None
    if retry_at is not None:
        Delivery.objects.get_or_create(
            endpoint_id=delivery.endpoint_id,
            event_id=delivery.event_id,
            attempt=delivery.attempt + 1,
            defaults={"due_at": retry_at},
        )
    elif not error:
        if endpoint.failure_count:
            Endpoint.objects.filter(pk=endpoint.pk).update(failure_count=0)
    else:
        _count_failure(endpoint)
    delivery.refresh_from_db()
    return delivery


def _count_failure(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(failure_count=F("failure_count") + 1)
    endpoint.refresh_from_db(fields=["failure_count"])
    if endpoint.is_active and endpoint.failure_count >= settings.WEBHOOKS_DISABLE_AFTER:
        endpoint_disable(endpoint=endpoint)


def endpoint_disable(*, endpoint: Endpoint) -> None:
    """Disable the endpoint after repeated failures, cancel its waiting attempts, tell its coordinator."""
    now = timezone.now()
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False, disabled_at=now)
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.CANCELLED, finished_at=now
    )
    endpoint.refresh_from_db()
    recipients = [endpoint.coordinator.email] if endpoint.coordinator and endpoint.coordinator.email else []
    recipients = recipients or coordinator_emails()
    if recipients:
        email_queue(
            to=recipients,
            template="webhooks/disabled",
            context={
                "endpoint": endpoint,
                "failures": endpoint.failure_count,
                "admin_url": f"{site_url()}/admin/webhooks/endpoint/{endpoint.pk}/change/",
                "deliveries_url": f"{site_url()}/admin/webhooks/delivery/?endpoint__id__exact={endpoint.pk}",
            },
            language=settings.LANGUAGE_CODE,
            kind="webhooks.disabled",
        )
    logger.warning("webhooks: endpoint %s disabled after %s failed events", endpoint.pk, endpoint.failure_count)


# The sweeper ------------------------------------------------------------------------------------


def deliveries_sweep(*, now=None, limit: int = 500) -> dict:
    """Settle attempts whose worker died (failed, next one planned) and queue the attempts that are due:
    retries at their time, first attempts not picked up within ``WEBHOOKS_QUEUED_GRACE`` (broker down)."""
    now = now or timezone.now()
    stuck = 0
    for delivery in Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - settings.WEBHOOKS_STUCK_AFTER
    )[:limit]:
        stuck += bool(delivery_finish(delivery=delivery, error=_("The attempt did not finish (the worker stopped).")))
    grace = settings.WEBHOOKS_QUEUED_GRACE
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, attempt__gt=1, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    due += list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, attempt=1, due_at__lte=now - grace)
        .order_by("due_at")
        .values_list("pk", flat=True)[: max(0, limit - len(due))]
    )
    published = _publish(due, current_region_id())
    # A queued attempt gets the grace again, so that a backlog is not published over and over.
    Delivery.objects.filter(pk__in=due[:published], status=Delivery.Status.PENDING).update(due_at=now + grace)
    return {"stuck": stuck, "queued": published}


# The tasks. Their names are those of messages on the broker: never change them.


@shared_task(name="webhooks.tasks.deliver", ignore_result=True)
@in_region
def deliver(delivery_id: int) -> None:
    """``deliver.delay(region_id, delivery_id)``: one attempt of one event to one endpoint."""
    delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.tasks.sweep", ignore_result=True)
@for_each_region
def sweep() -> dict:
    """Every minute, in every active region: queue the due retries and whatever was lost."""
    return deliveries_sweep()

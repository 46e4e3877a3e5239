"""Webhooks for partners (issue 25, item 5): the events the portal emits, the endpoints that want them and
every attempt to deliver one.

An event is stored once (``Event``, its ``uuid`` is the ``id`` partners see, the same in every attempt) with
nothing personal: its name, time, the object's type and id and the object's address in the open data API.
A delivery attempt is a row (``Delivery``) from the start: queued (``pending``) with the time it is due,
claimed under lock by one worker (``sending``), then ``succeeded`` or ``failed``; a failed attempt that is
retried has the next attempt's row, so the admin lists every attempt and a lost task is found by the sweeper.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import RegionalModel
from core.regions import regional_manager


class Event(RegionalModel):
    uuid = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("event"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"))
    api_url = models.CharField(_("API address"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.name} {self.object_type} {self.object_id}"


class Endpoint(RegionalModel):
    name = models.CharField(_("name"), max_length=200, help_text=_("Whose system it is, e.g. the partner's name."))
    url = models.CharField(
        _("URL"), max_length=500, help_text=_("An HTTPS address on the internet that takes POST requests.")
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    secret_created_at = models.DateTimeField(_("secret created"), default=timezone.now, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    failure_count = models.PositiveIntegerField(
        _("failed deliveries in a row"),
        default=0,
        editable=False,
        help_text=_("Events whose every attempt failed, since the last successful delivery."),
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True, editable=False)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator to tell"),
        help_text=_("Told by e-mail when the endpoint is disabled after repeated failures."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = regional_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def wants(self, event_name: str) -> bool:
        return event_name in (self.events or [])


class Delivery(RegionalModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent (endpoint disabled)")

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("event"))
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(pgettext_lazy("webhook attempt", "due"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    response_snippet = models.CharField(_("start of the response"), max_length=200, blank=True)
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    finished_at = models.DateTimeField(_("time"), null=True, blank=True)

    objects = regional_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event", "attempt"], name="webhooks_delivery_attempt_once"),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="webhooks_delivery_due_idx")]

    def __str__(self):
        return f"{self.event.name} → {self.endpoint} #{self.attempt}"

"""Retention of the webhooks' log (see the records page): finished delivery attempts are deleted
WEBHOOKS_RETENTION_DAYS after they finished, and an event once it is that old and no attempt of it is left.

Waiting and claimed attempts are never deleted, whatever their age (the sweeper still owns them), and neither
is an event that still has one. Endpoints and their failure counts stay. The rows hold nothing personal; the
rule keeps the table, and the admin's list of attempts, to the period coordinators need to answer "did our
system get it?".
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from .models import Delivery, Event

FINISHED = [Delivery.Status.SUCCEEDED, Delivery.Status.FAILED, Delivery.Status.CANCELLED]


def purge(*, now) -> dict:
    cutoff = now - timedelta(days=settings.WEBHOOKS_RETENTION_DAYS)
    # An attempt cancelled before it was tried has no finish time: its due time stands in for it.
    old = Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, due_at__lt=cutoff)
    deliveries, _ = Delivery.objects.filter(old, status__in=FINISHED).delete()
    remaining = Delivery.objects.filter(event=OuterRef("pk"))
    events, _ = Event.objects.filter(occurred_at__lt=cutoff).filter(~Exists(remaining)).delete()
    return {"deliveries_deleted": deliveries, "events_deleted": events}

"""Sent and failed e-mails hold addresses and texts: deleted after OUTBOX_RETENTION_DAYS."""

from datetime import timedelta

from django.conf import settings

from .models import OutgoingEmail


def purge(*, now) -> int:
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted

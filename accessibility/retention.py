"""Retention: a report of an accessibility shortcoming (with the sender's name and address) is deleted
ACCESSIBILITY_REPORT_RETENTION_DAYS after it was sent, as the form and the receipt say. Called daily by
``core.retention.personal_data_purge``."""

from datetime import timedelta

from django.conf import settings

from .models import AccessibilityReport


def purge(*, now) -> dict:
    cutoff = now - timedelta(days=settings.ACCESSIBILITY_REPORT_RETENTION_DAYS)
    deleted, _ = AccessibilityReport.objects.filter(created_at__lt=cutoff).delete()
    return {"accessibility reports deleted": deleted}

"""Retention of personal data, as promised on the privacy page (core/templates/core/privacy_*.html).

Each app may offer ``<app>.retention.purge(now) -> dict`` to anonymise or delete what it no
longer needs; ``personal_data_purge`` runs them all, daily, from beat.
"""

import importlib
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from outbox.models import OutgoingEmail

logger = logging.getLogger(__name__)

APPS_WITH_RETENTION = ["organisations", "meetings", "agreements"]


def outbox_purge(*, now) -> int:
    """Delete sent or failed e-mails older than OUTBOX_RETENTION_DAYS (they hold addresses and texts)."""
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED], created_at__lt=cutoff
    ).delete()
    return deleted


def personal_data_purge(*, now=None) -> dict:
    """Run every retention rule once. Idempotent: a second run finds nothing left to do."""
    now = now or timezone.now()
    result = {"outbox": outbox_purge(now=now)}
    for app in APPS_WITH_RETENTION:
        try:
            module = importlib.import_module(f"{app}.retention")
        except ModuleNotFoundError as exc:
            if exc.name == f"{app}.retention":
                continue
            raise
        result[app] = module.purge(now=now)
    logger.info("personal data purge: %s", result)
    return result

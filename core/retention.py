"""Retention of personal data, as promised on the privacy page (core/templates/core/privacy_*.html).

Each app registers ``retention=`` in its ``portal.py`` (see core/registry.py): a function
``purge(*, now) -> dict | int`` that anonymises or deletes what it no longer needs.
``personal_data_purge`` runs them all, daily, from beat.
"""

import logging

from django.utils import timezone

from .registry import portal

logger = logging.getLogger(__name__)


def personal_data_purge(*, now=None) -> dict:
    """Run every registered retention rule once. Idempotent: a second run finds nothing left to do."""
    now = now or timezone.now()
    result = {label: purge(now=now) for label, purge in portal.retention_rules()}
    logger.info("personal data purge: %s", result)
    return result

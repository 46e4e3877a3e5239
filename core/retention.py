"""Retention of personal data, as promised on the privacy page (core/templates/core/privacy_*.html).

Each app registers ``retention=`` in its ``portal.py`` (see core/registry.py): a function
``purge(*, now) -> dict | int`` that anonymises or deletes what it no longer needs.
``personal_data_purge`` runs them all in the region in force; the daily task
``core.tasks.purge_personal_data`` runs it once in every active region (``@for_each_region``), so each
app's rule only ever sees the rows of one region at a time.
"""

import logging

from django.utils import timezone

from .region_state import RegionMissing, current_region
from .registry import portal

logger = logging.getLogger(__name__)


def personal_data_purge(*, now=None) -> dict:
    """Run every registered retention rule once in the region in force. Idempotent: a second run finds
    nothing left to do."""
    region = current_region()
    if region is None:
        raise RegionMissing("the personal-data purge runs in one region: use region_scope or the daily task")
    now = now or timezone.now()
    result = {label: purge(now=now) for label, purge in portal.retention_rules()}
    logger.info("personal data purge in %s: %s", region.short_name, result)
    return result

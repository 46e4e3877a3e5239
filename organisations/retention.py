"""Retention of interest submissions (see the privacy page): those never verified are purged after a year.

Called daily by ``core.retention.personal_data_purge``. An organisation still waiting for review
whose newest submission is older than ORGANISATIONS_UNVERIFIED_RETENTION_DAYS is deleted with its
contacts and submissions. If another app protects it (a signature), only the personal data
(contacts and submissions) goes.

Per region: inside a region's scope (the daily job runs once in every region) it purges that region's
rows; called with no region in force, it runs once in every region, disabled ones included (their
people's data is kept no longer than anyone else's), each in its own scope.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, ProtectedError, Q, RestrictedError

from core.region_state import current_region
from core.regions import all_regions, region_scope

from .models import Contact, InterestSubmission, Organisation

logger = logging.getLogger(__name__)


def purge(*, now) -> dict:
    """Delete unverified organisations (and their contact data) older than the retention time, in the
    region in force, or in every region one after the other when none is."""
    if current_region() is not None:
        return _purge_region(now=now)
    from core.models import Region

    with all_regions():
        regions = list(Region.objects.order_by("pk"))
    total = {"unverified_organisations_deleted": 0, "contacts_deleted": 0}
    for region in regions:
        with region_scope(region):
            for key, count in _purge_region(now=now).items():
                total[key] += count
    return total


def _purge_region(*, now) -> dict:
    days = settings.ORGANISATIONS_UNVERIFIED_RETENTION_DAYS
    cutoff = now - timedelta(days=days)
    stale_ids = list(
        Organisation.objects.filter(status=Organisation.Status.SUBMITTED, created_at__lt=cutoff)
        .annotate(last_submission=Max("interest_submissions__created_at"))
        .filter(Q(last_submission__lt=cutoff) | Q(last_submission__isnull=True))
        .values_list("pk", flat=True)
    )
    organisations_deleted = contacts_deleted = 0
    for pk in stale_ids:
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk=pk).delete()
            organisations_deleted += 1
        except (ProtectedError, RestrictedError):
            with transaction.atomic():
                InterestSubmission.objects.filter(organisation_id=pk).delete()
                contacts_deleted += Contact.objects.filter(organisation_id=pk).delete()[0]
            logger.info("retention: organisation %s is protected; its contacts were deleted", pk)
    return {"unverified_organisations_deleted": organisations_deleted, "contacts_deleted": contacts_deleted}

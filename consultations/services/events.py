"""What followers hear of a consultation (issue 25, ``core.events``): opened, closes soon, compiled.

The invitation and the compilation are addressed to the invited organisations themselves (the steps
mail them at once); the followers of the consultation hear them as they chose.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.events import emit

from .. import selectors
from ..models import Announcement, Consultation

logger = logging.getLogger(__name__)

CLOSING_SOON = timedelta(days=7)


def consultation_emit(name: str, consultation: Consultation, *, addressed: bool) -> None:
    """Emit ``name`` about ``consultation`` on commit, to its followers (and its invited organisations)."""
    emit(
        name,
        obj=consultation,
        title=consultation.title,
        url=consultation.get_absolute_url(),
        targets=[("consultations.consultation", consultation.pk)],
        addressed=(
            (lambda: selectors.invited_organisations(consultation=consultation).values_list("pk", flat=True))
            if addressed
            else ()
        ),
    )


def consultations_announce_closing(*, now: datetime | None = None) -> int:
    """Tell the followers of each open consultation whose deadline is within ``CLOSING_SOON``, once per
    consultation (the ``Announcement`` unique constraint). Returns how many were told."""
    now = now or timezone.now()
    told = 0
    due = Consultation.objects.filter(
        status=Consultation.Status.OPEN, closes_at__gt=now, closes_at__lte=now + CLOSING_SOON
    ).exclude(announcements__kind=Announcement.Kind.CLOSING_SOON)
    for consultation in due:
        try:
            with transaction.atomic():
                Announcement.objects.create(consultation=consultation, kind=Announcement.Kind.CLOSING_SOON)
                consultation_emit("consultations.closing_soon", consultation, addressed=False)
        except IntegrityError:
            continue  # another run told them
        told += 1
    if told:
        logger.info("consultations: %s closing soon told", told)
    return told

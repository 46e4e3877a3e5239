"""Retention in challenges (see the privacy page): CHALLENGES_RETENTION_DAYS after a challenge was concluded
or declined, who raised it or joined it by person is forgotten.

The person is needed while the challenge runs (the raiser is told when it is accepted or declined and may
see it before it is public); afterwards the record is the organisations': the challenge, its raising
organisation, the participating organisations with their roles, the updates and the documents stay as
the public account of the work. The challenges' and participations' history forgets the representatives
who acted; what coordinators did stays in it (the region's own record). E-mail preferences belong to the
account and go with it. Called daily by ``core.retention.personal_data_purge``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from .models import Challenge, Participation


def purge(*, now) -> dict:
    """Unlink the people behind concluded or declined challenges past the retention time."""
    cutoff = now - timedelta(days=settings.CHALLENGES_RETENTION_DAYS)
    challenges = Challenge.objects.filter(
        Q(status=Challenge.Status.CONCLUDED, concluded_at__lt=cutoff)
        | Q(status=Challenge.Status.DECLINED, declined_at__lt=cutoff)
    )
    participations = Participation.objects.filter(challenge__in=challenges)
    challenge_history = Challenge.history.model.objects.filter(id__in=challenges.values("pk"))
    participation_history = Participation.history.model.objects.filter(challenge_id__in=challenges.values("pk"))
    with transaction.atomic():
        raisers = challenges.filter(raised_by_user__isnull=False).update(raised_by_user=None)
        joiners = participations.filter(joined_by__isnull=False).update(joined_by=None)
        challenge_history.filter(raised_by_user__isnull=False).update(raised_by_user=None)
        participation_history.filter(joined_by__isnull=False).update(joined_by=None)
        for history in (challenge_history, participation_history):
            history.filter(history_user__isnull=False, history_user__is_staff=False).update(history_user=None)
    return {"challenges_anonymised": raisers, "participations_anonymised": joiners}

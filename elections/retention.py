"""Retention in selection rounds (see the privacy page): ELECTIONS_RETENTION_DAYS after a round's result is
published, what was only needed to run it goes. Candidates' e-mail addresses are replaced, candidates who
declined or were withdrawn (never shown publicly) lose name and presentation, and who nominated or cast a
ballot by person (and under which person's mandate) is forgotten: the organisations that nominated and voted, the public candidates and the
counts stay, as the record of the round.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from .models import BallotCast, Nomination, SelectionRound

ANONYMOUS = "–"
ANONYMOUS_DOMAIN = "@invalid.example"


def purge(*, now) -> dict:
    cutoff = now - timedelta(days=settings.ELECTIONS_RETENTION_DAYS)
    rounds = SelectionRound.objects.filter(status=SelectionRound.Status.PUBLISHED, published_at__lt=cutoff)
    nominations = Nomination.objects.filter(round__in=rounds).exclude(candidate_email__endswith=ANONYMOUS_DOMAIN)
    count = 0
    with transaction.atomic():
        for nomination in nominations.select_for_update().only("pk", "status"):
            values = {"candidate_email": f"anonymiserad-{nomination.pk}{ANONYMOUS_DOMAIN}", "nominated_by": None}
            if nomination.status != Nomination.Status.ACCEPTED:
                values.update(candidate_name=ANONYMOUS, candidate_title="", presentation=ANONYMOUS)
            Nomination.objects.filter(pk=nomination.pk).update(**values)
            count += 1
        # The mandate a ballot was cast under names its holder: it goes with the person.
        casts = (
            BallotCast.objects.filter(round__in=rounds)
            .filter(Q(cast_by__isnull=False) | Q(mandate__isnull=False))
            .update(cast_by=None, mandate=None)
        )
    return {"nominations_anonymised": count, "ballot_casts_anonymised": casts}

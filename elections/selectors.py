"""Reads about selection rounds that depend on who asks."""

from django.db.models import Count, Q

from agreements.models import Signatory
from organisations.models import Organisation
from organisations.representation import organisations_of

from . import permissions
from .models import BallotCast, Nomination, SelectionRound


def eligible_organisations(*, round: SelectionRound):
    """The agreement's verified signatories: the organisations that nominate and vote."""
    return permissions.eligible_organisations(round)


def is_eligible(*, round: SelectionRound, organisation: Organisation) -> bool:
    return permissions.is_eligible(round, organisation)


def organisations_user_acts_for(*, round: SelectionRound, user) -> list[Organisation]:
    """Eligible organisations that ``user`` represents (empty for anonymous visitors)."""
    return permissions.acting_organisations(user, round)


def standing_candidates(*, round: SelectionRound):
    return (
        round.nominations.filter(status=Nomination.Status.ACCEPTED)
        .select_related("candidate_organisation", "nominating_organisation")
        .order_by("candidate_name", "pk")
    )


def turnout(*, round: SelectionRound) -> dict:
    eligible = eligible_organisations(round=round).count()
    voted = round.casts.count()
    return {"voted": voted, "eligible": eligible, "percent": round_percent(voted, eligible)}


def round_percent(part: int, whole: int) -> int:
    return int(100 * part / whole + 0.5) if whole else 0


def cast_for(*, round: SelectionRound, organisation: Organisation) -> BallotCast | None:
    return round.casts.filter(organisation=organisation).select_related("cast_by").first()


def result(*, round: SelectionRound) -> list[Nomination]:
    """Counted candidates, most approvals first (ties in name order, the drawn one marked)."""
    return list(standing_candidates(round=round).order_by("-elected", "-approvals", "candidate_name", "pk"))


def current_round_for_agreement(*, agreement):
    """The round to show on the agreement page: one running now, else the latest published."""
    rounds = SelectionRound.objects.filter(agreement=agreement).public()
    running = rounds.filter(
        status__in=[SelectionRound.Status.NOMINATING, SelectionRound.Status.VOTING, SelectionRound.Status.COUNTED]
    ).order_by("voting_closes")
    return running.first() or rounds.filter(status=SelectionRound.Status.PUBLISHED).order_by("-voting_closes").first()


def rounds_for_user(*, user) -> list[dict]:
    """Mina sidor: running rounds where one of the user's organisations takes part, with what it can do."""
    if not getattr(user, "is_authenticated", False):
        return []
    represented = organisations_of(user).values("pk")
    rounds = (
        SelectionRound.objects.filter(
            status__in=[SelectionRound.Status.NOMINATING, SelectionRound.Status.VOTING],
            agreement__signatories__status=Signatory.Status.VERIFIED,
            agreement__signatories__organisation__in=represented,
        )
        .distinct()
        .select_related("agreement")
        .annotate(casts_count=Count("casts", distinct=True))
    )
    entries = []
    for selection_round in rounds:
        organisations = organisations_user_acts_for(round=selection_round, user=user)
        voted = set(
            BallotCast.objects.filter(round=selection_round, organisation__in=organisations).values_list(
                "organisation_id", flat=True
            )
        )
        entries.append(
            {
                "round": selection_round,
                "organisations": [{"organisation": o, "voted": o.pk in voted} for o in organisations],
            }
        )
    return entries


def nominations_count(*, round: SelectionRound, organisation: Organisation) -> int:
    return round.nominations.filter(
        Q(nominating_organisation=organisation),
        ~Q(status__in=[Nomination.Status.DECLINED, Nomination.Status.WITHDRAWN]),
    ).count()


def running_rounds():
    return list(
        SelectionRound.objects.filter(
            status__in=[SelectionRound.Status.NOMINATING, SelectionRound.Status.VOTING]
        ).order_by("voting_closes")[:3]
    )

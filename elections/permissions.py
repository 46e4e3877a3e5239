"""Who may take part in a selection round: plain predicates for views, services and selectors.

The organisations that nominate and vote are the agreement's verified signatories; a person does so
for the ones they act for (``organisations.representation``). When a round takes nominations or
votes is the round's own (``SelectionRound.nominations_open_now`` and ``voting_open_now``).
"""

from django.db.models import QuerySet

from agreements.models import Signatory
from organisations.models import Organisation
from organisations.representation import acts_for, may_act, organisations_of

from .models import SelectionRound


def eligible_organisations(round: SelectionRound) -> QuerySet[Organisation]:
    """The agreement's verified signatories: the organisations that nominate and vote."""
    return Organisation.objects.filter(
        signatures__agreement_id=round.agreement_id, signatures__status=Signatory.Status.VERIFIED
    ).distinct()


def is_eligible(round: SelectionRound, organisation: Organisation) -> bool:
    return Signatory.objects.filter(
        agreement_id=round.agreement_id, organisation=organisation, status=Signatory.Status.VERIFIED
    ).exists()


def acting_organisations(user, round: SelectionRound) -> list[Organisation]:
    """The eligible organisations ``user`` acts for, by name (none for anonymous visitors)."""
    return list(eligible_organisations(round).filter(pk__in=organisations_of(user)).order_by("name"))


def takes_part(user, round: SelectionRound, organisation: Organisation) -> bool:
    """``user`` may nominate for ``organisation`` in ``round`` (while the round's dates allow); voting also
    needs a mandate (``may_vote``)."""
    return acts_for(user, organisation) and is_eligible(round, organisation)


def may_vote(user, round: SelectionRound, organisation: Organisation) -> bool:
    """``user`` may cast ``organisation``'s ballot in ``round``: an eligible organisation, and a verified
    mandate in force of a kind ``representation.ACTS["cast_ballot"]`` names."""
    return may_act(user, organisation, "cast_ballot") and is_eligible(round, organisation)

"""What ``elections`` holds about a person: the nominations they made, the nominations of them as a
candidate (by their address) and the ballots they cast for an organisation (that, never what; with the
mandate it rested on and how they were authenticated).

Erasure: a nomination and a cast ballot are the organisations' record of the round and stay. A
nomination forgets who made it; one of the person as candidate loses their address (in its history
too), and, unless it is a standing or elected candidacy the round's result names, their name and
presentation, as the retention rule does after the round. A cast ballot forgets who cast it and the
person's mandate; how the caster was authenticated (method, level, when) stays, saying nothing about
anyone without the person.

A person is one account in every region: "download my data" on a region's host exports that region's
rows (the region in force, like every app's export); erasure changes their rows in every region
(``all_regions``), whichever host they asked on.
"""

from django.db.models import Q

from core.personal_data import addresses_of, linked_rows, unlink_history
from core.regions import all_regions
from organisations.personal_data import unlink_mandated_acts

from .models import BallotCast, Nomination
from .retention import ANONYMOUS, ANONYMOUS_DOMAIN


def _as_candidate(user):
    by_address = Q(pk__in=[])
    for address in addresses_of(user=user):
        by_address |= Q(candidate_email__iexact=address)
    return by_address


def export(user) -> dict:
    return {
        "elections.Nomination": linked_rows(Nomination, user, also=_as_candidate(user)),
        "elections.BallotCast": linked_rows(BallotCast, user),
    }


def erase(user) -> dict:
    with all_regions():
        return _erase(user)


def _erase(user) -> dict:
    candidacies = 0
    history = Nomination.history.model.objects
    for nomination in Nomination.objects.filter(_as_candidate(user)).order_by("pk").only("pk", "status"):
        values = {"candidate_email": f"anonymiserad-{nomination.pk}{ANONYMOUS_DOMAIN}"}
        if nomination.status != Nomination.Status.ACCEPTED:
            values.update(candidate_name=ANONYMOUS, candidate_title="", presentation=ANONYMOUS)
        candidacies += Nomination.objects.filter(pk=nomination.pk).update(**values)
        history.filter(id=nomination.pk).update(**values)
    # Historical copies of a candidacy whose address was changed since still hold the old one.
    history.filter(_as_candidate(user)).update(candidate_email=f"anonymiserad{ANONYMOUS_DOMAIN}")
    return {
        "candidacies_anonymised": candidacies,
        "nominations_unlinked": Nomination.objects.filter(nominated_by=user).update(nominated_by=None),
        "ballot_cast_mandates_unlinked": unlink_mandated_acts(BallotCast, user),
        "ballot_casts_unlinked": BallotCast.objects.filter(cast_by=user).update(cast_by=None),
        "history_rows": unlink_history(Nomination, user),
    }

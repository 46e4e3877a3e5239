"""Two representatives of one organisation submit at the same moment: exactly one ballot."""

import threading

import pytest
from django.db import connection

from elections import services
from elections.models import BallotCast, SealedBallot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_ballots_from_one_organisation_make_one(voting_round, signatories):
    from tests.factories import UserFactory

    organisation, first = signatories[0]
    others = [UserFactory(email=f"samtidig{i}@example.se") for i in range(5)]
    for user in others:
        organisation.representative_links.create(user=user)
    candidate = voting_round.nominations.first()
    barrier = threading.Barrier(6)
    outcomes = []

    def cast(user):
        try:
            barrier.wait(timeout=10)
            services.ballot_cast(
                round=voting_round, user=user, organisation=organisation, nomination_ids=[candidate.pk]
            )
            outcomes.append("cast")
        except services.AlreadyVotedError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(user,)) for user in [first, *others]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["cast"] + ["refused"] * 5
    assert BallotCast.objects.filter(organisation=organisation).count() == 1
    assert SealedBallot.objects.count() == 1

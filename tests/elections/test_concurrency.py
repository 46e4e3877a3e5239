"""Casts under concurrency: two representatives of one organisation submitting at once make one
ballot; a cast arriving while the round is counted is refused, never stored unopened."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.regions import region_scope
from elections import services
from elections.models import BallotCast, SealedBallot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_ballots_from_one_organisation_make_one(voting_round, signatories):
    from tests.factories import MandatedRepresentativeFactory, UserFactory

    organisation, first = signatories[0]
    others = [UserFactory(email=f"samtidig{i}@example.se") for i in range(5)]
    for user in others:
        MandatedRepresentativeFactory(user=user, organisation=organisation)
    candidate = voting_round.nominations.first()
    barrier = threading.Barrier(6)
    outcomes = []

    def cast(user):
        try:
            barrier.wait(timeout=10)
            with region_scope(voting_round.region_id):  # a thread starts with no region, as a request would not
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


def test_a_cast_racing_the_count_waits_for_it_and_is_refused_not_lost(voting_round, signatories):
    """The count holds the round; a cast arriving meanwhile waits, then sees the round counted.

    No sleeps: the count's transaction is held open until PostgreSQL reports the cast waiting on
    the round's row lock (``pg_stat_activity``), then commits.
    """
    import datetime as dt

    from django.db import transaction

    from elections.models import Ballot, SealedBallot

    (first, first_user), (late, late_user) = signatories[0], signatories[1]
    candidate = voting_round.nominations.first()
    services.ballot_cast(round=voting_round, user=first_user, organisation=first, nomination_ids=[candidate.pk])
    before_close = voting_round.voting_closes - dt.timedelta(seconds=1)
    after_close = voting_round.voting_closes + dt.timedelta(minutes=1)
    outcome, pid, connected = [], [], threading.Event()

    def late_cast():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
            connected.set()
            with region_scope(voting_round.region_id):
                services.ballot_cast(
                    round=voting_round,
                    user=late_user,
                    organisation=late,
                    nomination_ids=[candidate.pk],
                    now=before_close,
                )
            outcome.append("cast")
        except ValidationError:
            outcome.append("refused")
        finally:
            connection.close()

    with transaction.atomic():
        services.round_count(round=voting_round, now=after_close)  # holds the round's row until commit
        thread = threading.Thread(target=late_cast)
        thread.start()
        assert connected.wait(timeout=30)
        waiting = False
        # A bound, not a clock: poll until the cast waits on a lock (or has ended, which fails).
        for _attempt in range(200_000):
            with connection.cursor() as cursor:
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid)
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                waiting = True
                break
            if not thread.is_alive():
                break
        assert waiting, "the late cast never waited for the count's lock"
    thread.join(timeout=30)
    assert outcome == ["refused"]
    assert BallotCast.objects.filter(round=voting_round).count() == 1
    assert Ballot.objects.filter(round=voting_round).count() == 1 and SealedBallot.objects.count() == 0

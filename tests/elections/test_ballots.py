"""Sealed ballots: the box, its keys, and the count that opens and shuffles them (any database)."""

import base64
import datetime as dt
import os
import random

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from elections import ballots, services
from elections.models import Ballot, BallotCast, BallotChoice, SealedBallot, SelectionRound

pytestmark = pytest.mark.django_db

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()


def _key(value=KEY_A, round_id=1):
    return ballots.RoundKey(ballots.round_private_key(base64.b64decode(value), round_id))


def _cast_all(selection_round, signatories, choices):
    for (organisation, user), choice in zip(signatories, choices, strict=True):
        services.ballot_cast(
            round=selection_round, user=user, organisation=organisation, nomination_ids=[c.pk for c in choice]
        )


def _after_close(selection_round):
    return selection_round.voting_closes + dt.timedelta(minutes=1)


# The box ------------------------------------------------------------------------------------------------


def test_every_box_of_a_round_has_one_length_whatever_it_approves():
    key = _key()
    boxes = [ballots.seal(ids, public_key=key.public, seats=5) for ids in ([], [7], [7, 8, 9], [1, 2, 3, 4, 5])]
    assert {len(box) for box in boxes} == {ballots.sealed_size(5)}
    assert ballots.sealed_size(5) == ballots.sealed_size(32) < ballots.sealed_size(33)


def test_a_box_opens_with_its_round_key_only_and_shows_no_ids():
    key = _key()
    box = ballots.seal([4711, 42], public_key=key.public, seats=3)
    assert ballots.open_box(box, private_key=key.private) == [42, 4711]
    assert ballots.ID.pack(4711) not in box and b"4711" not in box
    # The same ballot sealed twice is two different boxes (a fresh ephemeral key each time).
    assert box != ballots.seal([4711, 42], public_key=key.public, seats=3)
    for other in (_key(KEY_B), _key(round_id=2)):
        with pytest.raises(ballots.BallotOpenError):
            ballots.open_box(box, private_key=other.private)


def test_a_tampered_or_malformed_box_does_not_open():
    key = _key()
    box = bytearray(ballots.seal([1], public_key=key.public, seats=3))
    box[-1] ^= 1
    with pytest.raises(ballots.BallotOpenError):
        ballots.open_box(bytes(box), private_key=key.private)
    for plaintext in (b"XXXX" + bytes(10), ballots.pad([1], seats=3)[:-1] + b"\x01", ballots.pad([], seats=3)[:5]):
        with pytest.raises(ballots.BallotOpenError):
            ballots.open_box(ballots.SealedBox(key.public).encrypt(plaintext), private_key=key.private)


def test_round_keys_come_from_the_environment_not_from_the_secret_key_itself(settings):
    settings.ELECTIONS_BALLOT_KEY = ""
    derived = ballots.master_keys()[0]
    assert derived != settings.SECRET_KEY.encode()[:32] and len(derived) == 32
    settings.ELECTIONS_BALLOT_KEY = f"{KEY_A}, {KEY_B}"
    assert ballots.master_keys()[:3] == [b"A" * 32, b"B" * 32, derived]
    assert _key(round_id=1).public_b64 != _key(round_id=2).public_b64
    settings.ELECTIONS_BALLOT_KEY = "not base64!"
    with pytest.raises(ballots.ImproperlyConfigured):
        ballots.master_keys()


def test_a_stored_public_key_that_no_environment_key_derives_is_refused(settings):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    assert ballots.key_for_round(1, _key(KEY_A).public_b64).public_b64 == _key(KEY_A).public_b64
    with pytest.raises(ballots.BallotKeyError):
        ballots.key_for_round(1, _key(base64.b64encode(os.urandom(32)).decode()).public_b64)


# Casting --------------------------------------------------------------------------------------------------


def test_a_cast_writes_the_cast_record_and_a_sealed_box_only(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    organisation, user = signatories[0]
    chosen = list(voting_round.nominations.order_by("pk")[:2])
    services.ballot_cast(
        round=voting_round, user=user, organisation=organisation, nomination_ids=[c.pk for c in chosen]
    )
    voting_round.refresh_from_db()
    assert voting_round.ballot_public_key == _key(KEY_A, voting_round.pk).public_b64
    assert Ballot.objects.count() == BallotChoice.objects.count() == 0
    box = bytes(SealedBallot.objects.get(round=voting_round).box)
    assert len(box) == ballots.sealed_size(voting_round.seats)
    assert ballots.open_box(box, private_key=_key(KEY_A, voting_round.pk).private) == sorted(c.pk for c in chosen)


def test_a_vote_sealed_to_a_key_planted_in_the_database_is_refused(settings, client, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    planted = _key(base64.b64encode(os.urandom(32)).decode(), voting_round.pk)
    SelectionRound.objects.filter(pk=voting_round.pk).update(ballot_public_key=planted.public_b64)
    organisation, user = signatories[0]
    client.force_login(user)
    response = client.post(
        reverse("elections:vote", args=[voting_round.slug, organisation.pk]),
        {"candidates": [voting_round.nominations.first().pk]},
    )
    assert response.status_code == 400
    assert "ballot key" in response.content.decode() or "röstnyckel" in response.content.decode()
    assert BallotCast.objects.count() == SealedBallot.objects.count() == 0


# Counting -------------------------------------------------------------------------------------------------


def test_count_opens_shuffles_and_deletes_the_boxes(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    candidates = list(voting_round.nominations.order_by("pk"))
    choices = [[candidates[0], candidates[1]], [candidates[0]], []]
    _cast_all(voting_round, signatories, choices)

    class Recording(random.Random):
        def shuffle(self, x):
            self.before = [list(ids) for ids in x]
            super().shuffle(x)
            self.after = [list(ids) for ids in x]

    shuffler = Recording(3)
    services.round_count(round=voting_round, now=_after_close(voting_round), shuffle_rng=shuffler)
    assert sorted(shuffler.before) == sorted([sorted(c.pk for c in choice) for choice in choices])
    assert SealedBallot.objects.count() == 0
    assert Ballot.objects.filter(round=voting_round).count() == 3
    stored = sorted(sorted(b.choices.values_list("nomination_id", flat=True)) for b in Ballot.objects.all())
    assert stored == sorted(shuffler.after)
    assert {c.pk: c.approvals for c in voting_round.nominations.all()} == {
        candidates[0].pk: 2,
        candidates[1].pk: 1,
        candidates[2].pk: 0,
    }


def test_a_box_that_does_not_open_stops_the_count_and_changes_nothing(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    _cast_all(voting_round, signatories, [[voting_round.nominations.first()]] * 3)
    broken = SealedBallot.objects.first()
    SealedBallot.objects.filter(pk=broken.pk).update(box=bytes(len(bytes(broken.box))))
    with pytest.raises(ValidationError) as refused:
        services.round_count(round=voting_round, now=_after_close(voting_round))
    assert "ELECTIONS_BALLOT_KEY" in " ".join(refused.value.messages)
    voting_round.refresh_from_db()
    assert voting_round.status == SelectionRound.Status.VOTING
    assert SealedBallot.objects.count() == 3 and Ballot.objects.count() == 0


def test_a_lost_key_stops_the_count(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    _cast_all(voting_round, signatories[:1], [[voting_round.nominations.first()]])
    settings.ELECTIONS_BALLOT_KEY = KEY_B
    with pytest.raises(ValidationError):
        services.round_count(round=voting_round, now=_after_close(voting_round))
    assert SealedBallot.objects.count() == 1
    # With the old key kept after the new one, the round counts.
    settings.ELECTIONS_BALLOT_KEY = f"{KEY_B},{KEY_A}"
    services.round_count(round=voting_round, now=_after_close(voting_round))
    assert voting_round.nominations.get(pk=voting_round.nominations.first().pk).approvals == 1


def test_a_rotated_secret_key_kept_as_fallback_still_counts(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = ""
    _cast_all(voting_round, signatories[:2], [[voting_round.nominations.first()]] * 2)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "y" * 40
    services.round_count(round=voting_round, now=_after_close(voting_round))
    assert Ballot.objects.count() == 2 and SealedBallot.objects.count() == 0


def test_a_missing_or_extra_box_stops_the_count(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    _cast_all(voting_round, signatories, [[voting_round.nominations.first()]] * 3)
    SealedBallot.objects.first().delete()
    with pytest.raises(ValidationError) as refused:
        services.round_count(round=voting_round, now=_after_close(voting_round))
    assert "3" in refused.value.messages[0] and "2" in refused.value.messages[0]
    assert SealedBallot.objects.count() == 2 and Ballot.objects.count() == 0


# Existing ballots (migration 0003) ----------------------------------------------------------------------------


def _plain_ballots(selection_round, choices, signatories):
    """Ballots as stored before sealing: in plain, each written with its cast."""
    for (organisation, user), choice in zip(signatories, choices, strict=True):
        BallotCast.objects.create(round=selection_round, organisation=organisation, cast_by=user)
        ballot = Ballot.objects.create(round=selection_round)
        for candidate in choice:
            BallotChoice.objects.create(ballot=ballot, nomination=candidate)


def test_migration_seals_a_voting_rounds_plain_ballots_and_rewrites_a_counted_rounds(
    settings, voting_round, signatories
):
    from importlib import import_module

    settings.ELECTIONS_BALLOT_KEY = KEY_A
    migration = import_module("elections.migrations.0003_reseal_existing_ballots")
    candidates = list(voting_round.nominations.order_by("pk"))
    choices = [[candidates[0], candidates[1]], [candidates[0]], [candidates[2]]]
    _plain_ballots(voting_round, choices, signatories)
    counted = SelectionRound.objects.create(
        **{
            f.name: getattr(voting_round, f.name)
            for f in SelectionRound._meta.concrete_fields
            if f.name not in ("id", "slug", "ballot_public_key")
        },
        slug="raknad",
    )
    SelectionRound.objects.filter(pk=counted.pk).update(status=SelectionRound.Status.COUNTED)
    counted_candidates = []
    for candidate in candidates:
        candidate.pk, candidate.round = None, counted
        candidate.save()
        counted_candidates.append(candidate)
    counted_choices = [[counted_candidates[0], counted_candidates[1]], [counted_candidates[0]], [counted_candidates[2]]]
    _plain_ballots(counted, counted_choices, signatories)
    old_ids = set(Ballot.objects.values_list("pk", flat=True)) | set(BallotChoice.objects.values_list("pk", flat=True))

    migration.reseal(django_apps, None)

    assert not Ballot.objects.filter(round=voting_round).exists()
    assert SealedBallot.objects.filter(round=voting_round).count() == 3
    rewritten = Ballot.objects.filter(round=counted)
    assert sorted(sorted(b.choices.values_list("nomination_id", flat=True)) for b in rewritten) == sorted(
        sorted(c.pk for c in choice) for choice in counted_choices
    )
    new_ids = set(Ballot.objects.values_list("pk", flat=True)) | set(BallotChoice.objects.values_list("pk", flat=True))
    assert not new_ids & old_ids
    # The sealed ones count as any other, and back again the migration loses no vote.
    services.round_count(round=voting_round, now=_after_close(voting_round))
    assert [c.approvals for c in voting_round.nominations.order_by("pk")] == [2, 1, 1]


def test_migration_back_opens_the_boxes_into_plain_ballots(settings, voting_round, signatories):
    from importlib import import_module

    settings.ELECTIONS_BALLOT_KEY = KEY_A
    migration = import_module("elections.migrations.0003_reseal_existing_ballots")
    _cast_all(voting_round, signatories, [[voting_round.nominations.first()]] * 3)
    migration.unseal(django_apps, None)
    assert SealedBallot.objects.count() == 0 and Ballot.objects.count() == 3 == BallotChoice.objects.count()


# Configuration ----------------------------------------------------------------------------------------------


def test_deploy_check_warns_without_a_ballot_key_and_refuses_a_bad_one(settings):
    from elections.checks import ballot_key_is_set, ballot_key_is_valid

    settings.DEBUG = False
    settings.ELECTIONS_BALLOT_KEY = ""
    assert [w.id for w in ballot_key_is_set()] == ["elections.W001"]
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    assert ballot_key_is_set() == [] and ballot_key_is_valid() == []
    settings.ELECTIONS_BALLOT_KEY = base64.b64encode(b"short").decode()
    assert [e.id for e in ballot_key_is_valid()] == ["elections.E001"]
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_a_cast_that_arrives_after_the_count_is_refused_not_lost(settings, voting_round, signatories):
    settings.ELECTIONS_BALLOT_KEY = KEY_A
    (first, first_user), (late, late_user) = signatories[0], signatories[1]
    candidate = voting_round.nominations.first()
    before_close = voting_round.voting_closes - dt.timedelta(seconds=1)
    services.ballot_cast(round=voting_round, user=first_user, organisation=first, nomination_ids=[candidate.pk])
    stale = SelectionRound.objects.get(pk=voting_round.pk)  # read while voting, as a request would have
    services.round_count(round=voting_round, now=_after_close(voting_round))
    with pytest.raises(ValidationError):
        services.ballot_cast(
            round=stale, user=late_user, organisation=late, nomination_ids=[candidate.pk], now=before_close
        )
    assert BallotCast.objects.count() == Ballot.objects.count() == 1 and SealedBallot.objects.count() == 0

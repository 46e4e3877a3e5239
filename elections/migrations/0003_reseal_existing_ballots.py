"""Existing ballots stop pairing with their casts.

Before 0002 a ballot was written in plain in its cast's transaction, next to the cast. Every round
with ballots is rewritten here, in this migration's one transaction, in random order: a round still
in its voting period gets its ballots sealed to the round's key (the count opens them as it opens
new ones); any other round gets its ballots back with new random keys. Copies of the database taken
before this migration (backups, WAL archives) still pair and cannot be fixed from here.
"""

import secrets
import uuid
from collections import defaultdict

from django.db import migrations


def _take_contents(apps, selection_round, rng):
    Ballot = apps.get_model("elections", "Ballot")
    BallotChoice = apps.get_model("elections", "BallotChoice")
    choices = defaultdict(list)
    for ballot_id, nomination_id in BallotChoice.objects.filter(ballot__round=selection_round).values_list(
        "ballot_id", "nomination_id"
    ):
        choices[ballot_id].append(nomination_id)
    contents = [sorted(choices[pk]) for pk in Ballot.objects.filter(round=selection_round).values_list("pk", flat=True)]
    rng.shuffle(contents)
    BallotChoice.objects.filter(ballot__round=selection_round).delete()
    Ballot.objects.filter(round=selection_round).delete()
    return contents


def _write_plain(apps, selection_round, contents):
    Ballot = apps.get_model("elections", "Ballot")
    BallotChoice = apps.get_model("elections", "BallotChoice")
    written = [Ballot(id=uuid.uuid4(), round_id=selection_round.pk) for _ids in contents]
    Ballot.objects.bulk_create(written)
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(id=uuid.uuid4(), ballot_id=ballot.pk, nomination_id=pk)
            for ballot, ids in zip(written, contents)
            for pk in ids
        ]
    )


def reseal(apps, schema_editor):
    from elections import ballots

    SelectionRound = apps.get_model("elections", "SelectionRound")
    SealedBallot = apps.get_model("elections", "SealedBallot")
    rng = secrets.SystemRandom()
    for selection_round in SelectionRound.objects.filter(ballots__isnull=False).distinct().order_by("pk"):
        contents = _take_contents(apps, selection_round, rng)
        if selection_round.status != "voting":
            _write_plain(apps, selection_round, contents)
            continue
        key = ballots.key_for_round(selection_round.pk, selection_round.ballot_public_key)
        SelectionRound.objects.filter(pk=selection_round.pk).update(ballot_public_key=key.public_b64)
        SealedBallot.objects.bulk_create(
            [
                SealedBallot(
                    id=uuid.uuid4(),
                    round_id=selection_round.pk,
                    box=ballots.seal(ids, public_key=key.public, seats=selection_round.seats),
                )
                for ids in contents
            ]
        )


def unseal(apps, schema_editor):
    """Back to plain ballots (0001 has no sealed ones): open the boxes, shuffled, so no vote is lost."""
    from elections import ballots

    SelectionRound = apps.get_model("elections", "SelectionRound")
    SealedBallot = apps.get_model("elections", "SealedBallot")
    rng = secrets.SystemRandom()
    for selection_round in SelectionRound.objects.filter(sealed_ballots__isnull=False).distinct().order_by("pk"):
        key = ballots.key_for_round(selection_round.pk, selection_round.ballot_public_key)
        boxes = SealedBallot.objects.filter(round_id=selection_round.pk)
        contents = [ballots.open_box(box, private_key=key.private) for box in boxes.values_list("box", flat=True)]
        rng.shuffle(contents)
        boxes.delete()
        _write_plain(apps, selection_round, contents)


class Migration(migrations.Migration):
    dependencies = [("elections", "0002_sealed_ballots")]

    operations = [migrations.RunPython(reseal, unseal)]

"""The ballot: one per organisation, sealed when cast, opened and counted when voting has closed."""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.regions import unscoped
from organisations.models import Organisation
from organisations.representation import mandate_for, mandate_needed_message

from .. import ballots
from ..models import Ballot, BallotCast, BallotChoice, Nomination, SealedBallot, SelectionRound
from .guards import check_acts_for

logger = logging.getLogger(__name__)


class AlreadyVotedError(ValidationError):
    """The organisation's ballot is already cast; carries the cast record."""

    def __init__(self, cast: BallotCast):
        self.cast = cast
        super().__init__(_("Your organisation has already voted."), code="already_voted")


def _sealing_key(round: SelectionRound) -> ballots.RoundKey:
    """The round's ballot key; the first vote of a round stores its public half on the round.

    Only a key the environment can derive is used (``ballots.key_for_round``): if the stored public
    key belongs to none, the vote is refused rather than sealed to a key nobody here can open.
    """
    try:
        key = ballots.key_for_round(round.pk, "")
        SelectionRound.objects.filter(pk=round.pk, ballot_public_key="").update(ballot_public_key=key.public_b64)
        stored = SelectionRound.objects.values_list("ballot_public_key", flat=True).get(pk=round.pk)
        return ballots.key_for_round(round.pk, stored)
    except (ballots.BallotKeyError, ImproperlyConfigured) as exc:
        logger.error("elections: no ballot key for round %s: %s", round.pk, exc)
        raise ValidationError(
            _(
                "Votes cannot be received right now because of a fault in the portal's ballot key. Nothing was "
                "recorded; please tell the coordinators."
            ),
            code="ballot_key",
        ) from exc


def ballot_cast(
    *, round: SelectionRound, user, organisation: Organisation, nomination_ids, now=None, authentication=None
) -> BallotCast:
    """One ballot per organisation: the first representative to submit casts it.

    The cast record (organisation, person, time) and the ballot are written in one transaction, so
    in PostgreSQL they share a transaction id: the ballot is therefore sealed to the round's public
    key (``ballots.seal``), padded to the same length whatever it approves, and only the count opens
    it. A second ballot — also one racing the first from another representative — fails on the
    unique (round, organisation) constraint and raises ``AlreadyVotedError`` with the first cast.

    Casting needs a verified mandate in force (``representation.ACTS["cast_ballot"]``); the cast record
    names it and ``authentication`` (``accounts.assurance.describe``; None outside a request). The
    ballot records none of it.
    """
    now = now or timezone.now()
    if not round.voting_open_now(now):
        raise ValidationError(_("Voting is not open in this round."))
    check_acts_for(round=round, user=user, organisation=organisation)
    mandate = mandate_for(user, organisation, "cast_ballot", on=timezone.localdate(now))
    if mandate is None:
        raise PermissionDenied(mandate_needed_message("cast_ballot", organisation))
    chosen = set(int(pk) for pk in nomination_ids)
    if len(chosen) > round.seats:
        raise ValidationError(
            {
                "candidates": _("Approve at most %(seats)s candidates (you chose %(count)s).")
                % {"seats": round.seats, "count": len(chosen)}
            }
        )
    # Every candidate who stands, and the choice checked here: a query naming the chosen ids would carry them
    # as literals in the statement's text (psycopg binds on the client), where PostgreSQL's activity view,
    # its log or pg_stat_statements would show them beside the cast record's INSERT from the same connection.
    standing = set(round.nominations.filter(status=Nomination.Status.ACCEPTED).values_list("pk", flat=True))
    valid = chosen & standing
    if valid != chosen:
        raise ValidationError({"candidates": _("Choose only among the candidates who stand.")})
    key = _sealing_key(round)
    try:
        with transaction.atomic():
            # The count locks the round before it reads the boxes: holding the round here makes a
            # cast either land before the count (and be counted) or see the round counted (and be
            # refused), never be stored in a round that was counted without it.
            locked = SelectionRound.objects.select_for_update(no_key=True).get(pk=round.pk)
            if not locked.voting_open_now(now):
                raise ValidationError(_("Voting is not open in this round."))
            box = ballots.seal(valid, public_key=key.public, seats=locked.seats)
            cast = BallotCast(round=locked, organisation=organisation, cast_by=user, cast_at=now)
            cast.record_act(mandate=mandate, authentication=authentication)
            cast.save(force_insert=True)
            SealedBallot.objects.create(round=locked, box=box)
    except IntegrityError:
        existing = BallotCast.objects.select_related("cast_by").filter(round=round, organisation=organisation).first()
        if existing is None:
            raise
        raise AlreadyVotedError(existing) from None
    return cast


@transaction.atomic
def round_count(*, round: SelectionRound, now=None, rng=None, shuffle_rng=None) -> SelectionRound:
    """Open the sealed ballots, count the approvals and decide the seats. Idempotent: a counted
    round is returned as it is.

    The boxes are opened, shuffled (``secrets`` unless a test passes ``shuffle_rng``) and stored as
    ballots with fresh random keys, and the boxes deleted, all in this one transaction
    (``_open_sealed_ballots``). Most approvals win; a tie across the last seat is drawn by lot
    (``secrets`` unless a test passes ``rng``) and the draw is recorded on the round for everyone to see.
    """
    round = SelectionRound.objects.select_for_update().get(pk=round.pk)
    if round.status in (SelectionRound.Status.COUNTED, SelectionRound.Status.PUBLISHED):
        return round
    if round.status != SelectionRound.Status.VOTING:
        raise ValidationError(_("Only a round in its voting period can be counted."))
    now = now or timezone.now()
    if now < round.voting_closes:
        raise ValidationError(
            _("Voting has not closed yet: the round is counted after %(closes)s.")
            % {"closes": timezone.localtime(round.voting_closes).strftime("%Y-%m-%d %H:%M")}
        )
    _open_sealed_ballots(round=round, rng=shuffle_rng)
    candidates = list(
        round.nominations.filter(status=Nomination.Status.ACCEPTED)
        .annotate(count=Count("ballot_choices"))
        .order_by("-count", "candidate_name", "pk")
    )
    draw_record = _decide_seats(candidates, seats=round.seats, now=now, rng=rng)
    Nomination.objects.bulk_update(candidates, ["approvals", "elected", "drawn_by_lot"])
    round.status = SelectionRound.Status.COUNTED
    round.counted_at = now
    round.draw_record = draw_record
    round.save(update_fields=["status", "counted_at", "draw_record", "updated_at"])
    transaction.on_commit(partial(compact_ballot_tables, rounds=[round.pk]), robust=True)
    return round


BALLOT_TABLES = [model._meta.db_table for model in (SealedBallot, Ballot, BallotChoice)]


def compact_ballot_tables(*, rounds=None, wait: float | None = None) -> bool:
    """Rewrite the ballot tables on PostgreSQL (``VACUUM FULL``), after a count has committed.

    A deleted row stays in its table's file until a vacuum, with the transaction id that wrote it: the
    opened boxes, written by the casts' transactions, could be read there (``pageinspect``, a copy of the
    files) beside the cast records, and opened by whoever has the ballot key. A plain ``VACUUM`` frees the
    space but leaves the bytes; ``VACUUM FULL`` writes new files. The tables hold a few rows per
    organisation and round: seconds at most, and a lock that waits no longer than five seconds for others.

    A rewrite keeps every row some open snapshot may still see: a session of this database (a long
    report, ``pg_dump``, a connection left idle in a transaction), a prepared transaction or a standby's
    replication slot that began before the count committed holds the boxes in the new files too. So the
    rewrite waits up to ``wait`` seconds (``ELECTIONS_COMPACT_WAIT_SECONDS``) for such holders to end;
    if some remain it still runs, logs who held it (process id, kind, state, since when; never a query)
    and returns False, and the hourly ``elections.tasks.compact_ballot_tables`` tries again for
    ``ELECTIONS_COMPACT_HOURS`` after each count. ``rounds``: the counted rounds' ids (default: every
    round counted in that window). Returns whether the opened boxes are gone from the files (never on
    SQLite, whose deleted rows no database reader sees through SQL)."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return False
    if connection.in_atomic_block:
        logger.warning("elections: the ballot tables cannot be compacted inside a transaction")
        return False
    if rounds is None:
        since = timezone.now() - timedelta(hours=settings.ELECTIONS_COMPACT_HOURS)
        rounds = list(unscoped(SelectionRound).filter(counted_at__gte=since).values_list("pk", flat=True))
    wait = settings.ELECTIONS_COMPACT_WAIT_SECONDS if wait is None else wait
    with connection.cursor() as cursor:
        # The count wrote the rounds' ballots in the transaction that deleted their boxes: the youngest of
        # their transaction ids is the last deletion to wait for. No ballot, no box was ever deleted.
        cursor.execute(
            "SELECT xmin::text FROM elections_ballot WHERE round_id = ANY(%s) ORDER BY age(xmin) LIMIT 1",
            [list(rounds)],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        holders = _snapshot_holders(cursor, row[0], wait=wait)
        try:
            cursor.execute("SET lock_timeout = '5s'")
            cursor.execute("VACUUM FULL " + ", ".join(connection.ops.quote_name(t) for t in BALLOT_TABLES))
        except DatabaseError:
            logger.exception("elections: the ballot tables were not compacted after the count")
            return False
        finally:
            cursor.execute("RESET lock_timeout")
    if holders:
        logger.error(
            "elections: the opened ballot boxes stay in the tables' files until the next compaction: "
            "%s session(s) that began before the count still hold a snapshot: %s",
            len(holders),
            "; ".join(f"pid {pid} ({kind}, {state}, since {since})" for pid, kind, state, since in holders),
        )
        return False
    return True


# Who may still see rows the count deleted: any snapshot or transaction of this database (or a slot of any
# database) whose oldest transaction id is the deleting transaction's or older. VACUUM FULL keeps such rows.
_HOLDERS_SQL = """
SELECT pid, backend_type, coalesce(state, ''), coalesce(xact_start::text, '') FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
   AND greatest(age(backend_xid), age(backend_xmin)) >= age(%(xid)s::xid)
UNION ALL
SELECT NULL, 'prepared transaction', '', prepared::text FROM pg_prepared_xacts
 WHERE database = current_database() AND age(transaction) >= age(%(xid)s::xid)
UNION ALL
SELECT active_pid, 'replication slot', slot_type, '' FROM pg_replication_slots
 WHERE (database IS NULL OR database = current_database()) AND age(xmin) >= age(%(xid)s::xid)
"""


def _snapshot_holders(cursor, xid: str, *, wait: float) -> list[tuple]:
    """The sessions that may still see what transaction ``xid`` deleted, once they have ended or ``wait``
    seconds have passed (those left: process id, kind, state, since when)."""
    deadline = time.monotonic() + wait
    while True:
        cursor.execute(_HOLDERS_SQL, {"xid": xid})
        holders = cursor.fetchall()
        if not holders or time.monotonic() >= deadline:
            return holders
        time.sleep(0.1)


def _decide_seats(candidates: list[Nomination], *, seats: int, now, rng=None) -> str:
    """Mark the elected among ``candidates`` (sorted, most approvals first, each annotated with
    ``count``): most approvals win, a tie across the last seat is drawn by lot. Returns the record of
    the draw, or "" when there was none. Writes nothing; ``round_count`` saves the marks."""
    for candidate in candidates:
        candidate.approvals = candidate.count
        candidate.elected = False
        candidate.drawn_by_lot = False
    draw_record = ""
    if len(candidates) <= seats:
        winners = candidates
    else:
        cutoff = candidates[seats - 1].approvals
        above = [c for c in candidates if c.approvals > cutoff]
        tied = [c for c in candidates if c.approvals == cutoff]
        free = seats - len(above)
        if len(tied) > free:
            chooser = rng or secrets.SystemRandom()
            drawn = chooser.sample(tied, free)
            for candidate in drawn:
                candidate.drawn_by_lot = True
            winners = above + drawn
            draw_record = _(
                "%(count)s candidates had %(approvals)s approvals each for the last %(free)s seat(s): %(tied)s. "
                "Drawn by lot on %(when)s: %(drawn)s."
            ) % {
                "count": len(tied),
                "approvals": cutoff,
                "free": free,
                "tied": ", ".join(c.candidate_name for c in tied),
                "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
                "drawn": ", ".join(c.candidate_name for c in drawn),
            }
        else:
            winners = above + tied
    for candidate in winners:
        candidate.elected = True
    return draw_record


def _open_sealed_ballots(*, round: SelectionRound, rng=None) -> int:
    """Turn the round's sealed ballots into plain ballots that pair with no cast. Returns how many.

    Every box is opened before anything is written: one that does not open stops the count (a vote
    is never dropped). The contents are shuffled and written with new random keys in one statement
    per table, inside the count's transaction, so every stored ballot carries the count's
    transaction id and lies in random order; the boxes, which carry the casts' transaction ids, are
    deleted in the same transaction. Runs with the round locked (``round_count``).
    """
    sealed = list(SealedBallot.objects.filter(round=round).only("id", "box"))
    casts = round.casts.count()
    stored = len(sealed) + round.ballots.count()
    if stored != casts:
        logger.error("elections: round %s has %s cast records but %s ballots; not counted", round.pk, casts, stored)
        raise ValidationError(
            _(
                "%(casts)s organisations have voted but %(ballots)s ballots are stored, so the round is not counted "
                "and nothing was changed. Ask the portal's operators to look into it."
            )
            % {"casts": casts, "ballots": stored}
        )
    if not sealed:
        return 0
    try:
        if not round.ballot_public_key:
            raise ballots.BallotKeyError(f"round {round.pk} has sealed ballots but no ballot key")
        key = ballots.key_for_round(round.pk, round.ballot_public_key)
        contents = [ballots.open_box(box.box, private_key=key.private) for box in sealed]
    except (ballots.BallotKeyError, ballots.BallotOpenError) as exc:
        logger.error("elections: the sealed ballots of round %s do not open: %s", round.pk, exc)
        raise ValidationError(
            _(
                "The round's sealed ballots cannot be opened with the ballot key in the server's environment "
                "(ELECTIONS_BALLOT_KEY), so the round is not counted and nothing was changed. Restore the key "
                "the ballots were sealed with and count again."
            ),
            code="ballot_key",
        ) from exc
    known = set(round.nominations.values_list("pk", flat=True))
    unknown = sum(1 for ids in contents for pk in ids if pk not in known)
    if unknown:
        # Only a nomination deleted since the vote: its approvals had nobody left to count for.
        logger.warning("elections: round %s: %s approvals of nominations that no longer exist", round.pk, unknown)
    (rng or secrets.SystemRandom()).shuffle(contents)
    opened = [Ballot(id=uuid.uuid4(), round=round) for _ids in contents]
    Ballot.objects.bulk_create(opened)
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(id=uuid.uuid4(), ballot=ballot, nomination_id=pk)
            for ballot, ids in zip(opened, contents, strict=True)
            for pk in ids
            if pk in known
        ]
    )
    SealedBallot.objects.filter(pk__in=[box.pk for box in sealed]).delete()
    return len(opened)

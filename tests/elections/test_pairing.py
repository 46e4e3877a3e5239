"""Nothing PostgreSQL keeps pairs an organisation's cast record with its ballot (issue 20, item 1).

Before sealing, one query on ``xmin`` (the id of the transaction that wrote a row) paired every cast
with its ballot, and so did the rows' physical order (``ctid``), their ids and the order of a
``pg_dump``. Here several organisations vote through the services and through the vote page, each
in its own committed transaction, the round is counted, and each of those ways of pairing is tried.
The assertions are structural (one transaction id for every stored ballot, none of the casts'; the
stored order is the count's shuffle), so the test cannot pass or fail by chance.
"""

import datetime as dt
import glob
import io
import logging
import random
import shutil
import subprocess
import threading
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Signatory
from core.models import Region
from core.regions import region_scope
from elections import ballots, services, tasks
from elections.models import Ballot, BallotCast, Nomination, SealedBallot, SelectionRound
from tests.elections.conftest import make_round
from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, SignatoryFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BALLOT_TABLES = ("elections_ballot", "elections_ballotchoice", "elections_sealedballot")


class RecordingShuffle(random.Random):
    """A seeded shuffle that remembers the order it produced, so the stored order can be checked."""

    def shuffle(self, x):
        super().shuffle(x)
        self.order = [tuple(ids) for ids in x]


def _rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tuple_xmins(table) -> set[str]:
    """The transaction ids of every row version in ``table``'s file, deleted ones included (pageinspect)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    (size,) = _rows("SELECT pg_relation_size(%s) / current_setting('block_size')::int", [table])[0]
    found = set()
    for block in range(size):
        rows = _rows(
            "SELECT t_xmin::text FROM heap_page_items(get_raw_page(%s, %s)) WHERE t_xmin IS NOT NULL", [table, block]
        )
        found |= {xmin for (xmin,) in rows}
    return found


@pytest.fixture
def election(agreement):
    """Eight signatories and a round in its voting period with four candidates and three seats."""
    people = []
    for index in range(8):
        organisation = OrganisationFactory(name=f"Förening {index}")
        SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.VERIFIED)
        user = UserFactory(email=f"ombud{index}@example.se")
        MandatedRepresentativeFactory(user=user, organisation=organisation)
        people.append((organisation, user))
    selection_round = make_round(agreement, status=SelectionRound.Status.VOTING, phase="voting", seats=3)
    candidates = [
        Nomination.objects.create(
            round=selection_round,
            nominating_organisation=people[index][0],
            candidate_name=f"Kandidat {index}",
            candidate_organisation=people[index][0],
            candidate_email=f"kandidat{index}@example.se",
            presentation="P",
            status=Nomination.Status.ACCEPTED,
        )
        for index in range(4)
    ]
    a, b, c, d = (n.pk for n in candidates)
    # Eight different ballots (none, one, two and three approvals), so a ballot tells which
    # organisation cast it — in this test, which knows the answer.
    choices = [(), (a,), (b,), (a, b), (c, d), (a, c, d), (b, c), (a, b, d)]
    return selection_round, people, [tuple(sorted(choice)) for choice in choices]


def _vote(selection_round, people, choices, client):
    """Organisations 0–3 through the services, 4–7 through the vote page, each its own transaction."""
    for index, ((organisation, user), choice) in enumerate(zip(people, choices, strict=True)):
        if index < 4:
            services.ballot_cast(round=selection_round, user=user, organisation=organisation, nomination_ids=choice)
        else:
            client.force_login(user)
            response = client.post(
                reverse("elections:vote", args=[selection_round.slug, organisation.pk]), {"candidates": list(choice)}
            )
            assert response.status_code == 302, response.content.decode()[:500]


def _cast_xmins(selection_round, people):
    org_order = [o.pk for o, _u in people]
    rows = _rows(
        "SELECT organisation_id, xmin::text FROM elections_ballotcast WHERE round_id = %s", [selection_round.pk]
    )
    return {org_order.index(org): xmin for org, xmin in rows}


def test_no_system_column_id_or_order_pairs_a_cast_with_its_ballot(settings, election, client):
    settings.ELECTIONS_BALLOT_KEY = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="
    selection_round, people, choices = election
    _vote(selection_round, people, choices, client)
    cast_xmins = _cast_xmins(selection_round, people)
    assert len(set(cast_xmins.values())) == 8  # each cast committed on its own

    # Before the count: the boxes pair with the casts (same transaction) but show nothing.
    boxes = _rows("SELECT box, xmin::text FROM elections_sealedballot WHERE round_id = %s", [selection_round.pk])
    assert {xmin for _box, xmin in boxes} == set(cast_xmins.values())
    assert {len(bytes(box)) for box, _xmin in boxes} == {ballots.sealed_size(selection_round.seats)}
    for box, _xmin in boxes:
        assert not any(ballots.ID.pack(pk) in bytes(box) for choice in choices for pk in choice)
    assert Ballot.objects.count() == 0

    shuffle = RecordingShuffle(2026)
    services.round_count(
        round=selection_round, now=selection_round.voting_closes + dt.timedelta(minutes=1), shuffle_rng=shuffle
    )
    assert SealedBallot.objects.count() == 0
    assert Ballot.objects.filter(round=selection_round).count() == 8

    # xmin: every stored ballot and approval was written by the count's one transaction, none by a cast.
    stored_xmins = {row[0] for table in BALLOT_TABLES[:2] for row in _rows(f"SELECT DISTINCT xmin::text FROM {table}")}  # noqa: S608
    assert len(stored_xmins) == 1 and not stored_xmins & set(cast_xmins.values())

    # The deleted boxes are not left in the tables' files, where pageinspect (or a copy of the files) would
    # read each one with its cast's transaction id: the count rewrote the tables (VACUUM FULL).
    on_disk = {xmin for table in BALLOT_TABLES for xmin in _tuple_xmins(table)}
    # When it fails, say which other sessions of this database might hold back the rewrite (an open snapshot
    # keeps deleted rows "recently dead" through VACUUM FULL): once seen in CI, not reproduced alone.
    holders = _rows(
        "SELECT pid, state, backend_xmin::text, left(query, 120) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    assert on_disk == stored_xmins, holders

    # ctid (physical order) is the count's shuffle, not the order of the casts.
    by_ballot = {}
    for ballot_id, nomination_id in _rows("SELECT ballot_id, nomination_id FROM elections_ballotchoice"):
        by_ballot.setdefault(ballot_id, []).append(nomination_id)
    physical = [
        tuple(sorted(by_ballot.get(ballot_id, ())))
        for (ballot_id,) in _rows("SELECT id FROM elections_ballot ORDER BY ctid")
    ]
    assert physical == shuffle.order
    assert physical != choices  # the casts' order (this seed's shuffle moves them)

    # Ids: random UUIDs, no sequence behind any ballot table, and no column that holds a time.
    assert all(uuid.UUID(str(pk)).version == 4 for pk in Ballot.objects.values_list("pk", flat=True))
    for table in BALLOT_TABLES:
        assert _rows("SELECT pg_get_serial_sequence(%s, 'id')", [table]) == [(None,)]
    timed = _rows(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name = ANY(%s) "
        "AND (data_type LIKE 'timestamp%%' OR data_type IN ('date', 'time', 'interval'))",
        [list(BALLOT_TABLES)],
    )
    assert timed == []

    # The result is right: the shuffle lost and added nothing.
    approvals = {n.pk: n.approvals for n in selection_round.nominations.all()}
    assert approvals == {pk: sum(pk in choice for choice in choices) for pk in approvals}


def _other_session():
    """A second session of the test database that keeps one snapshot for its whole transaction, as a report
    or a backup (``pg_dump``) does; its first query takes the snapshot."""
    db = connection.settings_dict
    session = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )
    session.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return session


def _on_disk_casts(cast_xmins) -> set[str]:
    return {xmin for table in BALLOT_TABLES for xmin in _tuple_xmins(table)} & set(cast_xmins.values())


def test_a_snapshot_older_than_the_count_is_named_and_the_hourly_job_compacts_once_it_ends(
    settings, election, client, caplog
):
    """A session that took its snapshot before the count committed still sees the boxes, so the count's
    rewrite keeps them (this is what left them in the files once in CI). The count waits for it, names it
    in the log when it does not end, and the hourly job rewrites the tables once it has."""
    settings.ELECTIONS_COMPACT_WAIT_SECONDS = 0.3
    selection_round, people, choices = election
    _vote(selection_round, people, choices, client)
    cast_xmins = _cast_xmins(selection_round, people)
    other = _other_session()
    try:
        other.execute("SELECT count(*) FROM elections_ballotcast")  # its transaction, and snapshot, stay open
        other_pid = other.info.backend_pid
        with caplog.at_level(logging.ERROR, logger="elections.services.voting"):
            services.round_count(round=selection_round, now=selection_round.voting_closes + dt.timedelta(minutes=1))
        assert SealedBallot.objects.count() == 0
        assert _on_disk_casts(cast_xmins)  # the rewrite had to keep them
        assert f"pid {other_pid} (client backend, idle in transaction" in caplog.text
        assert "elections_sealedballot" not in caplog.text  # who held it, never what it ran
        assert tasks.compact_ballot_tables() is False  # still held: the hourly job tries, and says so
    finally:
        other.close()
    assert tasks.compact_ballot_tables() is True
    assert _on_disk_casts(cast_xmins) == set()


def test_the_count_waits_for_a_snapshot_that_ends_soon(settings, election, client, caplog):
    settings.ELECTIONS_COMPACT_WAIT_SECONDS = 30
    selection_round, people, choices = election
    _vote(selection_round, people, choices, client)
    cast_xmins = _cast_xmins(selection_round, people)
    other = _other_session()
    other.execute("SELECT count(*) FROM elections_ballotcast")
    ender = threading.Timer(0.5, other.close)
    ender.start()
    try:
        with caplog.at_level(logging.ERROR, logger="elections.services.voting"):
            services.round_count(round=selection_round, now=selection_round.voting_closes + dt.timedelta(minutes=1))
    finally:
        ender.join()
    assert other.closed
    assert _on_disk_casts(cast_xmins) == set()
    assert "stay in the tables' files" not in caplog.text


def test_the_hourly_job_leaves_the_tables_alone_when_no_round_was_counted_lately(settings, election, client):
    selection_round, people, choices = election
    _vote(selection_round, people, choices, client)
    services.round_count(round=selection_round, now=selection_round.voting_closes + dt.timedelta(minutes=1))
    with CaptureQueriesContext(connection) as recent:
        assert tasks.compact_ballot_tables() is True
    long_ago = timezone.now() - dt.timedelta(hours=settings.ELECTIONS_COMPACT_HOURS, minutes=1)
    SelectionRound.objects.filter(pk=selection_round.pk).update(counted_at=long_ago)
    with CaptureQueriesContext(connection) as old:
        assert tasks.compact_ballot_tables() is False
    assert any(q["sql"].startswith("VACUUM FULL") for q in recent.captured_queries)
    assert not any("VACUUM" in q["sql"] for q in old.captured_queries)


def _pg_dump() -> str | None:
    found = shutil.which("pg_dump") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))), None)
    return found


def _copy_section(dump: str, table: str) -> list[list[str]]:
    lines = dump.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"COPY public.{table} "))
    header = lines[start]
    columns = header[header.index("(") + 1 : header.index(")")].split(", ")
    rows = []
    for line in lines[start + 1 :]:
        if line == "\\.":
            break
        rows.append(dict(zip(columns, line.split("\t"), strict=True)))
    return rows


def test_a_dump_pairs_no_cast_with_its_ballot(settings, election, client):
    pg_dump = _pg_dump()
    if pg_dump is None:
        pytest.skip("pg_dump is not installed (looked in PATH and /usr/lib/postgresql/*/bin)")
    selection_round, people, choices = election
    _vote(selection_round, people, choices, client)
    shuffle = RecordingShuffle(2026)
    services.round_count(
        round=selection_round, now=selection_round.voting_closes + dt.timedelta(minutes=1), shuffle_rng=shuffle
    )
    db = connection.settings_dict
    command = [pg_dump, "--data-only", "--no-owner", "-d", db["NAME"], "-U", db["USER"] or "postgres"]
    command += ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432)]
    for table in ("elections_ballotcast", *BALLOT_TABLES):
        command += ["-t", table]
    env = {"PATH": "/usr/bin:/bin", **({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})}
    dump = subprocess.run(command, capture_output=True, text=True, check=True, env=env, timeout=60).stdout  # noqa: S603

    org_order = [str(o.pk) for o, _u in people]
    casts = [org_order.index(row["organisation_id"]) for row in _copy_section(dump, "elections_ballotcast")]
    assert casts == list(range(8))  # a dump lists the casts in the order they were cast …
    by_ballot = {}
    for row in _copy_section(dump, "elections_ballotchoice"):
        by_ballot.setdefault(row["ballot_id"], []).append(int(row["nomination_id"]))
    dumped = [tuple(sorted(by_ballot.get(row["id"], ()))) for row in _copy_section(dump, "elections_ballot")]
    # … and the ballots in the count's shuffle, so position n of one is not position n of the other.
    assert dumped == shuffle.order and dumped != choices
    assert _copy_section(dump, "elections_sealedballot") == []
    # Nothing in a ballot's rows names a cast: no organisation, user, time or transaction.
    # The region is the round's, the same in every row of the round: it pairs nothing.
    columns = {table: set(_copy_section(dump, table)[0]) for table in BALLOT_TABLES[:2]}
    assert columns == {
        "elections_ballot": {"id", "round_id", "region_id"},
        "elections_ballotchoice": {"id", "ballot_id", "nomination_id", "region_id"},
    }
    regions = {row["region_id"] for table in BALLOT_TABLES[:2] for row in _copy_section(dump, table)}
    assert regions == {str(selection_round.region_id)}


def test_the_demo_round_does_not_pair(media_root):
    call_command("load_demo", stdout=io.StringIO())
    with region_scope(Region.objects.get(short_name="vgr")):  # the round is Västra Götalandsregionen's
        demo = SelectionRound.objects.get(slug="arbetsgrupp-handlingsplan-2019")
        assert not SealedBallot.objects.filter(round=demo).exists()
        assert BallotCast.objects.filter(round=demo).count() == Ballot.objects.filter(round=demo).count() == 64
    cast_xmins = {x for (x,) in _rows("SELECT xmin::text FROM elections_ballotcast WHERE round_id = %s", [demo.pk])}
    ballot_xmins = {
        x
        for (x,) in _rows(
            "SELECT b.xmin::text FROM elections_ballot b WHERE b.round_id = %s UNION "
            "SELECT c.xmin::text FROM elections_ballotchoice c JOIN elections_ballot b ON b.id = c.ballot_id "
            "WHERE b.round_id = %s",
            [demo.pk, demo.pk],
        )
    }
    assert len(cast_xmins) == 64  # each cast in its own (sub)transaction, as in the query
    assert len(ballot_xmins) == 1 and not ballot_xmins & cast_xmins

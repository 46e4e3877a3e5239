"""The embedded default (SQLite) with a second process writing: a sign-up waits for the lock or tries
again, and is never lost to "database is locked"."""

import re
import sqlite3

import pytest
from django.db import connections
from django.test import Client

from core import db as core_db

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connections["default"].vendor != "sqlite", reason="SQLite's write lock"),
]

FORM = {"name": "Anna Andersson", "email": "anna@example.se", "organisation_name": "Röda Korset", "consent": "on"}


@pytest.fixture
def file_database(tmp_path):
    """This thread's default connection on a copy of the test database in a file (as `make run` has it),
    with the settings' options but a busy timeout of 50 ms, so that a held lock fails fast."""
    memory = connections["default"]
    memory.ensure_connection()
    path = tmp_path / "portal.sqlite3"
    # (sqlite3's backup() from the test's shared in-memory database waits on its open transaction.)
    image = sqlite3.connect(":memory:")
    image.deserialize(memory.connection.serialize())
    with sqlite3.connect(path) as copy:
        image.backup(copy)
    copy.close()
    image.close()
    options = dict(memory.settings_dict["OPTIONS"])  # the settings' own pragmas, with a short busy timeout
    options["init_command"] = re.sub(r"busy_timeout=\d+", "busy_timeout=50", options["init_command"])
    options["timeout"] = 0.05
    on_file = type(memory)({**memory.settings_dict, "NAME": str(path), "OPTIONS": options}, alias="default")
    connections["default"] = on_file
    yield path
    on_file.close()
    connections["default"] = memory


@pytest.fixture
def other_process_writing(file_database):
    """Another process (the periodic jobs) in the middle of a write transaction on the same file."""
    holder = sqlite3.connect(file_database, isolation_level=None, timeout=0)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


def test_the_embedded_database_runs_in_wal_with_immediate_transactions_and_a_busy_timeout(settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "PRAGMA journal_mode=WAL" in options["init_command"]
    assert f"PRAGMA busy_timeout={int(options['timeout'] * 1000)}" in options["init_command"]


def test_the_settings_put_a_file_database_in_wal_with_the_busy_timeout(file_database):
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 50


def test_a_sign_up_waits_out_a_lock_held_by_another_process(other_process_writing, monkeypatch):
    from meetings.models import Registration
    from tests.factories import MeetingFactory

    other_process_writing.execute("ROLLBACK")
    meeting = MeetingFactory(capacity=10)
    other_process_writing.execute("BEGIN IMMEDIATE")
    pauses = []

    def the_other_process_commits_meanwhile(seconds):
        pauses.append(seconds)
        other_process_writing.execute("COMMIT")

    monkeypatch.setattr(core_db, "_sleep", the_other_process_commits_meanwhile)
    response = Client().post(f"/moten/{meeting.slug}/anmalan/", FORM)
    assert response.status_code == 302
    assert "/anmalan/klar/" in response["Location"]
    assert len(pauses) == 1  # the first attempt met the lock, the second went through
    assert Registration.objects.filter(meeting=meeting, email="anna@example.se").count() == 1


def test_a_lock_that_is_never_released_gets_the_styled_503_and_stores_nothing(other_process_writing, monkeypatch):
    from meetings.models import Registration
    from tests.factories import MeetingFactory

    other_process_writing.execute("ROLLBACK")
    meeting = MeetingFactory()
    other_process_writing.execute("BEGIN IMMEDIATE")
    pauses = []
    monkeypatch.setattr(core_db, "_sleep", pauses.append)
    response = Client(raise_request_exception=False).post(f"/moten/{meeting.slug}/anmalan/", FORM)
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Portalen är tillfälligt otillgänglig" in html and "css/site.css" in html
    assert len(pauses) == len(core_db.RETRY_DELAYS)
    other_process_writing.execute("ROLLBACK")
    assert not Registration.objects.filter(meeting=meeting).exists()


def test_no_retry_inside_an_outer_transaction(file_database, other_process_writing, monkeypatch):
    from django.db import OperationalError, transaction

    calls = []

    @core_db.retry_on_locked
    def write():
        calls.append(1)
        raise OperationalError("database is locked")

    other_process_writing.execute("ROLLBACK")
    with transaction.atomic(), pytest.raises(OperationalError):
        write()
    assert calls == [1]


def test_an_interest_submission_waits_out_a_lock_held_by_another_process(other_process_writing, monkeypatch):
    from organisations.models import InterestSubmission
    from organisations.services import interest_submit

    pauses = []

    def the_other_process_commits_meanwhile(seconds):
        pauses.append(seconds)
        other_process_writing.execute("COMMIT")

    monkeypatch.setattr(core_db, "_sleep", the_other_process_commits_meanwhile)
    submission = interest_submit(
        organisation_name="Föreningen Framåt", contact_name="Anna", contact_email="anna@example.se", consent=True
    )
    assert len(pauses) == 1
    assert InterestSubmission.objects.filter(pk=submission.pk).exists()

"""The drain (issue 29): with a worker, a commit that stores e-mails asks for one ``send_queued`` task of its
region unless one is already asked for and has not begun; the task claims the region's due rows in batches
(one statement each), sends them and records the sent ones in one statement. Every e-mail is sent once,
a failed one waits for its backoff, another region's rows are not touched, and a broker that is down
leaves the rows to the sweeper and the next commit asks again."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.regions import region_scope
from outbox import services
from outbox.models import OutgoingEmail
from samverkan.celery import app as celery_app

from .test_outbox import queue_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def not_eager():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def worker_mode(not_eager):
    """As with a worker (not eager): what the commits publish is collected, not run."""
    published = []
    with mock.patch.object(services.send_queued, "delay", lambda region_id: published.append(region_id)):
        yield published


def test_commits_ask_for_one_drain_until_it_begins(worker_mode, run_on_commit, region):
    for address in ["a@example.se", "b@example.se", "c@example.se"]:
        with run_on_commit():
            queue_one(to=address)
    assert worker_mode == [region.pk]  # three commits, one task
    assert mail.outbox == []
    assert services.send_queued.apply(args=[region.pk]).get() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se", "c@example.se"]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}
    with run_on_commit():
        queue_one(to="d@example.se")
    assert worker_mode == [region.pk, region.pk]  # the drain began: the next commit asks again
    services.send_queued.apply(args=[region.pk])
    services.send_queued.apply(args=[region.pk])  # a second task finds nothing to send
    assert [m.to for m in mail.outbox].count(["d@example.se"]) == 1


def test_a_drain_claims_and_records_a_batch_in_one_statement_each(worker_mode):
    rows = [queue_one(to=f"p{n}@example.se") for n in range(5)]
    with CaptureQueriesContext(connection) as queries:
        assert services.email_drain(batch=2) == 5
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 3 + 3  # claims of 2, 2 and 1; the sent rows of each batch
    assert len(mail.outbox) == 5
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == {row.message_id for row in rows}


def test_a_failed_send_waits_for_its_backoff_and_the_others_go(worker_mode):
    rows = [queue_one(to=f"p{n}@example.se") for n in range(3)]
    real_send = mail.EmailMessage.send

    def send(message, fail_silently=False):
        if message.to == ["p1@example.se"]:
            raise smtplib.SMTPServerDisconnected("gone")
        return real_send(message, fail_silently=fail_silently)

    with mock.patch.object(mail.EmailMessage, "send", send):
        assert services.email_drain() == 2
        failed = OutgoingEmail.objects.get(pk=rows[1].pk)
        assert failed.status == OutgoingEmail.Status.QUEUED and failed.attempts == 1
        assert failed.next_attempt_at > timezone.now()
        assert services.email_drain() == 0  # not due yet: the backoff holds
    OutgoingEmail.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert services.email_drain() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.se", "p1@example.se", "p2@example.se"]


def test_a_drain_sends_only_its_regions_rows(worker_mode, region, other_region):
    ours = queue_one(to="var@example.se")
    with region_scope(other_region):
        theirs = queue_one(to="deras@example.se")
    assert services.send_queued.apply(args=[region.pk]).get() == 1
    assert [m.to for m in mail.outbox] == [["var@example.se"]]
    with region_scope(other_region):
        assert OutgoingEmail.objects.get(pk=theirs.pk).status == OutgoingEmail.Status.QUEUED
    assert OutgoingEmail.objects.get(pk=ours.pk).status == OutgoingEmail.Status.SENT


def test_broker_down_leaves_the_rows_and_the_next_commit_asks_again(not_eager, run_on_commit, region):
    calls = []

    def down(region_id):
        calls.append(region_id)
        raise ConnectionError("broker down")

    with mock.patch.object(services.send_queued, "delay", down):
        with run_on_commit():
            first = queue_one(to="a@example.se")
        with run_on_commit():
            queue_one(to="b@example.se")
    assert calls == [region.pk, region.pk]  # the refused ask was taken back
    assert OutgoingEmail.objects.get(pk=first.pk).status == OutgoingEmail.Status.QUEUED
    assert mail.outbox == []


def test_a_long_drain_hands_the_rest_to_a_new_task(worker_mode, region):
    for n in range(4):
        queue_one(to=f"p{n}@example.se")
    assert services.email_drain(batch=2, budget_seconds=0) == 2
    assert worker_mode == [region.pk]
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).count() == 2


def test_rows_that_used_their_attempts_fail_in_the_claim(worker_mode, settings):
    row = queue_one()
    OutgoingEmail.objects.filter(pk=row.pk).update(attempts=settings.OUTBOX_MAX_ATTEMPTS)
    assert services.email_drain() == 0
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_drains_at_once_send_each_email_once(worker_mode, region):
    import threading

    from django.db import connections

    rows = [queue_one(to=f"p{n}@example.se") for n in range(60)]
    counts = []

    def drain():
        try:
            with region_scope(region):
                counts.append(services.email_drain(batch=5))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 60
    sent = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert sorted(sent) == sorted(row.message_id for row in rows)


def test_a_full_batch_asks_for_another_drain_so_other_processes_help(worker_mode, region):
    for n in range(3):
        queue_one(to=f"p{n}@example.se")
    assert services.email_drain(batch=2) == 3
    assert worker_mode == [region.pk]  # asked once, at the first full batch; the key holds it after that


def test_sent_rows_are_recorded_every_few_so_a_killed_worker_repeats_few(worker_mode, monkeypatch):
    rows = [queue_one(to=f"p{n}@example.se") for n in range(12)]
    monkeypatch.setattr(services, "RECORD_EVERY", 5)
    recorded = []
    real = services.email_record_sent
    monkeypatch.setattr(
        services, "email_record_sent", lambda emails: recorded.append(len(emails)) or real(emails=emails)
    )
    assert services.email_drain(batch=20) == 12
    assert recorded == [5, 5, 2]
    assert set(OutgoingEmail.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)) == {"sent"}

"""The weekly digest under faults, on PostgreSQL with a real Celery worker on Redis (issue 25, item 3):
a broker outage, a worker killed mid-send, two beats at once, a moved clock across the window's edges.

Each digest is one outbox row built once; the SMTP server (aiosmtpd, in this process) counts what
really arrives. Run with ``DATABASE_URL=postgres://…`` and ``REDIS_URL=redis://…``; skipped otherwise.
"""

import asyncio
import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.db import close_old_connections

from core.regions import region_scope
from notifications import services
from notifications.models import Digest, Notification
from outbox.models import OutgoingEmail
from outbox.services import outbox_sweep
from tests.factories import UserFactory
from tests.outbox.test_worker import (  # noqa: F401 - fixtures
    ROOT,
    free_port,
    real_broker,
    share_cache_with_worker,
    wait_for,
    worker_log,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery_worker"),
]

# Monday 30 November 2026, 07:00 in Stockholm: the default slot (weekday 0, hour 7).
SLOT = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


class Sink:
    """An SMTP server that keeps every message and can hold a session at RCPT (a worker mid-send)."""

    def __init__(self):
        self.messages: list[str] = []
        self.hold = threading.Event()
        self.held = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        while self.hold.is_set():
            self.held.set()
            await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
        self.messages.append("\n".join([message["Message-ID"] or "", *parts]))
        return "250 OK"

    def count(self, message_id: str) -> int:
        return sum(message_id in m for m in self.messages)


@pytest.fixture
def sink():
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    handler.hold.clear()
    controller.stop()


def _start_worker(env: dict, log_path):
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own worker, as tests/outbox/test_worker.py starts it
            [sys.executable, "-m", "celery", "-A", "samverkan", "worker", "--pool=solo", "--loglevel=INFO"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--queues", env["TEST_CELERY_QUEUE"]],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proc.log = log_path
    return proc


@pytest.fixture
def workers(sink, settings, tmp_path, real_broker):  # noqa: F811
    """Start Celery workers on a queue of this test's own; every one started is stopped at the end."""
    from django.db import connection

    from samverkan.celery import app as celery_app

    controller, _handler = sink
    db = connection.settings_dict
    queue = f"test-digest-{uuid.uuid4().hex}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "TEST_CELERY_QUEUE": queue,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
            "REDIS_URL": settings.REDIS_URL,
        }
    )
    share_cache_with_worker(settings, env, queue)
    started = []

    def start():
        proc = _start_worker(env, tmp_path / f"worker{len(started)}.log")
        started.append(proc)
        assert wait_for(lambda: b" ready." in proc.log.read_bytes() or proc.poll() is not None, timeout=90)
        return proc

    yield start
    celery_app.conf.task_default_queue = previous
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _notify(user, title, at):
    return Notification.objects.create(
        user=user,
        event="meetings.published",
        object_type="meetings.meeting",
        object_id=abs(hash(title)) % 10**9,
        title=title,
        url="/moten/x/",
        created_at=at,
    )


def _sent(row_id):
    return OutgoingEmail.objects.get(pk=row_id).status == OutgoingEmail.Status.SENT


def _sweep_until_sent(row_id, timeout=90):
    """The beat's sweeper, every second, until the row is sent (as the real beat would, less often)."""

    def swept():
        outbox_sweep()
        return _sent(row_id)

    return wait_for(swept, timeout=timeout)


def test_broker_down_the_digest_row_stays_and_the_sweeper_sends_it_once(sink, workers, settings):
    _controller, handler = sink
    settings.OUTBOX_QUEUED_GRACE = timedelta(0)
    person = UserFactory(email="foljare@example.se", language="sv")
    _notify(person, "Möte om folkhälsa", SLOT - timedelta(days=2))
    with mock.patch("outbox.services.send_queued.delay", side_effect=ConnectionError("broker down")):
        assert services.digests_build(now=SLOT + timedelta(minutes=5)) == {"built": 1}
        assert services.digests_build(now=SLOT + timedelta(minutes=20)) == {"built": 0}  # the next beat
    digest = Digest.objects.get()
    assert digest.email.status == OutgoingEmail.Status.QUEUED  # stored, never handed to the broker
    proc = workers()
    assert _sweep_until_sent(digest.email_id), worker_log(proc)
    assert services.digests_build(now=SLOT + timedelta(hours=1)) == {"built": 0}
    assert wait_for(lambda: handler.count(digest.email.message_id) == 1)
    outbox_sweep()
    assert handler.count(digest.email.message_id) == 1 and "Möte om folkhälsa" in handler.messages[0]


def test_a_worker_killed_mid_send_the_same_digest_is_sent_once(sink, workers, settings):
    _controller, handler = sink
    person = UserFactory(email="foljare@example.se", language="sv")
    _notify(person, "Möte före kanten", SLOT - timedelta(days=1))
    handler.hold.set()  # the SMTP server keeps the first session waiting at RCPT
    first = workers()
    assert services.digests_build(now=SLOT + timedelta(minutes=5)) == {"built": 1}
    digest = Digest.objects.get()
    assert wait_for(handler.held.is_set, timeout=90), worker_log(first)
    assert OutgoingEmail.objects.get(pk=digest.email_id).status == OutgoingEmail.Status.SENDING
    first.send_signal(signal.SIGKILL)  # killed mid-send: no result recorded
    first.wait(timeout=10)
    handler.hold.clear()
    assert handler.messages == []
    # Meanwhile something new happens and the beat runs: the digest on its way is not rebuilt.
    _notify(person, "Möte efter bygget", SLOT + timedelta(minutes=10))
    assert services.digests_build(now=SLOT + timedelta(minutes=20)) == {"built": 0}
    settings.OUTBOX_STUCK_AFTER = timedelta(seconds=1)
    second = workers()
    assert _sweep_until_sent(digest.email_id), worker_log(second)
    assert wait_for(lambda: handler.count(digest.email.message_id) == 1)
    outbox_sweep()
    (message,) = handler.messages
    assert "Möte före kanten" in message and "Möte efter bygget" not in message
    assert Digest.objects.count() == 1
    # The item that came after is in the next week's digest, the one after that sent.
    assert services.digests_build(now=SLOT + WEEK) == {"built": 1}
    assert Notification.objects.get(title="Möte efter bygget").digest.window_start == SLOT


def test_two_beats_at_once_build_and_send_one_digest(sink, workers, region):
    _controller, handler = sink
    person = UserFactory(email="foljare@example.se", language="sv")
    _notify(person, "Ett möte", SLOT - timedelta(days=1))
    proc = workers()
    barrier, results = threading.Barrier(2), []

    def beat():
        try:
            with region_scope(region.pk):
                barrier.wait()
                results.append(services.digests_build(now=SLOT + timedelta(minutes=5))["built"])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [0, 1]
    digest = Digest.objects.get()
    assert wait_for(lambda: _sent(digest.email_id)), worker_log(proc)
    assert wait_for(lambda: handler.count(digest.email.message_id) == 1)
    assert len(handler.messages) == 1


def test_a_moved_clock_puts_each_item_at_an_edge_in_exactly_one_digest(sink, workers):
    _controller, handler = sink
    person = UserFactory(email="foljare@example.se", language="sv")
    titles = {
        "Alfa strax före kanten": SLOT - timedelta(microseconds=1),
        "Beta precis på kanten": SLOT,
        "Gamma strax före nästa": SLOT + WEEK - timedelta(microseconds=1),
        "Delta precis på nästa": SLOT + WEEK,
    }
    for title, at in titles.items():
        _notify(person, title, at)
    proc = workers()
    # The clock moves back and forth across the edges; the beat runs at each reading.
    for now in [
        SLOT - timedelta(seconds=1),
        SLOT,
        SLOT - timedelta(minutes=30),  # a clock set back after the slot
        SLOT + timedelta(minutes=15),
        SLOT + WEEK - timedelta(microseconds=1),
        SLOT + WEEK,
        SLOT + WEEK + timedelta(minutes=15),
        SLOT + 2 * WEEK,
    ]:
        services.digests_build(now=now)
        for digest in Digest.objects.all():
            assert wait_for(lambda d=digest: _sent(d.email_id)), worker_log(proc)
    digests = list(Digest.objects.order_by("window_end"))
    assert [(d.window_end, d.items) for d in digests] == [(SLOT, 1), (SLOT + WEEK, 2), (SLOT + 2 * WEEK, 1)]
    assert wait_for(lambda: len(handler.messages) == 3)
    for title in titles:
        assert sum(title in message for message in handler.messages) == 1, title

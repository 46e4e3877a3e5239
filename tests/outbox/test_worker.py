"""The production path: a real Celery worker process on Redis sends an outbox e-mail to a real
SMTP server (aiosmtpd in this test), and the sweeper recovers what the broker never got."""

import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from outbox.models import OutgoingEmail
from outbox.services import email_queue, outbox_sweep
from samverkan.celery import app as celery_app

# One xdist process runs these one after the other; each test's worker also listens on a queue of
# its own (tests/outbox/worker_settings.py), so no other worker on the same Redis takes its tasks.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("celery_worker"),
]

ROOT = Path(__file__).resolve().parents[2]


class Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def share_cache_with_worker(settings, env: dict, prefix: str) -> None:
    """This process and the worker use one cache on Redis under a prefix of the test's own, as web and
    worker do in production (the test run's own cache is local memory)."""
    from samverkan.settings import cache as production

    settings.CACHES = {"default": {**production.CACHES["default"], "KEY_PREFIX": prefix}}
    env["TEST_CACHE_PREFIX"] = prefix


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def worker(smtp_sink, settings, tmp_path):
    controller, _ = smtp_sink
    db = connection.settings_dict
    queue = f"test-outbox-{uuid.uuid4().hex}"
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue  # what this process publishes (the sweeper) goes there too
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
    proc_env = env
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "samverkan",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--queues",
                queue,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proc.log = log
    proc.env = proc_env
    # Starting Django in a new process takes seconds on a busy two-core machine: wait for "ready".
    wait_for(lambda: b" ready." in log.read_bytes() or proc.poll() is not None, timeout=60)
    yield proc
    celery_app.conf.task_default_queue = previous_queue
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def real_broker():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def worker_log(proc):
    return proc.log.read_text(errors="replace")[-4000:]


def _tasks_done(proc) -> int:
    lines = proc.log.read_text(errors="replace").splitlines()
    return sum("outbox.tasks.send_email[" in line and " succeeded " in line for line in lines)


def wait_for(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_sends_outbox_email_to_smtp_server_once(smtp_sink, worker):
    """The whole production path in separate processes: a command stores the row and publishes the
    task on commit, the worker claims and sends it, the SMTP server receives it once."""
    _, handler = smtp_sink
    producer = subprocess.run(
        [sys.executable, "manage.py", "send_test_email", "anna@example.se", "--language", "sv"],
        cwd=ROOT,
        env=worker.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert producer.returncode == 0, producer.stderr
    row = OutgoingEmail.objects.get(to="anna@example.se")
    assert row.message_id in producer.stdout
    assert wait_for(lambda: OutgoingEmail.objects.get(pk=row.pk).status == OutgoingEmail.Status.SENT), worker_log(
        worker
    )
    assert wait_for(lambda: any(row.message_id in m for m in handler.messages))
    assert sum(row.message_id in m for m in handler.messages) == 1
    assert "Testmeddelande" in handler.messages[0]


def test_email_queued_while_broker_was_down_is_sent_once_by_the_sweeper(real_broker, smtp_sink, worker):
    _, handler = smtp_sink
    # The broker was down when the change committed: the row exists, the task never reached Redis.
    (row,) = email_queue(to="bo@example.se", template="core/test", context={"note": "sweeper"}, language="sv")
    OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    published = outbox_sweep()["requeued"] + outbox_sweep()["requeued"]
    assert wait_for(lambda: OutgoingEmail.objects.get(pk=row.pk).status == OutgoingEmail.Status.SENT), worker_log(
        worker
    )
    # Every task the sweeps published has run (no fixed pause): the mail still arrived once.
    assert wait_for(lambda: _tasks_done(worker) >= published), worker_log(worker)
    assert sum(row.message_id in m for m in handler.messages) == 1

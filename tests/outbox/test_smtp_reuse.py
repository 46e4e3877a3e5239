"""A worker keeps its SMTP connection between send tasks (outbox/connection.py), against a real
SMTP server on 127.0.0.1 (aiosmtpd): fewer connections, never a lost or doubled message."""

import re
import socket
import threading

import pytest
from aiosmtpd.controller import Controller

from outbox import connection as kept
from outbox.models import OutgoingEmail
from outbox.tasks import send_email
from tests.outbox.test_outbox import queue_one

pytestmark = pytest.mark.django_db

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class Recorder:
    def __init__(self):
        self.connections = []  # one entry per EHLO: a new connection
        self.message_ids = []
        self.servers = []
        self.refuse = False

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd's hook
        self.connections.append(id(session))
        self.servers.append(server)
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.message_ids.append(MESSAGE_ID.search(envelope.content).group(1).decode())
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.OUTBOX_SMTP_REUSE_SECONDS = 30
    recorder.controller = controller
    yield recorder
    kept.worker_connection._close()
    controller.stop()


def _send(n):
    rows = [queue_one(to=f"person{i}@example.se") for i in range(n)]
    for row in rows:
        send_email.apply(args=[row.region_id, row.pk])
    return rows


def _statuses(rows):
    return [OutgoingEmail.objects.get(pk=row.pk).status for row in rows]


def test_one_connection_carries_the_e_mails_of_many_tasks(smtp):
    rows = _send(5)
    assert _statuses(rows) == [OutgoingEmail.Status.SENT] * 5
    assert sorted(smtp.message_ids) == sorted(row.message_id for row in rows)
    assert len(smtp.connections) == 1


def test_with_reuse_off_every_e_mail_has_its_own_connection(smtp, settings):
    settings.OUTBOX_SMTP_REUSE_SECONDS = 0
    _send(3)
    assert len(smtp.connections) == 3


def test_a_connection_the_server_closed_is_replaced_before_sending_and_costs_no_attempt(smtp, monkeypatch):
    monkeypatch.setattr(kept, "_CHECK_AFTER_SECONDS", 0.0)  # check before every send, not after 1 s of quiet
    [first] = _send(1)
    server, loop, closed = smtp.servers[-1], smtp.controller.loop, threading.Event()

    def close():  # the server hangs up on the idle connection, as servers do after a while
        server.transport.close()
        loop.call_soon(closed.set)  # after the transport's own close callback: the socket is shut

    loop.call_soon_threadsafe(close)
    assert closed.wait(5)
    [second] = _send(1)
    second.refresh_from_db()
    assert second.status == OutgoingEmail.Status.SENT
    assert second.attempts == 1
    assert len(smtp.connections) == 2
    assert smtp.message_ids == [first.message_id, second.message_id]


def test_after_a_refused_send_the_next_task_starts_on_a_new_connection(smtp):
    smtp.refuse = True
    [refused] = _send(1)
    refused.refresh_from_db()
    assert refused.status == OutgoingEmail.Status.QUEUED  # 451: tried again later
    smtp.refuse = False
    [sent] = _send(1)
    assert _statuses([sent]) == [OutgoingEmail.Status.SENT]
    assert len(smtp.connections) == 2
    assert smtp.message_ids == [sent.message_id]

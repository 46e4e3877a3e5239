"""One SMTP connection per worker process, reused by the send tasks.

Each ``send_email`` task used to open its own connection: TCP, EHLO and, against a real server,
STARTTLS and AUTH, then QUIT, for a single message. A worker sends one message after another,
so it keeps the connection open between tasks instead:

- only for Django's SMTP backend (the console, file and memory backends have nothing to keep);
- at most ``OUTBOX_SMTP_REUSE_SECONDS`` idle (servers close idle connections; 0 switches reuse off);
- after a second of quiet a ``NOOP`` checks that the server is still there, and a connection that
  does not answer is replaced before the message is sent, so a closed connection costs no attempt;
- after any failed send the connection is dropped: its state is unknown, the next task starts afresh.

Each prefork child of the worker has its own (module state is per process); nothing is shared
between processes or threads.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

logger = logging.getLogger(__name__)

_CHECK_AFTER_SECONDS = 1.0


class ReusedConnection:
    def __init__(self):
        self._backend = None
        self._last_used = 0.0
        self._lock = threading.Lock()  # a threaded worker pool would otherwise share one socket

    def acquire(self):
        """An open SMTP backend to send with, or None (reuse off or not SMTP: send as usual)."""
        reuse = settings.OUTBOX_SMTP_REUSE_SECONDS
        if reuse <= 0:
            return None
        self._lock.acquire()
        try:
            backend = self._backend
            if backend is not None:
                idle = time.monotonic() - self._last_used
                if idle > reuse or (idle > _CHECK_AFTER_SECONDS and not _answers(backend)):
                    self._close()
                    backend = None
            if backend is None:
                backend = get_connection(fail_silently=False)
                if not isinstance(backend, SMTPBackend):
                    self._lock.release()
                    return None
                backend.open()
                self._backend = backend
        except BaseException:
            self._close()
            self._lock.release()
            raise
        return backend

    def release(self, *, ok: bool) -> None:
        """After a send: keep the connection for the next task, or drop it after a failure."""
        if not ok:
            self._close()
        self._last_used = time.monotonic()
        self._lock.release()

    def _close(self) -> None:
        backend, self._backend = self._backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:  # noqa: S110 - closing a broken connection is best effort
                pass


def _answers(backend) -> bool:
    try:
        return backend.connection is not None and backend.connection.noop()[0] == 250
    except Exception:
        logger.info("outbox: the kept SMTP connection was closed by the server; opening a new one")
        return False


worker_connection = ReusedConnection()

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

Regions: a region may send through its own server, named in the environment (never the database) by
``REGION_<SHORT NAME>_EMAIL_URL`` (short name upper-cased, hyphens as underscores, e.g.
``REGION_HALLAND_EMAIL_URL=smtp+tls://user:secret@smtp.regionhalland.se:587``); a region without one
uses the installation's ``EMAIL_URL``. The kept connection is the one of the region of the last send:
a send in another region replaces it.
"""

import logging
import os
import threading
import time

import environ
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from core.region_state import current_region

logger = logging.getLogger(__name__)

_CHECK_AFTER_SECONDS = 1.0


def region_email_variable(region) -> str:
    """The environment variable that names ``region``'s own SMTP server: ``REGION_HALLAND_EMAIL_URL``."""
    return f"REGION_{region.short_name.upper().replace('-', '_')}_EMAIL_URL"


def region_email_config(region=None) -> dict | None:
    """The settings of the region's own server (``EMAIL_BACKEND``, ``EMAIL_HOST`` …, parsed as ``EMAIL_URL``
    is), or None when the region has none (or no region is in force): the installation's settings apply."""
    region = region if region is not None else current_region()
    if region is None:
        return None
    url = os.environ.get(region_email_variable(region), "").strip()
    if not url:
        return None
    return environ.Env.email_url_config(url)


def region_connection(region=None, **kwargs):
    """An e-mail backend for the region in force (or ``region``): its own server when the environment names
    one, else the installation's (``get_connection``'s usual settings)."""
    config = region_email_config(region)
    if config is None:
        return get_connection(**kwargs)
    use_ssl = bool(config.get("EMAIL_USE_SSL"))
    use_tls = bool(config.get("EMAIL_USE_TLS"))
    return get_connection(
        backend=config["EMAIL_BACKEND"],
        host=config.get("EMAIL_HOST") or "localhost",
        port=config.get("EMAIL_PORT") or (465 if use_ssl else 587 if use_tls else 25),
        username=config.get("EMAIL_HOST_USER") or "",
        password=config.get("EMAIL_HOST_PASSWORD") or "",
        use_tls=use_tls,
        use_ssl=use_ssl,
        file_path=config.get("EMAIL_FILE_PATH") or None,
        **kwargs,
    )


def _region_key():
    region = current_region()
    return region.short_name if region is not None and region_email_config(region) else None


class ReusedConnection:
    def __init__(self):
        self._backend = None
        self._key = None  # the region whose own server the kept connection goes to (None: the default one)
        self._last_used = 0.0
        self._lock = threading.Lock()  # a threaded worker pool would otherwise share one socket

    def acquire(self):
        """An open SMTP backend to send with, or None (reuse off or not SMTP: send as usual)."""
        reuse = settings.OUTBOX_SMTP_REUSE_SECONDS
        if reuse <= 0:
            return None
        self._lock.acquire()
        try:
            key = _region_key()
            backend = self._backend
            if backend is not None and key != self._key:
                self._close()
                backend = None
            if backend is not None:
                idle = time.monotonic() - self._last_used
                if idle > reuse or (idle > _CHECK_AFTER_SECONDS and not _answers(backend)):
                    self._close()
                    backend = None
            if backend is None:
                backend = region_connection(fail_silently=False)
                if not isinstance(backend, SMTPBackend):
                    self._lock.release()
                    return None
                backend.open()
                self._backend, self._key = backend, key
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

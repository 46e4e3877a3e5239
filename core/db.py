"""Database helpers shared by the apps' services.

``retry_on_locked``: on the embedded default (SQLite) one process writes at a time. WAL, IMMEDIATE
transactions and a busy timeout (settings) make a writer wait for the lock instead of failing, but a
lock held longer than the timeout (a long periodic job) still ends in ``database is locked``. A
service whose whole write is one transaction can then simply run again: nothing of the failed attempt
was stored, and its on-commit work (e-mails, cache bumps) was discarded with it.
"""

import functools
import hashlib
import logging
import time

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

logger = logging.getLogger(__name__)

# Pauses between attempts (seconds); each attempt itself waits up to the busy timeout for the lock.
RETRY_DELAYS = (0.05, 0.2, 0.5)
_LOCKED_MESSAGES = ("database is locked", "database table is locked")

_sleep = time.sleep  # tests replace it to act between two attempts


def is_locked_error(exc: BaseException, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether ``exc`` is SQLite's "database is locked": another connection holds the write lock."""
    return (
        isinstance(exc, OperationalError)
        and connections[using].vendor == "sqlite"
        and any(message in str(exc).lower() for message in _LOCKED_MESSAGES)
    )


def retry_on_locked(func=None, *, using: str = DEFAULT_DB_ALIAS, delays=RETRY_DELAYS):
    """Run ``func`` again when SQLite answers "database is locked" (a few times, with short pauses).

    Only for a function whose writes all happen inside its own ``transaction.atomic()`` and that has
    no other side effect before it commits. Called inside an outer transaction it is not retried
    (that transaction failed as a whole, and only its owner can run it again); on PostgreSQL, which
    waits for row locks instead, it never retries.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if connections[using].in_atomic_block:
                return func(*args, **kwargs)
            for attempt, delay in enumerate((*delays, None), start=1):
                try:
                    return func(*args, **kwargs)
                except OperationalError as exc:
                    if delay is None or not is_locked_error(exc, using):
                        raise
                    logger.warning("%s: database is locked (attempt %s), trying again", func.__qualname__, attempt)
                    _sleep(delay)
            raise AssertionError("unreachable")  # pragma: no cover

        return wrapper

    return decorate(func) if func is not None else decorate


# SQLite reports a missing table or column, a programming error, as an OperationalError too.
_NOT_AVAILABILITY = ("no such table", "no such column", "has no column", "syntax error")


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database cannot be reached or used right now (refused connection, lost
    server, restart, too many connections, a lock held too long), as opposed to a bug in a query."""
    from django.db import InterfaceError

    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        return not any(message in str(exc).lower() for message in _NOT_AVAILABILITY)
    return False


def advisory_xact_lock(key: str) -> None:
    """Serialise writers of the same ``key`` until the transaction ends (PostgreSQL advisory lock,
    like pretix's ``base/services/locking.py``): for a check-then-insert with nothing to lock yet, such
    as picking a free slug. SQLite runs one writer at a time anyway."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("an advisory lock is only held inside transaction.atomic()")
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])

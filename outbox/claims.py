"""The send task's two writes to an outbox row: the claim before sending and the result after it.

Each is one statement in autocommit, no transaction around it:

- the claim is ``UPDATE … WHERE id = … AND region_id = … AND status = 'queued' RETURNING …``. Two
  workers handed the same row (a task published twice, the sweeper's re-queue) both run it; on
  PostgreSQL the second waits for the first's row lock and then finds the row no longer queued (the
  ``WHERE`` is checked again against the committed row), on SQLite writers take turns anyway. So one
  worker gets the row and the other nothing, as the ``SELECT … FOR UPDATE SKIP LOCKED`` + ``UPDATE``
  in a transaction did, in one round trip instead of four (``BEGIN``, the locking read, the update,
  ``COMMIT``). A row that has used its attempts becomes failed in the same statement;
- the result is a plain ``UPDATE`` of the columns it changes (no model ``save()``: no signals, nothing
  else listens to outbox rows).

The statement names the region explicitly: raw SQL is not filtered by the scoped manager.
"""

import functools
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.region_state import current_region_id

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


class PermanentFailure(Exception):
    pass


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base, … capped at one hour."""
    return timedelta(seconds=min(3600, settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)))


# What building and sending a message needs, plus what the result and the log use.
_CLAIMED_FIELDS = (
    "id",
    "region_id",
    "kind",
    "to",
    "from_email",
    "reply_to",
    "subject",
    "body_text",
    "body_html",
    "language",
    "attachments",
    "headers",
    "message_id",
    "status",
    "attempts",
    "last_error",
    "next_attempt_at",
    "claimed_at",
    "sent_at",
    "created_at",
    "updated_at",
)


# Plain column names, valid on PostgreSQL and SQLite alike; the table is the model's.
_RESULT_SQL = (
    "UPDATE {table} SET status = %s, sent_at = %s, last_error = %s, next_attempt_at = %s, updated_at = %s WHERE id = %s"
)


@functools.cache
def _claim_sql(vendor: str, *, due: bool = False) -> str:
    """The claim of one row by id, or (``due``) of up to ``%(limit)s`` due rows of the region at once."""
    quote = connection.ops.quote_name
    table = quote(OutgoingEmail._meta.db_table)
    columns_by_name = {field.attname: field.column for field in OutgoingEmail._meta.concrete_fields}
    columns = ", ".join(quote(columns_by_name[name]) for name in _CLAIMED_FIELDS)
    status, attempts, last_error = quote("status"), quote("attempts"), quote("last_error")
    spent = f"{attempts} >= %(max)s"
    # Identifiers only (quoted, from the model); every value is a parameter.
    return (
        f"UPDATE {table} SET "  # noqa: S608
        f"{status} = CASE WHEN {spent} THEN %(failed)s ELSE %(sending)s END, "
        f"{last_error} = CASE WHEN {spent} AND {last_error} = '' "
        f"THEN 'gave up after ' || {attempts} || ' attempts' ELSE {last_error} END, "
        f"{quote('claimed_at')} = CASE WHEN {spent} THEN {quote('claimed_at')} ELSE %(now)s END, "
        f"{attempts} = CASE WHEN {spent} THEN {attempts} ELSE {attempts} + 1 END, "
        f"{quote('updated_at')} = %(now)s "
        f"WHERE {_which(vendor, table, due)} AND {quote('region_id')} = %(region)s AND {status} = %(queued)s "
        f"RETURNING {columns}"
    )


def _which(vendor: str, table: str, due: bool) -> str:
    quote = connection.ops.quote_name
    if not due:
        return f"{quote('id')} = %(id)s"
    # The oldest due rows first, in the order of the (status, next_attempt_at) index; on PostgreSQL rows
    # another worker holds are skipped, not waited for (on SQLite writers take turns anyway). The outer
    # WHERE checks the status again against the committed row.
    pick = (
        f"SELECT {quote('id')} FROM {table} "  # noqa: S608 - identifiers only
        f"WHERE {quote('region_id')} = %(region)s AND {quote('status')} = %(queued)s "
        f"AND {quote('next_attempt_at')} <= %(now)s ORDER BY {quote('next_attempt_at')}, {quote('id')} LIMIT %(limit)s"
    )
    if vendor == "postgresql":
        # ARRAY(...) is evaluated once, before the update: as ``IN (subquery)`` the planner may join and
        # run the locking subquery again, and the update then takes more than the limit.
        return f"{quote('id')} = ANY(ARRAY({pick} FOR UPDATE SKIP LOCKED))"
    return f"{quote('id')} IN ({pick})"


def email_claim(*, email_id: int) -> OutgoingEmail | None:
    """Move a queued row of the region in force to sending (one statement); None when another worker has
    it, it is done, or it has used its attempts.

    The attempt cap holds here, not only after a send: a row that has used its attempts without a
    recorded result (its worker died mid-send, again and again) becomes failed instead of being sent
    once more.
    """
    found = _claim_many(_claim_sql(connection.vendor), id=email_id)
    return found[0] if found else None


def email_claim_due(*, limit: int) -> list[OutgoingEmail]:
    """Move up to ``limit`` due queued rows of the region in force to sending, the oldest first, in one
    statement (the drain's claim: ``services.email_drain``). Rows that have used their attempts become
    failed in the same statement and are not returned."""
    return _claim_many(_claim_sql(connection.vendor, due=True), limit=limit)


def _claim_many(sql: str, **extra) -> list[OutgoingEmail]:
    params = {
        **extra,
        "region": current_region_id(),
        "max": settings.OUTBOX_MAX_ATTEMPTS,
        "now": timezone.now(),
        "queued": OutgoingEmail.Status.QUEUED,
        "sending": OutgoingEmail.Status.SENDING,
        "failed": OutgoingEmail.Status.FAILED,
    }
    claimed = []
    for email in OutgoingEmail.objects.raw(sql, params):
        if email.status == OutgoingEmail.Status.FAILED:
            logger.warning("outbox: e-mail %s failed for good after %s attempts", email.pk, email.attempts)
        else:
            claimed.append(email)
    claimed.sort(key=lambda email: email.pk)
    return claimed


def email_record_sent(*, emails: list[OutgoingEmail]) -> None:
    """Mark claimed rows sent, all in one statement."""
    if not emails:
        return
    now = timezone.now()
    for email in emails:
        email.status, email.sent_at, email.last_error, email.updated_at = OutgoingEmail.Status.SENT, now, "", now
    OutgoingEmail.objects.filter(pk__in=[email.pk for email in emails], status=OutgoingEmail.Status.SENDING).update(
        status=OutgoingEmail.Status.SENT, sent_at=now, last_error="", updated_at=now
    )


def email_record_result(*, email: OutgoingEmail, error: Exception | None) -> OutgoingEmail:
    """Mark a claimed row sent, queued again with a backoff, or failed for good."""
    now = timezone.now()
    if error is None:
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = now
        email.last_error = ""
    elif _is_permanent(error) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        email.status = OutgoingEmail.Status.FAILED
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
    else:
        email.status = OutgoingEmail.Status.QUEUED
        email.next_attempt_at = now + retry_delay(email.attempts)
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
    email.updated_at = now
    with connection.cursor() as cursor:
        cursor.execute(
            _RESULT_SQL.format(table=OutgoingEmail._meta.db_table),
            [email.status, email.sent_at, email.last_error, email.next_attempt_at, now, email.pk],
        )
    return email

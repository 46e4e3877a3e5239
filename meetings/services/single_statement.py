"""A sign-up for a meeting without a capacity limit as one statement (PostgreSQL).

Such a sign-up counts nothing and locks nothing: it is the registration's INSERT and its confirmation's
outbox INSERT, which must commit together. In a transaction that is four round trips (BEGIN, INSERT,
INSERT, COMMIT); here both INSERTs are one statement, ``WITH r AS (INSERT … registration) INSERT …
outbox RETURNING id``, run in autocommit: PostgreSQL applies a statement as a whole or not at all,
so a sign-up is still never stored without its e-mail row. A unique index refusing the registration
(the same address or form token a moment ago) refuses the statement: nothing is stored, and the caller
answers from what is stored, as after a rolled-back transaction.

The confirmation links to the registration by its id (the manage link is signed with it), so the id
is known before the INSERT: taken from the table's own sequence, a block of ``ID_BLOCK`` per process
at a time (an id taken and not used is a gap, as after any rolled-back insert).

Both INSERTs are compiled by Django from the model instances (defaults, ``auto_now``, JSON and dates
prepared by the fields), so the rows are the ones ``save()`` would write. Nothing listens to the
saves (the page cache's receiver is replaced by the caller's ``pages.bump``).
"""

import threading
from collections import deque

from django.db import connection
from django.db.models import sql

from core.region_state import check_region

from ..models import Registration

ID_BLOCK = 50


class _Ids:
    """Ids of one table taken from its sequence in blocks, handed out one at a time."""

    def __init__(self, model):
        self._model = model
        self._free: deque[int] = deque()
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            if not self._free:
                self._free.extend(self._block())
            return self._free.popleft()

    def _block(self) -> list[int]:
        meta = self._model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, ID_BLOCK],
            )
            return [row[0] for row in cursor.fetchall()]

    def clear(self) -> None:
        with self._lock:
            self._free.clear()


registration_ids = _Ids(Registration)


def available() -> bool:
    """Whether a sign-up can be one statement here: PostgreSQL, and no transaction around the call (in
    one, the caller's transaction must decide, and the usual path joins it)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _guarded(statement: str, params: list) -> tuple[str, list]:
    """The registration's INSERT with its meeting read in the statement: the meeting's id only while it is
    published, the row taken ``FOR KEY SHARE``. A cancellation (or unpublishing) that holds the meeting
    locked makes the statement wait for it and then read the new row (PostgreSQL re-checks a locked row's
    condition), so the meeting column is NULL and the NOT NULL constraint refuses the sign-up: nothing is
    stored, and no confirmation goes out for a meeting whose participants were just told it is cancelled.
    (The usual path reads the meeting again after its INSERT, in its transaction.)"""
    head, values = statement.split(" VALUES (", 1)
    placeholders = values.removesuffix(")").split(", ")
    columns = [field.column for field in Registration._meta.local_concrete_fields]
    if len(placeholders) != len(columns) or set(placeholders) != {"%s"}:
        raise ValueError("unexpected INSERT for a registration")
    at = columns.index("meeting_id")
    meeting = Registration._meta.get_field("meeting").related_model
    quote = connection.ops.quote_name
    placeholders[at] = (
        f"(SELECT {quote('id')} FROM {quote(meeting._meta.db_table)} "  # noqa: S608 - names of our model
        f"WHERE {quote('id')} = %s AND {quote('status')} = %s FOR KEY SHARE)"
    )
    params = [*params[: at + 1], meeting.Status.PUBLISHED, *params[at + 1 :]]
    return f"{head} VALUES ({', '.join(placeholders)})", params


def _insert_sql(obj, *, returning: bool = False) -> tuple[str, list]:
    """The INSERT ``save()`` would run for ``obj`` (id included), with ``RETURNING id`` if asked."""
    model = type(obj)
    fields = model._meta.local_concrete_fields
    if obj.pk is None:  # the table numbers it, as in save()
        fields = [field for field in fields if field is not model._meta.auto_field]
    query = sql.InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(connection=connection)
    ((statement, params),) = compiler.as_sql()
    if returning:
        statement += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    return statement, list(params)


def insert_with_emails(registration: Registration, emails: list) -> None:
    """Store ``registration`` (its id set) and its outbox rows ``emails`` in one statement; the rows get
    their ids. Raises IntegrityError (nothing stored) when a unique index refuses either."""
    for obj in (registration, *emails):
        check_region(obj)  # what save() checks: the region in force, and links within it
        obj._check_links()
    first_sql, params = _guarded(*_insert_sql(registration))
    parts = []
    for email in emails:
        email_sql, email_params = _insert_sql(email, returning=True)
        parts.append(email_sql)
        params += email_params
    if len(parts) != 1:
        raise ValueError("one outbox row per sign-up")
    statement = f"WITH registration AS ({first_sql}) {parts[0]}"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        (email_id,) = cursor.fetchone()
    emails[0].pk = email_id
    registration._state.adding = False
    registration._state.db = connection.alias
    for email in emails:
        email._state.adding = False
        email._state.db = connection.alias

"""Outbox rows are inserted many at a time as plain VALUES rows, not as UNNEST of one array per column:
psycopg escapes each element of a text array in Python, which cost 4–5 ms per e-mail with an HTML body
(issue 29). The rows stored are the same either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outbox.models import OutgoingEmail
from outbox.services import email_queue

pytestmark = pytest.mark.django_db


def test_many_rows_in_one_insert_without_arrays():
    with CaptureQueriesContext(connection) as queries:
        rows = email_queue(
            to=["a@example.se", "b@example.se", "c@example.se"],
            template="core/test",
            context={"note": 'citat "så här" och \\ bakstreck'},
            language="sv",
            queue_send=False,
        )
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "UNNEST" not in inserts[0].upper()
    stored = OutgoingEmail.objects.filter(pk__in=[row.pk for row in rows]).order_by("to")
    assert [row.to for row in stored] == ["a@example.se", "b@example.se", "c@example.se"]
    assert all((row.body_text, row.body_html) == (rows[0].body_text, rows[0].body_html) for row in stored)
    assert "bakstreck" in rows[0].body_text and "\\" in rows[0].body_text

"""What one sign-up costs, and that the cheaper path says and sends exactly what the full one did: the
meeting from the page cache's entry (read afresh once the meeting is edited), the e-mail rendered once
per meeting revision and filled per person (never another person's name or link)."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import Meeting, Registration
from meetings.selectors import meeting_scope, pages
from meetings.services import emails
from meetings.services.common import _registration_email_parts
from meetings.tokens import manage_url, registration_from_token
from outbox.models import OutgoingEmail
from outbox.services import render_email
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _linked(text: str) -> list[int]:
    """The registrations the manage links in ``text`` open."""
    return [registration_from_token(token).pk for token in re.findall(r"/moten/anmalan/([^/\s]+)/", text)]


def _post(client, meeting, email, name="Anna Andersson"):
    return client.post(
        f"/moten/{meeting.slug}/anmalan/", {"name": name, "email": email, "consent": "on", "idempotency_key": ""}
    )


def test_a_sign_up_for_an_unlimited_meeting_is_its_two_inserts_in_one_transaction(client):
    """The meeting comes from the page cache (kept by the first sign-up), so the sign-up is its INSERT
    and its e-mail's INSERT in one transaction: here SAVEPOINT … RELEASE inside the test's transaction,
    BEGIN … COMMIT in production. Before, the meeting was a query of its own on every POST (5). The one
    SELECT is its status, read under the lock a cancellation takes (test_cancel_race.py): a sign-up arriving
    during a cancellation is refused, not confirmed after the participants were told. (On PostgreSQL outside
    a transaction the sign-up is one statement with that read inside it: test_idempotency.py.)"""
    meeting = MeetingFactory(capacity=None)
    assert _post(client, meeting, "first@example.se").status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, meeting, "second@example.se")
    assert response.status_code == 302
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert statements == ["SAVEPOINT", "SELECT", "INSERT", "INSERT", "RELEASE"], statements
    assert Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED).count() == 2
    assert OutgoingEmail.objects.filter(kind="meetings.confirmation", to="second@example.se").count() == 1


def test_a_meeting_cancelled_after_a_sign_up_refuses_the_next_one(client, run_on_commit):
    """The entry a sign-up kept is dropped by the edit (its version moves on commit): the next POST
    sees the cancelled meeting and stores nothing."""
    meeting = MeetingFactory(capacity=None)
    assert _post(client, meeting, "first@example.se").status_code == 302
    with run_on_commit():
        meeting.status = Meeting.Status.CANCELLED
        meeting.save()
    response = _post(client, meeting, "late@example.se")
    assert response.status_code == 200
    assert not Registration.objects.filter(email="late@example.se").exists()


def test_two_people_each_get_their_own_name_and_link(client, run_on_commit):
    meeting = MeetingFactory(capacity=None, title="Dialog om <folkhälsa> & föreningar")
    with run_on_commit():
        _post(client, meeting, "anna@example.se", name="Anna <Andersson>")
        _post(client, meeting, "bo@example.se", name="Bo O'Brien & Co")
    anna, bo = (Registration.objects.get(email=address) for address in ("anna@example.se", "bo@example.se"))
    sent = {message.to[0]: message for message in mail.outbox}
    bo_text, bo_html = sent["bo@example.se"].body, sent["bo@example.se"].alternatives[0][0]
    assert "Hej Bo O'Brien & Co!" in bo_text and "Hej Bo O&#x27;Brien &amp; Co!" in bo_html
    assert _linked(bo_text) == [bo.pk]  # the signed link (its timestamp aside) opens Bo's registration only
    assert "Anna" not in bo_text and "Anna" not in bo_html
    assert "Hej Anna &lt;Andersson&gt;!" in sent["anna@example.se"].alternatives[0][0]
    assert sent["bo@example.se"].subject == "Anmälan bekräftad: Dialog om <folkhälsa> & föreningar"


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("template", sorted(emails.FILLED_TEMPLATES))
def test_a_filled_email_is_what_the_full_render_gives(template, language):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, online_link="https://video.example.se/rum?a=1&b=2")
    registration = Registration.objects.create(
        meeting=meeting, name='Åsa <b>"Ö\'" & co', email="asa@example.se", consent_at=meeting.start
    )
    manage = manage_url(registration)
    extra = {"position": 3} if template == "waitlisted" else {}
    if template == "registration_cancelled":
        extra = {"by_coordinator": True}
    with translation.override(language):
        context, _ = _registration_email_parts(registration, manage=manage, ics=False, extra=extra)
        expected = render_email(template=f"meetings/{template}", context=context, language=language)
        for _ in range(2):  # the first builds the shared rendering, the second fills the kept one
            filled = emails.render_registration_email(
                template=f"meetings/{template}",
                context=context,
                language=language,
                name=registration.name,
                manage=manage,
                position=extra.get("position"),
            )
            assert filled == expected


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sign_up_in_one_statement_stores_what_save_would(client, region):
    """PostgreSQL, no transaction around the view: the registration and its e-mail row in one statement,
    each with its region, timestamps and defaults, the e-mail sent and the meeting's page moved on."""
    meeting = MeetingFactory(capacity=None)
    page_version = pages.version(meeting_scope(meeting.slug))
    with CaptureQueriesContext(connection) as queries:
        assert _post(client, meeting, "anna@example.se").status_code == 302
    assert any(query["sql"].startswith("WITH registration AS (INSERT") for query in queries.captured_queries)
    registration = Registration.objects.get(email="anna@example.se")
    assert (registration.region_id, registration.meeting_id) == (region.pk, meeting.pk)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.updated_at is not None and registration.consent_at == registration.created_at
    email = OutgoingEmail.objects.get(to="anna@example.se")
    assert (email.region_id, email.kind, email.status) == (region.pk, "meetings.confirmation", "sent")
    assert email.created_at is not None and _linked(email.body_text) == [registration.pk]
    assert [message.to for message in mail.outbox] == [["anna@example.se"]]
    assert pages.version(meeting_scope(meeting.slug)) != page_version


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_form_token_sent_again_for_another_address_costs_a_refused_insert_and_a_second_one(client):
    """What the bench measured until 2026-12-07 (one form's token in every POST, bench/README.md): each
    sign-up was a refused INSERT, a lookup of the token and a second INSERT. A token of its own (every
    browser that fetched the form) makes it the one statement."""
    meeting = MeetingFactory(capacity=None)
    url = f"/moten/{meeting.slug}/anmalan/"
    form = {"name": "Anna Andersson", "consent": "on"}
    assert client.post(url, {**form, "email": "first@example.se", "idempotency_key": "k" * 22}).status_code == 302

    def statements(**data):
        """The sign-up's statements, up to its e-mail being sent (in process here: ``UPDATE … 'sending'``)."""
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, {**form, **data}).status_code == 302
        found = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT nextval")]
        return [sql.split()[0] for sql in found[: next(i for i, sql in enumerate(found) if sql.startswith("UPDATE"))]]

    assert statements(email="again@example.se", idempotency_key="k" * 22) == ["WITH", "SELECT", "WITH"]
    assert statements(email="own@example.se", idempotency_key="o" * 22) == ["WITH"]
    assert Registration.objects.filter(meeting=meeting).count() == 3

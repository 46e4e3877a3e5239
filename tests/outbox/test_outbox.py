import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.regions import region_scope
from outbox.claims import email_claim
from outbox.models import OutgoingEmail
from outbox.services import Attachment, email_queue, email_send, outbox_sweep
from outbox.tasks import send_email, sweep_outbox

pytestmark = pytest.mark.django_db


def queue_one(**kwargs):
    defaults = {"to": "anna@example.se", "template": "core/test", "context": {"note": "hej"}, "language": "sv"}
    defaults.update(kwargs)
    return email_queue(**defaults)[0]


def test_queued_email_is_stored_before_commit_and_sent_on_commit(run_on_commit):
    with run_on_commit():
        row = queue_one()
        assert OutgoingEmail.objects.get(pk=row.pk).status == OutgoingEmail.Status.QUEUED
        assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.se"]
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id


def test_email_is_rendered_in_the_recipients_language():
    sv = queue_one(language="sv")
    en = queue_one(language="en")
    assert sv.subject == "Testmeddelande från Samverkansportalen"
    assert en.subject == "Test message from Samverkansportalen"
    assert '<html lang="sv">' in sv.body_html
    assert "hej" in sv.body_text


def test_rolled_back_change_mails_nobody(run_on_commit):
    with run_on_commit():
        try:
            with transaction.atomic():
                queue_one()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_send_task_run_twice_sends_once():
    row = queue_one()
    send_email.apply(args=[row.region_id, row.pk])
    send_email.apply(args=[row.region_id, row.pk])
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT
    assert row.attempts == 1


def test_attachment_reaches_the_message():
    row = queue_one(attachments=[Attachment("mote.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")])
    email_send(email_id=row.pk)
    (filename, content, mimetype) = mail.outbox[0].attachments[0]
    assert filename == "mote.ics"
    assert mimetype == "text/calendar"
    assert "VCALENDAR" in (content.decode() if isinstance(content, bytes) else content)


class FlakyBackend:
    """An SMTP backend whose server answers with a temporary or permanent error."""

    error: Exception = smtplib.SMTPServerDisconnected("gone")

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise type(self).error


def test_temporary_smtp_failure_is_retried_later_with_backoff(settings, monkeypatch):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FlakyBackend"
    FlakyBackend.error = smtplib.SMTPServerDisconnected("gone")
    row = queue_one()
    before = timezone.now()
    email_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.QUEUED
    assert row.attempts == 1
    # The backoff counts from the failed attempt, however long this test took to get there.
    assert row.next_attempt_at >= before + timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS)
    assert "SMTPServerDisconnected" in row.last_error


def test_permanent_smtp_refusal_ends_as_failed(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FlakyBackend"
    FlakyBackend.error = smtplib.SMTPRecipientsRefused({"anna@example.se": (550, b"no such user")})
    row = queue_one()
    email_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED


def test_failure_after_max_attempts_ends_as_failed(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.FlakyBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    FlakyBackend.error = smtplib.SMTPServerDisconnected("gone")
    row = queue_one()
    email_send(email_id=row.pk)
    OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    email_send(email_id=row.pk)
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED
    assert row.attempts == 2


def test_sweeper_sends_what_was_never_queued_once():
    row = queue_one()  # never committed in this test: the send task was never queued
    OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    sweep_outbox.apply()
    sweep_outbox.apply()
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT


def test_sweeper_leaves_fresh_rows_to_their_own_task():
    queue_one()
    result = outbox_sweep()
    assert result["requeued"] == 0
    assert mail.outbox == []


def test_sweeper_recovers_a_row_stuck_in_sending():
    row = queue_one()
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=OutgoingEmail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(hours=1),
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )
    outbox_sweep()
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_coordinator_sees_outbox_read_only_with_status_filter(coordinator_client):
    row = queue_one()
    response = coordinator_client.get("/admin/outbox/outgoingemail/?status__exact=queued")
    assert response.status_code == 200
    assert row.subject in response.content.decode()
    change = coordinator_client.get(f"/admin/outbox/outgoingemail/{row.pk}/change/")
    assert change.status_code == 200
    assert b'name="subject"' not in change.content  # read-only: no input fields
    assert coordinator_client.get("/admin/outbox/outgoingemail/add/").status_code == 403


def test_purge_deletes_sent_emails_older_than_a_year_and_keeps_recent_ones(disposal_decisions):
    from core.tasks import purge_personal_data

    old = queue_one(to="gammal@example.se")
    recent = queue_one(to="ny@example.se")
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT)
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    purge_personal_data.apply()
    purge_personal_data.apply()
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [recent.to]


def test_rows_stored_without_their_own_send_task_are_left_to_the_caller(run_on_commit):
    with run_on_commit():
        row = queue_one(queue_send=False)
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.QUEUED
    assert mail.outbox == []


def test_sweeper_does_not_republish_a_row_it_just_queued(monkeypatch):
    published = []
    monkeypatch.setattr("outbox.tasks.send_email.delay", lambda region_id, email_id: published.append(email_id))
    row = queue_one()
    OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    outbox_sweep()
    outbox_sweep()
    assert published == [row.pk]


class BrokenBackend(FlakyBackend):
    """A backend that fails with something other than an SMTP or socket error."""

    error = RuntimeError("the API of the mail provider answered 500")


def test_backend_error_of_any_kind_counts_as_an_attempt_and_ends_as_failed(settings):
    settings.EMAIL_BACKEND = "tests.outbox.test_outbox.BrokenBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = queue_one()
    send_email.apply(args=[row.region_id, row.pk])
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.QUEUED
    assert row.attempts == 1
    assert "RuntimeError" in row.last_error
    OutgoingEmail.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    send_email.apply(args=[row.region_id, row.pk])
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED
    assert row.attempts == 2


def test_row_that_used_its_attempts_is_failed_at_claim_and_not_sent(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    row = queue_one()
    # Its workers died mid-send three times: the sweeper put it back each time without a result.
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=OutgoingEmail.Status.SENDING,
        attempts=3,
        claimed_at=timezone.now() - timedelta(hours=1),
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )
    outbox_sweep()
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED
    assert row.attempts == 3
    assert mail.outbox == []


def test_coordinator_sends_a_failed_email_again_from_the_admin(coordinator_client, run_on_commit):
    failed = queue_one(to="failed@example.se")
    sent = queue_one(to="sent@example.se")
    OutgoingEmail.objects.filter(pk=failed.pk).update(status=OutgoingEmail.Status.FAILED, attempts=6)
    OutgoingEmail.objects.filter(pk=sent.pk).update(status=OutgoingEmail.Status.SENT, attempts=1)
    changelist = coordinator_client.get("/admin/outbox/outgoingemail/?status__exact=failed").content.decode()
    assert "Skicka igen" in changelist
    with run_on_commit():
        response = coordinator_client.post(
            "/admin/outbox/outgoingemail/",
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 misslyckat e-postmeddelande köades igen." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == OutgoingEmail.Status.SENT
    assert failed.attempts == 1
    assert sent.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [["failed@example.se"]]


def test_resending_only_rows_that_did_not_fail_queues_nothing(coordinator_client):
    row = queue_one()
    OutgoingEmail.objects.filter(pk=row.pk).update(status=OutgoingEmail.Status.SENT)
    response = coordinator_client.post(
        "/admin/outbox/outgoingemail/", {"action": "resend", "_selected_action": [row.pk]}, follow=True
    )
    assert "Bara misslyckade e-postmeddelanden kan skickas igen" in response.content.decode()
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT
    assert mail.outbox == []


def test_a_send_is_one_claiming_update_and_one_result_update():
    """The claim (queued → sending, attempts + 1) and the result are one statement each, no
    transaction around them: before, BEGIN, a locking SELECT, UPDATE and COMMIT, then the result."""
    row = queue_one()
    with CaptureQueriesContext(connection) as queries:
        send_email.apply(args=[row.region_id, row.pk])
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["UPDATE", "UPDATE"]
    row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == (OutgoingEmail.Status.SENT, 1, 1)
    assert row.claimed_at is not None and row.sent_at is not None


def test_a_row_being_sent_by_another_worker_is_not_claimed_again():
    row = queue_one()
    OutgoingEmail.objects.filter(pk=row.pk).update(status=OutgoingEmail.Status.SENDING, attempts=1)
    assert email_claim(email_id=row.pk) is None
    row.refresh_from_db()
    assert (row.status, row.attempts, mail.outbox) == (OutgoingEmail.Status.SENDING, 1, [])


def test_a_row_is_claimed_only_in_its_own_region(other_region):
    row = queue_one()
    with region_scope(other_region):
        assert email_claim(email_id=row.pk) is None
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingEmail.Status.QUEUED, 0)
    claimed = email_claim(email_id=row.pk)
    assert (claimed.pk, claimed.status, claimed.attempts, claimed.to) == (
        row.pk,
        OutgoingEmail.Status.SENDING,
        1,
        "anna@example.se",
    )

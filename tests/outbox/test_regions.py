"""The outbox in two regions: each region's mail carries its sender, its name and links on its host, goes
through its own SMTP server when the environment names one, and is sent, swept, purged and administered
in its region only."""

from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.regions import no_region, region_scope
from core.tasks import purge_personal_data
from outbox.connection import region_connection, region_email_variable
from outbox.models import OutgoingEmail
from outbox.services import email_queue, region_sender
from outbox.tasks import send_email, send_email_batch, sweep_outbox
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

B_HOST = "halland.testserver"


def queue_reminder(to="anna@example.se", **kwargs):
    """A real template with a link: the consultation reminder (SITE_URL + the answer page)."""
    context = {
        "consultation": SimpleNamespace(title="Remissen", slug="remissen", closes_at=timezone.now()),
        "organisation": SimpleNamespace(name="Föreningen", pk=7),
    }
    (row,) = email_queue(
        to=to, template="consultations/reminder", context=context, language="sv", kind="test", **kwargs
    )
    return row


def test_a_regions_mail_is_from_its_sender_named_after_it_and_links_on_its_host(settings, run_on_commit, other_region):
    settings.SITE_URL = "http://127.0.0.1:8000"
    with run_on_commit():
        ours = queue_reminder()
    with region_scope(other_region), run_on_commit():
        theirs = queue_reminder(to="hugo@example.se")
    assert theirs.region_id == other_region.pk and ours.region_id != other_region.pk
    assert theirs.from_email == "Samverkansportalen – Region Halland <no-reply@halland.example.se>"
    assert "Region Västernorrland <no-reply@127.0.0.1>" in ours.from_email
    assert "http://halland.testserver:8000/remisser/remissen/svara/" in theirs.body_text
    assert "http://127.0.0.1:8000/remisser/remissen/svara/" in ours.body_text
    assert theirs.message_id.endswith("@halland.example.se>")
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["hugo@example.se"].from_email == theirs.from_email
    assert "halland" not in sent["anna@example.se"].body


def test_a_region_without_a_sender_address_sends_from_the_default_one_in_its_name(settings):
    settings.DEFAULT_FROM_EMAIL = "Samverkansportalen <no-reply@samverkan.example.se>"
    region = RegionFactory(name="Region Gotland", short_name="gotland", sender_email="")
    assert region_sender(region) == "Samverkansportalen – Region Gotland <no-reply@samverkan.example.se>"
    with no_region():
        assert region_sender() == settings.DEFAULT_FROM_EMAIL


def test_a_regions_own_smtp_server_comes_from_the_environment_by_its_short_name(monkeypatch, other_region):
    vgr = RegionFactory(name="Västra Götalandsregionen", short_name="vastra-gotaland")
    assert region_email_variable(vgr) == "REGION_VASTRA_GOTALAND_EMAIL_URL"
    monkeypatch.setenv("REGION_HALLAND_EMAIL_URL", "smtp+tls://halland:hemligt@smtp.regionhalland.example:2525")
    with region_scope(other_region):
        backend = region_connection()
    assert isinstance(backend, SMTPBackend)
    assert (backend.host, backend.port, backend.username, backend.password) == (
        "smtp.regionhalland.example",
        2525,
        "halland",
        "hemligt",
    )
    assert backend.use_tls and not backend.use_ssl
    # Without a variable of its own a region uses the installation's settings (here the tests' memory).
    assert isinstance(region_connection(), LocmemBackend)
    with region_scope(vgr):
        assert isinstance(region_connection(), LocmemBackend)


def test_a_region_with_its_own_server_sends_through_it_and_the_others_do_not(
    monkeypatch, tmp_path, run_on_commit, other_region
):
    monkeypatch.setenv("REGION_HALLAND_EMAIL_URL", f"filemail:///{tmp_path}")
    with region_scope(other_region), run_on_commit():
        theirs = queue_reminder(to="hugo@example.se")
    with run_on_commit():
        queue_reminder(to="anna@example.se")
    assert [message.to for message in mail.outbox] == [["anna@example.se"]]
    (written,) = list(tmp_path.iterdir())
    assert "hugo@example.se" in written.read_text() and theirs.message_id in written.read_text()
    with region_scope(other_region):
        assert OutgoingEmail.objects.get(pk=theirs.pk).status == OutgoingEmail.Status.SENT


def test_the_send_tasks_take_the_region_first_and_run_from_a_clean_process(other_region):
    with region_scope(other_region):
        first = queue_reminder(to="a@example.se", queue_send=False)
        second = queue_reminder(to="b@example.se", queue_send=False)
        third = queue_reminder(to="c@example.se", queue_send=False)
    with no_region():
        send_email(other_region.pk, first.pk)
        send_email_batch(other_region.pk, [second.pk, third.pk])
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.se", "b@example.se", "c@example.se"]
    assert all("Region Halland" in message.from_email for message in mail.outbox)


def test_a_send_task_naming_another_regions_email_sends_nothing(other_region):
    ours = queue_reminder(queue_send=False)
    with no_region():
        send_email(other_region.pk, ours.pk)
    assert mail.outbox == []
    assert OutgoingEmail.objects.get(pk=ours.pk).status == OutgoingEmail.Status.QUEUED


def test_the_sweeper_runs_in_every_region_from_a_clean_process(other_region):
    late = timezone.now() - timedelta(minutes=5)
    ours = queue_reminder(queue_send=False)
    with region_scope(other_region):
        theirs = queue_reminder(to="hugo@example.se", queue_send=False)
        OutgoingEmail.objects.filter(pk=theirs.pk).update(next_attempt_at=late)
    OutgoingEmail.objects.filter(pk=ours.pk).update(next_attempt_at=late)
    with no_region():
        result = sweep_outbox()
    assert result == {
        "vasternorrland": {"unstuck": 0, "requeued": 1},
        "halland": {"unstuck": 0, "requeued": 1},
    }
    assert sorted(message.to[0] for message in mail.outbox) == ["anna@example.se", "hugo@example.se"]
    assert [m.from_email for m in mail.outbox if m.to == ["hugo@example.se"]] == [theirs.from_email]


def test_the_daily_purge_runs_in_every_region_each_rule_in_its_own(settings, region, other_region):
    from tests.factories.regions import record_disposal_decisions

    record_disposal_decisions(region, other_region)
    old = timezone.now() - timedelta(days=settings.OUTBOX_RETENTION_DAYS + 1)
    ours = queue_reminder(queue_send=False)
    OutgoingEmail.objects.filter(pk=ours.pk).update(status=OutgoingEmail.Status.SENT, created_at=old)
    with region_scope(other_region):
        theirs = queue_reminder(to="hugo@example.se", queue_send=False)
        OutgoingEmail.objects.filter(pk=theirs.pk).update(status=OutgoingEmail.Status.SENT, created_at=old)
        recent = queue_reminder(to="hugo@example.se", queue_send=False)
    with no_region():
        result = purge_personal_data()
    assert set(result) == {"vasternorrland", "halland"}
    assert result["vasternorrland"]["outbox"] == 1 and result["halland"]["outbox"] == 1
    assert not OutgoingEmail.objects.exists()
    with region_scope(other_region):
        assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_outbox_admin_shows_and_resends_only_the_hosts_regions_mail(coordinator_client, other_region):
    ours = queue_reminder(queue_send=False)
    with region_scope(other_region):
        theirs = queue_reminder(to="hugo@halland.example.se", queue_send=False)
        OutgoingEmail.objects.filter(pk=theirs.pk).update(status=OutgoingEmail.Status.FAILED)
    OutgoingEmail.objects.filter(pk=ours.pk).update(status=OutgoingEmail.Status.FAILED)
    changelist = reverse("admin:outbox_outgoingemail_changelist")
    page = coordinator_client.get(changelist).content.decode()
    assert "anna@example.se" in page and "hugo@halland.example.se" not in page
    assert coordinator_client.get(reverse("admin:outbox_outgoingemail_change", args=[theirs.pk])).status_code == 404
    assert coordinator_client.get(reverse("admin:outbox_outgoingemail_change", args=[ours.pk])).status_code == 200
    coordinator_client.post(changelist, {"action": "resend", "_selected_action": [ours.pk, theirs.pk]})
    assert OutgoingEmail.objects.get(pk=ours.pk).status == OutgoingEmail.Status.QUEUED
    with region_scope(other_region):
        assert OutgoingEmail.objects.get(pk=theirs.pk).status == OutgoingEmail.Status.FAILED


def test_the_test_email_command_queues_one_per_region_or_the_one_named(other_region):
    out = StringIO()
    with no_region():
        call_command("send_test_email", "anna@example.se", stdout=out)
        call_command("send_test_email", "bo@example.se", "--region", "halland", stdout=out)
    assert "from vasternorrland" in out.getvalue() and "from halland" in out.getvalue()
    assert OutgoingEmail.objects.filter(to="anna@example.se").count() == 1
    assert not OutgoingEmail.objects.filter(to="bo@example.se").exists()
    with region_scope(other_region):
        assert OutgoingEmail.objects.filter(to="anna@example.se").count() == 1
        assert OutgoingEmail.objects.get(to="bo@example.se").from_email.startswith(
            "Samverkansportalen – Region Halland"
        )


def test_an_email_queued_with_no_region_in_force_is_refused_clearly():
    from core.regions import RegionMissing

    with no_region(), pytest.raises(RegionMissing):
        queue_reminder()


def test_the_kept_smtp_connection_is_replaced_when_a_region_with_its_own_server_sends(
    monkeypatch, settings, other_region
):
    from outbox import connection as kept

    class FakeSMTP(SMTPBackend):
        def open(self):
            self.opened = True

        def close(self):
            self.closed = True

    settings.OUTBOX_SMTP_REUSE_SECONDS = 30
    monkeypatch.setattr(
        kept, "region_connection", lambda **kw: FakeSMTP(host=kept.region_email_config() and "halland" or "default")
    )
    monkeypatch.setenv("REGION_HALLAND_EMAIL_URL", "smtp://smtp.regionhalland.example")
    reused = kept.ReusedConnection()
    first = reused.acquire()
    reused.release(ok=True)
    assert reused.acquire() is first and first.host == "default"
    reused.release(ok=True)
    with region_scope(other_region):
        theirs = reused.acquire()
        reused.release(ok=True)
    assert theirs is not first and theirs.host == "halland" and first.closed
    reused._close()

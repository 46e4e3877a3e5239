"""The outbox list as a coordinator reads it: kinds by name, languages by name."""

import pytest
from django.urls import reverse

from outbox.kinds import kind_label
from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def _email(n, kind, language="sv"):
    return OutgoingEmail.objects.create(
        kind=kind, to=f"p{n}@example.se", subject=f"Ämne {n}", body_text="x", message_id=f"<{n}@x>", language=language
    )


def test_outbox_list_and_filter_show_kinds_by_name(coordinator_client):
    _email(1, "meetings.confirmation")
    _email(2, "organisations.verified", language="")
    _email(3, "someapp.unknown")
    html = coordinator_client.get(reverse("admin:outbox_outgoingemail_changelist")).content.decode()
    assert "Bekräftelse på anmälan" in html and "Organisationen verifierad" in html
    assert ">meetings.confirmation<" not in html
    assert "someapp.unknown" in html  # a kind nobody named is shown as stored
    assert 'href="?language="' not in html  # no empty, unnamed language link
    assert "Svenska" in html or "svenska" in html
    filtered = coordinator_client.get(
        reverse("admin:outbox_outgoingemail_changelist"), {"kind": "meetings.confirmation"}
    )
    assert "Ämne 1" in filtered.content.decode() and "Ämne 2" not in filtered.content.decode()


def test_every_kind_the_portal_sends_has_a_name():
    for kind in [
        "meetings.confirmation",
        "meetings.registration_cancelled",
        "organisations.verified",
        "agreements.verified",
    ]:
        assert kind_label(kind) != kind


def test_an_e_mail_is_shown_without_the_keys_its_links_carry(coordinator_client, client, settings):
    """A coordinator reads what was sent, never a link that works as the recipient: the password reset a
    representative asked for would let whoever reads the outbox take over the account."""
    from tests.factories import UserFactory

    UserFactory(email="rep@example.se")
    client.post(reverse("account_reset_password"), {"email": "rep@example.se"})
    email = OutgoingEmail.objects.get(to="rep@example.se")
    key_link = next(word for word in email.body_text.split() if "/konto/password/reset/key/" in word)
    email.headers = {"List-Unsubscribe": "<https://portal.example.se/foljer/avsluta/hemlig-nyckel/>"}
    email.attachments = [{"filename": "mote.ics", "mimetype": "text/calendar", "content": "SEVNTElHIE5ZQ0tFTA=="}]
    email.save()

    page = coordinator_client.get(reverse("admin:outbox_outgoingemail_change", args=[email.pk])).content.decode()

    assert email.subject in page
    assert key_link not in page and "/key/" not in page and "hemlig-nyckel" not in page
    assert "/konto/…" in page and "/foljer/…" in page
    assert "mote.ics (text/calendar)" in page and "SEVNTElHIE5ZQ0tFTA" not in page

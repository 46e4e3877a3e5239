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

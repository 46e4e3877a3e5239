"""The board decision of a signature cannot be stored: no 500, not signed, no e-mail, the form again with
what was typed and a message (503)."""

import pytest
from django.urls import reverse

from agreements.models import Signatory
from outbox.models import OutgoingEmail
from tests.storage_faults import logged_without, refusing_bucket, storage_failure_shown  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("refusing_bucket")
def test_a_board_decision_that_cannot_be_stored_signs_nothing(
    client, agreement, organisation, representative, pdf_upload, caplog
):
    client.force_login(representative)
    data = {
        "organisation": organisation.pk,
        "signed_by_name": "Anna Ordförande",
        "signed_by_title": "Ordförande",
        "confirms_authority": "on",
        "public": "on",
        "board_decision": pdf_upload,
    }
    response = client.post(reverse("agreements:sign", args=[agreement.slug]), data)
    assert storage_failure_shown(response)
    assert "Anna Ordförande" in response.content.decode()
    assert not Signatory.objects.exists()
    assert not OutgoingEmail.objects.exists()
    assert logged_without(caplog, "styrelsebeslut", "Anna Ordförande", representative.email)

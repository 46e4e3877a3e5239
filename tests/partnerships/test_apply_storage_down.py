"""An application's attachment cannot be stored: no 500, no draft saved, the form again with what was
typed and a message (503)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Application, ApplicationAttachment
from tests.samples import PDF
from tests.storage_faults import logged_without, media_root_is_a_file, storage_failure_shown  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("media_root_is_a_file")
def test_an_attachment_that_cannot_be_stored_saves_nothing_and_keeps_the_text(
    client, call, representative, clock, caplog
):
    client.force_login(representative)
    question = call.questions.first()
    data = {
        "title": "Läxhjälp för nyanlända",
        "description": "Läxhjälp två kvällar i veckan.",
        f"question_{question.pk}": "Ungefär trettio barn.",
        "item_0": "Lokalhyra",
        "amount_0": "20000",
        "amount_requested": "20000",
        "action": "save",
        "attachment": SimpleUploadedFile("budget-rita.pdf", PDF, content_type="application/pdf"),
        "attachment_title": "Budget",
    }
    response = client.post(reverse("grants:apply", args=[call.slug]), data)
    assert storage_failure_shown(response)
    assert "Läxhjälp två kvällar i veckan." in response.text and "Ungefär trettio barn." in response.text
    assert not Application.objects.exists() and not ApplicationAttachment.objects.exists()
    assert logged_without(caplog, "budget-rita", representative.email)

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


def test_an_attachment_removed_with_one_the_storage_refuses_keeps_its_file(
    settings, media_root, call, organisation, representative, clock, run_on_commit
):
    """The old file goes only once its removal is committed: a new attachment the storage refuses rolls the
    removal back, and the file is still there for the row that comes back."""
    import os

    from django.core.files.base import ContentFile

    from partnerships.services import applications
    from tests.storage_faults import RefusingBucketStorage

    def save(**changes):
        return applications.application_save(call=call, organisation=organisation, user=representative, **changes)

    with run_on_commit():
        application = save(title="Läxhjälp", attachment=ContentFile(PDF, name="budget.pdf"), attachment_title="Budget")
    old = application.attachments.get()
    path = old.file.path
    assert os.path.exists(path)

    stores = settings.STORAGES
    backend = {"BACKEND": f"{RefusingBucketStorage.__module__}.RefusingBucketStorage"}
    settings.STORAGES = {**stores, "default": backend, "private": backend}
    with pytest.raises(Exception), run_on_commit():  # noqa: B017, PT011 - the storage's own error
        save(title="Läxhjälp", remove_attachments=[old.pk], attachment=ContentFile(PDF, name="ny.pdf"))
    assert ApplicationAttachment.objects.filter(pk=old.pk).exists() and os.path.exists(path)

    settings.STORAGES = stores
    with run_on_commit():
        save(title="Läxhjälp", remove_attachments=[old.pk])
    assert not ApplicationAttachment.objects.exists() and not os.path.exists(path)

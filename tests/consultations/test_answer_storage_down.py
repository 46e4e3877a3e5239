"""An answer's attachment cannot be stored: no 500, the draft not saved (nor changed), the form again with
what was typed and a message (503), the failure logged without the file's name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.models import Answer, SectionAnswer
from tests.storage_faults import logged_without, refusing_bucket, storage_failure_shown  # noqa: F401 - fixtures

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _post(client, consultation, organisation, **extra):
    data = {"action": "save", "organisation": organisation.pk, "general_comment": "Vi stöder syftet."}
    for section in consultation.sections.all():
        data[f"position_{section.pk}"] = "agree"
        data[f"comment_{section.pk}"] = f"Om {section.heading.lower()}: bra."
    data["attachment"] = SimpleUploadedFile("yttrande-gemenskap.pdf", PDF_BYTES, content_type="application/pdf")
    data.update(extra)
    url = reverse("consultations:answer", args=[consultation.slug]) + f"?organisation={organisation.pk}"
    return client.post(url, data)


@pytest.mark.usefixtures("refusing_bucket")
def test_an_attachment_that_cannot_be_stored_saves_nothing_and_keeps_the_text(
    client, clock, consultation, organisation, representative, caplog
):
    client.force_login(representative)
    response = _post(client, consultation, organisation)
    assert storage_failure_shown(response)
    html = response.content.decode()
    assert "Vi stöder syftet." in html and "Om upphandling: bra." in html
    assert not Answer.objects.exists() and not SectionAnswer.objects.exists()
    assert logged_without(caplog, "yttrande-gemenskap", representative.email)


def test_a_saved_draft_is_left_as_it_was(client, clock, consultation, organisation, representative, settings, tmp_path):
    client.force_login(representative)
    settings.MEDIA_ROOT = tmp_path / "media"
    assert _post(client, consultation, organisation, attachment="").status_code == 302
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "tests.storage_faults.RefusingBucketStorage"},
    }
    response = _post(client, consultation, organisation, general_comment="Ändrad text.")
    assert storage_failure_shown(response)
    assert Answer.objects.get().general_comment == "Vi stöder syftet."

"""Meeting documents: uploaded by coordinators (checked by content), downloaded through a view with the
meeting page's access rules, linked from the page, the archive, the documentation e-mail and the admin."""

import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingDocument
from tests.accounts.conftest import activate_totp
from tests.factories import MeetingDocumentFactory, MeetingFactory, RegistrationFactory, UserFactory
from tests.samples import HTML, PDF, SVG, docx, upload

pytestmark = pytest.mark.django_db


def _document(meeting, name="minnesanteckningar.pdf", content=PDF, title="Minnesanteckningar"):
    document = MeetingDocumentFactory.build(meeting=meeting, title=title, url="")
    document.file.save(name, ContentFile(content), save=True)
    return document


def _body(response):
    return b"".join(response.streaming_content)


def test_the_meeting_page_links_a_document_that_downloads(client, media_root):
    meeting = MeetingFactory()
    document = _document(meeting)
    page = client.get(meeting.get_absolute_url()).content.decode()
    href = reverse("meetings:document", kwargs={"slug": meeting.slug, "pk": document.pk})
    assert f'href="{href}"' in page
    assert "/media/" not in page
    response = client.get(href)
    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert 'filename="minnesanteckningar.pdf"' in response["Content-Disposition"]


def test_an_office_document_downloads_as_an_attachment(client, media_root):
    document = _document(MeetingFactory(), name="bilder.docx", content=docx(), title="Presentation")
    response = client.get(document.href)
    assert response["Content-Disposition"].startswith('attachment; filename="presentation.docx"')


def test_the_archive_links_documents_without_extra_queries(client, media_root, django_assert_max_num_queries):
    hrefs = []
    for _ in range(5):
        past = MeetingFactory(past=True)
        hrefs += [_document(past).href, _document(past, title="Bilder").href]
    # + the topics of each list and the topic and area filter options: constant in the number of meetings.
    with django_assert_max_num_queries(10):
        page = client.get("/moten/").content.decode()
    assert all(f'href="{href}"' in page for href in hrefs)


def test_a_draft_meetings_documents_are_404_for_the_public(client, media_root):
    document = _document(MeetingFactory(status=Meeting.Status.DRAFT))
    assert client.get(document.href).status_code == 404
    client.force_login(UserFactory())
    assert client.get(document.href).status_code == 404


def test_a_coordinator_previews_a_draft_meetings_document(coordinator_client, media_root):
    document = _document(MeetingFactory(status=Meeting.Status.DRAFT))
    response = coordinator_client.get(document.href)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_draft_document_is_404_for_staff_without_the_second_factor(
    coordinator_client, coordinator, media_root, settings
):
    """The draft gate (core.access): staff without the second factor see what the public sees."""
    settings.STAFF_REQUIRE_MFA = True
    document = _document(MeetingFactory(status=Meeting.Status.DRAFT))
    assert coordinator_client.get(document.href).status_code == 404
    activate_totp(coordinator)
    assert coordinator_client.get(document.href).status_code == 200


def test_a_document_of_another_meeting_is_404(client, media_root):
    document = _document(MeetingFactory())
    other = MeetingFactory()
    assert client.get(f"/moten/{other.slug}/dokument/{document.pk}/").status_code == 404


def test_a_link_only_document_has_no_file_view(client):
    document = MeetingDocumentFactory(meeting=MeetingFactory())
    assert document.href == "https://example.se/minnesanteckningar.pdf"
    assert client.get(f"/moten/{document.meeting.slug}/dokument/{document.pk}/").status_code == 404


def test_the_documentation_email_links_to_a_working_download(client, media_root, run_on_commit, settings):
    meeting = MeetingFactory(past=True)
    document = _document(meeting)
    RegistrationFactory(meeting=meeting, email="anna@example.se", attended=True)
    with run_on_commit():
        assert services.meeting_send_documentation(meeting=meeting) == 1
    link = f"{settings.SITE_URL}{document.href}"
    assert link in mail.outbox[0].body
    path = link.removeprefix(settings.SITE_URL)
    assert _body(client.get(path)) == PDF


# --- The admin -----------------------------------------------------------------------------------

ADD = "/admin/meetings/meetingdocument/add/"


def _admin_form(meeting, file):
    return {"meeting": meeting.pk, "kind": "minutes", "title": "Minnesanteckningar 8 maj", "order": 3, "file": file}


@pytest.mark.parametrize("content", [HTML, SVG])
def test_admin_refuses_code_renamed_to_pdf_and_keeps_what_was_typed(coordinator_client, media_root, content):
    meeting = MeetingFactory()
    response = coordinator_client.post(ADD, _admin_form(meeting, upload("protokoll.pdf", content)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Filen måste vara en PDF, ett kontorsdokument" in html
    assert 'value="Minnesanteckningar 8 maj"' in html
    assert re.search(r'name="order"[^>]*value="3"', html)
    assert not MeetingDocument.objects.exists()
    assert not list((media_root).rglob("*.pdf"))


def test_admin_upload_is_stored_and_linked_through_the_view(coordinator_client, media_root):
    meeting = MeetingFactory()
    response = coordinator_client.post(ADD, _admin_form(meeting, upload("protokoll.pdf", PDF)))
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    change = coordinator_client.get(f"/admin/meetings/meetingdocument/{document.pk}/change/").content.decode()
    assert f'href="{document.file_url}"' in change
    assert "/media/" not in change


def test_admin_meeting_inline_links_documents_through_the_view(coordinator_client, media_root):
    meeting = MeetingFactory()
    document = _document(meeting)
    change = coordinator_client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert f'href="{document.file_url}"' in change
    assert "/media/" not in change

"""core.files: what an upload may be (by content, not by name) and how every stored file is sent back."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import translation

from core.files import ANY_DOCUMENT, PDF_ONLY, DocumentValidator, file_response, private_storage
from tests import samples

pytestmark = pytest.mark.django_db


def _refusal(validator, name, content):
    with pytest.raises(ValidationError) as exc:
        validator(samples.upload(name, content))
    return exc.value


@pytest.mark.parametrize(
    "content",
    [samples.HTML, samples.JS, samples.SVG, samples.plain_zip(), samples.docm()],
    ids=["html", "javascript", "svg-with-script", "zip-with-html", "word-with-macros"],
)
def test_code_renamed_to_pdf_is_refused(content):
    assert _refusal(ANY_DOCUMENT, "protokoll.pdf", content).code == "format"


@pytest.mark.parametrize("name", ["sida.html", "skript.js", "bild.svg"])
def test_code_under_its_own_name_is_refused(name):
    content = {"html": samples.HTML, "js": samples.JS, "svg": samples.SVG}[name.rsplit(".", 1)[1]]
    assert _refusal(ANY_DOCUMENT, name, content).code == "format"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("beslut.pdf", samples.PDF),
        ("protokoll.docx", samples.docx()),
        ("protokoll.odt", samples.odt()),
        ("bild.png", samples.PNG),
        ("BILD.PNG", samples.PNG),
    ],
)
def test_published_formats_are_accepted(name, content):
    ANY_DOCUMENT(samples.upload(name, content))


def test_a_real_file_under_another_ending_is_refused_with_the_right_ending():
    error = _refusal(ANY_DOCUMENT, "protokoll.pdf", samples.docx())
    assert error.code == "suffix_mismatch"
    with translation.override("sv"):
        assert error.messages == [
            "Filens namn slutar på ”.pdf” men filen är ett Word-dokument. Ge den ändelsen ”.docx” och ladda upp den igen."
        ]


def test_pdf_only_refuses_an_office_file_in_swedish_and_english():
    error = _refusal(PDF_ONLY, "beslut.docx", samples.docx())
    with translation.override("sv"):
        assert error.messages[0].startswith("Filen måste vara en PDF.")
    with translation.override("en"):
        assert error.messages[0].startswith("The file must be a PDF.")


def test_files_over_the_limit_are_refused(settings):
    settings.UPLOAD_MAX_BYTES = 100
    error = _refusal(ANY_DOCUMENT, "beslut.pdf", samples.PDF + b"0" * 200)
    assert error.code == "too_large"
    with translation.override("sv"):
        assert "Filen är för stor" in error.messages[0]


def test_an_empty_file_is_refused():
    assert _refusal(ANY_DOCUMENT, "beslut.pdf", b"").code == "empty"


def test_the_validator_is_deconstructible_for_migrations():
    path, args, kwargs = DocumentValidator(kinds=("pdf", "image")).deconstruct()
    assert path == "core.files.DocumentValidator"
    assert DocumentValidator(*args, **kwargs) == DocumentValidator(kinds=("image", "pdf"))
    assert DocumentValidator(kinds=("pdf",)) != DocumentValidator(kinds=("pdf", "image"))


def test_a_stored_file_is_not_checked_again(media_root):
    """Editing a record must not fail because of (or re-download) a file that is already stored."""
    from tests.factories import MeetingDocumentFactory, MeetingFactory

    document = MeetingDocumentFactory.build(meeting=MeetingFactory(), url="")
    document.file.save("gammal.pdf", ContentFile(samples.HTML), save=True)
    document.refresh_from_db()
    ANY_DOCUMENT(document.file)


# --- file_response -------------------------------------------------------------------------------


class _Stored:
    """A stored file as a FileField hands it to a view."""

    def __init__(self, name, content, storage=default_storage):
        self.storage = storage
        self.name = storage.save(name, ContentFile(content))

    def __bool__(self):
        return True


def _body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "disposition"),
    [
        ("a.pdf", samples.PDF, "application/pdf", "inline"),
        ("a.png", samples.PNG, "image/png", "inline"),
        (
            "a.docx",
            samples.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment",
        ),
        ("a.odt", samples.odt(), "application/vnd.oasis.opendocument.text", "attachment"),
    ],
)
def test_every_file_response_is_sandboxed_and_typed_by_content(media_root, name, content, content_type, disposition):
    response = file_response(_Stored(name, content), filename="dokument")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert _body(response) == content


@pytest.mark.parametrize("content", [samples.HTML, samples.JS, samples.SVG])
def test_code_stored_before_the_checks_is_sent_as_an_opaque_attachment(media_root, content):
    """Files uploaded before uploads were checked may be HTML: they must never be rendered."""
    response = file_response(_Stored("gammal.html", content))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_download_name_gets_the_ending_of_the_content(media_root):
    response = file_response(_Stored("x.bin", samples.PDF), filename="protokoll-2026")
    assert 'filename="protokoll-2026.pdf"' in response["Content-Disposition"]


def test_a_pdf_can_be_forced_to_download(media_root):
    response = file_response(_Stored("a.pdf", samples.PDF), as_attachment=True)
    assert response["Content-Disposition"].startswith("attachment")


def test_private_files_are_not_cached_by_others(media_root):
    response = file_response(_Stored("a.pdf", samples.PDF, storage=private_storage()))
    assert response["Cache-Control"] == "private, no-store"
    assert (media_root / "private" / "a.pdf").exists()


def test_only_files_said_to_be_public_may_be_kept_by_shared_caches(media_root):
    stored = _Stored("a.pdf", samples.PDF)
    assert file_response(stored)["Cache-Control"] == "private, no-store"
    assert file_response(stored, private=False)["Cache-Control"] == "public, max-age=300"


def test_a_missing_file_is_404(media_root):
    stored = _Stored("a.pdf", samples.PDF)
    default_storage.delete(stored.name)
    with pytest.raises(Http404):
        file_response(stored)


def test_private_storage_has_no_url(media_root):
    with pytest.raises(ValueError, match="no URL"):
        private_storage().url("agreements/board-decisions/x.pdf")

"""Local stand-in for ``core/files.py`` (branch h1-files) with the same names; replaced by an
import from core once that lands on main.

``DocumentValidator`` checks an upload by its content (magic bytes), not by its name;
``file_response`` streams a stored file through the storage API with ``nosniff`` and a sandbox
CSP, inline only for PDFs and images.
"""

import mimetypes
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 20 * 1024 * 1024
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
KIND_MIMES = {
    "pdf": {"application/pdf"},
    "image": {"image/png", "image/jpeg", "image/gif", "image/webp"},
    "office": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/zip",
    },
}


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == "application/zip":
        # Office Open XML and OpenDocument files are zip archives: look inside.
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mime = archive.read("mimetype").decode("ascii", "replace").strip()
                elif "word/document.xml" in names:
                    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                elif "xl/workbook.xml" in names:
                    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                elif "ppt/presentation.xml" in names:
                    mime = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
                else:
                    mime = None
        except zipfile.BadZipFile:
            mime = None
        finally:
            upload.seek(0)
    return mime


@deconstructible
class DocumentValidator:
    def __init__(self, kinds=("pdf", "office", "image"), max_bytes=MAX_BYTES):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        if getattr(upload, "_committed", False) and not hasattr(upload, "content_type"):
            return  # an already stored file, not a new upload
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is too large (%(size)s). It may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(self.max_bytes)},
                code="too_large",
            )
        allowed = set().union(*(KIND_MIMES[k] for k in self.kinds))
        mime = _sniff(upload)
        if mime is None or mime not in allowed or mime == "application/zip":
            raise ValidationError(
                _("The file's content is not an allowed type. Upload a PDF, an office document or an image."),
                code="bad_type",
            )

    def __eq__(self, other):
        return isinstance(other, DocumentValidator) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)


def file_response(fieldfile, *, filename=None, as_attachment=None) -> FileResponse:
    name = filename or fieldfile.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if as_attachment is None:
        as_attachment = content_type not in INLINE_TYPES
    handle = fieldfile.storage.open(fieldfile.name, "rb")
    response = FileResponse(handle, as_attachment=as_attachment, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response

"""Uploaded documents in and out: what an upload may be, and how a stored file is sent back.

Every upload of the portal takes only the formats a region publishes (PDF, and where a field wants them
ODF/OOXML office files and images), recognised by their content, never by their name. Every file leaves
the portal through ``file_response``, from a view that has checked who asks: with ``nosniff`` and
``Content-Security-Policy: sandbox``, a content type chosen from what the bytes are (never ``text/html``),
inline only for PDFs and images.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from core import uploads

PRIVATE_STORAGE_ALIAS = "private"
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
SNIFF_BYTES = 262  # what filetype needs to recognise every type it knows
ZIP_MEMBER_LIMIT = 256 * 1024  # we read at most this much of a member of an office file (zip bombs)

KINDS = ("pdf", "office", "image")


@dataclass(frozen=True)
class FileType:
    kind: str  # one of KINDS
    mime: str
    suffixes: tuple[str, ...]  # the first is the canonical one
    label: str  # for messages, e.g. "a PNG image"

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    @property
    def inline(self) -> bool:
        return self.kind in ("pdf", "image")


PDF = FileType("pdf", "application/pdf", (".pdf",), _("a PDF"))
IMAGE_TYPES = {
    "image/png": FileType("image", "image/png", (".png",), _("a PNG image")),
    "image/jpeg": FileType("image", "image/jpeg", (".jpg", ".jpeg"), _("a JPEG image")),
    "image/gif": FileType("image", "image/gif", (".gif",), _("a GIF image")),
    "image/webp": FileType("image", "image/webp", (".webp",), _("a WebP image")),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": FileType(
        "office", "application/vnd.oasis.opendocument.text", (".odt",), _("an OpenDocument text")
    ),
    "application/vnd.oasis.opendocument.spreadsheet": FileType(
        "office", "application/vnd.oasis.opendocument.spreadsheet", (".ods",), _("an OpenDocument spreadsheet")
    ),
    "application/vnd.oasis.opendocument.presentation": FileType(
        "office", "application/vnd.oasis.opendocument.presentation", (".odp",), _("an OpenDocument presentation")
    ),
}
# The main part's content type in [Content_Types].xml; macro-enabled variants (docm, xlsm) are not accepted.
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": FileType(
        "office",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        _("a Word document"),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": FileType(
        "office",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        _("an Excel workbook"),
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": FileType(
        "office",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
        _("a PowerPoint presentation"),
    ),
}
OCTET_STREAM = "application/octet-stream"


def _read_zip_member(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > ZIP_MEMBER_LIMIT:
        return None
    with archive.open(info) as member:
        return member.read(ZIP_MEMBER_LIMIT)


def _detect_office(fileobj) -> FileType | None:
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        try:
            mimetype = _read_zip_member(archive, "mimetype")
            if mimetype is not None:
                return ODF_TYPES.get(mimetype.decode("ascii", "replace").strip())
            content_types = _read_zip_member(archive, "[Content_Types].xml")
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
            return None
    if content_types is None:
        return None
    text = content_types.decode("utf-8", "replace")
    found = [filetype_ for marker, filetype_ in OOXML_TYPES.items() if f'ContentType="{marker}"' in text]
    return found[0] if len(found) == 1 else None


def detect(fileobj) -> FileType | None:
    """What the content of an open, seekable file is, among the types we accept; None for anything else.

    The position is restored to the start afterwards.
    """
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            return _detect_office(fileobj)
        finally:
            fileobj.seek(0)
    guessed = filetype.guess(head)
    if guessed is not None:
        return IMAGE_TYPES.get(guessed.mime)
    return None


# One message per set of accepted kinds, so that each reads naturally in Swedish.
_FORMAT_MESSAGES = {
    frozenset({"pdf"}): _("The file must be a PDF. Save the document as a PDF and upload that file."),
    frozenset({"image"}): _("The file must be an image (PNG, JPEG, GIF or WebP)."),
    frozenset({"office"}): _(
        "The file must be an office document (OpenDocument, or Word, Excel or PowerPoint without macros)."
    ),
    frozenset({"pdf", "image"}): _("The file must be a PDF or an image (PNG, JPEG, GIF or WebP)."),
    frozenset({"pdf", "office"}): _(
        "The file must be a PDF or an office document (OpenDocument, or Word, Excel or PowerPoint without macros)."
    ),
    frozenset({"office", "image"}): _(
        "The file must be an office document (OpenDocument, or Word, Excel or PowerPoint without macros) "
        "or an image (PNG, JPEG, GIF or WebP)."
    ),
    frozenset(KINDS): _(
        "The file must be a PDF, an office document (OpenDocument, or Word, Excel or PowerPoint without macros) "
        "or an image (PNG, JPEG, GIF or WebP)."
    ),
}


def max_upload_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def _is_new_upload(value) -> bool:
    # A FieldFile already in storage was checked when it came in; re-reading it on every admin save
    # would fetch it from object storage and block edits of other fields.
    return not getattr(value, "_committed", False)


@deconstructible(path="core.files.DocumentValidator")
class DocumentValidator:
    """Accept only files whose content is one of ``kinds`` and whose name ends as that content does.

    Usable in a model FileField's ``validators`` and in a form field's. ``max_bytes`` defaults to the
    ``UPLOAD_MAX_BYTES`` setting.
    """

    def __init__(self, kinds=KINDS, max_bytes: int | None = None):
        kinds = tuple(kinds)
        unknown = set(kinds) - set(KINDS)
        if not kinds or unknown:
            raise ValueError(f"kinds must be a non-empty subset of {KINDS}, not {kinds!r}")
        self.kinds = kinds
        self.max_bytes = max_bytes

    def __eq__(self, other):
        return (
            isinstance(other, DocumentValidator)
            and set(self.kinds) == set(other.kinds)
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self):
        return hash((frozenset(self.kinds), self.max_bytes))

    @property
    def format_message(self):
        return _FORMAT_MESSAGES[frozenset(self.kinds)]

    @property
    def accept(self) -> str:
        """A value for the file input's ``accept`` attribute (a hint to the browser, not a check)."""
        types = [PDF] if "pdf" in self.kinds else []
        if "office" in self.kinds:
            types += [*ODF_TYPES.values(), *OOXML_TYPES.values()]
        if "image" in self.kinds:
            types += IMAGE_TYPES.values()
        return ",".join(dict.fromkeys([t.mime for t in types] + [s for t in types for s in t.suffixes]))

    def __call__(self, value) -> None:
        if not value or isinstance(value, str) or not _is_new_upload(value):
            return
        limit = self.max_bytes or max_upload_bytes()
        size = value.size
        if size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s). It may be at most %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
            )
        if size == 0:
            raise ValidationError(_("The file is empty. Choose the file again."), code="empty")
        fileobj = getattr(value, "file", value)
        detected = detect(fileobj)
        if detected is None or detected.kind not in self.kinds:
            raise ValidationError(self.format_message, code="format")
        suffix = PurePosixPath(value.name or "").suffix.lower()
        if suffix not in detected.suffixes:
            raise ValidationError(
                _(
                    "The file's name ends in “%(suffix)s” but the file is %(type)s. "
                    "Give it the ending “%(expected)s” and upload it again."
                ),
                code="suffix_mismatch",
                params={"suffix": suffix or "–", "type": detected.label, "expected": detected.suffix},
            )
        # The first bytes only say what the file claims to be: parse it as that (core.uploads).
        uploads.inspect(value, fileobj, kind=detected.kind, mime=detected.mime)


PDF_ONLY = DocumentValidator(kinds=("pdf",))
PDF_OR_IMAGE = DocumentValidator(kinds=("pdf", "image"))
ANY_DOCUMENT = DocumentValidator(kinds=KINDS)


# --- Storage ---------------------------------------------------------------------------------------


class PrivateFileSystemStorage(FileSystemStorage):
    """The local disk for files that are not public: ``MEDIA_ROOT/private`` unless a location is given.

    Follows changes of ``MEDIA_ROOT`` (tests). Has no URL: its files leave only through views.
    """

    subdirectory = "private"

    @cached_property
    def base_location(self):
        if self._location is not None:
            return self._location
        return os.path.join(settings.MEDIA_ROOT, self.subdirectory)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


_private_storage = _PrivateStorage()


def private_storage():
    """The storage for files that are not public (board decisions, attachments with personal data).

    For ``FileField(storage=private_storage)``: a callable, so migrations name it and the backend
    follows the ``STORAGES["private"]`` setting.
    """
    return _private_storage


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        from django.utils.functional import empty

        _private_storage._wrapped = empty


# --- Forms ---------------------------------------------------------------------------------------


class _ServedLink:
    """What the file input shows as "Currently": the file's name, linked to the view that serves it."""

    def __init__(self, fieldfile, url):
        self.fieldfile = fieldfile
        self.url = url

    def __str__(self):
        return PurePosixPath(self.fieldfile.name).name

    def __bool__(self):
        return True


class ServedFileInput(forms.ClearableFileInput):
    """A file input whose "Currently" link goes to the access-checked view, never to a storage URL.

    The model names that view's URL in a property ``<field name>_url`` (e.g. ``MeetingDocument.file_url``);
    without one, the name is shown with an empty link ("#"), never the storage URL.
    """

    @staticmethod
    def _served_url(value):
        instance = getattr(value, "instance", None)
        field = getattr(value, "field", None)
        if instance is None or field is None or instance.pk is None or not getattr(value, "_committed", False):
            return None
        return getattr(instance, f"{field.name}_url", None)

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None) and getattr(value, "_committed", False))

    def format_value(self, value):
        if not self.is_initial(value):
            return None
        url = self._served_url(value)
        return _ServedLink(value, url or "#")


# For ModelAdmin/InlineModelAdmin.formfield_overrides: every FileField links to its serving view.
ADMIN_FILE_OVERRIDES = {models.FileField: {"widget": ServedFileInput}}


# --- Responses -------------------------------------------------------------------------------------


def _filename(filename: str | None, stored_name: str, detected: FileType | None) -> str:
    name = filename or PurePosixPath(stored_name).name
    if detected is None:
        return name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in detected.suffixes:
        return name
    stem = name[: -len(suffix)] if suffix and len(suffix) <= 6 else name
    return stem + detected.suffix


def file_response(fieldfile, *, filename=None, as_attachment=None, private=None) -> FileResponse:
    """Stream a stored file (through the storage API) with headers that keep it from running as code.

    - Content type from the content: PDF, image or office type; anything else ``application/octet-stream``.
    - Inline only for PDFs and images; everything else is an attachment, whatever ``as_attachment`` says.
    - ``X-Content-Type-Options: nosniff`` and ``Content-Security-Policy: sandbox`` always.
    - ``Cache-Control: private, no-store`` unless the caller says the file is public (``private=False``:
      anyone may fetch it, so shared caches may keep it for five minutes).

    Raises Http404 when there is no file or it is missing from storage.
    """
    if not fieldfile or not fieldfile.name:
        raise Http404
    try:
        handle = fieldfile.storage.open(fieldfile.name, "rb")
        detected = detect(handle)
    except (FileNotFoundError, IsADirectoryError):
        raise Http404 from None
    inline = detected is not None and detected.inline and not as_attachment
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=_filename(filename, fieldfile.name, detected),
        content_type=detected.mime if detected else OCTET_STREAM,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "public, max-age=300" if private is False else "private, no-store"
    return response

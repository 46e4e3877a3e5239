"""The check-in QR codes are read back by a real decoder (zbar), as the door's phone would read them: the
SVG of the confirmation page (rendered to PNG by librsvg) and the e-mail's table of cells (its matrix drawn
as pixels). CI installs both tools (.ci/run); a machine without them skips this file."""

import io
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.models.registrations import CHECKIN_ALPHABET, CHECKIN_CODE_LENGTH
from meetings.qr import _matrix, qr_svg

pytestmark = pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("rsvg-convert")), reason="needs zbar-tools and librsvg2-bin"
)

CODES = st.text(alphabet=CHECKIN_ALPHABET, min_size=CHECKIN_CODE_LENGTH, max_size=CHECKIN_CODE_LENGTH)


def _decode(png: bytes) -> str:
    out = subprocess.run(["zbarimg", "-q", "--raw", "-"], input=png, capture_output=True, check=True)
    return out.stdout.decode().strip()


@settings(max_examples=5, deadline=None)
@given(code=CODES)
def test_the_pages_svg_reads_back_as_the_code(code):
    svg = str(qr_svg(code, label="Incheckningskod"))
    png = subprocess.run(
        ["rsvg-convert", "-w", "300", "-b", "white"], input=svg.encode(), capture_output=True, check=True
    ).stdout
    assert _decode(png) == code


@settings(max_examples=5, deadline=None)
@given(code=CODES)
def test_the_emails_cells_read_back_as_the_code(code):
    from PIL import Image

    matrix, module, quiet = _matrix(code), 8, 4
    side = (len(matrix) + 2 * quiet) * module
    image = Image.new("L", (side, side), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                left, top = (x + quiet) * module, (y + quiet) * module
                image.paste(0, (left, top, left + module, top + module))
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert _decode(out.getvalue()) == code

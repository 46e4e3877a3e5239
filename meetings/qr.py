"""The check-in QR code of a registration: SVG for the web page, an HTML table for the e-mail.

Mail clients show neither SVG nor ``data:`` images reliably (Gmail and Outlook drop both) and block
remote images until the reader allows them; a table of coloured cells is drawn by every client that
shows HTML, as it comes, with nothing to load. The code itself is also written out in text beside it,
for the plain-text part and for typing at the door.
"""

import io

import qrcode
import qrcode.image.svg
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

MODULE_PX = 5  # one QR module in the e-mail table: 21–25 modules + the quiet zone ≈ 155 px


_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _qr(text: str, *, border: int) -> qrcode.QRCode:
    """A check-in code (up to 20 capitals and digits) fits the smallest symbol, version 1 (21×21); with its
    mask fixed (any of the eight is valid) it is built in under a millisecond instead of about ten, which
    the search for the best mask costs: it is made on every sign-up. Anything longer is fitted as usual."""
    small = len(text) <= 20 and set(text) <= _ALPHANUMERIC
    qr = qrcode.QRCode(
        version=1 if small else None,
        mask_pattern=0 if small else None,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=border,
    )
    qr.add_data(text)
    qr.make(fit=not small)
    return qr


def _matrix(text: str) -> list[list[bool]]:
    return _qr(text, border=0).get_matrix()


def qr_svg(text: str, *, label: str) -> SafeString:
    """An inline SVG of ``text`` (paths, no external references), named for assistive technology."""
    image = _qr(text, border=4).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    svg = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" class="qr" ', label), 1)
    return mark_safe(svg)  # noqa: S308 - made here from the qrcode package's output and an escaped label


def qr_email_html(text: str, *, label: str) -> SafeString:
    """The QR code of ``text`` as a table of cells (runs of one colour merged), for e-mail."""
    rows = []
    for row in _matrix(text):
        cells, run, colour = [], 0, None
        for dark in [*row, None]:
            if dark is colour:
                run += 1
                continue
            if colour is not None:
                background = "#000000" if colour else "#ffffff"
                span = f' colspan="{run}"' if run > 1 else ""
                cells.append(
                    f'<td{span} width="{run * MODULE_PX}" height="{MODULE_PX}" bgcolor="{background}"'
                    f' style="background:{background};font-size:0;line-height:0"></td>'
                )
            colour, run = dark, 1
        rows.append("<tr>" + "".join(cells) + "</tr>")
    size = len(rows) * MODULE_PX
    # The quiet zone (four modules of white) is the outer cell's padding.
    table = (
        f'<table role="img" aria-label="{escape(label)}" cellpadding="0" cellspacing="0" border="0"'
        f' bgcolor="#ffffff" style="background:#ffffff"><tr><td style="padding:{4 * MODULE_PX}px">'
        f'<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="{size}"'
        f' style="border-collapse:collapse;table-layout:fixed;width:{size}px">' + "".join(rows) + "</table>"
        "</td></tr></table>"
    )
    return mark_safe(table)  # noqa: S308 - cells made here, the label escaped

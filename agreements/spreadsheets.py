"""Reading the rows of an uploaded spreadsheet (CSV or XLSX) for the signatory import."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def spreadsheet_rows(upload) -> list[tuple]:
    """All rows after the header, as tuples of cell values."""
    name = upload.name.lower()
    upload.seek(0)
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception:
            raise ValidationError(_("The file could not be read as an XLSX spreadsheet."), code="unreadable") from None
        rows = [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
        workbook.close()
        return rows[1:]
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text), dialect)][1:]
    except csv.Error:  # a cell past the reader's limit (131,072 characters), a stray quote in strict mode
        raise ValidationError(_("The file could not be read as a CSV spreadsheet."), code="unreadable") from None

"""The open data downloads of an agreement's public signatory list: CSV, CSV for Swedish Excel, XLSX and JSON.

Every download is made from the API's definition of a public signatory (``agreements.api_downloads``:
``SignatoryRowSerializer``'s columns, ``SignatoryDownloadSerializer`` for the JSON document), so a
column added there reaches every format and nothing personal ever does. Cells go through
``core.spreadsheets`` (formulas neutralised). The views cache the bytes (``agreements.views``).
"""

import datetime as dt

from django.utils.translation import gettext as _

from core.spreadsheets import csv_content, json_content, xlsx_content


def _rows(signatories):
    from .api_downloads import download_rows

    return download_rows(signatories)


def _header() -> list[str]:
    from .api_downloads import download_header

    return download_header()


def signatories_csv(signatories) -> bytes:
    """The documented open data format: UTF-8 with a BOM, comma-separated."""
    return csv_content(_rows(signatories), _header(), delimiter=",")


def signatories_excel_csv(signatories) -> bytes:
    """For Swedish Excel: semicolon-separated with a BOM, so that a double-click opens it in columns
    with å, ä and ö intact."""
    return csv_content(_rows(signatories), _header())


def _xlsx_rows(rows):
    """The rows with the date signed (the last column, ISO text in the open data) as a date, so the
    workbook has a real date cell that sorts and filters."""
    for row in rows:
        *rest, signed = row
        yield [*rest, dt.date.fromisoformat(signed) if signed else ""]


def signatories_xlsx(signatories) -> bytes:
    return xlsx_content(_xlsx_rows(_rows(signatories)), _header(), title=_("Signatories"))


def signatories_json(*, agreement, signatories) -> bytes:
    """The agreement, the number of rows and the rows, as ``SignatoryDownloadSerializer`` gives them.

    Built without the request: the document is cached for every visitor, so its links are on the
    region's own primary host (``core.links``), never the Host of whoever built it.
    """
    from .api_downloads import SignatoryDownloadSerializer

    data = SignatoryDownloadSerializer({"agreement": agreement, "signatories": signatories}, context={}).data
    return json_content(data)


def growth_header() -> list[str]:
    return [_("Year"), _("Signed during the year"), _("Withdrawn during the year"), _("Signatories at year end")]


def growth_csv(points) -> bytes:
    """The growth table (``selectors.signatory_growth``) as CSV for Swedish Excel."""
    return csv_content(([p.year, p.added, p.withdrawn, p.count] for p in points), growth_header())

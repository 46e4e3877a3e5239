"""The open data downloads of an agreement's public signatory list: CSV, CSV for Swedish Excel, XLSX and JSON.

Every download is made from the API's definition of a public signatory (``agreements.api``:
``SignatoryRowSerializer``'s columns, ``SignatoryDownloadSerializer`` for the JSON document), so a
column added there reaches every format and nothing personal ever does. Cells go through
``core.spreadsheets`` (formulas neutralised). The views cache the bytes (``agreements.views``).
"""

from django.utils.translation import gettext as _

from core.spreadsheets import csv_content, json_content, xlsx_content


def _rows(signatories):
    from .api import download_rows

    return download_rows(signatories)


def _header() -> list[str]:
    from .api import download_header

    return download_header()


def signatories_csv(signatories) -> bytes:
    """The documented open data format: UTF-8 with a BOM, comma-separated."""
    return csv_content(_rows(signatories), _header(), delimiter=",")


def signatories_excel_csv(signatories) -> bytes:
    """For Swedish Excel: semicolon-separated with a BOM, so that a double-click opens it in columns
    with å, ä and ö intact."""
    return csv_content(_rows(signatories), _header())


def signatories_xlsx(signatories) -> bytes:
    return xlsx_content(_rows(signatories), _header(), title=_("Signatories"))


def signatories_json(*, agreement, signatories, request) -> bytes:
    """The agreement, the number of rows and the rows, as ``SignatoryDownloadSerializer`` gives them."""
    from .api import SignatoryDownloadSerializer

    data = SignatoryDownloadSerializer(
        {"agreement": agreement, "signatories": signatories}, context={"request": request}
    ).data
    return json_content(data)

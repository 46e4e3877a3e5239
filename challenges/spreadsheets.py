"""Local stand-in for ``core/spreadsheets.py`` (branch h3-cache-export) with the same names:
``safe_cell`` and ``SafeResource`` neutralise formulas and drop control characters in exports.
Replaced by an import from core once that lands on main."""

import re

from import_export import resources

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell value a spreadsheet program will not run as a formula and that never breaks the file."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value


class SafeResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))

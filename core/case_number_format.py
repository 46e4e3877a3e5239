"""The format of a region's case numbers (diarienummer), without the models: ``core.models`` validates a
region's format with it, and ``core.case_numbers`` (the field, the counter) builds on it."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 60
_PLACEHOLDER = re.compile(r"\{(year|number)(?::([1-9]))?\}")


# The format --------------------------------------------------------------------------------------------


def format_errors(fmt: str) -> list[str]:
    """What is wrong with a region's format (empty when it can be used)."""
    if not fmt:
        return []
    errors = []
    found = [match.group(1) for match in _PLACEHOLDER.finditer(fmt)]
    if found.count("number") != 1:
        errors.append(gettext("The format needs {number} exactly once."))
    if found.count("year") > 1:
        errors.append(gettext("The format may have {year} once at most."))
    if "{" in _PLACEHOLDER.sub("", fmt) or "}" in _PLACEHOLDER.sub("", fmt):
        errors.append(gettext("Only {year}, {number} and {number:5} (five digits) may stand in braces."))
    return errors


def validate_case_number_format(fmt: str) -> None:
    errors = format_errors(fmt)
    if errors:
        raise ValidationError(errors)


def case_number_regex(fmt: str) -> re.Pattern:
    """The pattern a case number in ``fmt`` matches: the text as written, the year as four digits, the
    number as digits (at least as many as the padding asks)."""
    parts, position = [], 0
    for match in _PLACEHOLDER.finditer(fmt):
        parts.append(re.escape(fmt[position : match.start()]))
        if match.group(1) == "year":
            parts.append(r"(?P<year>\d{4})")
        else:
            parts.append(rf"(?P<number>\d{{{match.group(2) or 1},}})")
        position = match.end()
    parts.append(re.escape(fmt[position:]))
    return re.compile("".join(parts))


def format_case_number(fmt: str, *, year: int, number: int) -> str:
    def fill(match):
        if match.group(1) == "year":
            return f"{year:04d}"
        return str(number).zfill(int(match.group(2) or 1))

    return _PLACEHOLDER.sub(fill, fmt)


def normalise_case_number(value: str) -> str:
    """Spaces as typed or pasted (a non-breaking one, two in a row) become one; none at either end."""
    return " ".join((value or "").split())


def validate_case_number(value: str, *, region) -> None:
    """Raise a ``ValidationError`` in the reader's language when ``value`` does not follow the region's format."""
    fmt = getattr(region, "case_number_format", "") if region is not None else ""
    if not value or not fmt or format_errors(fmt):
        return
    if case_number_regex(fmt).fullmatch(value) is None:
        example = format_case_number(fmt, year=timezone.localdate().year, number=123)
        raise ValidationError(
            _(
                "“%(value)s” does not follow the region's format for case numbers, %(format)s (for example %(example)s)."
            ),
            code="case_number_format",
            params={"value": value, "format": fmt, "example": example},
        )

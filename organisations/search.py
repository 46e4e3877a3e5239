"""Accent- and case-insensitive name search, and organisation numbers in any spelling.

"roda" finds "Röda Korset" and "RÖDA" finds "röda": both sides are folded the same way before
``LIKE '%…%'``. On PostgreSQL the folding is ``immutable_unaccent(lower(name))`` (the ``unaccent``
extension wrapped in an IMMUTABLE function so that a trigram GIN index can serve it, migration
0005); on SQLite it is a Python function of the same name registered on every connection
(SQLite's own ``lower()`` and ``LIKE`` fold ASCII only). Python folds the search term with the same rule.
"""

import unicodedata

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.db.models.functions import Lower

from .validators import DIGITS

FUNCTION = "immutable_unaccent"


def fold(value: str) -> str:
    """Lower case without accents: "Röda Korsets Ungdomsförbund" → "roda korsets ungdomsforbund"."""
    decomposed = unicodedata.normalize("NFKD", (value or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Folded(models.Func):
    """``immutable_unaccent(lower(expression))``: the indexed expression of migration 0005."""

    function = FUNCTION
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(Lower(expression), **extra)


def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        # Lower() runs SQLite's ASCII-only lower() first; fold() lowers the rest (Å, Ä, Ö, É).
        connection.connection.create_function(FUNCTION, 1, lambda v: None if v is None else fold(v), deterministic=True)


def connect() -> None:
    connection_created.connect(_register_sqlite_function, dispatch_uid="organisations.search.sqlite_unaccent")


def orgnr_candidate(value: str) -> str:
    """The stored spelling (NNNNNN-NNNN) of what looks like an organisation number typed any way
    ("8020024280", "802002 4280", "16802002-4280", with an en dash), or "" when it does not look like one."""
    raw = (value or "").strip()
    digits = "".join(ch for ch in raw if ch in DIGITS)
    if not digits or len(digits) < len(raw.replace(" ", "")) - 3:
        return ""  # mostly letters: a name, not a number
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) != 10:
        return ""
    return f"{digits[:6]}-{digits[6:]}"


def name_or_number_query(value: str, *, name_field: str = "name", number_field: str = "organisation_number") -> Q:
    """A Q for the organisations whose name contains the term (accents and case ignored) or whose
    organisation number is the term in any spelling. Use with ``.alias(**folded_alias(...))``."""
    term = fold(value.strip())
    query = Q(**{f"{_alias(name_field)}__contains": term})
    number = orgnr_candidate(value)
    if number:
        query |= Q(**{number_field: number})
    return query


def _alias(name_field: str) -> str:
    return "_folded_" + name_field.replace("__", "_")


def search_organisations(queryset, value: str, *, name_field: str = "name", number_field: str = "organisation_number"):
    """The queryset filtered by :func:`name_or_number_query`."""
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.alias(**{_alias(name_field): Folded(name_field)}).filter(
        name_or_number_query(value, name_field=name_field, number_field=number_field)
    )

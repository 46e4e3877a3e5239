"""Accent- and case-folding for the search, the same rule in Python and in the database.

In the database the folding is ``immutable_unaccent(lower(field))``: on PostgreSQL the ``unaccent``
extension wrapped in an IMMUTABLE function (migration core 0005, as the organisations' directory uses it);
on SQLite a Python function of that name registered on every connection (SQLite's own ``lower()`` folds
ASCII only).
"""

import re
import unicodedata

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.functions import Lower

FUNCTION = "immutable_unaccent"
# A word: letters and digits only, so nothing a visitor types can change a full-text query's syntax.
WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
MAX_WORD_LENGTH = 40


def fold(value: str) -> str:
    """Lower case without accents: "Röda Korsets Ungdomsförbund" → "roda korsets ungdomsforbund"."""
    # Decomposed before and after lowering: "ℌ" decomposes to "H", "İ" lowers to "i" and a combining dot.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", value or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(value: str) -> tuple[str, ...]:
    """The folded words of a query, at most MAX_WORDS, each cut to MAX_WORD_LENGTH, without repeats."""
    found: list[str] = []
    for word in WORD.findall(fold(value)):
        word = word[:MAX_WORD_LENGTH]
        if word not in found:
            found.append(word)
    return tuple(found[:MAX_WORDS])


class Folded(models.Func):
    """``immutable_unaccent(lower(expression))``."""

    function = FUNCTION
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(Lower(expression), **extra)


def _register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, lambda v: None if v is None else fold(v), deterministic=True)


def connect() -> None:
    connection_created.connect(_register_sqlite_function, dispatch_uid="core.search.sqlite_unaccent")

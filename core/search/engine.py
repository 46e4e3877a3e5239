"""Matching, filtering and ranking one kind's objects, and the grouped results of a search.

Each kind costs a fixed number of queries whatever it finds: its count (only when it finds more than it
shows), its page of hits, and one prefetch each for its areas and municipalities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import get_language

from core.registry import Searchable, portal

from .folding import Folded

# Matched titles (the fields of weight A) this similar to the query count as found: a typo or two.
TYPO_SIMILARITY = 0.5
# The SQLite ranking: what a word found in a field of each weight adds (PostgreSQL's ts_rank defaults).
WEIGHT_VALUES = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
CONFIGS = ("swedish", "english")


@dataclass(frozen=True)
class Query:
    """What a visitor asked, checked by ``forms.SearchForm``: folded words and the filters."""

    text: str
    words: tuple[str, ...]
    kind: str = ""
    area: models.Model | None = None
    municipality: models.Model | None = None
    when: str = ""  # "upcoming", "past" or ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def has_time_filter(self) -> bool:
        return bool(self.when or self.date_from or self.date_to)


@dataclass
class Hit:
    """One result as the page shows it, in the reader's language where the object has it."""

    title: str
    title_lang: str
    summary: str
    summary_lang: str
    url: str
    date: date | datetime | None
    areas: list[str]
    municipalities: list[str]


@dataclass
class Group:
    """One kind's results: its hits (a preview, or a page), how many it found, its best rank."""

    searchable: Searchable
    hits: list[Hit]
    count: int
    best: float = 0.0
    page: object = None  # the Paginator page when one kind is asked for
    extra: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.searchable.kind

    @property
    def label(self):
        return self.searchable.label


def columns(searchable: Searchable) -> list[tuple[str, str]]:
    """The searched fields with their weights, each followed by its English version where the model has one."""
    names = {f.name for f in searchable.model_class()._meta.get_fields()}
    found = []
    for name, weight in searchable.fields:
        found.append((name, weight))
        if f"{name}_en" in names:
            found.append((f"{name}_en", weight))
    return found


def _postgres_match(queryset, searchable: Searchable, query: Query):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity

    cols = columns(searchable)
    raw = " & ".join(f"{word}:*" for word in query.words)
    aliases, matched, rank = {}, Q(), None
    for config in CONFIGS:
        vector = None
        for name, weight in cols:
            part = SearchVector(Folded(name), config=config, weight=weight)
            vector = part if vector is None else vector + part
        search = SearchQuery(raw, config=config, search_type="raw")
        aliases[f"_search_{config}"] = vector
        matched |= Q(**{f"_search_{config}": search})
        part_rank = SearchRank(F(f"_search_{config}"), search)
        rank = part_rank if rank is None else rank + part_rank
    phrase = " ".join(query.words)
    titles = [TrigramWordSimilarity(Value(phrase), Folded(name)) for name, weight in cols if weight == "A"]
    if titles:
        aliases["_search_similar"] = titles[0] if len(titles) == 1 else Greatest(*titles)
        matched |= Q(_search_similar__gte=TYPO_SIMILARITY)
        rank = rank + F("_search_similar")
    return queryset.alias(**aliases).filter(matched), rank


def _sqlite_match(queryset, searchable: Searchable, query: Query):
    cols = columns(searchable)
    aliases = {f"_folded_{name}": Folded(name) for name, _weight in cols}
    matched, parts = Q(), []
    for word in query.words:
        any_field = Q()
        for name, weight in cols:
            found = Q(**{f"_folded_{name}__contains": word})
            any_field |= found
            parts.append(Case(When(found, then=Value(WEIGHT_VALUES[weight])), default=Value(0.0)))
        matched &= any_field
    rank = parts[0]
    for part in parts[1:]:
        rank = rank + part
    return queryset.alias(**aliases).filter(matched), rank


def _is_datetime(searchable: Searchable, name: str) -> bool:
    return isinstance(searchable.model_class()._meta.get_field(name), models.DateTimeField)


def _time_filtered(queryset, searchable: Searchable, query: Query, now: datetime):
    """Upcoming (or ongoing: not yet over at ``ends``) or past, and the dates of ``date`` in the range."""
    name, over = searchable.date, searchable.ends or searchable.date
    moment = now if _is_datetime(searchable, over) else timezone.localdate(now)
    if query.when == "upcoming":
        queryset = queryset.filter(**{f"{over}__gte": moment})
    elif query.when == "past":
        queryset = queryset.filter(**{f"{over}__lt": moment})
    day = f"{name}__date" if _is_datetime(searchable, name) else name
    if query.date_from:
        queryset = queryset.filter(**{f"{day}__gte": query.date_from})
    if query.date_to:
        queryset = queryset.filter(**{f"{day}__lte": query.date_to})
    return queryset


def kind_queryset(searchable: Searchable, query: Query, *, now: datetime):
    """The kind's visible objects that match ``query``, best first, with ``search_rank``; None when a
    filter the kind cannot meet was chosen (an area for a kind without areas, a time for one without dates)."""
    if (query.area is not None and not searchable.areas) or (
        query.municipality is not None and not searchable.municipalities
    ):
        return None
    if query.has_time_filter and not searchable.date:
        return None
    queryset = searchable.queryset()
    if query.area is not None:
        queryset = queryset.filter(**{searchable.areas: query.area})
    if query.municipality is not None:
        queryset = queryset.filter(**{searchable.municipalities: query.municipality})
    if query.has_time_filter:
        queryset = _time_filtered(queryset, searchable, query, now)
    match = _postgres_match if connection.vendor == "postgresql" else _sqlite_match
    queryset, rank = match(queryset, searchable, query)
    return queryset.annotate(search_rank=rank).order_by("-search_rank", "-pk")


def with_related(queryset, searchable: Searchable):
    """The prefetches a hit shows (areas, municipalities): one query each, whatever the number of hits."""
    related = [path for path in (searchable.areas, searchable.municipalities) if path]
    return queryset.prefetch_related(*related) if related else queryset


def _in_language(obj, name: str, english: bool) -> tuple[str, str]:
    """The field's text in the reader's language, and the language it is in ("" when it is the page's)."""
    if not name:
        return "", ""
    if english:
        translated = getattr(obj, f"{name}_en", "") or ""
        if translated.strip():
            return translated, ""
        return getattr(obj, name, "") or "", "sv"
    return getattr(obj, name, "") or "", ""


def _names(obj, path: str) -> list[str]:
    if not path:
        return []
    value = obj
    for step in path.split("__"):
        value = getattr(value, step, None)
        if value is None:
            return []
    if isinstance(value, models.Model):
        return [str(value)]
    return [str(item) for item in value.all()]


def hit(obj, searchable: Searchable) -> Hit:
    english = (get_language() or "sv").startswith("en")
    title, title_lang = _in_language(obj, searchable.title, english)
    summary, summary_lang = _in_language(obj, searchable.summary, english)
    return Hit(
        title=title,
        title_lang=title_lang,
        summary=summary,
        summary_lang=summary_lang,
        url=obj.get_absolute_url(),
        date=getattr(obj, searchable.date, None) if searchable.date else None,
        areas=_names(obj, searchable.areas),
        municipalities=_names(obj, searchable.municipalities),
    )


def searchables_for(query: Query) -> list[Searchable]:
    every = portal.searchables()
    return [s for s in every if s.kind == query.kind] if query.kind else every

"""The results of a search: one group per kind that found something, the best-ranked group first.

Without a kind chosen each group shows its PREVIEW best hits and how many it found (the page links to
the rest); with one chosen, its hits are paged PAGE_SIZE at a time.
"""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator
from django.utils import timezone

from .engine import Group, Query, hit, kind_queryset, searchables_for, with_related

PREVIEW = 5
PAGE_SIZE = 20


def search(query: Query, *, page_number=None, now: datetime | None = None) -> list[Group]:
    """Every kind's hits for ``query`` (the region in force), grouped, the group with the best hit first."""
    now = now or timezone.now()
    groups = []
    for searchable in searchables_for(query):
        queryset = kind_queryset(searchable, query, now=now)
        if queryset is None:
            continue
        if query.kind:
            page = Paginator(with_related(queryset, searchable), PAGE_SIZE).get_page(page_number)
            rows = list(page.object_list)
            group = Group(searchable, [hit(row, searchable) for row in rows], page.paginator.count, page=page)
        else:
            rows = list(with_related(queryset[: PREVIEW + 1], searchable))
            count = len(rows) if len(rows) <= PREVIEW else queryset.count()
            rows = rows[:PREVIEW]
            group = Group(searchable, [hit(row, searchable) for row in rows], count)
        if rows:
            group.best = float(rows[0].search_rank or 0)
            groups.append(group)
    # Stable: kinds that rank alike keep the registry's order.
    return sorted(groups, key=lambda group: -group.best)

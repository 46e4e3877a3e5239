"""Version for the cached public organisation pages (directory, detail pages, the home count and
the directory's filter options). Every write that changes what the public sees moves the version
on after commit, so a cached page is never served stale for long; the timeout is the backstop.

The writes are caught by signal receivers (``organisations/signals.py``) on the models shown
publicly, so services, admin edits, imports and merges all bump without remembering to.
"""

import hashlib
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "organisations:pages:version"
PAGE_TIMEOUT = 300  # seconds


def version() -> str:
    found = cache.get(VERSION_KEY)
    if found is None:
        cache.add(VERSION_KEY, uuid4().hex[:12], None)
        found = cache.get(VERSION_KEY, "0")
    return str(found)


def directory_key(*, language: str, query: dict) -> str:
    """Key of one directory page: the whole query string (search, filters, page), hashed."""
    items = sorted((name, value) for name, values in query.items() for value in values)
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
    return f"organisations:directory:{language}:{version()}:{digest}"


def detail_key(*, slug: str, language: str) -> str:
    return f"organisations:detail:{slug}:{language}:{version()}"


def count_key() -> str:
    return f"organisations:count:{version()}"


def options_key(name: str) -> str:
    return f"organisations:options:{name}:{version()}"


def _bump() -> None:
    cache.set(VERSION_KEY, uuid4().hex[:12], None)


def pages_changed() -> None:
    """Something shown publicly changed: every cached organisation page, count and option list.

    Bumped at once (the writing request and anything after it misses the old pages) and again on
    commit (a page another request cached from the old rows before the commit is dropped too)."""
    _bump()
    transaction.on_commit(_bump, robust=True)

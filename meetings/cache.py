"""Versions for the cached public meeting pages. Every write that changes what the public sees
moves a version on (after commit), so a cached page is never served stale for long; the timeouts
are the backstop for what time alone changes (a meeting moving from upcoming to the archive).

Two kinds of change: content (a meeting, its programme or documents: every page and the feed)
and registrations (the counts: the list, and the page of that one meeting; never the feed).
"""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

CONTENT_KEY = "meetings:pages:content"
REGISTRATIONS_KEY = "meetings:pages:registrations"
PAGE_TIMEOUT = 60  # seconds
FEED_TIMEOUT = 300


def _meeting_key(slug: str) -> str:
    return f"meetings:pages:meeting:{slug}"


def _versions(*keys: str) -> str:
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid4().hex[:12], None)
        found.update(cache.get_many(missing))
    return ":".join(str(found.get(key, "0")) for key in keys)


def list_version() -> str:
    return _versions(CONTENT_KEY, REGISTRATIONS_KEY)


def detail_version(slug: str) -> str:
    return _versions(CONTENT_KEY, _meeting_key(slug))


def feed_version() -> str:
    return _versions(CONTENT_KEY)


def _bump(*keys: str) -> None:
    transaction.on_commit(lambda: cache.set_many({key: uuid4().hex[:12] for key in keys}, None), robust=True)


def pages_changed() -> None:
    """A meeting, its programme or documents changed: every page and the feed."""
    _bump(CONTENT_KEY)


def registrations_changed(slug: str) -> None:
    """Places taken changed: the list and that meeting's page."""
    _bump(REGISTRATIONS_KEY, _meeting_key(slug))

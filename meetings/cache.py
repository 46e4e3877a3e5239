"""A version for the cached public meeting pages: every write that changes what the public sees
moves it on (after commit), so cached fragments are never served stale for long. The timeout
is the backstop for what time alone changes (a meeting moving from upcoming to the archive)."""

from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "meetings:pages:version"
PAGE_TIMEOUT = 60  # seconds
FEED_TIMEOUT = 300


def pages_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "0"
    return version


def pages_changed() -> None:
    """Call from every write that changes a public page; takes effect when the transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid4().hex, None), robust=True)

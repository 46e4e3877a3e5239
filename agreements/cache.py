"""Version for the cached public agreement pages and downloads (same pattern as meetings/cache.py).

One version covers everything the public sees of the agreements: the list, each agreement's page,
the signatory lists (per query string), their CSV/JSON (per filters), the growth chart, the filter
options and the home page count. Every write that changes any of it moves the version on, so a
coordinator's edit shows at once; the timeout is the backstop for what time alone changes (an
agreement coming into force on its date) and for edits made outside the ORM's signals.

The version is moved twice: at once (so a request later in the same transaction, or a test, never
sees the old page) and again after commit (so a page another request rendered from the old data
while the transaction was open is not kept under the new version).
"""

from hashlib import sha256
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "agreements:pages:version"
PAGE_TIMEOUT = 60  # seconds
DOWNLOAD_TIMEOUT = 300


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid4().hex[:12], None)
        current = cache.get(VERSION_KEY, "0")
    return str(current)


def key(*parts) -> str:
    """A cache key for `parts` under the current version; long or free-text parts are hashed."""
    digest = sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"agreements:{version()}:{digest}"


def _bump() -> None:
    cache.set(VERSION_KEY, uuid4().hex[:12], None)


def pages_changed() -> None:
    """Something the public sees of the agreements changed: every cached page and download."""
    _bump()
    transaction.on_commit(_bump, robust=True)

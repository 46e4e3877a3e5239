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

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 60  # seconds
DOWNLOAD_TIMEOUT = 300

_pages = VersionedCache("agreements")
VERSION_KEY = _pages.version_key
version = _pages.version
key = _pages.key


def pages_changed() -> None:
    """Something the public sees of the agreements changed: every cached page and download."""
    _pages.bump()

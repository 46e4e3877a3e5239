"""Version for the cached public consultation pages (same pattern as agreements/cache.py).

One version covers the list, each consultation's page, its public answers, the compilation and the
downloads. Services bump it on every write; model signals bump it for admin edits. The deadline,
which time alone passes, is part of the keys (the page's phase), so no page outlives it.
"""

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 60  # seconds
DOWNLOAD_TIMEOUT = 300

_pages = VersionedCache("consultations")
version = _pages.version
key = _pages.key


def pages_changed() -> None:
    """Something the public sees of the consultations changed."""
    _pages.bump()

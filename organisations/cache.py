"""Version for the cached public organisation pages (directory, detail pages, the home count and
the directory's filter options). Every write that changes what the public sees moves the version
on after commit, so a cached page is never served stale for long; the timeout is the backstop.

The writes are caught by signal receivers (``organisations/signals.py``) on the models shown
publicly, so services, admin edits, imports and merges all bump without remembering to.
"""

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 300  # seconds

_pages = VersionedCache("organisations")
VERSION_KEY = _pages.version_key
version = _pages.version


def directory_key(*, language: str, query: dict) -> str:
    """Key of one directory page: the whole query string (search, filters, page), hashed."""
    items = sorted((name, value) for name, values in query.items() for value in values)
    return _pages.key("directory", language, repr(items))


def detail_key(*, slug: str, language: str) -> str:
    return _pages.key("detail", slug, language)


def count_key() -> str:
    return _pages.key("count")


def options_key(name: str) -> str:
    return _pages.key("options", name)


def pages_changed() -> None:
    """Something shown publicly changed: every cached organisation page, count and option list."""
    _pages.bump()

"""The cached public pages of grants and partnerships: one ``core.pagecache.VersionedCache``.

The slots on the challenge and organisation pages name ``caches=["partnerships"]``, so those pages follow
this version; the services bump it on commit and ``register_invalidation`` (``apps.py``) on admin edits.
"""

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 60  # seconds

pages = VersionedCache("partnerships", timeout=PAGE_TIMEOUT)


def pages_changed() -> None:
    """Something the public sees of the grants or partnerships changed."""
    pages.bump()

"""The cached public consultation pages and downloads: one ``core.pagecache.VersionedCache``.

One version covers the list, each consultation's page, its public answers, the printable compilation,
the downloads and the home page section. The services and ``register_invalidation`` (admin edits,
the shell; see ``apps.py``) move it on commit. The deadline, which time alone passes, is the
``valid_until`` of the whole pages and part of the body's key (the page's phase), so no page outlives it.
"""

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 60  # seconds
DOWNLOAD_TIMEOUT = 300

pages = VersionedCache("consultations", timeout=PAGE_TIMEOUT)


def pages_changed() -> None:
    """Something the public sees of the consultations changed."""
    pages.bump()

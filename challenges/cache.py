"""The cached public challenge pages (the list, each challenge, the home section): one
``core.pagecache.VersionedCache``.

A change to a challenge also shows on the meeting pages (the challenges a meeting addresses) and on
the organisation pages (an organisation's challenges): those parts are the challenges' slots on
their pages (``challenges/portal.py``), which name ``caches=["challenges"]``, so the meetings' and
organisations' page caches follow this version; nothing here flushes another app's cache. The list
and each public challenge are cached whole for anonymous visitors (``cached_page``); a logged-in
visitor gets the body from the cache and their own participation panel.
"""

from core.pagecache import VersionedCache
from core.registry import portal

PAGE_TIMEOUT = 60  # seconds

# The list and detail pages show linked meetings' places left: they follow the meetings'
# registrations version, which every sign-up moves on; and the caches other apps' parts of the
# challenge page name (``portal.slot("challenges:detail", ...)``: partnerships and grants).
pages = VersionedCache(
    "challenges",
    timeout=PAGE_TIMEOUT,
    follows=lambda: ["meetings:registrations", *portal.slot_caches("challenges")],
)

LIST_PARAMS = ("q", "status", "area", "municipality", "raised_by", "page")


def pages_changed() -> None:
    """Something the public sees of the challenges changed: our pages, and the slots on the meeting
    and organisation pages, whose caches follow this version."""
    pages.bump()

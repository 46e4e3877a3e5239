"""The cached public challenge pages (the list, each challenge, the home section): one
``core.pagecache.VersionedCache``.

A change to a challenge also shows on the meeting pages (the challenges a meeting addresses) and on
the organisation pages (an organisation's challenges), so ``pages_changed`` moves their versions on
too. The list and detail pages show linked meetings' places left, so their keys also carry the
meetings' registrations version, which every sign-up moves on.
"""

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 60  # seconds

pages = VersionedCache("challenges", timeout=PAGE_TIMEOUT)
VERSION_KEY = pages.version_key
version = pages.version

LIST_PARAMS = ("q", "status", "area", "municipality", "raised_by", "page")


def _meetings_version() -> str:
    from meetings.selectors import REGISTRATIONS_SCOPE
    from meetings.selectors import pages as meeting_pages

    return meeting_pages.version(REGISTRATIONS_SCOPE)


def list_key(*, language: str, params: dict) -> str:
    """One list page: only the parameters the page reads, in a fixed order."""
    return pages.key("list", language, _meetings_version(), *(f"{name}={params.get(name, '')}" for name in LIST_PARAMS))


def detail_key(*, slug: str, language: str) -> str:
    return pages.key("detail", slug, language, _meetings_version())


def home_key(*, language: str) -> str:
    return pages.key("home", language)


def pages_changed() -> None:
    """Something the public sees of the challenges changed: our pages, the meeting and organisation pages."""
    from meetings.selectors import pages as meeting_pages
    from organisations.cache import pages as organisation_pages

    pages.bump()
    meeting_pages.bump()
    organisation_pages.bump()

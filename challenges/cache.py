"""Version for the cached public challenge pages (the list, each challenge, the home section).

A change to a challenge also shows on the meeting pages (the challenges a meeting addresses) and
on the organisation pages (an organisation's challenges), so ``pages_changed`` moves their
versions on too. The pages that show linked meetings' places left also read the meetings' list
version, which registrations move on.
"""

from core.pagecache import VersionedCache

PAGE_TIMEOUT = 60  # seconds

_pages = VersionedCache("challenges")
VERSION_KEY = _pages.version_key
version = _pages.version

LIST_PARAMS = ("q", "status", "area", "municipality", "raised_by", "page")


def list_key(*, language: str, params: dict) -> str:
    """One list page: only the parameters the page reads, in a fixed order."""
    from meetings.cache import list_version

    return _pages.key("list", language, list_version(), *(f"{name}={params.get(name, '')}" for name in LIST_PARAMS))


def detail_key(*, slug: str, language: str) -> str:
    from meetings.cache import list_version

    return _pages.key("detail", slug, language, list_version())


def home_key(*, language: str) -> str:
    return _pages.key("home", language)


def pages_changed() -> None:
    """Something the public sees of the challenges changed: our pages, the meeting and organisation pages."""
    from meetings.cache import pages_changed as meeting_pages_changed
    from organisations.cache import pages_changed as organisation_pages_changed

    _pages.bump()
    meeting_pages_changed()
    organisation_pages_changed()

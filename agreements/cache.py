"""The cached public agreement pages and downloads: one ``core.pagecache.VersionedCache``.

One version covers everything the public sees of the agreements: the list, each agreement's page,
the signatory lists (per the parameters they read), their CSV/JSON, the growth chart, the filter
options and the home page count. The services and the model signals (``signals.connect``: admin
edits, imports, the shell) move it on commit, once per transaction; the versions the slots of other
apps on these pages follow move them on too; the timeout is the backstop for
what time alone changes (an agreement coming into force on its date).
"""

from core.pagecache import VersionedCache
from core.registry import portal

PAGE_TIMEOUT = 60  # seconds
DOWNLOAD_TIMEOUT = 300

# Other apps' parts of the agreement page (``portal.slot("agreements:detail", ...)``: the selection
# round) name the caches they follow; so do these pages.
# The signatory lists show organisations' names and link those listed in the directory: they follow
# the organisations' version too, so a name change or a withdrawn consent shows at once.
pages = VersionedCache(
    "agreements", timeout=PAGE_TIMEOUT, follows=lambda: ["organisations", *portal.slot_caches("agreements")]
)

# What the signatory list and its downloads read from the query string (SignatoryFilterForm, pages).
SIGNATORY_PARAMS = ("q", "municipality", "area", "sort", "page")
DOWNLOAD_PARAMS = ("q", "municipality", "area", "sort")


def pages_changed() -> None:
    """Something the public sees of the agreements changed: every cached page and download."""
    pages.bump()

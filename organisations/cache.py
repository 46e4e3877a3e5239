"""The cached public organisation pages (directory, detail pages, the home count and the
directory's filter options): one ``core.pagecache.VersionedCache``.

Organisations, municipalities and areas of activity are shown publicly; a save, delete or change
of an organisation's areas through a service, the admin, an import or a merge moves the version on
commit (``register_invalidation`` in ``signals.connect``), so the edit shows at once.
"""

from core.pagecache import VersionedCache
from core.registry import portal

PAGE_TIMEOUT = 300  # seconds

# Other apps' parts of the organisation pages (``portal.slot("organisations:detail", ...)``) name
# the caches they follow; so do these pages.
pages = VersionedCache("organisations", timeout=PAGE_TIMEOUT, follows=lambda: portal.slot_caches("organisations"))

# What the directory reads from the query string: search, filters and page. Nothing else makes a key.
DIRECTORY_PARAMS = ("q", "municipality", "area", "page")

"""The selection rounds' versioned cache (core/pagecache.py): the open data API's answers about rounds."""

from core.pagecache import VersionedCache

pages = VersionedCache("elections", timeout=60)

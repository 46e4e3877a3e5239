"""The selection rounds' versioned cache (core/pagecache/): the public round pages and the open data
API's answers about rounds. Writes to rounds, nominations and ballots move it on (``signals.py``); the
pages show the agreement's title, so it follows the agreements' version too."""

from core.pagecache import VersionedCache

pages = VersionedCache("elections", timeout=60, follows=["agreements"])

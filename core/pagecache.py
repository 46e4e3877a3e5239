"""Versioned caching of public pages: one version key per namespace, moved on by every write.

A cached page lives under a key that includes its namespace's current version; a write that
changes what the public sees calls ``bump()``, so the next request misses the old entries and a
coordinator's edit shows at once. The version is moved at once (a later request in the same
transaction, or a test, never sees the old page) and again after commit (a page another request
rendered from the old rows while the transaction was open is not kept under the new version).
Timeouts are the backstop for what time alone changes.
"""

from hashlib import sha256
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction


class VersionedCache:
    def __init__(self, namespace: str):
        self.namespace = namespace
        self.version_key = f"{namespace}:pages:version"

    def version(self) -> str:
        current = cache.get(self.version_key)
        if current is None:
            cache.add(self.version_key, uuid4().hex[:12], None)
            current = cache.get(self.version_key, "0")
        return str(current)

    def key(self, *parts) -> str:
        """A key for ``parts`` under the current version; free-text parts (query strings) are hashed."""
        digest = sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
        return f"{self.namespace}:{self.version()}:{digest}"

    def _set_new_version(self) -> None:
        cache.set(self.version_key, uuid4().hex[:12], None)

    def bump(self) -> None:
        self._set_new_version()
        transaction.on_commit(self._set_new_version, robust=True)

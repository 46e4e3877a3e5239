"""The Redis cache backend: Django's own, with one client object per connection pool, and rate limits
that fail open when Redis is away.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call, and
that constructor fills a table of some 160 response callbacks each time: about 0.1 ms per call,
two or three calls per cached page, which on a page served from the cache is a fifth of its
time (``bench/profiling.py``). A ``redis.Redis`` is safe to share between threads (it takes a
connection from its pool per command), so one per pool is kept and reused.

Rate limits (django-ratelimit's counters, allauth's counters and their locks) keep their state in the
cache. When Redis is away, a form that only counts must not answer 500: the keys whose names start with
one of ``FAIL_OPEN_KEY_PREFIXES`` (a top-level entry of the cache's settings) are answered as by an empty
cache that keeps nothing (Django's ``DummyCache``: ``add`` succeeds, ``get`` gives the default, ``incr``
finds no key), so every limit lets the request through. Every other key still raises: the page cache, the
outbox's drain signal and anything else that reads or writes the cache decide for themselves what an
unreachable cache means. After a failure the rate-limit keys leave Redis alone for ``RETRY_SECONDS``, so a
Redis that hangs costs one timeout, not one per counter, and the warning (no key: the keys hold client addresses
and hashes of accounts) is logged at most once per ``WARN_SECONDS``.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5  # after a failure, rate-limit keys do not try Redis again for this long
WARN_SECONDS = 60  # at most one warning this often per process while Redis stays away


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# What ``incr`` answers for a rate-limit key while Redis is away: no such key (as Django's ``DummyCache``).
_NOT_FOUND = object()


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._fail_open_prefixes = tuple(params.get("FAIL_OPEN_KEY_PREFIXES", ()))
        # Per backend object: Django keeps one per thread (per process under gunicorn's sync workers).
        self._skip_until = 0.0
        self._warned_at = None
        self._unanswered = 0

    def _guarded(self, method, key, *args, unreachable):
        """``method(key, *args)``; for a rate-limit key, ``unreachable`` when Redis cannot answer."""
        if not (self._fail_open_prefixes and isinstance(key, str) and key.startswith(self._fail_open_prefixes)):
            return method(key, *args)
        error = None
        if time.monotonic() >= self._skip_until:
            try:
                return method(key, *args)
            except RedisError as exc:
                error = exc
                self._skip_until = time.monotonic() + RETRY_SECONDS
        self._note_unanswered(error)
        if unreachable is _NOT_FOUND:
            raise ValueError("Key not found (the cache is unavailable)")  # django-ratelimit: no count
        return unreachable

    def _note_unanswered(self, error) -> None:
        self._unanswered += 1
        now = time.monotonic()
        if self._warned_at is not None and now - self._warned_at < WARN_SECONDS:
            return
        logger.warning(
            "cache: unavailable (%s); rate limits are not counted and requests go on "
            "(%d rate-limit operations without the cache since the last warning)",
            type(error).__name__ if error is not None else "still away",
            self._unanswered,
        )
        self._warned_at, self._unanswered = now, 0

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, key, value, timeout, version, unreachable=True)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, key, default, version, unreachable=default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set, key, value, timeout, version, unreachable=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, key, timeout, version, unreachable=False)

    def delete(self, key, version=None):
        return self._guarded(super().delete, key, version, unreachable=False)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, key, version, unreachable=False)

    def incr(self, key, delta=1, version=None):
        return self._guarded(super().incr, key, delta, version, unreachable=_NOT_FOUND)

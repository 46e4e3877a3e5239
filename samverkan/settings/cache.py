"""Redis (when ``REDIS_URL`` is set), the cache and the sessions."""

import os

from .base import env
from .database import DATABASES

# Redis: broker and cache when set; in-process tasks and local memory cache otherwise.
REDIS_URL = env("REDIS_URL", default="")
# Separate the cache from the broker so that clearing one never touches the other.
CACHE_URL = env("CACHE_URL", default="")
if REDIS_URL and not CACHE_URL:
    CACHE_URL = REDIS_URL.rsplit("/", 1)[0] + "/1" if REDIS_URL.count("/") >= 3 else REDIS_URL
# Per instance: two instances (staging and production, two test runs) on one Redis never serve each
# other's pages. By default the database's name: instances that share a database may share a cache.
# (SQLite: the file's whole path, so two checkouts differ.)
_database_name = str(DATABASES["default"].get("NAME") or "samverkan").strip("/")
CACHE_KEY_PREFIX = env(
    "CACHE_KEY_PREFIX",
    default="".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "-" for c in _database_name),
)
_cache_prefix = CACHE_KEY_PREFIX + os.environ.get("PYTEST_XDIST_WORKER", "")


def redis_cache(location: str, *, key_prefix: str = "") -> dict:
    """The cache's entry in CACHES for the Redis at ``location`` (a function: tests point it at a Redis
    that is down)."""
    return {
        # Django's backend with its client reused (core/cache.py says why).
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "KEY_FUNCTION": "core.regions.cache_key",  # every key carries the region in force
        "TIMEOUT": 300,
        # A Redis that hangs (not one that refuses) must not hang the pages: they build uncached.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        # Rate limits fail open when Redis is away (core/cache.py): the counters of django-ratelimit
        # (RATELIMIT_CACHE_PREFIX, its default), of allauth (with their locks) and of the API's throttle
        # are answered as by an empty cache, so a login, a sign-up or a form goes on instead of a 500.
        # allauth's marker of a used authenticator code ("allauth.mfa.totp.used") likewise: with Redis away
        # a code is accepted without the marker that stops its second use within its 90 seconds, rather
        # than a 500 that locks every coordinator out of the admin (the password and the code are still
        # required). Every other key raises as before (the page cache and the outbox handle it themselves).
        "FAIL_OPEN_KEY_PREFIXES": ("rl:", "allauth:rl:", "throttle_", "allauth.mfa.totp.used"),
    }


if CACHE_URL:
    CACHES = {"default": redis_cache(CACHE_URL, key_prefix=_cache_prefix)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "samverkan",
            "KEY_PREFIX": _cache_prefix,
            "KEY_FUNCTION": "core.regions.cache_key",
        }
    }
    # Rate limits are per process with a local cache: acceptable for one development process.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Sessions in the database: a login must survive Redis being down (cached_db would answer 500).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

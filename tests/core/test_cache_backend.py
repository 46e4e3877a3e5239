"""The Redis cache backend (core/cache.py): Django's behaviour, one client per connection pool."""

import uuid

import pytest
from django.conf import settings

from core.cache import RedisCache

pytestmark = pytest.mark.redis


@pytest.fixture
def backend():
    cache = RedisCache(settings.CACHE_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": {"socket_timeout": 1}})
    yield cache
    cache.clear()


def test_values_round_trip_and_expire_like_djangos_backend(backend):
    backend.set("page", {"content": b"<html>"}, 60)
    backend.set_many({"a": 1, "b": 2}, 60)
    assert backend.get("page") == {"content": b"<html>"}
    assert backend.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert backend.add("a", 3) is False
    backend.set("gone", 1, 0)
    assert backend.get("gone", "default") == "default"


def test_one_client_serves_every_call(backend):
    backend.get("warm")
    client = backend._cache.get_client()
    backend.set("x", 1, 60)
    backend.get_many(["x"])
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool, one client


def test_a_server_that_is_down_raises_quickly_so_pages_build_uncached():
    cache = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    with pytest.raises(Exception):  # noqa: B017 - redis' ConnectionError; pagecache catches any
        cache.get("key")

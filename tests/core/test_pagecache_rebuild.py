"""A page or an API answer past its timeout is rebuilt by one request at a time (core/pagecache/,
``serve_while_rebuilt``): the others are served what is kept meanwhile, never past a deadline, never an
old version, and for a bounded time only."""

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client

from core import pagecache
from core.pagecache import STALE_GRACE, VersionedCache
from tests.core.test_fastpath import fast
from tests.core.test_pagecache import _anonymous_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = {"value": 1_000_000.0}
    monkeypatch.setattr(pagecache, "_clock", lambda: now["value"])
    return now


@pytest.mark.parametrize("query", ["", "?q=x"])
def test_while_one_request_rebuilds_a_page_past_its_timeout_the_others_get_it_as_kept(clock, query):
    pages = VersionedCache("rebuild-test", timeout=60)
    builds = []

    def build(request):
        builds.append(1)
        return HttpResponse(f"bygge {len(builds)}")

    def get():
        return pages.cached_page(_anonymous_request("/" + query), page="p", params=["q"], build=build).content

    assert get() == b"bygge 1"
    clock["value"] += 61  # past its timeout
    key = pages.entry_key("p:response", "sv", repr(pagecache.canonical_params(_anonymous_request("/" + query), ["q"])))
    caches["default"].add(f"{key}:rebuild", 1, 10)  # another request is rebuilding it
    assert get() == b"bygge 1" and len(builds) == 1
    caches["default"].delete(f"{key}:rebuild")
    assert get() == b"bygge 2"  # this one claims the rebuild
    assert get() == b"bygge 2" and len(builds) == 2


def test_past_the_grace_or_after_an_edit_nobody_gets_the_kept_page(clock, run_on_commit):
    pages = VersionedCache("rebuild-test-2", timeout=60)
    builds = []

    def build(request):
        builds.append(1)
        return HttpResponse(f"bygge {len(builds)}")

    def get():
        return pages.cached_page(_anonymous_request(), page="p", build=build).content

    get()
    key = pages.entry_key("p:response", "sv", repr(()))
    clock["value"] += 60 + STALE_GRACE + 1
    caches["default"].add(f"{key}:rebuild", 1, 10)
    assert get() == b"bygge 2"  # too old to be served to anyone
    clock["value"] += 61
    caches["default"].add(f"{key}:rebuild", 1, 10)
    with run_on_commit():
        pages.bump()  # an edit: the kept page is of another version, never served
    assert get() == b"bygge 3"


def test_an_api_answer_past_its_timeout_is_rebuilt_once_and_kept_meanwhile(clock):
    from api.conventions import CACHE_TIMEOUT

    url = "/api/v1/areas/"
    for _ in range(3):
        last = Client().get(url)
    assert fast(last)
    clock["value"] += CACHE_TIMEOUT + 1
    claims = [key for key in caches["default"]._cache if ":rebuild" in key]
    assert not claims
    rebuilt = Client().get(url)  # claims the rebuild: not from the fast path, built again
    assert rebuilt.status_code == 200 and not fast(rebuilt)
    assert [key for key in caches["default"]._cache if ":rebuild" in key]
    again = Client().get(url)
    assert again.status_code == 200 and fast(again) and again.content == rebuilt.content

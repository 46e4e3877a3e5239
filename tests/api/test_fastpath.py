"""The API's cached answers from the fast path (core/pagecache_fast.py, ``register_prefix`` in api/apps.py): the
same bytes and headers as the view's own cached answer, the entry's ETag and Last-Modified, per host,
language and exact query, the rate limit still counted, and never an answer built for the request."""

import pytest
from django.core.cache import caches
from django.test import Client

from tests.core.test_fastpath import fast, headers

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/meetings/",
    "/api/v1/organisations/",
    "/api/v1/organisations/?q=f%C3%B6rening",
    "/api/v1/organisations/?page_size=1&page=2",
    "/api/v1/agreements/overenskommelsen/signatories/",
    "/api/v1/agreements/",
    "/api/v1/meetings/dialogmote-4-maj/",
]


def twice(url, **extra):
    """The view's cached answer (the second request: the first builds it) and the fast path's (the third)."""
    Client().get(url, **extra)
    normal = Client().get(url, **extra)
    served = Client().get(url, **extra)
    return normal, served


@pytest.mark.parametrize("url", LISTS)
def test_a_cached_answer_is_the_same_from_the_fast_path(world, url):
    normal, served = twice(url)
    assert (normal.status_code, served.status_code) == (200, 200)
    assert not fast(normal) and fast(served)
    assert served.content == normal.content
    assert headers(served) == headers(normal)
    assert served["ETag"] and served["Last-Modified"] and "Accept-Language" in served["Vary"]
    assert not served.cookies


def test_the_language_is_the_apis_own_accept_language_and_lang(world):
    sv_normal, sv_served = twice("/api/v1/meetings/")
    en = Client().get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en")
    assert not fast(en) and en["Content-Language"] == "en"  # another address, not the Swedish alias
    en_normal, en_served = twice("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en")
    assert fast(sv_served) and fast(en_served)
    assert en_served["Content-Language"] == "en" and sv_served["Content-Language"] == "sv"
    assert en_served.content == en_normal.content != sv_served.content
    chosen = Client().get("/api/v1/meetings/?lang=en", HTTP_ACCEPT_LANGUAGE="sv")
    assert chosen["Content-Language"] == "en"
    assert Client().get("/api/v1/meetings/?lang=xx").status_code == 400


def test_a_blank_parameter_is_another_address_for_the_api(world):
    """The answer's links carry the query as given: ``?q=`` is not the same answer as no ``q``."""
    twice("/api/v1/organisations/?page_size=1")
    blank = Client().get("/api/v1/organisations/?page_size=1&q=")
    assert not fast(blank)
    assert "q=" in blank.json()["next"]


def test_an_edit_moves_the_answer_on(world, run_on_commit):
    twice("/api/v1/organisations/")
    with run_on_commit():
        world.scouts.name = "Scouterna i Sundsvall"
        world.scouts.save()
    changed = Client().get("/api/v1/organisations/")
    assert not fast(changed) and "Scouterna i Sundsvall" in changed.content.decode()
    again = Client().get("/api/v1/organisations/")
    assert fast(again) and again["ETag"] == changed["ETag"] and again.content == changed.content


def test_conditional_requests_and_cors_go_the_normal_way(world):
    normal, served = twice("/api/v1/organisations/")
    etag = served["ETag"]
    conditional = Client().get("/api/v1/organisations/", HTTP_IF_NONE_MATCH=etag)
    assert conditional.status_code == 304 and not fast(conditional)
    since = Client().get("/api/v1/organisations/", HTTP_IF_MODIFIED_SINCE=served["Last-Modified"])
    assert since.status_code == 304
    cors = Client().get("/api/v1/organisations/", HTTP_ORIGIN="https://journalist.example.org")
    assert not fast(cors) and cors["Access-Control-Allow-Origin"] == "*"


def test_the_rate_limit_counts_the_fast_answers_too(world, settings):
    settings.API_ANON_RATE = "4/min"
    caches["default"].clear()
    statuses = [
        (response.status_code, fast(response)) for response in (Client().get("/api/v1/areas/") for _ in range(5))
    ]
    assert statuses == [(200, False), (200, False), (200, True), (200, True), (429, False)]


def test_another_host_of_the_region_is_another_address(world, settings):
    """The answer's links are absolute: each host has its own."""
    settings.ALLOWED_HOSTS = ["testserver", "data.testserver"]
    twice("/api/v1/organisations/?page_size=1")
    other = Client(HTTP_HOST="data.testserver").get("/api/v1/organisations/?page_size=1")
    assert not fast(other)

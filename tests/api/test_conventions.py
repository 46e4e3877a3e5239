"""Pagination, conditional requests, rate limit, CORS, bad parameters and errors: as a client notices them."""

import pytest
from django.utils.http import http_date

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def test_pagination_has_count_next_previous_and_results(client, world):
    OrganisationFactory.create_batch(3)
    first = client.get(LIST, {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    last = client.get(LIST, {"page_size": 2, "page": 3}).json()
    assert last["next"] is None and len(last["results"]) == 1 and last["previous"].endswith("page=2&page_size=2")


def test_a_page_after_the_last_is_a_json_404(client, world):
    response = client.get(LIST, {"page": 9})
    assert response.status_code == 404 and response.json()["status"] == 404


def test_page_size_is_capped(client, world, settings):
    settings.API_MAX_PAGE_SIZE = 1
    assert len(client.get(LIST, {"page_size": 1000}).json()["results"]) == 1


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page", "0"),
        ("page", "abc"),
        ("page_size", "-1"),
        ("ordering", "password"),
        ("municipality", "abc"),
        ("municipality", "999999"),
        ("modified_since", "yesterday"),
        ("lang", "de"),
        ("legal_form", "aktiebolag"),
    ],
)
def test_a_bad_value_is_a_400_that_names_the_parameter(client, world, parameter, value):
    response = client.get(LIST, {parameter: value})
    assert response.status_code == 400
    body = response.json()
    assert parameter in body["errors"] and parameter in body["message"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_unknown_parameter_is_a_400_naming_it_and_the_parameters_that_exist(client, world, lang):
    client.get(LIST)  # the unfiltered list is cached: ?search= must not be answered from it
    response = client.get(LIST, {"search": "Scouterna", "lang": lang})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert list(body["errors"]) == ["search"]
    assert "search" in body["message"]
    assert {"q", "lang", "page", "page_size", "ordering", "municipality", "modified_since"} <= set(body["parameters"])
    assert "q" in body["message"]


def test_every_documented_parameter_and_format_json_are_known(client, world):
    for parameters in (
        {"q": "Scouterna", "lang": "en", "page": "1", "page_size": "10", "ordering": "name"},
        {"format": "json"},
    ):
        assert client.get(LIST, parameters).status_code == 200, parameters
    assert client.get(LIST, {"format": "xml"}).status_code == 400


def test_every_list_and_detail_endpoint_refuses_unknown_parameters(client, world):
    from tests.api.helpers import API_ROOT, walk

    checked = 0
    for url, _response in walk(client):
        if url == API_ROOT:
            continue
        checked += 1
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}nonsense=1")
        assert response.status_code == 400, url
        assert list(response.json()["errors"]) == ["nonsense"], url
    assert checked > 5


def test_modified_since_returns_what_changed(client, world):
    from django.utils import timezone

    assert client.get(LIST, {"modified_since": "2000-01-01T00:00:00+01:00"}).json()["count"] == 2
    future = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    assert client.get(LIST, {"modified_since": future}).json()["count"] == 0


def test_an_unchanged_response_is_a_304_for_its_etag(client, world, run_on_commit):
    response = client.get(LIST)
    etag = response["ETag"]
    assert response["Last-Modified"]
    again = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    with run_on_commit():  # the page cache moves on when the edit commits
        world.scouts.description = "Ny beskrivning"
        world.scouts.save()
    changed = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_if_modified_since_answers_304_when_nothing_is_newer(client, world):
    last_modified = client.get(LIST)["Last-Modified"]
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_past_the_rate_limit_the_answer_is_429_with_retry_after(client, world, settings):
    settings.API_ANON_RATE = "3/min"
    statuses = [client.get(LIST, {"page": 1}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(LIST)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_the_rate_limit_is_off_with_the_portals_switch(client, world, settings):
    settings.API_ANON_RATE = "1/min"
    settings.RATELIMIT_ENABLE = False
    assert {client.get(LIST).status_code for _ in range(3)} == {200}


def test_any_origin_may_read_with_get(client, world):
    response = client.get(LIST, HTTP_ORIGIN="https://journalist.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        LIST, HTTP_ORIGIN="https://journalist.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert (
        "GET" in preflight["Access-Control-Allow-Methods"] and "POST" not in preflight["Access-Control-Allow-Methods"]
    )


def test_pages_outside_the_api_get_no_cors_headers(client, world):
    assert "Access-Control-Allow-Origin" not in client.get("/organisationer/", HTTP_ORIGIN="https://x.example")


def test_unknown_paths_and_objects_under_api_answer_json_not_the_html_page(client, world):
    for path in ("/api/", "/api/v1/nothing/", "/api/v2/meetings/", "/api/v1/organisations/no-such-slug/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json()["message"]


def test_writes_are_refused_with_json(client, world):
    response = client.post(LIST, {"name": "x"})
    assert response.status_code == 405 and response.json()["status"] == 405


def test_an_unexpected_error_is_a_json_500_without_a_traceback(client, world, monkeypatch):
    from organisations import api as organisations_api

    def broken(self):
        raise RuntimeError("database on fire at /srv/secret/path.py")

    monkeypatch.setattr(organisations_api.OrganisationViewSet, "get_queryset", broken)
    response = client.get(LIST, {"q": "uncached"})
    assert response.status_code == 500
    assert response.json()["status"] == 500 and "secret" not in response.content.decode()


def test_the_documentation_page_is_linked_from_the_footer_with_the_licence(client, world):
    home = client.get("/").content.decode()
    assert 'href="/oppna-data/"' in home and "Öppna data" in home
    page = client.get("/oppna-data/").content.decode()
    assert "creativecommons.org/publicdomain/zero/1.0" in page
    assert "/api/v1/meetings/" in page and "modified_since" in page


def test_the_api_answers_uncached_while_the_cache_is_away(client, world, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    response = client.get(LIST)
    assert response.status_code == 200 and response.json()["count"] == 2
    assert client.get(f"/api/v1/agreements/{world.agreement.slug}/growth/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/?q=a%00b",
        "/api/v1/agreements/overenskommelsen/signatories/?q=%00",
        "/api/v1/organisations/?municipality=999999999999999999999999",
        "/api/v1/municipalities/99999999999999999999999/",
        "/api/v1/organisations/?modified_since=9999-12-31T23:59:59%2B14:00",
        "/api/v1/agreements/overenskommelsen/signatories/?signed_until=0001-01-01&year=1900",
        "/api/v1/organisations/?page=99999999999999999999999",
        "/api/v1/meetings/%00/",
    ],
)
def test_extreme_and_junk_values_answer_json_never_a_500(client, world, path):
    response = client.get(path)
    assert response.status_code < 500
    body = response.json()
    assert body["message"] if response.status_code >= 400 else "results" in body


def test_not_found_is_in_the_requests_language(client, world):
    assert client.get("/api/v1/organisations/nobody/").json()["message"] == "Inget med det id:t eller den sluggen."
    assert client.get("/api/v1/organisations/nobody/?lang=en").json()["message"] == "Nothing with that id or slug."


def test_a_known_path_without_its_slash_is_redirected_with_its_query(client, world):
    response = client.get("/api/v1/meetings", {"lang": "en"})
    assert response.status_code == 301 and response["Location"] == "/api/v1/meetings/?lang=en"
    assert client.get("/api/v1/nothing").status_code == 404

"""Regions at the core: the host decides the region; the region decides cache keys, links and new rows."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.colours import colour_errors, contrast_with_white
from core.links import absolute_url, region_context
from core.models import Region, RegionHost
from core.regions import (
    RegionMismatch,
    RegionMissing,
    check_region,
    current_region,
    for_each_region,
    host_map,
    in_region,
    no_region,
    normalise_host,
    region_scope,
)

pytestmark = pytest.mark.django_db


def test_the_host_names_the_region_its_name_and_contact_appear_on_the_page(client, other_region):
    first = client.get("/", HTTP_HOST="testserver").content.decode()
    second = client.get("/", HTTP_HOST="halland.testserver").content.decode()
    assert "Region Västernorrland" in first and "Region Halland" not in first
    assert "Region Halland" in second and "Region Västernorrland" not in second
    assert "kontakt@halland.example.se" in second


def test_a_secondary_host_redirects_to_the_primary_one_keeping_path_and_query(client, settings, other_region):
    settings.REGION_REDIRECT_SECONDARY_HOSTS = True
    settings.SITE_URL = "https://samverkan.example.se"
    RegionHost.objects.create(region=other_region, host="www.halland.testserver")
    response = client.get("/moten/?sida=2", HTTP_HOST="WWW.Halland.testserver")
    assert response.status_code == 301
    assert response["Location"] == "https://halland.testserver/moten/?sida=2"
    assert client.get("/moten/", HTTP_HOST="halland.testserver").status_code == 200


def test_a_disabled_region_answers_not_found(client, other_region):
    other_region.is_active = False
    other_region.save()
    response = client.get("/", HTTP_HOST="halland.testserver")
    assert response.status_code == 404
    assert "Region Halland" not in response.content.decode()


def test_an_unknown_host_costs_no_query_when_asked_again_at_once(client):
    client.get("/", HTTP_HOST="nobody.example")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/", HTTP_HOST="nobody2.example").status_code == 404
    assert len(queries) == 0


def test_the_health_check_answers_on_any_host(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200


def test_cache_keys_carry_the_region(other_region, region):
    cache.set("page", "first region")
    with region_scope(other_region):
        assert cache.get("page") is None
        cache.set("page", "second region")
    assert cache.get("page") == "first region"


def test_links_and_the_region_context_follow_the_region_in_force(settings, other_region):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert absolute_url("/moten/") == "http://127.0.0.1:8000/moten/"
    with region_scope(other_region):
        assert absolute_url("/moten/") == "http://halland.testserver:8000/moten/"
        assert region_context()["REGION_NAME"] == "Region Halland"
        assert current_region() == other_region


def test_a_row_saved_with_no_region_or_in_another_regions_scope_is_refused(region, other_region):
    row = SimpleNamespace(region_id=None)
    check_region(row)
    assert row.region_id == region.pk
    with pytest.raises(RegionMismatch):
        check_region(SimpleNamespace(region_id=other_region.pk))
    with no_region(), pytest.raises(RegionMissing):
        check_region(SimpleNamespace(region_id=None))


def test_a_task_runs_in_the_region_it_is_given_and_a_periodic_job_in_every_active_region(other_region, region):
    seen = []

    def body(label):
        seen.append((label, current_region().short_name))
        return label

    with no_region():
        in_region(body)(other_region.pk, "once")
        Region.objects.create(name="Region Stängd", short_name="stangd", is_active=False)
        results = for_each_region(lambda: body("daily"))()
    assert seen[0] == ("once", "halland")
    assert sorted(results) == ["halland", "vasternorrland"]


def test_hosts_are_compared_without_port_case_or_trailing_dot():
    assert normalise_host("Halland.Example.SE.:8000") == "halland.example.se"
    assert normalise_host("[::1]:8000") == "[::1]"


@pytest.mark.parametrize(
    "accent, dark, fields",
    [
        ("#005a8c", "#003a5c", set()),
        ("#7fb2d9", "#003a5c", {"accent_color"}),
        ("#005a8c", "#cccccc", {"accent_dark_color"}),
        ("blue", "#003a5c", {"accent_color"}),
    ],
)
def test_colours_are_checked_for_contrast_against_white(accent, dark, fields):
    assert set(colour_errors(accent, dark)) == fields


def test_contrast_is_computed_as_wcag_does():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#767676"), 2) == 4.54


def test_the_host_map_sees_a_new_host_saved_in_this_process(client, other_region):
    host_map.load()
    RegionHost.objects.create(region=other_region, host="ny.halland.testserver")
    assert client.get("/", HTTP_HOST="ny.halland.testserver").status_code == 200

"""Every date filter of the API (``api.filters.DateTimeFilter``) takes a date between the years 1900 and
2999: near year 1 or 9999 a time zone's offset takes the moment out of what Python's datetime holds, and
the query converting it to UTC was a 500 on SQLite. Now it is a 400 naming the parameter."""

import pytest

from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("/api/v1/meetings/", "start_from"),
    ("/api/v1/meetings/", "start_to"),
    ("/api/v1/meetings/", "modified_since"),
    ("/api/v1/organisations/", "modified_since"),
    ("/api/v1/challenges/", "modified_since"),
    ("/api/v1/agreements/", "modified_since"),
    ("/api/v1/agreements/samverkan/signatories/", "modified_since"),
]
OUT_OF_RANGE = [
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31",
    "1899-12-31T23:59:59+00:00",
    "3000-01-01",
]


@pytest.fixture(autouse=True)
def agreement():
    return AgreementFactory(slug="samverkan")


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("path, key", ENDPOINTS)
def test_a_date_outside_the_years_is_a_400_naming_the_parameter(client, path, key, value):
    response = client.get(path, {key: value, "lang": "en"})
    assert response.status_code == 400
    assert response.json()["errors"][key] == ["Give a date between the years 1900 and 2999."]


@pytest.mark.parametrize("value", ["1900-01-01T00:00:00+14:00", "2999-12-31T23:59:59-14:00", "2026-05-04"])
@pytest.mark.parametrize("path, key", ENDPOINTS)
def test_a_date_inside_the_years_filters(client, path, key, value):
    assert client.get(path, {key: value}).status_code == 200

"""Another app adds a field to the meetings (as challenges will: the challenges a meeting addresses)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from api import conventions, views
from api.registry import api
from tests.factories import MeetingFactory, ProgrammeItemFactory

pytestmark = pytest.mark.django_db


class _ItemTitles(serializers.ListField):
    def to_representation(self, items):
        return [item.title for item in items.all()]


@pytest.fixture
def meetings_extended():
    views._schema.cache_clear()  # the schema is built once per process
    api.extend(
        "meeting",
        "item_titles",
        lambda: _ItemTitles(source="programme_items", read_only=True, help_text="Titles of the programme."),
        prefetch="programme_items",
    )
    yield
    api._extensions.pop("meeting")
    conventions._EXTENDED.clear()
    views._schema.cache_clear()


def test_an_app_adds_a_field_to_another_apps_objects_with_constant_queries(client, meetings_extended):
    ProgrammeItemFactory(meeting=MeetingFactory(), title="Välkommen")
    with CaptureQueriesContext(connection) as small:
        data = client.get("/api/v1/meetings/").json()
    assert data["results"][0]["item_titles"] == ["Välkommen"]
    for _ in range(10):
        ProgrammeItemFactory(meeting=MeetingFactory())
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/meetings/?lang=en").status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries)
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "item_titles" in schema["components"]["schemas"]["Meeting"]["properties"]

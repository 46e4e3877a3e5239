"""The admin's "view on site" (admin/r/<type>/<id>/) reads through the region's scope: Django's own read
through the base manager, so a coordinator could learn the address (the slug, the title in effect) of any
region's object, a draft meeting of another region included."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.regions import region_scope
from meetings.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _url(obj, object_id=None):
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:view_on_site", args=[content_type.pk, object_id or obj.pk])


def test_view_on_site_leads_to_the_hosts_objects_only(coordinator_client, other_region):
    ours = MeetingFactory(title="Vårt möte", slug="vart-mote")
    with region_scope(other_region):
        theirs = MeetingFactory(title="Hemligt utkast", slug="hemligt-utkast", status=Meeting.Status.DRAFT)

    own = coordinator_client.get(_url(ours))
    other = coordinator_client.get(_url(theirs))

    assert own.status_code == 302 and own["Location"] == ours.get_absolute_url()
    assert other.status_code == 404 and "hemligt-utkast" not in other.get("Location", "")
    assert coordinator_client.get(_url(ours, object_id="x")).status_code == 404


def test_view_on_site_is_for_the_admins_users(client, other_region):
    meeting = MeetingFactory()
    response = client.get(_url(meeting))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

"""Coordinators read follows, notifications, e-mail choices and digests in the admin (in Swedish), never edit them."""

import pytest
from django.urls import reverse

from notifications.models import Follow, Notification
from outbox.kinds import kind_label
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "title"),
    [
        ("follow", "följda objekt"),
        ("notification", "notiser"),
        ("preference", "e-postval"),
        ("digest", "sammanfattningar"),
    ],
)
def test_coordinator_reads_the_lists_in_swedish(coordinator_client, model, title):
    person = UserFactory(email="foljare@example.se")
    Follow.objects.create(user=person, kind="organisations.area", object_id=1, label="Folkhälsa")
    Notification.objects.create(
        user=person, event="meetings.published", object_type="meetings.meeting", object_id=1, title="Dialogmöte"
    )
    response = coordinator_client.get(reverse(f"admin:notifications_{model}_changelist"), {"q": "foljare"})
    assert response.status_code == 200
    assert title in response.content.decode().lower()
    assert coordinator_client.get(reverse(f"admin:notifications_{model}_add")).status_code == 403


def test_the_followed_list_is_searchable(coordinator_client):
    person = UserFactory(email="foljare@example.se")
    Follow.objects.create(user=person, kind="organisations.area", object_id=1, label="Folkhälsa")
    Follow.objects.create(user=person, kind="organisations.area", object_id=2, label="Kultur")
    html = coordinator_client.get(reverse("admin:notifications_follow_changelist"), {"q": "Kultur"}).content.decode()
    assert "Kultur" in html and "Folkhälsa" not in html


def test_the_kinds_of_e_mail_have_names():
    from django.utils import translation

    with translation.override("sv"):
        assert str(kind_label("notifications.digest")) == "Veckosammanfattning av det som följs"


def test_a_coordinator_sets_the_regions_digest_day_and_hour(coordinator_client):
    from notifications.models import DigestSchedule
    from notifications.services import region_schedule

    url = reverse("admin:notifications_digestschedule_add")
    response = coordinator_client.post(url, {"weekday": "4", "hour": "16"})
    assert response.status_code == 302
    assert region_schedule() == (4, 16)
    # One per region: no second one to add; a nonsense hour is refused with a message.
    assert coordinator_client.get(url).status_code == 403
    schedule = DigestSchedule.objects.get()
    change = reverse("admin:notifications_digestschedule_change", args=[schedule.pk])
    response = coordinator_client.post(change, {"weekday": "4", "hour": "25"})
    assert response.status_code == 200 and "25" in response.content.decode()
    assert region_schedule() == (4, 16)

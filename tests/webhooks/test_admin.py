"""Coordinators register endpoints in the admin (in Swedish): a refused address keeps the input with a clear
message, the secret is shown once after saving, the attempts are listed with filters, and the actions send a
test event, enable again and rotate the secret (after a confirmation page). The open data page documents it."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from webhooks.models import Delivery, Endpoint, Event

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db

ADD = reverse("admin:webhooks_endpoint_add")
CHANGELIST = reverse("admin:webhooks_endpoint_changelist")


def _form(**overrides):
    data = {
        "name": "Föreningsarkivet",
        "url": "https://partner.example.org/hook",
        "events": ["meetings.published", "challenges.update"],
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["endpoint", "delivery", "event"])
def test_the_lists_render_for_a_coordinator_in_swedish(coordinator_client, sent, endpoint, name):
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    Delivery.objects.create(endpoint=endpoint, event=event, status=Delivery.Status.FAILED, error="HTTP 500")
    response = coordinator_client.get(reverse(f"admin:webhooks_{name}_changelist"))
    assert response.status_code == 200
    assert "webhook" in response.content.decode().lower()
    assert coordinator_client.get(ADD).status_code == 200


def test_the_attempts_are_filtered_by_status_and_endpoint(coordinator_client, sent, endpoint):
    other = make_endpoint(name="Annan mottagare")
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    Delivery.objects.create(endpoint=endpoint, event=event, status=Delivery.Status.FAILED, error="Fel ETT")
    Delivery.objects.create(endpoint=other, event=event, status=Delivery.Status.SUCCEEDED, error="")
    url = reverse("admin:webhooks_delivery_changelist")
    failed = coordinator_client.get(url, {"status__exact": "failed"})
    assert [d.error for d in failed.context["cl"].result_list] == ["Fel ETT"]
    assert "Fel ETT" in failed.content.decode()
    others = coordinator_client.get(url, {"endpoint__id__exact": other.pk})
    assert [d.endpoint for d in others.context["cl"].result_list] == [other]


def test_an_http_address_is_refused_on_save_and_the_input_kept(coordinator_client, resolver):
    response = coordinator_client.post(ADD, _form(url="http://partner.example.org/hook"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Adressen måste börja med https://." in page
    assert 'value="http://partner.example.org/hook"' in page and 'value="Föreningsarkivet"' in page
    assert not Endpoint.objects.exists()


def test_a_private_address_is_refused_on_save(coordinator_client, resolver):
    resolver["internal.example.org"] = ["10.0.0.8"]
    response = coordinator_client.post(ADD, _form(url="https://internal.example.org/"))
    assert "bara publika adresser" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_the_secret_is_shown_once_after_saving(coordinator_client, resolver, coordinator):
    response = coordinator_client.post(ADD, _form(coordinator=coordinator.pk), follow=True)
    endpoint = Endpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.events == ["meetings.published", "challenges.update"]
    page = response.content.decode()
    assert endpoint.secret in page and "visas inte igen" in page
    change = coordinator_client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in change
    assert endpoint.secret not in coordinator_client.get(CHANGELIST).content.decode()


def test_rotating_the_secret_asks_first_then_shows_the_new_one(coordinator_client, sent, endpoint):
    old = endpoint.secret
    data = {"action": "rotate_secret", "_selected_action": [endpoint.pk]}
    page = coordinator_client.post(CHANGELIST, data).content.decode()
    assert "Byt hemlig nyckel" in page and "slutar gälla direkt" in page
    endpoint.refresh_from_db()
    assert endpoint.secret == old
    response = coordinator_client.post(CHANGELIST, {**data, "confirm": "yes"}, follow=True)
    endpoint.refresh_from_db()
    page = response.content.decode()
    assert endpoint.secret != old and f"Den nya hemliga nyckeln: {endpoint.secret} Kopiera den nu" in page


def test_a_test_event_is_sent_to_the_endpoint(coordinator_client, sent, endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(CHANGELIST, {"action": "send_test", "_selected_action": [endpoint.pk]})
    assert response.status_code == 302
    (body,) = sent.bodies()
    assert body["event"] == "webhooks.test" and body["object"] == {
        "type": "webhooks.endpoint",
        "id": endpoint.pk,
        "url": None,
    }
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


def test_a_disabled_endpoint_is_enabled_again_with_its_count_from_nought(coordinator_client, sent, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False, failure_count=10)
    response = coordinator_client.post(CHANGELIST, {"action": "send_test", "_selected_action": [endpoint.pk]})
    assert "aktivera den först" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    coordinator_client.post(CHANGELIST, {"action": "enable", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failure_count == 0 and endpoint.disabled_at is None


@pytest.mark.parametrize(
    ("language", "heading", "text"),
    [
        ("sv", "Webhooks för partner", "Kontrollera signaturen i Python"),
        ("en", "Webhooks for partners", "Checking the signature in Python"),
    ],
)
def test_the_open_data_page_documents_the_headers_and_the_check(client, language, heading, text):
    client.cookies["django_language"] = language
    page = client.get(reverse("opendata:documentation")).content.decode()
    assert heading in page and text in page
    for header in ["X-Samverkan-Event", "X-Samverkan-Delivery", "X-Samverkan-Timestamp", "X-Samverkan-Signature"]:
        assert header in page


def test_enabling_in_the_form_starts_the_count_again(coordinator_client, resolver, endpoint):
    from django.utils import timezone

    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False, failure_count=10, disabled_at=timezone.now())
    url = reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    coordinator_client.post(url, _form(name=endpoint.name, events=["meetings.published"]))
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failure_count == 0 and endpoint.disabled_at is None
    assert endpoint.secret == "whsec_test-secret"  # saving the form keeps the secret

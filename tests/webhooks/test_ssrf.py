"""Requests go only to public addresses: an address that is not HTTPS, or resolves (DNS) to a private,
loopback, link-local or reserved address, is refused on save with a clear message and, should DNS change
later, recorded as a failed attempt at delivery without any connection; redirects are not followed; the
connection goes to the address the check resolved (no second lookup a rebinding could switch)."""

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks import transport
from webhooks.delivery import delivery_attempt
from webhooks.models import Delivery, Event
from webhooks.services import url_validate

from .conftest import make_endpoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://partner.example.org/hook", "måste börja med https://"),
        ("https://10.0.0.5/hook", "privat, lokal eller reserverad"),
        ("https://192.168.1.20/hook", "privat, lokal eller reserverad"),
        ("https://127.0.0.1:8443/hook", "privat, lokal eller reserverad"),
        ("https://169.254.169.254/latest/meta-data", "privat, lokal eller reserverad"),
        ("https://[::1]/hook", "privat, lokal eller reserverad"),
        ("https://[::ffff:127.0.0.1]/hook", "privat, lokal eller reserverad"),
        ("https://[fe80::1]/hook", "privat, lokal eller reserverad"),
        ("https://0.0.0.0/hook", "privat, lokal eller reserverad"),
        ("https://224.0.0.1/hook", "privat, lokal eller reserverad"),
        ("https://100.64.0.1/hook", "privat, lokal eller reserverad"),
        ("https://intranet.local.test/hook", "gick inte att slå upp"),
        ("https://user:pass@partner.example.org/hook", "användarnamn eller lösenord"),
        ("ftp://partner.example.org/", "fullständig adress"),
        ("partner.example.org/hook", "fullständig adress"),
    ],
)
def test_an_address_that_may_not_be_called_is_refused_with_a_clear_message(resolver, url, message):
    with pytest.raises(ValidationError) as refused:
        url_validate(url)
    assert message in refused.value.messages[0]


def test_a_host_name_resolving_to_loopback_is_refused(resolver):
    resolver["rebind.example.org"] = ["127.0.0.1"]
    with pytest.raises(ValidationError, match="privat, lokal eller reserverad"):
        url_validate("https://rebind.example.org/hook")


def test_a_host_name_with_one_private_address_among_public_ones_is_refused(resolver):
    resolver["mixed.example.org"] = ["93.184.215.14", "10.1.2.3"]
    with pytest.raises(ValidationError):
        url_validate("https://mixed.example.org/hook")


def test_a_public_https_address_is_accepted(resolver):
    assert url_validate(" https://partner.example.org/hook?x=1 ") == "https://partner.example.org/hook?x=1"


def test_http_to_loopback_only_where_the_setting_allows_it(resolver, settings):
    with pytest.raises(ValidationError):
        url_validate("http://127.0.0.1:9000/hook")
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert url_validate("http://127.0.0.1:9000/hook")
    with pytest.raises(ValidationError, match="https://"):
        url_validate("http://partner.example.org/hook")  # still only https to the rest of the world
    with pytest.raises(ValidationError):
        url_validate("https://10.0.0.5/hook")


def test_a_host_that_resolves_to_a_private_address_at_delivery_is_a_failed_attempt_without_a_connection(
    resolver, monkeypatch
):
    endpoint = make_endpoint()  # saved while partner.example.org was public
    resolver["partner.example.org"] = ["10.0.0.7"]  # then DNS changed

    def no_connection(*args, **kwargs):
        raise AssertionError("no connection may be made")

    monkeypatch.setattr(socket, "create_connection", no_connection)
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    delivery = Delivery.objects.create(endpoint=endpoint, event=event)
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == Delivery.Status.FAILED and delivery.http_status is None
    assert delivery.error.startswith("Nekad, inget anrop gjort")
    assert Delivery.objects.filter(attempt=2, status=Delivery.Status.PENDING).exists()


def test_the_connection_goes_to_the_address_the_check_resolved(resolver, receiver):
    resolver["partner.example.org"] = ["127.0.0.1"]
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a rebinding resolver: a second lookup would answer private

    def rebinding(host, port):
        addresses = next(answers)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    transport_getaddrinfo = transport.getaddrinfo
    try:
        transport.getaddrinfo = rebinding
        response = transport.post(f"http://partner.example.org:{receiver.port}/hook", b"{}", {"X-Test": "1"})
    finally:
        transport.getaddrinfo = transport_getaddrinfo
    assert response.status == 200
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"partner.example.org:{receiver.port}"


def test_a_redirect_is_not_followed(receiver):
    elsewhere = type(receiver)()
    try:
        receiver.statuses = [302]
        receiver.location = elsewhere.url("/stolen")
        response = transport.post(receiver.url(), b"{}", {})
        assert response.status == 302
        assert elsewhere.requests == []
    finally:
        elsewhere.close()


def test_a_slow_endpoint_times_out_as_a_failed_attempt(settings, receiver, monkeypatch):
    import time

    settings.WEBHOOKS_READ_TIMEOUT = 0.3
    endpoint = make_endpoint(url=receiver.url())
    handler = receiver.server.RequestHandlerClass
    original = handler.do_POST

    def slow(self):
        time.sleep(1)
        original(self)

    monkeypatch.setattr(handler, "do_POST", slow)
    event = Event.objects.create(name="meetings.published", object_type="meetings.meeting", object_id=1)
    delivery = Delivery.objects.create(endpoint=endpoint, event=event)
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.error == "Inget svar i tid (tidsgränsen passerad)"


def test_the_deploy_check_warns_when_loopback_is_allowed(settings):
    from webhooks.checks import loopback_not_allowed

    settings.DEBUG = False
    assert loopback_not_allowed() == []
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert [w.id for w in loopback_not_allowed()] == ["webhooks.W001"]


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1",
        "https://exa mple.org/",
        "https://" + "a" * 300 + ".org/",
        "https://xn--/",
        "https://a\x00b.org/",
        "https://partner.example.org:99999/",
        "",
        "   ",
        "https://.../",
    ],
)
def test_malformed_addresses_are_refused_with_a_message_never_an_error(resolver, url):
    with pytest.raises(ValidationError) as refused:
        url_validate(url)
    assert refused.value.messages[0]


def test_a_malformed_address_in_the_admin_form_keeps_the_input(coordinator_client, resolver):
    from django.urls import reverse

    data = {"name": "X", "url": "https://[::1", "events": ["meetings.published"], "is_active": "on"}
    response = coordinator_client.post(reverse("admin:webhooks_endpoint_add"), data)
    assert response.status_code == 200 and "fullständig adress" in response.content.decode()


def test_an_address_with_swedish_letters_is_sent_encoded(receiver, resolver):
    resolver["xn--rebro-iua.example.org"] = ["127.0.0.1"]  # örebro.example.org
    response = transport.post(f"http://örebro.example.org:{receiver.port}/händelser?å=ä", b"{}", {})
    assert response.status == 200
    (request,) = receiver.requests
    assert request["path"] == "/h%C3%A4ndelser?%C3%A5=%C3%A4"
    assert request["headers"]["Host"] == f"xn--rebro-iua.example.org:{receiver.port}"

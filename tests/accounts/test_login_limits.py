"""Failed logins are limited per client and account, so a stranger guessing passwords cannot lock
the account's owner out, while guessing stays slow from one client and from many."""

import pytest
from django.contrib.auth import SESSION_KEY

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def _fail(client, user, ip):
    return client.post("/konto/login/", {"login": user.email, "password": "fel-losenord"}, REMOTE_ADDR=ip)


def _login(client, user, ip):
    return client.post("/konto/login/", {"login": user.email, "password": PASSWORD}, REMOTE_ADDR=ip)


def test_wrong_passwords_from_another_client_do_not_lock_the_owner_out(client, member, django_user_model):
    from django.test import Client

    attacker = Client()
    for _ in range(6):
        _fail(attacker, member, ATTACKER)
    response = _login(client, member, OWNER)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_one_client_is_stopped_after_five_wrong_passwords(client, member):
    for _ in range(5):
        response = _fail(client, member, ATTACKER)
        assert "Too many failed login attempts" not in response.content.decode()
        assert "För många misslyckade" not in response.content.decode()
    # Even the right password is refused from that client for now.
    response = _login(client, member, ATTACKER)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_guessing_from_many_clients_hits_the_larger_per_account_cap(client, member, settings):
    from accounts.adapter import LOGIN_FAILED_PER_ACCOUNT

    cap = int(settings.ACCOUNT_RATE_LIMITS[LOGIN_FAILED_PER_ACCOUNT].split("/")[0])
    assert cap > 5
    for n in range(cap):
        _fail(client, member, f"192.0.2.{n + 1}")
    response = _login(client, member, OWNER)
    assert SESSION_KEY not in client.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_failures_for_one_account_do_not_limit_another_account_from_the_same_client(client, member):
    from tests.factories import UserFactory

    other = UserFactory(email="bo.berg@example.se")
    for _ in range(5):
        _fail(client, member, ATTACKER)
    response = _login(client, other, ATTACKER)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_a_successful_login_does_not_reset_the_count_of_failures(client, member):
    for _ in range(4):
        _fail(client, member, ATTACKER)
    assert _login(client, member, ATTACKER).status_code == 302
    client.logout()
    _fail(client, member, ATTACKER)
    response = _login(client, member, ATTACKER)
    assert SESSION_KEY not in client.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


# --- Strangers cannot lock anyone out -------------------------------------------------------------


def _owners_browser(member):
    """A browser in which the owner has logged in before (and logged out since): it keeps the device cookie."""
    from django.test import Client

    from accounts.adapter import DEVICE_COOKIE

    browser = Client()
    assert _login(browser, member, OWNER).status_code == 302
    device = browser.cookies[DEVICE_COOKIE]
    assert device["httponly"]
    browser.post("/konto/logout/")
    browser.cookies[DEVICE_COOKIE] = device.value
    return browser


def _lock_the_account_for_strangers(client, member, settings):
    from accounts.adapter import LOGIN_FAILED_PER_ACCOUNT

    cap = int(settings.ACCOUNT_RATE_LIMITS[LOGIN_FAILED_PER_ACCOUNT].split("/")[0])
    for n in range(cap):
        _fail(client, member, f"192.0.2.{n + 1}")


def test_a_stranger_filling_the_account_cap_cannot_stop_the_owner_on_a_known_browser(client, member, settings):
    owner = _owners_browser(member)
    _lock_the_account_for_strangers(client, member, settings)
    # A new browser is refused now (the cap works) …
    from django.test import Client

    assert SESSION_KEY not in _login(Client(), member, OWNER).wsgi_request.session
    # … but not the browser the owner used before, from any address.
    response = _login(owner, member, "198.51.100.99")
    assert response.status_code == 302
    assert owner.session[SESSION_KEY] == str(member.pk)


def test_a_stranger_at_the_owners_address_cannot_stop_the_owner_on_a_known_browser(member):
    from django.test import Client

    owner = _owners_browser(member)
    stranger = Client()
    for _ in range(10):
        _fail(stranger, member, OWNER)
    assert _login(owner, member, OWNER).status_code == 302


def test_many_failures_for_one_account_from_a_shared_address_do_not_lock_another_account(member):
    from django.test import Client

    from tests.factories import UserFactory

    other = UserFactory(email="bo.berg@example.se")
    shared = "203.0.113.50"
    for _ in range(25):
        _fail(Client(), member, shared)
    colleague = Client()  # never logged in here before
    response = _login(colleague, other, shared)
    assert response.status_code == 302
    assert colleague.session[SESSION_KEY] == str(other.pk)


def test_spraying_many_accounts_from_one_address_hits_the_per_address_cap(client, member, settings):
    from django.test import Client

    from tests.factories import UserFactory

    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_ip": "8/h/ip"}
    owner = _owners_browser(member)
    for n in range(8):
        _fail(Client(), UserFactory(email=f"konto{n}@example.se"), ATTACKER)
    newcomer = Client()
    response = _login(newcomer, UserFactory(email="ny@example.se"), ATTACKER)
    assert SESSION_KEY not in newcomer.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    # The owner's known browser behind the same address is not bound by it.
    assert _login(owner, member, ATTACKER).status_code == 302


def test_a_known_browser_is_still_limited_per_device(member):
    owner = _owners_browser(member)
    for _ in range(5):
        _fail(owner, member, OWNER)
    response = _login(owner, member, OWNER)
    assert SESSION_KEY not in owner.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_the_device_cookie_trusts_only_its_own_account(client, member, settings):
    from accounts.adapter import DEVICE_COOKIE
    from tests.factories import UserFactory

    other = UserFactory(email="bo.berg@example.se")
    owner = _owners_browser(member)
    _lock_the_account_for_strangers(client, other, settings)
    assert owner.cookies[DEVICE_COOKIE].value
    response = _login(owner, other, OWNER)
    assert SESSION_KEY not in owner.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_a_forged_device_cookie_is_worth_nothing(client, member, settings):
    from django.core import signing
    from django.test import Client

    from accounts.adapter import DEVICE_COOKIE, _account_digest

    _lock_the_account_for_strangers(client, member, settings)
    forger = Client()
    forger.cookies[DEVICE_COOKIE] = signing.dumps([[_account_digest(member.email), "x"]], salt="another-salt")
    response = _login(forger, member, OWNER)
    assert SESSION_KEY not in forger.session
    assert "För många misslyckade inloggningsförsök" in response.content.decode()

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

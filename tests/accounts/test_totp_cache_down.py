"""A login with an authenticator app goes on when the cache (Redis) is away.

allauth marks a used code in the cache so that it cannot be used twice within its window. With Redis away
that marker cannot be written: the code is accepted without it (a warning in the log), as the rate limits
are counted without the cache, instead of a 500 that would lock every coordinator out of the admin."""

import logging
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from samverkan.settings.cache import redis_cache
from tests.accounts.conftest import activate_totp, log_in, totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_login_with_an_authenticator_app_goes_on_with_the_cache_away(client, settings, caplog):
    user = UserFactory(email="samordnare@example.se", password="korrekt-hast-batteri", is_staff=True)
    secret = activate_totp(user)
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:1/1")}  # nothing listens on port 1
    response = log_in(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)
    assert any(r.name == "core.cache" for r in caplog.records)


def test_a_wrong_code_is_still_refused_with_the_cache_away(client, settings):
    user = UserFactory(email="samordnare@example.se", password="korrekt-hast-batteri", is_staff=True)
    secret = activate_totp(user)
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:1/1")}
    log_in(client, user)
    step = int(time.time()) // mfa_settings.TOTP_PERIOD
    valid = {format_hotp_value(hotp_value(secret, step + d)) for d in (-2, -1, 0, 1, 2)}
    wrong = next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session

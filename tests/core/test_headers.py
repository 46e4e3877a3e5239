"""Headers and cookies every page carries: Permissions-Policy, and a language cookie that is
Secure/SameSite/HttpOnly in production."""

import json

import pytest

from tests.core.test_settings import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/organisationer/", "/moten/", "/konto/login/"])
def test_every_page_denies_powerful_browser_features(client, path):
    policy = client.get(path)["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_language_cookie_is_secure_samesite_and_httponly_in_production():
    code = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY]))"
    )
    result = run_manage("shell", "-c", code, env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, "Lax", True]


def test_language_cookie_is_not_secure_where_the_session_cookie_is_not():
    """Production settings on plain http (as the benchmark and reviewers run them): the switcher's
    cookie must come back over http, or English can never be chosen."""
    code = "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE)"
    plain_http = {"SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false", "SECURE_SSL_REDIRECT": "false"}
    result = run_manage("shell", "-c", code, env_overrides={**PRODUCTION, **plain_http})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_language_switch_sets_a_samesite_httponly_cookie(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert cookie["secure"] is True

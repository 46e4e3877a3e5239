import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from tests.eid_provider import eid_provider, eid_region  # noqa: F401 - fixtures of the e-ID tests
from tests.factories import UserFactory

PASSWORD = "korrekt-hast-batteri"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Account tests log in many times; hashing strength is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def totp_code(secret: str) -> str:
    """The code an authenticator app shows right now for ``secret``.

    Near the end of a 30-second step the code is taken from the next step, which the portal also accepts (a
    tolerance of one step): a slow browser test then never sends a code that turned stale on the way.
    """
    now = time.time()
    period = mfa_settings.TOTP_PERIOD
    if period - now % period < 5:
        now += period
    return format_hotp_value(hotp_value(secret, int(now) // period))


def activate_totp(user) -> str:
    """Give ``user`` an authenticator app (and recovery codes), as after allauth's activation."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def log_in(client, user, password=PASSWORD):
    """Log in through allauth's form (not force_login), so allauth records the authentication."""
    return client.post("/konto/login/", {"login": user.email, "password": password})


def reauthenticate(client, password=PASSWORD):
    """Confirm access with the password, as allauth asks before MFA changes."""
    return client.post("/konto/reauthenticate/", {"password": password})


@pytest.fixture
def member(db):
    return UserFactory(email="anna.andersson@example.se", full_name="Anna Andersson")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.se", full_name="Sam Staff", is_staff=True, is_superuser=True)

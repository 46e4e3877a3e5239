"""STAFF_REQUIRE_MFA: staff set up an authenticator app before the admin opens."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.accounts.conftest import activate_totp, log_in, reauthenticate, totp_code

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


@pytest.fixture
def require_mfa(settings):
    settings.STAFF_REQUIRE_MFA = True


def test_staff_without_totp_is_sent_to_totp_setup(client, staff, require_mfa):
    client.force_login(staff)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fadmin%2F"


def test_staff_without_totp_is_told_why(client, staff, require_mfa):
    log_in(client, staff)
    reauthenticate(client)
    response = client.get(ADMIN, follow=True)
    html = response.content.decode()
    assert "Samordnare måste använda" in html
    assert "Aktivera autentiseringsapp" in html


def test_staff_without_totp_cannot_open_admin_pages_below_index(client, staff, require_mfa):
    client.force_login(staff)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_totp_reaches_admin(client, staff, require_mfa):
    activate_totp(staff)
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 200


def test_staff_sets_up_totp_then_reaches_admin(client, staff, require_mfa):
    log_in(client, staff)
    assert client.get(ADMIN)["Location"].startswith(reverse("mfa_activate_totp"))
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))  # puts the new secret in the session, as when the QR code is shown
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(ADMIN).status_code == 200


def test_staff_with_totp_logs_in_with_code_and_reaches_admin(client, staff, require_mfa):
    secret = activate_totp(staff)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "korrekt-hast-batteri"})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_wrong_totp_code_shows_error_summary(client, staff, require_mfa):
    activate_totp(staff)
    log_in(client, staff)
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_code"' in html


def test_non_staff_user_is_not_asked_for_totp(client, member, require_mfa):
    client.force_login(member)
    assert client.get(reverse("accounts:mypages")).status_code == 200
    # The admin itself refuses non-staff users (allauth's secure_admin_login), without MFA detours.
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert all(reverse("mfa_activate_totp") not in url for url, _ in response.redirect_chain)


def test_setting_off_lets_staff_without_totp_into_admin(client, staff, settings):
    settings.STAFF_REQUIRE_MFA = False
    client.force_login(staff)
    assert client.get(ADMIN).status_code == 200


def test_anonymous_admin_visitor_is_sent_to_allauth_login(client, require_mfa):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator on a real commit
def test_after_totp_setup_staff_get_a_link_back_to_the_admin(client, staff, require_mfa):
    log_in(client, staff)
    client.get(ADMIN)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    html = response.content.decode()
    assert h1_text(html) == "Återställningskoder"
    assert f'<a href="{ADMIN}">fortsätt till administrationen</a>' in html


@pytest.mark.django_db(transaction=True)
def test_member_activating_totp_gets_no_admin_link(client, member):
    log_in(client, member)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    assert "Autentiseringsapp aktiverad." in response.content.decode()
    assert "administrationen" not in response.content.decode()


def h1_text(html):
    import re

    return re.sub(r"\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()


@pytest.mark.parametrize(("steps", "accepted"), [(-1, True), (1, True), (-2, False), (2, False)])
def test_a_code_one_step_off_is_accepted_two_steps_off_refused(
    client, staff, require_mfa, monkeypatch, steps, accepted
):
    """A phone whose clock is a few seconds off still logs in; a code from a minute ago does not."""
    from allauth.mfa.totp.internal import auth

    now = 1_800_000_015  # the middle of a 30-second step, held still so the step cannot turn during the test
    monkeypatch.setattr(auth.time, "time", lambda: now)
    secret = activate_totp(staff)
    client.post(reverse("account_login"), {"login": staff.email, "password": "korrekt-hast-batteri"})
    counter = now // 30 + steps
    format_hotp_value, hotp_value = auth.format_hotp_value, auth.hotp_value
    client.post(reverse("mfa_authenticate"), {"code": format_hotp_value(hotp_value(secret, counter))})
    assert (client.get(ADMIN).status_code == 200) is accepted

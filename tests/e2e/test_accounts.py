"""Accounts in a real browser: sign-up → verification e-mail → confirm → logged in, in Swedish;
log-in, password reset and MFA pages axe-clean; the language switcher."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.accounts.conftest import totp_code
from tests.e2e.conftest import axe_check
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "korrekt-hast-batteri"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is not what these tests check; the live server runs in this process."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def wait_for_mail(count=1, timeout=60.0):
    # The live server thread sends on commit; on a loaded machine that can take seconds. The loop
    # returns as soon as the mail is there, so a generous bound costs nothing on a quiet one.
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mail.outbox) >= count, "no e-mail arrived"
    return mail.outbox[count - 1]


def test_signup_verification_and_login_in_swedish(page):
    page.goto("/konto/signup/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Skapa konto"
    axe_check(page)

    page.get_by_label("E-postadress").fill("ny.medlem@example.se")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Skapa konto").click()

    page.wait_for_url("**/konto/confirm-email/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bekräfta din e-postadress"
    axe_check(page)

    message = wait_for_mail()
    assert message.to == ["ny.medlem@example.se"]
    assert message.subject == "[Samverkansportalen] Bekräfta din e-postadress"
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Bekräfta e-postadress"
    axe_check(page)
    page.get_by_role("button", name="Bekräfta").click()

    page.wait_for_url("**/mina-sidor/")
    expect(page.get_by_text("Du är inloggad som ny.medlem@example.se.")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    axe_check(page)


def test_login_page_is_accessible_and_logs_in(page):
    UserFactory(email="anna@example.se")
    page.goto("/konto/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Logga in"
    axe_check(page)
    page.get_by_label("E-postadress").fill("anna@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()
    page.wait_for_url("**/mina-sidor/")
    axe_check(page)


def test_wrong_password_shows_accessible_error_summary(page):
    UserFactory(email="anna@example.se")
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill("anna@example.se")
    page.get_by_label("Lösenord").fill("fel-losenord-1")
    page.get_by_role("button", name="Logga in").last.click()
    summary = page.get_by_role("alert")
    assert "Något behöver rättas" in summary.inner_text()
    assert "felaktigt" in summary.inner_text()
    axe_check(page)


def test_password_reset_pages_are_accessible_and_send_swedish_email(page):
    UserFactory(email="glomsk@example.se")
    page.goto("/konto/login/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.wait_for_url("**/konto/password/reset/")
    assert page.get_by_role("heading", level=1).inner_text() == "Återställning av lösenord"
    axe_check(page)
    page.get_by_label("E-postadress").fill("glomsk@example.se")
    page.get_by_role("button", name="Återställ mitt lösenord").click()
    page.wait_for_url("**/konto/password/reset/done/")
    axe_check(page)
    message = wait_for_mail()
    assert message.subject == "[Samverkansportalen] Återställ ditt lösenord"
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+/", message.body).group(0)
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Ändra lösenord"
    axe_check(page)


def test_language_switcher_shows_login_page_in_english_and_back(page):
    page.goto("/konto/login/")
    page.get_by_role("button", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    expect(page.get_by_label("Password").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Sign up").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign up"
    page.get_by_role("button", name="På svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Skapa konto"


def test_staff_sets_up_authenticator_before_admin(page, settings):
    settings.STAFF_REQUIRE_MFA = True
    UserFactory(email="samordnare@example.se", is_staff=True, is_superuser=True)
    page.goto("/admin/")
    page.wait_for_url("**/konto/login/**")
    page.get_by_label("E-postadress").fill("samordnare@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()

    # The admin sends staff without TOTP to set it up; allauth first asks to confirm the password.
    page.wait_for_url("**/konto/reauthenticate/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Bekräfta åtkomst"
    assert "Samordnare måste använda" in page.locator(".messages").inner_text()
    axe_check(page)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Bekräfta").click()

    page.wait_for_url("**/konto/2fa/totp/activate/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Aktivera autentiseringsapp"
    axe_check(page)
    secret = page.get_by_label("Autentiseringshemlighet").input_value()
    page.get_by_label("Autentiseringskod").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera").click()

    page.wait_for_url("**/konto/2fa/recovery-codes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Återställningskoder"
    axe_check(page)
    page.get_by_role("link", name="fortsätt till administrationen").click()
    page.wait_for_url("**/admin/")
    assert "Samordning" in page.title()


def test_account_management_pages_are_accessible(page):
    UserFactory(email="anna@example.se")
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill("anna@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()
    page.wait_for_url("**/mina-sidor/")

    page.get_by_role("link", name="E-postadresser").click()
    assert page.get_by_role("heading", level=1).inner_text() == "E-postadresser"
    expect(page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name="Mina sidor")).to_be_visible()
    axe_check(page)

    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Ändra lösenord").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ändra lösenord"
    page.get_by_label("Nuvarande lösenord").fill("fel-losenord-1")
    page.get_by_role("button", name="Ändra lösenord").click()
    assert "Något behöver rättas" in page.get_by_role("alert").inner_text()
    axe_check(page)

    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Tvåfaktorsautentisering").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tvåfaktorsautentisering"
    axe_check(page)

    page.goto("/konto/logout/")
    assert page.get_by_role("heading", level=1).inner_text() == "Logga ut"
    axe_check(page)
    page.locator("main").get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()


def test_member_deletes_own_account(page):
    UserFactory(email="lamnar@example.se")
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill("lamnar@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").last.click()
    page.wait_for_url("**/mina-sidor/")
    page.get_by_role("link", name="Radera mitt konto").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Radera mitt konto"
    axe_check(page)
    page.get_by_role("button", name="Radera mitt konto").click()
    assert "Något behöver rättas" in page.get_by_role("alert").inner_text()
    axe_check(page)
    page.get_by_label("Ditt lösenord").fill(PASSWORD)
    page.get_by_label("Jag förstår att mitt konto raderas för gott.").check()
    page.get_by_role("button", name="Radera mitt konto").click()
    expect(page.get_by_text("Ditt konto har raderats.")).to_be_visible()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()

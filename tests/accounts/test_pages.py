"""Every allauth page is in the site's layout (base.html), in Swedish, with visible labels and an
error summary when a form comes back with errors."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.conftest import activate_totp, log_in, reauthenticate

pytestmark = pytest.mark.django_db

SKIP_LINK = "Till innehållet"


def h1(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def assert_in_site_layout(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert SKIP_LINK in html
    assert 'class="site-header' in html and 'class="site-footer' in html
    assert "Menu:" not in html and "Meny:" not in html  # allauth's own bare layout is not used


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_login", "Logga in"),
        ("account_signup", "Skapa konto"),
        ("account_reset_password", "Återställning av lösenord"),
        ("account_reset_password_done", "Återställning av lösenord"),
        ("account_email_verification_sent", "Bekräfta din e-postadress"),
    ],
)
def test_public_account_page_uses_site_layout_in_swedish(client, url_name, heading):
    response = client.get(reverse(url_name))
    assert_in_site_layout(response)
    assert h1(response) == heading


def test_login_page_has_visible_labels_and_bootstrap_inputs(client):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<label\s+for="id_login" class="form-label', html)
    assert re.search(r'<label\s+for="id_password" class="form-label', html)
    assert 'class="textinput form-control' in html or "form-control" in html
    assert 'class="btn btn-primary"' in html


def test_login_page_invites_to_create_an_account_in_correct_swedish(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Har du inget konto än?" in html
    assert f'<a href="{reverse("account_signup")}">Skapa ett konto</a>' in html


def test_login_page_is_english_after_switching_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("account_login"))
    assert '<html lang="en">' in response.content.decode()
    assert h1(response) == "Sign in"


def test_wrong_password_shows_error_summary(client, member):
    response = log_in(client, member, password="fel-losenord-123")
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "E-postadressen och/eller lösenordet är felaktigt." in html
    assert html.index("error-summary") < html.index("<h1")


def test_invalid_signup_error_summary_links_to_fields(client):
    response = client.post(
        reverse("account_signup"), {"email": "inte-en-adress", "password1": "kort", "password2": "kort"}
    )
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_email"' in html
    assert 'href="#id_password1"' in html
    assert 'aria-invalid="true"' in html


def test_confirm_email_page_uses_site_layout(client):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from tests.factories import UserFactory

    user = UserFactory(verified_email=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    key = EmailConfirmationHMAC(address).key
    response = client.get(reverse("account_confirm_email", args=[key]))
    assert_in_site_layout(response)
    assert h1(response) == "Bekräfta e-postadress"
    assert 'type="submit" class="btn btn-primary"' in response.content.decode()


def test_password_reset_from_key_page_uses_site_layout(client, member):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    url = reverse(
        "account_reset_password_from_key", args=[user_pk_to_url_str(member), default_token_generator.make_token(member)]
    )
    response = client.get(url, follow=True)  # allauth moves the key into the session, then shows the form
    assert_in_site_layout(response)
    assert h1(response) == "Ändra lösenord"
    assert 'id="id_password1"' in response.content.decode()


def test_bad_password_reset_link_says_so_in_swedish(client, member):
    url = reverse("account_reset_password_from_key", args=["zz", "fel-nyckel"])
    response = client.get(url, follow=True)
    assert_in_site_layout(response)
    assert h1(response) == "Ogiltig länk"


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_change_password", "Ändra lösenord"),
        ("account_email", "E-postadresser"),
        ("account_logout", "Logga ut"),
        ("mfa_index", "Tvåfaktorsautentisering"),
        ("account_reauthenticate", "Bekräfta åtkomst"),
    ],
)
def test_account_management_page_uses_site_layout(client, member, url_name, heading):
    log_in(client, member)
    response = client.get(reverse(url_name))
    assert_in_site_layout(response)
    assert h1(response) == heading


def test_management_pages_lead_back_to_my_pages(client, member):
    log_in(client, member)
    html = client.get(reverse("account_change_password")).content.decode()
    assert 'aria-label="Brödsmulor"' in html
    assert f'<a href="{reverse("accounts:mypages")}">Mina sidor</a>' in html


def test_totp_activation_asks_to_confirm_access_first(client, member):
    log_in(client, member)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_totp_activation_shows_qr_code_and_secret_with_labels(client, member):
    log_in(client, member)
    reauthenticate(client)
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert '<label class="form-label" for="authenticator_secret">' in html
    assert re.search(r'<label\s+for="id_code" class="form-label', html)


def test_recovery_codes_page_uses_site_layout(client, member):
    log_in(client, member)
    activate_totp(member)
    reauthenticate(client)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert_in_site_layout(response)
    assert h1(response) == "Återställningskoder"


def test_mfa_authenticate_page_asks_for_code_in_site_layout(client, member):
    activate_totp(member)
    response = log_in(client, member)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.get(reverse("mfa_authenticate"))
    assert_in_site_layout(response)
    assert h1(response) == "Tvåfaktorsautentisering"
    assert re.search(r'<label\s+for="id_code" class="form-label', response.content.decode())


def test_account_pages_have_no_inline_scripts_or_styles(client, member):
    """CSP forbids inline script and style: data blocks (type=application/json) are allowed."""
    log_in(client, member)
    for url_name in ("account_email", "account_change_password", "mfa_index"):
        html = client.get(reverse(url_name)).content.decode()
        assert ' style="' not in html
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("mfa_index", "Tvåfaktorsautentisering"),
        ("mfa_deactivate_totp", "Inaktivera autentiseringsapp"),
        ("mfa_generate_recovery_codes", "Återställningskoder"),
    ],
)
def test_mfa_management_pages_with_totp_use_site_layout(client, member, url_name, heading):
    log_in(client, member)
    activate_totp(member)
    reauthenticate(client)
    response = client.get(reverse(url_name))
    assert_in_site_layout(response)
    assert h1(response) == heading


def test_password_reset_done_page_after_new_password_uses_site_layout(client):
    response = client.get(reverse("account_reset_password_from_key_done"))
    assert_in_site_layout(response)
    assert h1(response) == "Ändra lösenord"


def test_too_many_password_resets_show_swedish_page_in_site_layout(client, settings, member):
    settings.ACCOUNT_RATE_LIMITS = {"reset_password": "1/m/ip"}
    client.post(reverse("account_reset_password"), {"email": member.email})
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="sv">' in html and SKIP_LINK in html
    assert "För många försök" in html


def test_adding_invalid_email_address_shows_error_summary(client, member):
    log_in(client, member)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "inte-en-adress"})
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_email"' in html
    assert html.count('id="error-summary"') == 1

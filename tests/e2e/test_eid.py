"""e-ID in a real browser, through the local OpenID Connect provider (tests/eid_provider.py): a linked account
logs in; a level below the region's requirement is refused, also when the login URL's acr_values were
edited on the way to the provider; Mina sidor links an e-ID. Each page axe-checked."""

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from accounts.eid import person_number_hash
from tests.e2e.conftest import axe_check
from tests.eid_provider import region_eid_settings, with_query
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "199001012389"
PASSWORD = "korrekt-hast-batteri"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at_the_provider(page, sub):
    """The person identifies at the (test) provider as ``sub``."""
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()


def test_a_linked_account_logs_in_with_e_id(page, eid_region):
    member = UserFactory(email="anna@example.se")
    SocialAccount.objects.create(user=member, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    eid_region.person("anna", level="PLUS", number=NUMBER)

    page.goto("/konto/login/")
    axe_check(page)
    page.get_by_role("button", name="Logga in med e-legitimation").click()
    page.wait_for_url(f"{eid_region.issuer}/**")
    at_the_provider(page, "anna")

    expect(page.get_by_role("heading", level=1, name="Mina sidor")).to_be_visible()
    expect(page.get_by_text("Din e-legitimation är kopplad till det här kontot")).to_be_visible()
    axe_check(page)


def test_a_level_below_the_requirement_is_refused(page, eid_region):
    eid_region.person("basic", level="BASIC", number=NUMBER)

    page.goto("/konto/login/")
    page.get_by_role("button", name="Logga in med e-legitimation").click()
    page.wait_for_url(f"{eid_region.issuer}/**")
    at_the_provider(page, "basic")

    expect(page.get_by_role("heading", level=1, name="Inloggningen med e-legitimation nekades")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("BASIC")
    axe_check(page)
    page.goto("/mina-sidor/")
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()


def test_acr_values_edited_in_the_login_url_are_still_refused(page, eid_provider, settings, region):
    region_eid_settings(settings, region.short_name, eid_provider, ACR_VALUES="loa3 loa4")
    from tests.eid_provider import EIDFlow

    flow = EIDFlow(issuer=eid_provider, provider_id=f"eid-{region.short_name}")
    flow.person("weak", acr="loa1", number=NUMBER)

    page.goto("/konto/login/")
    page.get_by_role("button", name="Logga in med e-legitimation").click()
    page.wait_for_url(f"{eid_provider}/**")
    assert "acr_values=loa3+loa4" in page.url
    page.goto(with_query(page.url, acr_values="loa1"))
    at_the_provider(page, "weak")

    expect(page.get_by_role("heading", level=1, name="Inloggningen med e-legitimation nekades")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("loa1")


def test_my_pages_links_an_e_id(page, eid_region):
    UserFactory(email="bertil@example.se", password=PASSWORD)
    eid_region.person("bertil", level="EXTENDED", number=NUMBER)
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill("bertil@example.se")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Mina sidor")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Koppla e-legitimation").click()
    page.wait_for_url(f"{eid_region.issuer}/**")
    at_the_provider(page, "bertil")

    expect(page.get_by_text("Din e-legitimation är kopplad till det här kontot")).to_be_visible()
    page.goto(f"/konto/oidc/{eid_region.provider_id}/login/?process=redirect&next=/mina-sidor/")
    expect(page.get_by_role("heading", level=1, name="Bekräfta med e-legitimation")).to_be_visible()
    axe_check(page)

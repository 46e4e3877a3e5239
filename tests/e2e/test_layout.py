import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_is_swedish_and_accessible(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Till innehållet").count() == 1
    axe_check(page)


def test_language_switcher_changes_page_to_english_and_back(page):
    page.goto("/")
    page.get_by_role("button", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="På svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    expect(page.get_by_role("link", name="Tillgänglighetsredogörelse")).to_be_visible()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/tillganglighet/", "Tillgänglighetsredogörelse"),
        ("/personuppgifter/", "Så behandlar vi dina personuppgifter"),
    ],
)
def test_statement_pages_are_reachable_from_the_footer_and_accessible(page, path, heading):
    page.goto("/")
    page.locator("footer").get_by_role(
        "link", name="Tillgänglighetsredogörelse" if "tillg" in path else "Personuppgifter"
    ).click()
    page.wait_for_url(f"**{path}")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    axe_check(page)


def test_page_not_found_is_swedish_and_accessible(page):
    response = page.goto("/finns-inte/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    axe_check(page)

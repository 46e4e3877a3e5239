import pytest

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
    assert page.get_by_role("link", name="Accessibility statement").is_visible()
    axe_check(page)
    page.get_by_role("button", name="På svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Tillgänglighetsredogörelse").is_visible()

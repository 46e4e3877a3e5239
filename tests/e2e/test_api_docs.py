"""Browser test of the open data page (/oppna-data/): reached from the footer: no CSP violation, axe clean.

(CORS is tested on the headers in tests/api: Chromium's local network access rules refuse a fetch between
two loopback origins, so a browser test of it would test Chromium, not us.)"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.factories import AgreementFactory, MeetingFactory, OrganisationFactory, SignatoryFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _watch_csp(page) -> list:
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return violations


@pytest.mark.parametrize("language", ["sv", "en"])
def test_open_data_page_from_the_footer_without_csp_violations_and_axe_clean(page, language):
    MeetingFactory(title="Dialogmöte om öppna data")
    SignatoryFactory(agreement=AgreementFactory(slug="vgr"), organisation=OrganisationFactory())
    violations = _watch_csp(page)
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="In English").click()
    page.get_by_role("contentinfo").get_by_role("link", name="Öppna data" if language == "sv" else "Open data").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/oppna-data/")
    assert page.get_by_role("heading", level=1).inner_text() == ("Öppna data" if language == "sv" else "Open data")
    expect(page.get_by_text("/api/v1/meetings/").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="CC0 1.0 Universal").wait_for()
    assert violations == []

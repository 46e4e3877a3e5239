"""The accessibility statement in a browser: every part DIGG's model asks for in Swedish and English, a
shortcoming reported without JavaScript that reaches the coordinators' inbox, and 320 px without sideways
scrolling; axe-core on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accessibility import demo
from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)

SWEDISH_HEADINGS = [
    "Hur tillgänglig är webbplatsen?",
    "Vad kan du göra om du inte kan använda delar av webbplatsen?",
    "Rapportera brister i webbplatsens tillgänglighet",
    "Tillsyn",
    "Innehåll som inte är tillgängligt",
    "Bristande förenlighet med lagkraven",
    "Oskäligt betungande anpassning",
    "Innehåll som inte omfattas av lagkraven",
    "Hur vi testat webbplatsen",
]
ENGLISH_HEADINGS = [
    "How accessible is the website?",
    "What can you do if you cannot use parts of the website?",
    "Report shortcomings in the website's accessibility",
    "Supervision",
    "Content that is not accessible",
    "Non-compliance with the law",
    "Disproportionate burden",
    "Content outside the scope of the law",
    "How we tested the website",
]


def _axe_without_scripts(browser, live_server, page):
    """axe-core needs JavaScript: check the HTML a visitor without it got, in a page that runs axe."""
    checker = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    html, url = SCRIPT.sub("", page.content()), page.url
    checker.route(
        lambda candidate: candidate == url,
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
    )
    checker.goto(url)
    axe_check(checker)
    checker.context.close()


def test_the_statement_has_each_required_part_in_both_languages(page, live_server):
    demo.load()
    page.goto("/tillganglighet/")
    expect(page.get_by_role("heading", level=1, name="Tillgänglighetsredogörelse")).to_be_visible()
    for heading in SWEDISH_HEADINGS:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("#compliance")).to_contain_text("delvis förenlig med lagen (2018:1937)")
    expect(page.get_by_role("link", name="påtala det")).to_have_attribute("href", "https://www.digg.se/tdosanmalan")
    expect(page.get_by_text("Webbplatsen bedömdes senast den 16 november 2026.")).to_be_visible()
    expect(page.get_by_text("Redogörelsen granskades senast den 1 december 2026.")).to_be_visible()
    axe_check(page)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto("/tillganglighet/")
    expect(page.get_by_role("heading", level=1, name="Accessibility statement")).to_be_visible()
    for heading in ENGLISH_HEADINGS:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("#compliance")).to_contain_text("partially compliant with the Act (2018:1937)")
    expect(page.get_by_role("link", name="report it")).to_have_attribute("href", "https://www.digg.se/tdosanmalan")
    expect(page.get_by_text("The statement was last reviewed on 1 December 2026.")).to_be_visible()
    axe_check(page)


def test_a_visitor_reports_a_shortcoming_without_javascript(browser, live_server, coordinator):
    demo.load()
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/tillganglighet/")
    page.get_by_role("link", name="Rapportera en brist eller be om innehåll i annan form").click()
    page.get_by_label("Vilken sida eller vilket dokument?").fill("Protokoll 4 maj")
    page.get_by_label("Din e-postadress").fill("inte-en-adress")
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Något behöver rättas")).to_be_visible()
    expect(page.get_by_label("Vilken sida eller vilket dokument?")).to_have_value("Protokoll 4 maj")
    _axe_without_scripts(browser, live_server, page)
    page.get_by_label("Vad är problemet, eller vad behöver du?").fill("PDF:en går inte att läsa med skärmläsare.")
    page.get_by_label("Din e-postadress").fill("alva@example.se")
    page.get_by_label("Jag vill ha innehållet i annan form").check()
    page.get_by_role("button", name="Skicka").click()
    expect(page.get_by_role("heading", name="Tack för din synpunkt")).to_be_visible()
    _axe_without_scripts(browser, live_server, page)
    to_coordinators = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(to_coordinators) == 1 and "PDF:en går inte att läsa" in to_coordinators[0].body
    assert any(m.to == ["alva@example.se"] for m in mail.outbox)
    context.close()


def test_the_statement_and_the_form_reflow_at_320_px(page):
    demo.load()
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/tillganglighet/", "/tillganglighet/rapportera/"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
        axe_check(page)

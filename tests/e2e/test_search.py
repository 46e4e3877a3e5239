"""The portal's one search in a browser: the field in the header of every page finds "roda korset" and
"ukraina" across kinds in Swedish and in English, never an unpublished challenge; axe-clean, without
JavaScript, and without sideways scrolling at 320 px."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.factories import AgreementFactory, ChallengeFactory, MeetingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

RED_CROSS = "Röda Korsets regionråd Västernorrland"
NETWORK = "Nätverket Ukrainahjälpen"
CHALLENGE = "Flyktingsituationen efter kriget i Ukraina och folkhälsan"
MEETING = "Samverkan kring Ukraina med Röda Korset"
AGREEMENT = "Överenskommelsen om samverkan"
HIDDEN = "Ukraina: en utmaning som inte är publicerad"


@pytest.fixture
def content():
    cache.clear()
    OrganisationFactory(name=RED_CROSS, slug="roda-korset", description="Stöd till människor på flykt.")
    OrganisationFactory(name=NETWORK, slug="ukrainahjalpen", description="Frivilliga som tar emot människor på flykt.")
    OrganisationFactory(name="Idrottsföreningen Norrstjärnan", slug="norrstjarnan")
    ChallengeFactory(title=CHALLENGE, slug="ukraina", summary="Hur tar vi emot dem som flyr från kriget i Ukraina?")
    ChallengeFactory(title=HIDDEN, slug="hemlig", published=False)
    start = timezone.now() + dt.timedelta(days=10)
    MeetingFactory(title=MEETING, slug="ukraina-mote", start=start, end=start + dt.timedelta(hours=2))
    AgreementFactory(title=AGREEMENT, slug="overenskommelsen", parties="Region Västernorrland\nRöda Korset")


def _search_from_the_header(page, words: str, field: str, button: str) -> None:
    header = page.locator("header")
    header.get_by_label(field).fill(words)
    header.get_by_role("button", name=button).click()


def test_roda_korset_and_ukraina_across_kinds_in_swedish_and_english(page, content):
    page.goto("/moten/")
    _search_from_the_header(page, "roda korset", "Sök i portalen", "Sök i portalen")
    expect(page.get_by_role("heading", level=1, name="Sök")).to_be_visible()
    results = page.locator("main")
    expect(results.get_by_role("link", name=RED_CROSS)).to_be_visible()
    expect(results.get_by_role("link", name=MEETING)).to_be_visible()
    expect(results.get_by_role("link", name=AGREEMENT)).to_be_visible()
    assert results.get_by_role("link", name="Idrottsföreningen Norrstjärnan").count() == 0
    axe_check(page)

    _search_from_the_header(page, "ukraina", "Sök i portalen", "Sök i portalen")
    expect(results.get_by_role("heading", level=2, name="Utmaningar")).to_be_visible()
    expect(results.get_by_role("link", name=CHALLENGE)).to_be_visible()
    expect(results.get_by_role("link", name=MEETING)).to_be_visible()
    expect(results.get_by_role("link", name=NETWORK)).to_be_visible()
    assert page.get_by_text(HIDDEN).count() == 0
    # Only challenges, then the link back to every kind.
    page.get_by_label("Visa", exact=True).select_option(label="Utmaningar")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(results.get_by_role("link", name=CHALLENGE)).to_be_visible()
    assert results.get_by_role("link", name=MEETING).count() == 0
    assert page.get_by_text(HIDDEN).count() == 0
    axe_check(page)
    results.get_by_role("link", name=CHALLENGE).click()
    expect(page.get_by_role("heading", level=1, name=CHALLENGE)).to_be_visible()

    page.get_by_role("button", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    _search_from_the_header(page, "ukraina", "Search the portal", "Search in the portal")
    expect(page.get_by_role("heading", level=1, name="Search")).to_be_visible()
    expect(results.get_by_role("heading", level=2, name="Challenges")).to_be_visible()
    challenge = results.get_by_role("link", name=CHALLENGE)
    expect(challenge).to_be_visible()
    assert challenge.get_attribute("lang") == "sv"  # no English title kept: the Swedish one, marked
    expect(results.get_by_role("link", name=MEETING)).to_be_visible()
    assert page.get_by_text(HIDDEN).count() == 0
    _search_from_the_header(page, "Röda Korset", "Search the portal", "Search in the portal")
    expect(results.get_by_role("link", name=RED_CROSS)).to_be_visible()
    axe_check(page)


def test_a_bad_filter_gets_a_message_that_keeps_the_words(page, content):
    page.goto("/sok/?q=ukraina&from_date=2026-02-30")
    expect(page.get_by_role("alert")).to_contain_text("Fyll i ett giltigt datum")
    expect(page.get_by_label("Sök efter")).to_have_value("ukraina")
    axe_check(page)


def test_search_works_without_javascript(browser, live_server, content):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto("/")
        _search_from_the_header(page, "ukraina", "Sök i portalen", "Sök i portalen")
        expect(page.locator("main").get_by_role("link", name=CHALLENGE)).to_be_visible()
        # The filters are a <details>: they open and send without a script.
        page.locator("summary", has_text="Fler filter").click()
        page.get_by_label("När", exact=True).select_option(value="upcoming")
        page.get_by_role("button", name="Sök", exact=True).click()
        expect(page.locator("main").get_by_role("link", name=MEETING)).to_be_visible()
        assert page.locator("main").get_by_role("link", name=NETWORK).count() == 0  # no date
        assert "when=upcoming" in page.url
    finally:
        context.close()


def test_search_fits_320_px(page, content):
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/", "/sok/", "/sok/?q=ukraina", "/sok/?q=ukraina&kind=challenges&when=past&from_date=x"):
        page.goto(path)
        expect(page.locator("header").get_by_label("Sök i portalen")).to_be_visible()
        filters = page.locator("details.search-filters")
        if path != "/" and filters.get_attribute("open") is None:
            filters.locator("summary").click()
        width = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert width == 0, path
        axe_check(page)

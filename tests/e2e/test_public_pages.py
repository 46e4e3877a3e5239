"""Browser tests of what a new user found on the public pages: reflow at phone widths on every public
page (WCAG 1.4.10), search with and without accents, and the hybrid meeting's on site / online choice."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, Registration, Topic
from tests.e2e.conftest import axe_check
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    MeetingFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    SignatoryFactory,
    WorkingGroupMemberFactory,
)
from tests.factories.regions import record_disposal_decisions

pytestmark = pytest.mark.django_db(transaction=True)

# Long Swedish compound words, as in the demo's headings, that used to push pages sideways.
LONG_TITLE = "Samverkansöverenskommelsesuppföljningsmöte om civilsamhällesorganisationernas flyktingmottagningsarbete"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def public_data():
    organisation = OrganisationFactory(
        name="Röda Korsets regionråd Västernorrland",
        slug="roda-korset",
        organisation_number="802002-4280",
        description="Humanitärt arbete i hela länet. " * 5,
        website="https://www.rodakorset.se/en-mycket-lang-adress/som-inte-far-bryta-sidan/alls",
    )
    OrganisationFactory(name="Idrottsföreningen Norrstjärnan", slug="norrstjarnan")
    agreement = AgreementFactory(title=LONG_TITLE, slug="overenskommelse")
    ActionPlanFactory(agreement=agreement, title="Handlingsplan för överenskommelsen")
    WorkingGroupMemberFactory(agreement=agreement, name="Charlotte Nordström", affiliation="M", role="ordförande")
    SignatoryFactory(agreement=agreement, organisation=organisation)
    past = MeetingFactory(
        title=LONG_TITLE,
        slug="samverkan-4-maj-2022",
        start=timezone.now() - dt.timedelta(days=400),
        end=timezone.now() - dt.timedelta(days=400) + dt.timedelta(hours=3),
        format=Meeting.Format.DIGITAL,
        venue_name="",
        venue_address="",
    )
    ProgrammeItemFactory(meeting=past, title="Vaccinationsnivåuppföljningsdiskussion", start_time=dt.time(9))
    hybrid = MeetingFactory(
        title="Dialogmöte: nära vård och civilsamhället",
        slug="nara-vard",
        format=Meeting.Format.HYBRID,
        online_link="https://meet.example.se/nara-vard",
        venue_name="Regionens hus",
        venue_address="Storgatan 2, 871 85 Härnösand",
        venue_accessibility="Entré utan trappsteg, hiss, hörslinga.",
    )
    hybrid.topics.add(Topic.objects.create(name="God och nära vård", name_en="Good and close care", slug="nara-vard"))
    return {"organisation": organisation, "agreement": agreement, "past": past, "hybrid": hybrid}


def _public_paths(data) -> list[str]:
    agreement, organisation = data["agreement"], data["organisation"]
    return [
        "/",
        "/tillganglighet/",
        "/personuppgifter/",
        "/handlingar/",
        "/moten/",
        data["past"].get_absolute_url(),
        data["hybrid"].get_absolute_url(),
        f"/moten/{data['hybrid'].slug}/anmalan/",
        "/organisationer/",
        organisation.get_absolute_url(),
        "/organisationer/anmal-intresse/",
        "/overenskommelser/",
        agreement.get_absolute_url(),
        f"/overenskommelser/{agreement.slug}/undertecknare/",
        "/konto/login/",
    ]


def _scrolls_sideways(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scrolling)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [320, 390])
def test_every_public_page_reflows_at_phone_width(page, public_data, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = {}
    for path in _public_paths(public_data):
        page.goto(path)
        overflow = _scrolls_sideways(page)
        if overflow > 0:
            too_wide[path] = overflow
        if width == 320:
            axe_check(page)
    assert too_wide == {}


def test_english_pages_mark_swedish_content(page, public_data):
    page.goto("/")
    page.get_by_role("button", name="In English").click()
    page.goto(public_data["past"].get_absolute_url())
    # No English title written: the Swedish one, marked Swedish (core/translated.py).
    expect(page.locator('h1 > span[lang="sv"]')).to_have_text(public_data["past"].title)
    assert page.locator("html").get_attribute("lang") == "en"
    axe_check(page)


@pytest.mark.parametrize("term", ["röda", "roda", "RODA"])
def test_directory_search_with_and_without_accents(page, public_data, term):
    page.goto("/organisationer/")
    page.get_by_label("Sök på namn eller organisationsnummer").fill(term)
    page.get_by_role("button", name="Sök", exact=True).click()  # not the header's "Sök i portalen"
    expect(page.get_by_role("link", name="Röda Korsets regionråd Västernorrland")).to_be_visible()
    assert page.get_by_role("link", name="Idrottsföreningen Norrstjärnan").count() == 0
    axe_check(page)


def test_directory_finds_an_organisation_number_typed_without_dash(page, public_data):
    page.goto("/organisationer/")
    page.get_by_label("Sök på namn eller organisationsnummer").fill("8020024280")
    page.get_by_role("button", name="Sök", exact=True).click()  # not the header's "Sök i portalen"
    expect(page.get_by_role("link", name="Röda Korsets regionråd Västernorrland")).to_be_visible()


def test_meeting_search_without_accents(page, public_data):
    page.goto("/moten/")
    page.get_by_label("Sök möten").fill("nara vard")
    page.get_by_role("button", name="Visa möten").click()
    expect(page.get_by_role("link", name="Dialogmöte: nära vård och civilsamhället")).to_be_visible()
    axe_check(page)


def test_hybrid_meeting_asks_on_site_or_online_without_javascript(browser, live_server, public_data):
    # axe needs JavaScript: the same pages are checked by the reflow and error-summary tests.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        meeting = public_data["hybrid"]
        page.goto(meeting.get_absolute_url())
        assert (
            page.get_by_role("link", name="Visa på karta")
            .get_attribute("href")
            .startswith("https://www.openstreetmap.org/search?query=")
        )
        page.get_by_role("link", name="Anmäl dig till mötet").click()
        page.get_by_label("Namn", exact=True).fill("Anna Andersson")
        page.get_by_label("E-post").fill("anna@example.se")
        page.get_by_label("Jag godkänner").check()
        page.get_by_role("button", name="Anmäl dig").click()
        # Not chosen: the form says so and keeps what was typed.
        expect(page.get_by_role("alert").get_by_text("Välj om du deltar på plats eller digitalt.")).to_be_visible()
        assert page.get_by_label("Namn", exact=True).input_value() == "Anna Andersson"
        page.get_by_role("group", name="Hur deltar du?").get_by_label("Digitalt").check()
        page.get_by_label("Jag godkänner").check()
        page.get_by_role("button", name="Anmäl dig").click()
        expect(page.get_by_role("heading", level=1, name="Tack för din anmälan")).to_be_visible()
        assert Registration.objects.get(email="anna@example.se").attendance == "online"
        page.goto(meeting.get_absolute_url())
        expect(page.get_by_text("Anmälda: 0 på plats, 1 digitalt")).to_be_visible()
    finally:
        context.close()


def test_focus_moves_to_the_error_summary(page, public_data):
    page.goto(f"/moten/{public_data['hybrid'].slug}/anmalan/")
    page.get_by_role("button", name="Anmäl dig").click()
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    axe_check(page)


def test_records_page_from_the_footer_lists_each_rule_and_its_decision(page, region):
    record_disposal_decisions(region)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    page.get_by_role("link", name="Så hanterar vi handlingar").click()
    expect(page.get_by_role("heading", level=1, name="Så hanterar vi handlingar")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Anmälningar till möten")).to_be_visible()
    expect(page.get_by_text("RS 2024/117, beslutat av Regionstyrelsen").first).to_be_visible()
    assert _scrolls_sideways(page) == 0
    axe_check(page)


def test_agreements_are_found_by_case_number(page):
    AgreementFactory(title="Överenskommelsen 2014", slug="overenskommelsen-2014", case_number="RS 2014/321")
    AgreementFactory(title="Överenskommelsen 2020", slug="overenskommelsen-2020")
    page.goto("/overenskommelser/")
    page.get_by_role("searchbox", name="Diarienummer").fill("2014/321")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("link", name="Överenskommelsen 2014")).to_be_visible()
    expect(page.get_by_role("link", name="Överenskommelsen 2020")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("1 handling med ett diarienummer")
    axe_check(page)

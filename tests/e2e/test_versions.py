"""The demo agreement's versions compared (issue 26): changed sections marked, axe clean, without
JavaScript, at 320 px, and on paper (print media keeps the marks as underline and strike-through)."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/overenskommelser/vgr-civila-samhallet/versioner/"


@pytest.fixture
def vgr(live_server):
    """The demo (its agreement is Västra Götalandsregionen's, on vgr.localhost) and that host's address."""
    from core.models import Region
    from core.regions import all_regions

    cache.clear()
    call_command("load_demo", stdout=io.StringIO())
    with all_regions():
        region = Region.objects.get(hosts__host__startswith="vgr.")
    return f"http://{region.primary_host}:{urlsplit(live_server.url).port}"


def _decoration(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).textDecorationLine")


def test_the_demo_agreements_versions_compared(page, browser, live_server, vgr):
    """One demo load for the four checks: the page with JavaScript (axe), on paper, at 320 px and without
    JavaScript (the form chooses other versions by a plain GET; axe, which needs JavaScript, checks the
    refused choice in the first browser)."""
    page.goto(vgr + "/overenskommelser/vgr-civila-samhallet/")
    page.get_by_role("link", name="Se vad som ändrats mellan versionerna").click()
    expect(page.get_by_role("heading", level=1, name="Jämför versioner")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Ändringar från version 1 till version 2")).to_be_visible()
    expect(page.get_by_role("heading", name="2. Syfte (ändrat)")).to_be_visible()
    expect(page.get_by_role("heading", name="5. Giltighetstid (avsnitt borttaget)")).to_be_visible()
    expect(page.get_by_role("heading", name="5. Att underteckna (nytt avsnitt)")).to_be_visible()
    added = page.locator("section.diff-changed ins").first
    expect(added).to_be_visible()
    expect(added.locator(".visually-hidden")).to_have_text("Tillagt:")
    expect(page.locator("section.diff-removed del .visually-hidden")).to_have_text("Borttaget:")
    # Unchanged sections are folded, with nothing marked.
    unchanged = page.locator("section.diff-unchanged")
    expect(unchanged.first.locator("details")).not_to_have_attribute("open", "")
    expect(unchanged.locator("ins, del")).to_have_count(0)
    axe_check(page)

    page.emulate_media(media="print")
    expect(page.locator("form.version-choice")).to_be_hidden()
    assert _decoration(page, "section.diff-changed ins") == "underline"
    assert _decoration(page, "section.diff-removed del") == "line-through"
    assert page.eval_on_selector("section.diff-changed ins", "el => getComputedStyle(el).color") == "rgb(0, 0, 0)"
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Jämför versioner")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(60_000)
    try:
        plain = context.new_page()
        plain.goto(vgr + PATH)
        plain.get_by_label("Jämför version").select_option("2")
        plain.get_by_label("med version").select_option("1")
        plain.get_by_role("button", name="Jämför").click()
        expect(plain.get_by_role("heading", level=2, name="Ändringar från version 2 till version 1")).to_be_visible()
        assert "fran=2" in plain.url and "till=1" in plain.url
        expect(plain.get_by_role("heading", name="5. Giltighetstid (nytt avsnitt)")).to_be_visible()
        plain.get_by_label("med version").select_option("2")
        plain.get_by_role("button", name="Jämför").click()
        expect(plain.get_by_role("alert")).to_contain_text("Välj två olika versioner.")
    finally:
        context.close()
    # The refused choice, checked by axe (which needs JavaScript) in the first browser.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(vgr + PATH + "?fran=2&till=2")
    expect(page.get_by_role("alert")).to_contain_text("Välj två olika versioner.")
    axe_check(page)


def test_the_demos_links_a_visitor_expects(page, vgr):
    """A signatory leads to its directory page, which names the agreement it signed; the open data page
    starts with the spreadsheets."""
    page.goto(vgr + "/overenskommelser/vgr-civila-samhallet/undertecknare/")
    page.locator("table.signatory-table tbody a").first.click()
    expect(page.get_by_role("heading", level=2, name="Undertecknade överenskommelser")).to_be_visible()
    expect(
        page.get_by_role("link", name="Överenskommelse mellan Västra Götalandsregionen och det civila samhället")
    ).to_be_visible()
    axe_check(page)
    page.goto(vgr + "/oppna-data/")
    box = page.locator("aside.spreadsheet-box")
    expect(box.get_by_role("heading", name="Vill du ha uppgifterna i ett kalkylark?")).to_be_visible()
    expect(box.get_by_role("link", name="(Excel, XLSX)")).to_have_count(1)
    axe_check(page)

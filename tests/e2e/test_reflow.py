"""Reflow at 320 CSS px (WCAG 1.4.10) and keyboard access to scrolling tables (WCAG 2.1.1), on the demo's
pages as a representative sees them: every public list, every consultation, selection round, agreement and
challenge, some meetings and organisations, the open data page, Mina sidor and the account pages, in Swedish
and in English. No page may scroll sideways; axe-core (``scrollable-region-focusable`` among its rules)
finds nothing serious; every scrolling box is a named region that the keyboard reaches.
"""

import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 320
REPRESENTATIVE = "representant@example.se"


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_demo", stdout=io.StringIO())


def _urls(live_server) -> list[str]:
    """The pages to check in every region of the demo, each on its own host (Chromium resolves
    ``*.localhost`` to loopback, where the live server listens): all of them in the first region, the lists
    and the objects in the others (Västra Götalandsregionen has the agreement, its rounds and consultations)."""
    from core.models import Region
    from core.regions import all_regions, region_scope

    with all_regions():
        regions = list(Region.objects.active().order_by("pk"))
    urls = []
    for index, region in enumerate(regions):
        with region_scope(region):
            urls += [_base(live_server, region) + path for path in _paths(fixed=index == 0)]
    return urls


def _base(live_server, region) -> str:
    from urllib.parse import urlsplit

    return f"http://{region.primary_host}:{urlsplit(live_server.url).port}"


def _bases(live_server) -> list[str]:
    from core.models import Region
    from core.regions import all_regions

    with all_regions():
        return [_base(live_server, region) for region in Region.objects.active().order_by("pk")]


def _paths(*, fixed=True) -> list[str]:
    """The pages to check: fixed pages, and the demo's objects of every kind (not only those named in the
    issue, so that a new wide table anywhere fails here) in the region in force."""
    from agreements.models import Agreement
    from challenges.models import Challenge
    from consultations.models import Consultation
    from elections.models import SelectionRound
    from meetings.models import Meeting
    from organisations.models import Organisation

    paths = ["/", "/moten/", "/organisationer/", "/overenskommelser/", "/val/", "/remisser/", "/utmaningar/"]
    paths += ["/mina-sidor/"]
    if fixed:
        paths += [
            "/oppna-data/",
            "/tillganglighet/",
            "/personuppgifter/",
            "/mina-sidor/radera-konto/",
            "/konto/email/",
            "/konto/password/change/",
            "/konto/2fa/",
        ]
    paths += [c.get_absolute_url() for c in Consultation.objects.public()]
    paths += [r.get_absolute_url() for r in SelectionRound.objects.public()]
    paths += [c.get_absolute_url() for c in Challenge.objects.public()[:3]]
    for agreement in Agreement.objects.public():
        paths += [agreement.get_absolute_url(), f"{agreement.get_absolute_url()}undertecknare/"]
    paths += [m.get_absolute_url() for m in Meeting.objects.published()[:3]]
    paths += [o.get_absolute_url() for o in Organisation.objects.public()[:2]]
    return paths


def _log_in(page, live_server):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=REPRESENTATIVE))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    # The representative is a user of every region; each host keeps its own cookie.
    page.context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}
            for base in {live_server.url, *_bases(live_server)}
        ]
    )


def _page_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


# Boxes that scroll sideways, and what a keyboard and a screen reader get of them.
SCROLL_BOXES = """() => [...document.querySelectorAll('main *')].filter(el => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth;
}).map(el => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    const name = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()
        || (el.getAttribute('aria-label') || '').trim();
    return {tabindex: el.tabIndex, role: el.getAttribute('role'), name: name};
})"""


def _check_pages(page, paths, *, axe: bool) -> dict:
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        width = _page_width(page)
        if width > WIDTH:
            problems[path] = f"{width} px wide"
        for box in page.evaluate(SCROLL_BOXES):
            if box["tabindex"] < 0 or box["role"] != "region" or not box["name"]:
                problems.setdefault(path, f"scrolling box without keyboard access or name: {box}")
        if axe:
            axe_check(page)
    return problems


def test_the_demo_fits_320_px_pages_tables_and_forms(page, browser, live_server, demo):
    """The demo is loaded once (it takes a good part of a minute on a busy machine) for the three checks
    below, each with its own message: Mina sidor's tables on a phone, the pages as the representative sees
    them, and the forms of a visitor without an account (in a browser context of their own)."""
    _my_pages_tables_become_stacked_rows_on_a_phone(page, live_server)
    _every_page_fits_320_px_and_its_scrolling_tables_are_reachable(page, live_server)  # ends in English
    anonymous = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    anonymous.set_default_timeout(60_000)
    anonymous.set_default_navigation_timeout(60_000)
    try:
        _forms_fit_320_px_before_and_after_a_refused_submission(anonymous.new_page())
    finally:
        anonymous.close()


def _every_page_fits_320_px_and_its_scrolling_tables_are_reachable(page, live_server):
    paths = _urls(live_server)
    assert len(paths) > 25
    assert any("vgr.localhost" in path and "/undertecknare/" in path for path in paths)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    _log_in(page, live_server)
    assert _check_pages(page, paths, axe=True) == {}

    # The same pages in English (longer and shorter words than in Swedish); axe has seen the layouts.
    for base in _bases(live_server):  # each host keeps its own language cookie
        page.goto(base + "/")
        page.get_by_role("button", name="In English").click()
        assert page.locator("html").get_attribute("lang") == "en"
    assert _check_pages(page, paths, axe=False) == {}


def _my_pages_tables_become_stacked_rows_on_a_phone(page, live_server):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    _log_in(page, live_server)
    # In Västra Götalandsregionen the representative has organisations, a nomination round and a draft answer.
    vgr = next(base for base in _bases(live_server) if "//vgr." in base)
    page.goto(vgr + "/mina-sidor/")
    tables = page.locator("main table")
    assert tables.count() >= 2
    for index in range(tables.count()):
        table = tables.nth(index)
        assert table.evaluate("el => getComputedStyle(el).display") == "block"
        # Each cell is led by its column's name, as the header row is out of sight.
        first_cell = table.locator("tbody td").first
        assert first_cell.evaluate("el => getComputedStyle(el, '::before').content") not in ("none", '""', "")


def _forms_fit_320_px_before_and_after_a_refused_submission(page):
    """The forms a visitor without an account meets, empty and sent back with errors (the error summary,
    the "Fel: " title): no sideways scrolling, nothing serious for axe."""
    from meetings.models import Meeting

    meeting = Meeting.objects.published().upcoming().order_by("start").first()
    forms = {
        "/konto/login/": "Logga in",
        "/konto/signup/": "Skapa konto",
        "/konto/password/reset/": "Återställ mitt lösenord",
        "/organisationer/anmal-intresse/": "Skicka",
        f"/moten/{meeting.slug}/anmalan/": "Anmäl dig",
    }
    page.set_viewport_size({"width": WIDTH, "height": 800})
    too_wide = {}
    for path, button in forms.items():
        page.goto(path)
        if _page_width(page) > WIDTH:
            too_wide[path] = _page_width(page)
        axe_check(page)
        page.locator("main").get_by_role("button", name=button).last.click()
        page.wait_for_load_state()
        assert page.title().startswith("Fel: "), path
        expect(page.locator("#error-summary"), path).to_be_visible()
        if _page_width(page) > WIDTH:
            too_wide[f"{path} (errors)"] = _page_width(page)
        axe_check(page)
    assert too_wide == {}

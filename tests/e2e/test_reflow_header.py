"""The header at desktop and phone widths: every section of the registry in the menu, on one row at
1280 px, behind a "Menu" button that opens without JavaScript at 320 px, and a focus ring that can be seen
(3:1 against the header, WCAG 1.4.11 / 2.4.7); headings hyphenate rather than break anywhere."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _sections(language="sv") -> list[str]:
    """The menu's labels as the registry gives them (every app's portal.nav)."""
    from django.utils import translation

    from core.context_processors import site

    with translation.override(language):
        return [str(item["label"]) for item in site(RequestFactory().get("/"))["PORTAL_NAV"]]


def _rgb(css: str) -> tuple[float, ...]:
    inside = css[css.index("(") + 1 : css.index(")")]
    return tuple(float(part) for part in inside.replace("/", ",").split(",")[:3])


def _luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_section_is_in_the_menu_on_one_row_at_1280_px(page, language):
    sections = _sections(language)
    assert len(sections) >= 7
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    if language == "en":
        page.get_by_role("button", name="In English").click()
    nav = page.get_by_role("navigation", name="Main navigation" if language == "en" else "Huvudmeny")
    tops = set()
    for label in sections:
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link, label).to_be_visible()
        tops.add(round(link.bounding_box()["y"]))
    assert len(tops) == 1, f"the menu wraps onto {len(tops)} rows"
    expect(nav.locator("summary")).to_be_hidden()
    axe_check(page)


def test_menu_button_at_320_px_opens_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    page = context.new_page()
    try:
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto("/")
        nav = page.get_by_role("navigation", name="Huvudmeny")
        menu = nav.locator("summary", has_text="Meny")
        expect(menu).to_be_visible()
        expect(nav.get_by_role("link", name="Öppna data")).to_be_hidden()
        menu.click()
        for label in _sections():
            expect(nav.get_by_role("link", name=label, exact=True), label).to_be_visible()
        nav.get_by_role("link", name="Val", exact=True).click()
        page.wait_for_url("**/val/")
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
    finally:
        context.close()


def test_menu_at_320_px_is_accessible_open_and_closed(page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/oppna-data/")
    axe_check(page)
    page.locator("summary", has_text="Meny").click()
    page.mouse.move(0, 799)  # the menu is checked as read, not under the pointer
    current = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Öppna data")
    assert current.get_attribute("aria-current") == "page"
    axe_check(page)


def test_keyboard_focus_on_the_menu_has_a_ring_of_3_to_1(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    link = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Möten")
    # Tab from the brand (the header's first link), so that the browser shows keyboard focus (:focus-visible).
    page.locator(".navbar-brand").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    assert link.evaluate("el => el.matches(':focus-visible')")
    style = link.evaluate(
        """el => { const s = getComputedStyle(el); const h = getComputedStyle(el.closest('header'));
                   return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
                           background: h.backgroundColor}; }"""
    )
    assert style["style"] == "solid" and style["width"] >= 2
    assert contrast(_rgb(style["color"]), _rgb(style["background"])) >= 3


def test_headings_hyphenate_in_the_page_language(page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/tillganglighet/")
    heading = page.get_by_role("heading", level=1)
    assert heading.evaluate("el => el.closest('[lang]').lang") == "sv"
    styles = heading.evaluate("el => [getComputedStyle(el).hyphens, getComputedStyle(el).overflowWrap]")
    assert styles == ["auto", "break-word"]


@pytest.mark.parametrize("width", [320, 1280])
def test_the_portal_name_on_the_home_page_is_not_broken_inside_the_word(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    heading = page.get_by_role("heading", level=1, name="Samverkansportalen")
    # One line box for the heading's text: the one word is not split onto two lines.
    lines = heading.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); "
        "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1

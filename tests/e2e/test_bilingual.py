"""The demo's main stories on English pages: the English titles and texts the coordinators wrote, the
Swedish ones marked lang="sv" where none is written, and the API answering in English; axe-core on every
page visited. Each region is on its own host, with its own language cookie."""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import axe_check
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db(transaction=True)

UKRAINE = "flyktingsituationen-efter-kriget-i-ukraina"


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_demo", stdout=io.StringIO())


def _in_english(page, base: str) -> None:
    page.goto(base + "/")
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _visit(page, url: str, heading: str):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    axe_check(page)


def test_the_first_regions_stories_in_english(page, live_server, demo):
    base = live_server.url
    ChallengeFactory(title="Endast på svenska", slug="endast-pa-svenska")
    _in_english(page, base)

    _visit(
        page,
        base + reverse("meetings:detail", args=["samverkan-civilsamhallet-4-maj-2022"]),
        "Collaboration with civil society – the refugee situation and public health",
    )
    expect(page.get_by_role("heading", name="The right to health care")).to_be_visible()
    expect(page.get_by_text("We focus on the acute situation")).to_be_visible()

    _visit(
        page,
        base + reverse("challenges:detail", args=[UKRAINE]),
        "The refugee situation after the war in Ukraine and public health",
    )
    expect(page.get_by_role("heading", name="The region raises the challenge")).to_be_visible()

    page.goto(base + reverse("challenges:list"))
    expect(page.get_by_role("link", name="Good and close care – the role of civil society")).to_be_visible()
    # Written only in Swedish: shown as it is, marked Swedish for screen readers.
    expect(page.locator('[lang="sv"]', has_text="Endast på svenska")).to_be_visible()
    axe_check(page)

    page.goto(base + "/")
    expect(page.get_by_role("link", name="Dialogue meeting: close care and civil society")).to_be_visible()
    axe_check(page)

    api = page.request.get(base + f"/api/v1/challenges/{UKRAINE}/?lang=en").json()
    assert (api["title"], api["title_lang"]) == (
        "The refugee situation after the war in Ukraine and public health",
        "en",
    )


def test_the_agreement_consultation_and_round_of_vastra_gotaland_in_english(page, live_server, demo):
    base = f"http://vgr.localhost:{urlsplit(live_server.url).port}"
    _in_english(page, base)

    _visit(
        page,
        base + reverse("agreements:detail", args=["vgr-civila-samhallet"]),
        "Agreement between Västra Götalandsregionen and civil society",
    )
    expect(page.get_by_role("heading", name="Action plan for the agreement")).to_be_visible()
    expect(page.get_by_text("Yearly dialogue conference")).to_be_visible()

    _visit(
        page,
        base + reverse("consultations:detail", args=["remiss-handlingsplan-2019-2022"]),
        "Draft action plan 2019–2022 for the agreement",
    )
    expect(page.get_by_role("heading", name="1. Introduction and purpose")).to_be_visible()

    _visit(
        page,
        base + reverse("elections:detail", args=["arbetsgrupp-handlingsplan-2019"]),
        "Selection of civil society's representatives to the working group for the action plan 2019–2022",
    )

    # The Swedish page is still Swedish.
    page.get_by_role("button", name="På svenska").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Val av civilsamhällets företrädare till arbetsgruppen för handlingsplanen 2019–2022"
    )

    # The API in English (Chromium resolves *.localhost; the API has no cookies, so the language is asked).
    page.goto(base + "/api/v1/agreements/vgr-civila-samhallet/?lang=en")
    api = json.loads(page.locator("body").inner_text())
    assert (api["title"], api["title_lang"]) == ("Agreement between Västra Götalandsregionen and civil society", "en")
    assert api["action_plans"][0]["actions"][-1]["title"].startswith("Sharing knowledge")

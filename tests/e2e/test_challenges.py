"""Browser test of the challenge flow, every form without JavaScript, axe-core on every page:
a representative raises a challenge → a coordinator accepts it in the admin → it is public →
another organisation joins → an update is posted → the participants get the e-mail → a meeting is
linked and its page shows the challenge."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from challenges.models import Challenge
from core.permissions import ensure_coordinator_group
from core.region_state import current_region
from tests.e2e.conftest import axe_check
from tests.factories import MeetingFactory, OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


def _context(browser, live_server, user=None):
    """A browser context without JavaScript, logged in as ``user`` when given."""
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return context


class Axe:
    """axe-core needs JavaScript: the page a no-JavaScript context shows is checked as that visitor
    gets it (same HTML and stylesheets, none of the page's own scripts) in a page with JavaScript."""

    def __init__(self, browser, live_server):
        self.page = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()

    def check(self, page):
        html, url = SCRIPT.sub("", page.content()), page.url

        def serve(route):
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        def matches(candidate):
            return candidate == url

        self.page.route(matches, serve)
        try:
            self.page.goto(url)
            axe_check(self.page)
        finally:
            self.page.unroute(matches, serve)


def test_challenge_flow_from_raising_to_a_linked_meeting(browser, live_server):
    axe = Axe(browser, live_server)
    raiser = UserFactory(email="rut@example.se", full_name="Rut Representant")
    RepresentativeFactory(user=raiser, organisation=OrganisationFactory(name="Röda Korsets regionråd"))
    joiner = UserFactory(email="olle@example.se", full_name="Olle Ombud")
    RepresentativeFactory(user=joiner, organisation=OrganisationFactory(name="Möckelnföreningarna"))
    coordinator = UserFactory(is_staff=True, email="samordnare@example.se", full_name="Sara Samordnare")
    coordinator.groups.add(ensure_coordinator_group())
    current_region().coordinators.add(coordinator)
    meeting = MeetingFactory(title="Dialogmöte om flyktingsituationen", slug="dialogmote-flykt")

    # The representative raises the challenge; a refused form explains and keeps what was typed.
    rut = _context(browser, live_server, raiser).new_page()
    rut.goto("/utmaningar/lyft-en-utmaning/")
    axe.check(rut)
    rut.get_by_label("Utmaningen med några ord").fill("Ta vara på de goda exemplen från 2015")
    rut.get_by_role("button", name="Skicka utmaningen").click()
    expect(rut.locator("#error-summary")).to_be_visible()
    assert rut.get_by_label("Utmaningen med några ord").input_value() == "Ta vara på de goda exemplen från 2015"
    axe.check(rut)
    rut.get_by_label("Sammanfattning").fill("Föreningar tog emot många familjer 2015. Vad lärde vi oss?")
    rut.get_by_role("button", name="Skicka utmaningen").click()
    expect(rut.get_by_text("Utmaningen har skickats till samordnarna")).to_be_visible()
    expect(rut.get_by_text("väntar på samordnarna")).to_be_visible()
    axe.check(rut)
    challenge = Challenge.objects.get()
    assert challenge.status == Challenge.Status.PROPOSED

    # Nobody else reaches it yet.
    visitor = _context(browser, live_server).new_page()
    assert visitor.goto(challenge.get_absolute_url()).status == 404

    # The coordinator accepts it from the moderation queue.
    sara = _context(browser, live_server, coordinator).new_page()
    sara.goto("/admin/challenges/challenge/")
    axe.check(sara)
    sara.locator(f'input[name="_selected_action"][value="{challenge.pk}"]').check()
    sara.locator('select[name="action"]').select_option("accept")
    sara.locator('button[name="index"]').click()
    # The confirmation page first: what happens and to how many.
    expect(sara.get_by_text("1 e-postmeddelande skickas.")).to_be_visible()
    axe.check(sara)
    sara.get_by_role("button", name="Ja, godta och publicera").click()
    expect(sara.get_by_text("godtagen och publicerad")).to_be_visible()
    axe.check(sara)

    # It is public.
    visitor.goto("/utmaningar/")
    axe.check(visitor)
    visitor.get_by_role("link", name="Ta vara på de goda exemplen från 2015").click()
    expect(visitor.get_by_role("heading", level=1, name="Ta vara på de goda exemplen från 2015")).to_be_visible()
    axe.check(visitor)

    # Another organisation joins.
    olle = _context(browser, live_server, joiner).new_page()
    olle.goto(challenge.get_absolute_url())
    axe.check(olle)
    olle.get_by_label("Följer").check()
    olle.get_by_role("button", name="Vi vill delta").click()
    expect(olle.get_by_text("Möckelnföreningarna deltar nu i utmaningen.")).to_be_visible()
    axe.check(olle)

    # The coordinator posts an update; every participant gets one e-mail.
    mail.outbox.clear()
    sara.goto(f"/admin/challenges/challenge/{challenge.pk}/change/")
    axe.check(sara)
    sara.locator('[name="updates-0-date"]').fill("2026-05-04")
    sara.locator('[name="updates-0-title"]').fill("Första träffen är bokad")
    sara.locator('[name="updates-0-text"]').fill("Vi ses på dialogmötet.")
    sara.locator('input[name="_continue"]').click()
    expect(sara.locator(".messagelist")).to_be_visible()
    axe.check(sara)
    update_mails = [m for m in mail.outbox if "Första träffen är bokad" in m.subject]
    assert sorted(m.to[0] for m in update_mails) == ["olle@example.se", "rut@example.se"]

    # The coordinator links the meeting; the participants hear of it and the meeting page shows the challenge.
    mail.outbox.clear()
    sara.locator('select[name="meetings"]').select_option(str(meeting.pk))
    sara.locator('input[name="_continue"]').click()
    expect(sara.locator(".messagelist")).to_be_visible()
    meeting_mails = [m for m in mail.outbox if "Ett möte om utmaningen" in m.subject]
    assert sorted(m.to[0] for m in meeting_mails) == ["olle@example.se", "rut@example.se"]
    visitor.goto(meeting.get_absolute_url())
    expect(visitor.get_by_role("heading", name="Utmaningar som mötet tar upp")).to_be_visible()
    expect(visitor.get_by_role("link", name="Ta vara på de goda exemplen från 2015")).to_be_visible()
    axe.check(visitor)
    visitor.goto(challenge.get_absolute_url())
    expect(visitor.get_by_text("Första träffen är bokad")).to_be_visible()
    expect(visitor.get_by_role("link", name="Dialogmöte om flyktingsituationen")).to_be_visible()
    axe.check(visitor)

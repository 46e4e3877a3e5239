"""A selection round in the browser: a coordinator opens it, representatives nominate without
JavaScript, the candidate accepts, three organisations vote, the round is counted and published,
and the elected appear in the agreement's working group. axe-core on every public page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Signatory
from elections.models import SelectionRound
from tests.e2e.conftest import axe_check
from tests.factories import (
    AgreementFactory,
    MandatedRepresentativeFactory,
    OrganisationFactory,
    SignatoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _session(browser, live_server, user, *, javascript=True):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm", java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def _axe_as(browser, live_server, context, path, *, once=None, checked=None):
    """axe needs JavaScript: check the page a no-JavaScript visitor sees in a twin context with the same session.
    ``once`` names a page that several visitors see alike (the nomination form of each organisation):
    it is checked the first time only."""
    if once is not None:
        if once in checked:
            return
        checked.add(once)
    twin = browser.new_context(base_url=live_server.url, locale="sv-SE")
    twin.add_cookies(context.cookies())
    page = twin.new_page()
    page.goto(path)
    axe_check(page)
    twin.close()


def _admin_action(page, round_pk, action):
    page.goto("/admin/elections/selectionround/")
    page.locator(f"input[name=_selected_action][value='{round_pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    # The confirmation page (what happens, to how many) asks first; nothing has happened yet.
    page.locator("#content-main form input[type=submit].default").click()
    page.wait_for_load_state()


def test_round_from_nominations_to_the_working_group(browser, live_server, coordinator):
    agreement = AgreementFactory(title="Överenskommelse om samverkan", slug="samverkan")
    reps = []
    for index, name in enumerate(["Föreningen Alfa", "Föreningen Beta", "Föreningen Gamma"], start=1):
        organisation = OrganisationFactory(name=name)
        SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.VERIFIED)
        user = UserFactory(email=f"rep{index}@example.se", full_name=f"Representant {index}")
        MandatedRepresentativeFactory(user=user, organisation=organisation)
        reps.append((organisation, user))
    now = timezone.now()
    selection_round = SelectionRound.objects.create(
        agreement=agreement,
        title="Val till arbetsgruppen",
        slug="val",
        seats=2,
        nomination_opens=now - dt.timedelta(hours=1),
        nomination_closes=now + dt.timedelta(days=2),
        voting_opens=now + dt.timedelta(days=3),
        voting_closes=now + dt.timedelta(days=5),
    )
    coordinator_context, admin_page = _session(browser, live_server, coordinator)
    checked = set()  # pages checked with axe that the next visitor sees alike
    _admin_action(admin_page, selection_round.pk, "open_nominations")
    expect(admin_page.get_by_text("nomineringen är öppen")).to_be_visible()

    # Two organisations nominate one candidate each, without JavaScript.
    for (_organisation, user), candidate in zip(reps[:2], ["Karin Kandidat", "Kalle Kandidat"], strict=True):
        context, page = _session(browser, live_server, user, javascript=False)
        page.goto("/val/val/")
        _axe_as(browser, live_server, context, "/val/val/", once="round, nominating", checked=checked)
        page.get_by_role("link", name="Nominera en kandidat").click()
        _axe_as(browser, live_server, context, "/val/val/nominera/", once="nomination form", checked=checked)
        page.get_by_label("Kandidatens namn").fill(candidate)
        page.get_by_label("Kandidatens e-postadress").fill(f"{candidate.split()[0].lower()}@example.se")
        page.get_by_label("En kort presentation").fill("Erfaren i föreningslivet.")
        page.get_by_role("button", name="Skicka nomineringen").click()
        expect(page.get_by_text(f"{candidate} är nominerad")).to_be_visible()
        context.close()

    # Each candidate accepts through the link in their e-mail.
    for address in ["karin@example.se", "kalle@example.se"]:
        message = next(m for m in mail.outbox if address in m.to)
        link = re.search(r"https?://\S+/val/kandidat/\S+/", message.body).group(0)
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
        page = context.new_page()
        path = "/" + link.split("//", 1)[1].split("/", 1)[1]
        page.goto(path)
        _axe_as(browser, live_server, context, path, once="candidate's answer", checked=checked)
        page.get_by_label("Ja, jag ställer upp som kandidat").check()
        page.get_by_role("button", name="Skicka mitt svar").click()
        expect(page.get_by_text("Du har tackat ja")).to_be_visible()
        context.close()

    # The clock moves on: nominations have closed, voting opens.
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        nomination_closes=now - dt.timedelta(minutes=30), voting_opens=now - dt.timedelta(minutes=20)
    )
    _admin_action(admin_page, selection_round.pk, "open_voting")
    for (organisation, user), choices in zip(
        reps, [["Karin Kandidat"], ["Karin Kandidat", "Kalle Kandidat"], []], strict=True
    ):
        context, page = _session(browser, live_server, user, javascript=False)
        page.goto("/val/val/")
        page.get_by_role("link", name="Lägg organisationens röst").click()
        _axe_as(browser, live_server, context, page.url, once="ballot", checked=checked)
        for name in choices:
            page.get_by_label(re.compile(name)).check()
        page.get_by_role("button", name="Lägg rösten").click()
        expect(page.get_by_text(f"Rösten för {organisation.name} är lagd")).to_be_visible()
        context.close()

    SelectionRound.objects.filter(pk=selection_round.pk).update(voting_closes=now - dt.timedelta(minutes=1))
    _admin_action(admin_page, selection_round.pk, "count")
    _admin_action(admin_page, selection_round.pk, "publish")
    coordinator_context.close()

    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.goto("/val/val/")
    expect(page.get_by_text("3 av 3 organisationer (100 %)")).to_be_visible()
    table = page.get_by_role("table", name="Godkännanden per kandidat")
    expect(table.get_by_role("row", name=re.compile("Karin Kandidat.*2.*Vald"))).to_be_visible()
    axe_check(page)
    page.goto("/overenskommelser/samverkan/")
    group = page.get_by_role("region", name="Arbetsgrupp")
    expect(group.get_by_text("Karin Kandidat")).to_be_visible()
    expect(group.get_by_text("Kalle Kandidat")).to_be_visible()
    axe_check(page)
    context.close()

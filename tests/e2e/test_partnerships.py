"""A grant from call to follow-up report in the browser: the representative applies with JavaScript turned
off (draft, a budget that does not add up, submit), two coordinators assess (a third declares a conflict of
interest), the decision is prepared and announced with confirmation, the e-mails arrive, the report is
written and approved, and the public list of decided grants shows the grant. axe-core at 1280 and 320 px on
the public pages and the form."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from core.region_state import current_region
from partnerships.models import Application, Criterion, FollowUpReport, GrantCall, Question
from tests.e2e.conftest import axe_check
from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 320)


def _cookie_for(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}


@pytest.fixture
def world():
    from core.permissions import ensure_coordinator_group

    organisation = OrganisationFactory(name="Föreningen Gemenskap", slug="gemenskap")
    representative = UserFactory(email="rep@example.se")
    MandatedRepresentativeFactory(
        user=representative, organisation=organisation, mandate__valid_from=dt.date(2020, 1, 1)
    )
    coordinators = []
    for n in (1, 2, 3):
        user = UserFactory(is_staff=True, email=f"samordnare{n}@example.se", full_name=f"Samordnare {n}")
        user.groups.add(ensure_coordinator_group())
        current_region().coordinators.add(user)
        coordinators.append(user)
    call = GrantCall.objects.create(
        title="Stöd till ideella organisationer 2027",
        slug="stod-2027",
        purpose="Stöd till verksamhet som stärker folkhälsan.",
        who_may_apply="Ideella organisationer i länet.",
        amount_available=500_000,
        ceiling=50_000,
        opens_on=timezone.localdate() - dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=10),
        status=GrantCall.Status.PUBLISHED,
    )
    Criterion.objects.create(call=call, order=1, name="Nytta")
    Criterion.objects.create(call=call, order=2, name="Genomförbarhet")
    question = Question.objects.create(call=call, order=1, text="Hur många deltar?")
    return {"call": call, "rep": representative, "coordinators": coordinators, "question": question}


def _axe_at_widths(browser, live_server, path, user=None):
    """axe-core needs JavaScript: the page is checked in a context of its own, at each width."""
    for width in WIDTHS:
        context = browser.new_context(
            base_url=live_server.url, locale="sv-SE", viewport={"width": width, "height": 900}
        )
        if user is not None:
            context.add_cookies([_cookie_for(live_server, user)])
        page = context.new_page()
        page.goto(path)
        axe_check(page)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1, (path, width, scroll)  # reflows: no sideways scrolling
        context.close()


def _apply_without_javascript(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.add_cookies([_cookie_for(live_server, world["rep"])])
    page = context.new_page()
    page.goto("/bidrag/")
    page.get_by_role("link", name="Stöd till ideella organisationer 2027").click()
    page.get_by_role("link", name="Ansök för din organisation").click()
    page.get_by_label("Projektets titel").fill("Läxhjälp för nyanlända")
    page.get_by_label("Vad vill organisationen göra?").fill("Läxhjälp två kvällar i veckan.")
    page.get_by_label("Hur många deltar?").fill("Trettio barn.")
    page.get_by_label("Kostnadspost 1", exact=True).fill("Lokalhyra")
    page.get_by_label("Belopp 1 (kr)").fill("20000")
    page.get_by_label("Kostnadspost 2", exact=True).fill("Material")
    page.get_by_label("Belopp 2 (kr)").fill("10000")
    page.get_by_label("Sökt belopp (kr)").fill("35000")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Ditt utkast är sparat.")).to_be_visible()
    # Submitting a budget that does not add up: the draft stays, the summary says why, the input is kept.
    page.get_by_role("button", name="Lämna in ansökan").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_text("Budgeten går inte ihop")).to_be_visible()
    expect(page.get_by_label("Kostnadspost 2", exact=True)).to_have_value("Material")
    assert Application.objects.get().status == "draft"
    page.get_by_label("Sökt belopp (kr)").fill("30000")
    page.get_by_role("button", name="Lämna in ansökan").click()
    expect(page.get_by_text("Tack! Ansökan från Föreningen Gemenskap är inlämnad.")).to_be_visible()
    expect(page.locator("#application-status")).to_be_visible()
    context.close()


def _assess(browser, live_server, coordinator, application, *, conflict=False):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.add_cookies([_cookie_for(live_server, coordinator)])
    page = context.new_page()
    page.goto(f"/admin/partnerships/application/{application.pk}/bedom/")
    axe_check(page)
    if conflict:
        page.get_by_label("Jag är jävig").check()
        page.get_by_label("Om jävet", exact=True).fill("Sitter i föreningens styrelse.")
    else:
        page.get_by_label("Poäng på Nytta").select_option("4")
        page.get_by_label("Poäng på Genomförbarhet").select_option("3")
        page.get_by_label("Bedömningen är klar").check()
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.get_by_text("Bedömningen är sparad.")).to_be_visible()
    context.close()


def test_a_grant_from_call_to_follow_up_report(page, browser, live_server, world):
    _axe_at_widths(browser, live_server, "/bidrag/")
    _axe_at_widths(browser, live_server, "/bidrag/stod-2027/")
    _axe_at_widths(browser, live_server, "/bidrag/stod-2027/ansok/", user=world["rep"])
    _apply_without_javascript(browser, live_server, world)
    application = Application.objects.get()
    assert application.status == "submitted"
    assert [m.to for m in mail.outbox] == [["rep@example.se"]]  # the receipt
    mail.outbox.clear()

    first, second, third = world["coordinators"]
    _assess(browser, live_server, first, application)
    _assess(browser, live_server, third, application, conflict=True)
    application.refresh_from_db()
    assert application.status == "submitted"  # one completed assessment is not enough
    _assess(browser, live_server, second, application)
    application.refresh_from_db()
    assert application.status == "assessed"

    # The decision: prepared, then announced after the confirmation page (it mails the organisation).
    page.context.add_cookies([_cookie_for(live_server, first)])
    page.goto(f"/admin/partnerships/application/{application.pk}/beslut/")
    axe_check(page)
    page.get_by_label("Beviljad").check()
    page.get_by_label("Beviljat belopp (kr)").fill("25000")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("Beslutet är förberett.")).to_be_visible()
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("announce_decisions")
    page.locator("button[name=index]").click()
    expect(page.get_by_role("button", name="Ja, meddela")).to_be_visible()
    assert mail.outbox == []  # asked first
    axe_check(page)
    page.get_by_role("button", name="Ja, meddela").click()
    expect(page.get_by_text("meddelat; organisationen får besked via e-post.")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["rep@example.se"]]
    decision_mail = mail.outbox[0]
    assert "25\u00a0000\u00a0kr" in decision_mail.body  # the amount as Swedish writes it (core/money.py)
    report_link = next(line for line in decision_mail.body.splitlines() if "/rapport/" in line).strip()

    # The follow-up report, from the link in the e-mail, without JavaScript.
    rep = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    rep.add_cookies([_cookie_for(live_server, world["rep"])])
    rep_page = rep.new_page()
    rep_page.goto(report_link)
    rep_page.get_by_label("Vad gjordes?").fill("Läxhjälp för trettio barn hela våren.")
    rep_page.get_by_label("Hur användes pengarna?").fill("Lokalhyra och material.")
    rep_page.get_by_label("Använt belopp (kr)").fill("25000")
    rep_page.get_by_role("button", name="Lämna in återrapporten").click()
    expect(rep_page.get_by_text("Tack! Återrapporten är inlämnad.")).to_be_visible()
    rep.close()
    report = FollowUpReport.objects.get()
    assert report.review_status == "submitted"

    # The coordinator approves it (asked first); the organisation is told.
    mail.outbox.clear()
    page.goto("/admin/partnerships/followupreport/")
    page.locator(f"input[name=_selected_action][value='{report.pk}']").check()
    page.locator("select[name=action]").select_option("approve_reports")
    page.locator("button[name=index]").click()
    page.get_by_role("button", name="Ja, godkänn").click()
    expect(page.get_by_text("godkänd.")).to_be_visible()
    assert [m.to for m in mail.outbox] == [["rep@example.se"]]

    # The public list of decided grants: organisation, amount, purpose, year; no person.
    page.context.clear_cookies()
    page.goto("/bidrag/beviljade/")
    expect(page.get_by_role("cell", name="Föreningen Gemenskap")).to_be_visible()
    expect(page.get_by_role("cell", name="25\u00a0000\u00a0kr")).to_be_visible()
    assert page.get_by_text("rep@example.se").count() == 0
    _axe_at_widths(browser, live_server, "/bidrag/beviljade/")
    _axe_at_widths(browser, live_server, "/partnerskap/")

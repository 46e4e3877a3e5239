"""Browser tests of a consultation from opening to the published compilation, with axe-core on every page,
and of the answer form with JavaScript turned off (draft, return, submit). The clock (``django.utils.timezone.now``) is set by the test, so the deadline passes
without waiting.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Answer, Consultation, Section
from core.region_state import current_region
from tests.e2e.conftest import axe_check
from tests.factories import MandatedRepresentativeFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REAL_NOW = timezone.now


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        offset = dt.timedelta(0)

        def now(self):
            return REAL_NOW() + self.offset

    state = Clock()
    monkeypatch.setattr("django.utils.timezone.now", state.now)
    return state


def _cookie_for(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}


@pytest.fixture
def people():
    from core.permissions import ensure_coordinator_group

    gemenskap = OrganisationFactory(name="Föreningen Gemenskap", slug="gemenskap")
    scouterna = OrganisationFactory(name="Scoutkåren Norrsken", slug="norrsken")
    representative = UserFactory(email="rep@example.se")
    MandatedRepresentativeFactory(user=representative, organisation=gemenskap)
    latecomer = UserFactory(email="sen@example.se")
    MandatedRepresentativeFactory(user=latecomer, organisation=scouterna)
    coordinator = UserFactory(is_staff=True, email="samordnare@example.se")
    coordinator.groups.add(ensure_coordinator_group())
    current_region().coordinators.add(coordinator)
    return {"organisations": [gemenskap, scouterna], "rep": representative, "late": latecomer, "coord": coordinator}


def test_consultation_from_opening_to_published_compilation(page, browser, live_server, clock, people):
    consultation = Consultation.objects.create(
        title="Remiss om handlingsplanen",
        slug="handlingsplanen",
        background="Utkastet till ny handlingsplan skickas på remiss.",
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    consultation.invited_organisations.set(people["organisations"])
    purpose = Section.objects.create(consultation=consultation, order=1, heading="Syfte", text="Planens syfte.")
    Section.objects.create(consultation=consultation, order=2, heading="Uppföljning", text="Hur planen följs upp.")

    # The coordinator opens it in the admin: the invited organisations are told.
    page.context.add_cookies([_cookie_for(live_server, people["coord"])])
    page.goto("/admin/consultations/consultation/")
    page.locator(f"input[name=_selected_action][value='{consultation.pk}']").check()
    page.locator("select[name=action]").select_option("open_consultations")
    page.locator("button[name=index]").click()
    expect(page.get_by_text("2 e-postmeddelanden skickas.")).to_be_visible()  # asked first
    assert mail.outbox == []
    axe_check(page)
    page.get_by_role("button", name="Ja, öppna och bjud in").click()
    expect(page.get_by_text("öppnad; de inbjudna organisationerna får besked.")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == ["rep@example.se", "sen@example.se"]

    # The representative answers: a draft first. (axe needs JavaScript; the same flow without it is below.)
    rep = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    rep.add_cookies([_cookie_for(live_server, people["rep"])])
    rep_page = rep.new_page()
    rep_page.goto("/remisser/")
    axe_check(rep_page)
    rep_page.get_by_role("link", name="Remiss om handlingsplanen").click()
    expect(rep_page.get_by_text("0 organisationer har svarat.")).to_be_visible()
    axe_check(rep_page)
    rep_page.get_by_role("link", name="Svara för Föreningen Gemenskap").click()
    axe_check(rep_page)
    rep_page.locator(f"#id_position_{purpose.pk}_1").check()  # instämmer delvis
    rep_page.get_by_label("Kommentar om Syfte").fill("Syftet bör nämna landsbygden.")
    rep_page.get_by_role("button", name="Spara utkast").click()
    expect(rep_page.get_by_text("Ditt utkast är sparat.")).to_be_visible()
    axe_check(rep_page)

    # Returning later: the draft is there; submitting without every position keeps it and explains.
    rep_page.goto("/remisser/handlingsplanen/")
    rep_page.get_by_role("link", name="Fortsätt med utkastet till svar från Föreningen Gemenskap").click()
    assert rep_page.get_by_label("Kommentar om Syfte").input_value() == "Syftet bör nämna landsbygden."
    rep_page.get_by_label("Jag förstår att svaret blir en allmän handling").check()
    rep_page.get_by_role("button", name="Skicka in svaret").click()
    expect(rep_page.locator("#error-summary")).to_be_visible()
    expect(rep_page.get_by_text("Saknas: Uppföljning")).to_be_visible()
    axe_check(rep_page)
    rep_page.get_by_label("Instämmer", exact=True).nth(1).check()
    rep_page.get_by_label("Jag förstår att svaret blir en allmän handling").check()
    rep_page.get_by_role("button", name="Skicka in svaret").click()
    expect(rep_page.get_by_text("Tack! Svaret från Föreningen Gemenskap är inskickat.")).to_be_visible()
    expect(rep_page.get_by_text("Svaret är skrivskyddat")).to_be_visible()
    axe_check(rep_page)
    answer = Answer.objects.get()
    assert answer.is_submitted and not answer.late

    # Before the deadline the public sees how many, not who.
    rep_page.goto("/remisser/handlingsplanen/")
    expect(rep_page.get_by_text("1 organisation har svarat.")).to_be_visible()
    assert rep_page.get_by_text("Syftet bör nämna landsbygden.").count() == 0

    # The deadline passes: the other organisation's answer is refused with a clear message.
    clock.offset = dt.timedelta(days=3, minutes=1)
    late = browser.new_context(base_url=live_server.url, locale="sv-SE")
    late.add_cookies([_cookie_for(live_server, people["late"])])
    late_page = late.new_page()
    late_page.goto("/remisser/handlingsplanen/svara/")
    expect(late_page.get_by_role("heading", name="Sista svarsdag har passerat")).to_be_visible()
    axe_check(late_page)
    assert Answer.objects.count() == 1

    # The coordinator writes the response and publishes the compilation.
    page.goto(f"/admin/consultations/consultation/{consultation.pk}/sammanstallning/")
    axe_check(page)
    page.get_by_label("Regionens svar om Syfte").fill("Landsbygden nämns nu i syftet.")
    page.get_by_role("button", name="Spara och publicera sammanställningen").click()
    expect(page.get_by_role("heading", name="Publicera sammanställningen")).to_be_visible()  # saved, then asked
    page.get_by_role("button", name="Ja, publicera sammanställningen").click()
    expect(page.get_by_text("sammanställningen är publicerad")).to_be_visible()
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.COMPILED

    # The public page shows the answers, the counts as chart and table, and the response.
    public = browser.new_context(base_url=live_server.url, locale="sv-SE")
    public_page = public.new_page()
    public_page.goto("/remisser/handlingsplanen/")
    expect(public_page.get_by_role("img", name="Ställningstaganden om Syfte")).to_be_visible()
    table = public_page.get_by_role("table", name="Ställningstaganden om Syfte")
    expect(table.get_by_role("row", name="Instämmer delvis 1")).to_be_visible()
    expect(public_page.get_by_text("Syftet bör nämna landsbygden.")).to_be_visible()
    expect(public_page.get_by_text("Landsbygden nämns nu i syftet.")).to_be_visible()
    axe_check(public_page)
    public_page.get_by_role("link", name="Läs alla svar").click()
    expect(public_page.get_by_role("heading", name="Föreningen Gemenskap")).to_be_visible()
    axe_check(public_page)
    public_page.goto("/remisser/handlingsplanen/sammanstallning/")
    expect(public_page.get_by_role("heading", level=1, name="Remissammanställning")).to_be_visible()
    axe_check(public_page)
    for context in (rep, late, public):
        context.close()


def test_answer_form_works_without_javascript(browser, live_server, clock, people):
    consultation = Consultation.objects.create(
        title="Remiss utan skript",
        slug="utan-skript",
        background="Bakgrund.",
        status=Consultation.Status.OPEN,
        opens_at=timezone.now(),
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    consultation.invited_organisations.set(people["organisations"])
    only = Section.objects.create(consultation=consultation, order=1, heading="Syfte", text="Planens syfte.")
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.add_cookies([_cookie_for(live_server, people["rep"])])
    page = context.new_page()
    page.goto("/remisser/utan-skript/svara/")
    page.get_by_label("Kommentar om Syfte").fill("Utan skript.")
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_text("Ditt utkast är sparat.")).to_be_visible()
    assert page.get_by_label("Kommentar om Syfte").input_value() == "Utan skript."
    page.locator(f"#id_position_{only.pk}_0").check()
    page.get_by_label("Jag förstår att svaret blir en allmän handling").check()
    page.get_by_role("button", name="Skicka in svaret").click()
    expect(page.get_by_text("Svaret är skrivskyddat")).to_be_visible()
    assert Answer.objects.get().is_submitted
    context.close()

"""Browser tests of the coordinator's workspace (the admin) as the coordinators' group sees it, with axe-core."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Signatory
from organisations.models import Contact
from outbox.models import OutgoingEmail
from tests.e2e.conftest import axe_check, log_in
from tests.factories import (
    AgreementFactory,
    AreaOfActivityFactory,
    ContactFactory,
    InterestSubmissionFactory,
    MeetingFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    SignatoryFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data():
    area = AreaOfActivityFactory(name="Kultur", slug="kultur")
    röda = OrganisationFactory(name="Röda Korset Sundsvall", areas=[area])
    ContactFactory(organisation=röda, name="Kim Kontakt", confirmed=False)
    InterestSubmissionFactory(organisation=röda)
    SignatoryFactory(organisation=röda, status=Signatory.Status.PENDING)
    SignatoryFactory(
        organisation=OrganisationFactory(name="Sundsvalls Scoutkår"),
        withdrawal_requested_at=timezone.now(),
    )
    soon = timezone.now() + dt.timedelta(days=3)
    meeting = MeetingFactory(
        title="Dialogmöte om ungas hälsa", start=soon, end=soon + dt.timedelta(hours=2), capacity=4
    )
    ProgrammeItemFactory(
        meeting=meeting,
        title="Välkommen och inledning om hur regionen och civilsamhället arbetar tillsammans med ungas hälsa",
        description="Samtal om ungas psykiska hälsa i länet, " * 20,
    )
    RegistrationFactory(meeting=meeting, name="Anna Andersson", email="anna@example.se")
    RegistrationFactory(meeting=meeting, name="Bo Berg", email="bo@example.se")
    OutgoingEmail.objects.create(
        kind="meetings.confirmation",
        to="anna@example.se",
        from_email="portal@example.se",
        subject="Bekräftelse",
        body_text="Hej",
        message_id="<1@example.se>",
        status=OutgoingEmail.Status.FAILED,
    )
    return {"organisation": röda, "meeting": meeting}


def test_start_page_shows_the_work_waiting_with_links_to_the_lists(page, live_server, demo_coordinator, data):
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/")
    work = page.locator(".work-waiting")
    assert "1 Underskrifter att verifiera" in work.inner_text()
    axe_check(page)
    for name in [
        "Underskrifter att verifiera",
        "Begäran om utträde",
        "Nya intresseanmälningar",
        "Kontaktpersoner att bekräfta",
        "Misslyckade e-postmeddelanden",
    ]:
        assert work.get_by_role("link", name=name).count() == 1, name
    page.get_by_role("link", name="Kontaktpersoner att bekräfta").click()
    assert "Kim Kontakt" in page.locator("#result_list").inner_text()
    axe_check(page)
    page.goto("/admin/")
    assert "Dialogmöte om ungas hälsa" in work.inner_text()
    assert "2 av 4" in work.inner_text()
    # A coordinator is no superuser: the periodic-task schedule is not theirs to see.
    assert "Periodic" not in page.content()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/organisations/organisation/",
        "/admin/organisations/organisation/add/",
        "/admin/organisations/organisation/{organisation}/change/",
        "/admin/organisations/organisation/import/",
        "/admin/organisations/contact/",
        "/admin/organisations/contact/add/",
        "/admin/organisations/representative/add/",
        "/admin/organisations/interestsubmission/",
        "/admin/meetings/meeting/",
        "/admin/meetings/meeting/add/",
        "/admin/meetings/meeting/{meeting}/change/",
        "/admin/meetings/meeting/{meeting}/deltagarlista/",
        "/admin/meetings/meeting/{meeting}/incheckning/",
        "/admin/meetings/registration/",
        "/admin/meetings/registration/{registration}/change/",
        "/admin/agreements/signatory/",
        "/admin/agreements/signatory/{signatory}/change/",
        "/admin/agreements/signatory/{signatory}/history/",
        "/admin/agreements/signatory/importera/",
        "/admin/outbox/outgoingemail/",
        "/admin/outbox/outgoingemail/{email}/change/",
        "/admin/agreements/agreement/",
        "/admin/core/disposaldecision/",
        "/admin/core/disposaldecision/add/",
    ],
)
def test_admin_pages_are_accessible_and_fit_1366(page, live_server, demo_coordinator, data, path):
    ids = {
        "organisation": data["organisation"].pk,
        "meeting": data["meeting"].pk,
        "registration": data["meeting"].registrations.first().pk,
        "signatory": Signatory.objects.first().pk,
        "email": OutgoingEmail.objects.first().pk,
        "contact": Contact.objects.first().pk,
    }
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 1366, "height": 900})
    response = page.goto(path.format(**ids))
    assert response.status == 200
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"{path} is {width} px wide"
    if path == "/admin/meetings/meeting/":
        expect(page.get_by_role("columnheader", name="Fyllt")).to_be_visible()
    if path == "/admin/outbox/outgoingemail/":
        expect(page.get_by_role("columnheader", name="Ämne")).to_be_visible()
        expect(page.get_by_role("columnheader", name="Status")).to_be_visible()


def _run_action(page, action_label, row_text):
    page.locator("#result_list tr", has_text=row_text).locator("input.action-select").check()
    page.get_by_label("Åtgärd:").select_option(label=action_label)
    page.get_by_role("button", name="Utför").click()


def test_check_in_at_the_door_on_a_phone(page, live_server, demo_coordinator, data):
    log_in(page, live_server, demo_coordinator)
    page.set_viewport_size({"width": 390, "height": 844})
    meeting = data["meeting"]
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.get_by_role("link", name="Incheckning", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Incheckning: Dialogmöte om ungas hälsa"
    assert "0 av 2 incheckade" in page.locator("#check-in-count").inner_text()
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Checka in Anna Andersson").click()
    assert "1 av 2 incheckade" in page.locator("#check-in-count").inner_text()
    axe_check(page)


def test_check_in_works_without_javascript(browser, live_server, demo_coordinator, data):
    # axe needs script, so this pass only taps through; the page itself is checked above.
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, live_server, demo_coordinator)
        meeting = data["meeting"]
        page.goto(f"/admin/meetings/meeting/{meeting.pk}/incheckning/")
        page.get_by_role("button", name="Checka in Anna Andersson").click()
        assert "1 av 2 incheckade" in page.locator("#check-in-count").inner_text()
        expect(page.get_by_role("button", name=re.compile(r"Ångra\W+Anna Andersson"))).to_be_visible()
        assert meeting.registrations.get(name="Anna Andersson").attended is True
        page.get_by_label("Sök på namn eller organisation").fill("bo")
        page.get_by_role("button", name="Sök").click()
        expect(page.get_by_role("button", name="Checka in Bo Berg")).to_be_visible()
        assert page.get_by_role("button", name=re.compile(r"Ångra\W+Anna Andersson")).count() == 0
    finally:
        context.close()


def test_printable_participant_list(page, live_server, demo_coordinator, data):
    log_in(page, live_server, demo_coordinator)
    meeting = data["meeting"]
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.get_by_role("link", name="Deltagarlista").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Deltagarlista: Dialogmöte om ungas hälsa"
    rows = page.locator(".attendance-list tbody tr")
    assert rows.count() == 2 and "Anna Andersson" in rows.first.inner_text()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator("#header")).to_be_hidden()
    expect(page.get_by_role("link", name="Incheckning vid dörren")).to_be_hidden()
    expect(page.locator(".attendance-list")).to_be_visible()


def test_coordinator_actions_send_the_new_e_mails(page, live_server, demo_coordinator, data):
    from django.core import mail

    from organisations.models import Organisation

    organisation = data["organisation"]
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.SUBMITTED)
    ContactFactory(organisation=organisation, name="Vera Verifierad", email="vera@example.se", confirmed=True)
    log_in(page, live_server, demo_coordinator)
    page.goto("/admin/organisations/organisation/")
    _run_action(page, "Verifiera markerade organisationer", "Röda Korset Sundsvall")
    # First the confirmation page: what will happen and to how many; nothing is sent yet.
    assert page.get_by_role("heading", level=1).inner_text() == "Verifiera organisationerna"
    # Vera and the contact of its interest submission (confirmed); Kim, unconfirmed, is not mailed.
    assert "Totalt skickas 2 e-postmeddelanden." in page.locator("#content-main").inner_text()
    axe_check(page)
    assert not any(m.to == ["vera@example.se"] for m in mail.outbox)
    page.get_by_role("button", name="Ja, verifiera").click()
    assert "Röda Korset Sundsvall: verifierad;" in page.locator(".messagelist").inner_text()
    axe_check(page)
    message = next(m for m in mail.outbox if m.to == ["vera@example.se"])
    assert "Röda Korset Sundsvall är nu verifierad" in message.subject
    assert f"/organisationer/{organisation.slug}/" in message.body

    page.goto("/admin/meetings/registration/")
    _run_action(page, "Avboka anmälningar (kön flyttas fram)", "Bo Berg")
    axe_check(page)
    message = next(m for m in mail.outbox if m.to == ["bo@example.se"])
    assert "Din anmälan är avbokad" in message.subject
    assert "En samordnare har avbokat din anmälan" in message.body


def test_copy_meeting_opens_the_copy_with_the_date_cleared(page, live_server, demo_coordinator, data):
    log_in(page, live_server, demo_coordinator)
    page.goto("/admin/meetings/meeting/")
    _run_action(page, "Kopiera mötet (nytt utkast med programmet)", "Dialogmöte om ungas hälsa")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ändra möte")
    assert page.locator("#id_title").input_value().startswith("Kopia av")
    assert page.locator("#id_start_0").input_value() == ""
    assert page.locator("#id_reminder_before option:checked").inner_text() == "2 dagar före"
    axe_check(page)


def test_representative_is_added_without_javascript(browser, live_server, demo_coordinator, data):
    from organisations.models import Representative
    from tests.factories import UserFactory

    UserFactory(email="rep@example.se")
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, live_server, demo_coordinator)
        page.goto(f"/admin/organisations/organisation/{data['organisation'].pk}/change/")
        page.locator('input[name="representative_links-0-user_email"]').fill("rep@example.se")
        page.get_by_role("button", name="Spara", exact=True).click()
        assert page.locator(".messagelist .success").count() == 1
        assert Representative.objects.filter(organisation=data["organisation"], user__email="rep@example.se").exists()
    finally:
        context.close()


def test_a_coordinator_assigns_a_case_number_from_the_regions_counter(page, live_server, demo_coordinator, region):
    region.case_number_format = "RS {year}/{number}"
    region.save(update_fields=["case_number_format"])
    AgreementFactory(title="Överenskommelsen om samverkan", slug="overenskommelsen")
    log_in(page, live_server, demo_coordinator)
    page.goto("/admin/agreements/agreement/")
    _run_action(page, "Tilldela diarienummer", "Överenskommelsen om samverkan")
    expect(page.locator(".messagelist")).to_contain_text("Diarienummer tilldelat: Överenskommelsen om samverkan: RS ")
    expect(page.locator("#result_list")).to_contain_text(re.compile(r"RS \d{4}/1"))
    axe_check(page)

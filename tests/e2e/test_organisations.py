"""Browser tests of the organisations pages: interest form (happy and error path), directory,
detail and the representative's edit page, each checked with axe-core."""

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from organisations.models import InterestSubmission, Organisation
from tests.e2e.conftest import axe_check
from tests.factories import (
    AreaOfActivityFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lists():
    return {
        "municipality": MunicipalityFactory(name="Sundsvall"),
        "area": AreaOfActivityFactory(name="Humanitärt arbete", slug="humanitart"),
    }


def fill_interest_form(page, *, number):
    page.get_by_label("Organisationens namn").fill("Röda Korsets regionråd Västernorrland")
    page.get_by_label("Organisationsnummer").fill(number)
    page.get_by_label("Kommun").select_option(label="Sundsvall")
    page.get_by_label("Humanitärt arbete").check()
    page.get_by_label("Ditt namn").fill("Ingrid Flodin")
    page.get_by_label("Din e-postadress").fill("ingrid@example.se")
    page.get_by_label("Delta i dialogmöten").check()
    page.get_by_label("Berätta mer").fill("Vi vill berätta om behoven vi ser.")
    page.get_by_label("Jag godkänner att regionen sparar uppgifterna").check()


def test_interest_form_happy_path_shows_confirmation_and_sends_email(page, lists, coordinator):
    page.goto("/organisationer/anmal-intresse/")
    axe_check(page)
    assert not page.get_by_label("Jag godkänner att regionen sparar uppgifterna").is_checked()
    fill_interest_form(page, number="802002 4280")
    page.get_by_role("button", name="Skicka").click()
    page.get_by_role("heading", name="Tack för din intresseanmälan").wait_for()
    assert "ingrid@example.se" in page.content()
    axe_check(page)
    organisation = Organisation.objects.get()
    assert organisation.organisation_number == "802002-4280"
    assert InterestSubmission.objects.get().wants_dialogue_meetings
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ingrid@example.se", "samordnare@example.se"]
    # The coordinator verifies it in the admin; then it is in the public directory.
    staff = Client()
    staff.force_login(coordinator)
    staff.post(
        "/admin/organisations/organisation/",
        {"action": "verify", "_selected_action": [organisation.pk], "confirm": "yes"},
    )
    page.goto("/organisationer/")
    expect(page.get_by_role("link", name="Röda Korsets regionråd Västernorrland")).to_be_visible()


def test_interest_form_wrong_check_digit_shows_error_summary_and_keeps_values(page, lists):
    page.goto("/organisationer/anmal-intresse/")
    fill_interest_form(page, number="802002-4281")
    page.get_by_role("button", name="Skicka").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Organisationsnummer" in summary.inner_text()
    assert "kontrollsiffran" in summary.inner_text()
    assert page.get_by_label("Organisationens namn").input_value() == "Röda Korsets regionråd Västernorrland"
    assert page.get_by_label("Din e-postadress").input_value() == "ingrid@example.se"
    assert page.get_by_label("Delta i dialogmöten").is_checked()
    assert page.get_by_label("Organisationsnummer").get_attribute("aria-invalid") == "true"
    axe_check(page)
    summary.get_by_role("link").first.click()
    assert Organisation.objects.count() == 0


def test_directory_search_and_filter(page, lists):
    timra = MunicipalityFactory(name="Timrå")
    OrganisationFactory(name="ABF Västernorrland", municipality=lists["municipality"], areas=[lists["area"]])
    OrganisationFactory(name="Sensus Västernorrland", municipality=timra)
    OrganisationFactory(name="Väntande förening", status=Organisation.Status.SUBMITTED)
    page.goto("/organisationer/")
    axe_check(page)
    expect(page.get_by_role("link", name="ABF Västernorrland")).to_be_visible()
    assert page.get_by_role("link", name="Väntande förening").count() == 0
    page.get_by_label("Sök på namn").fill("sensus")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url("**q=sensus**")
    expect(page.get_by_role("link", name="Sensus Västernorrland")).to_be_visible()
    assert page.get_by_role("link", name="ABF Västernorrland").count() == 0
    page.get_by_role("link", name="Visa alla organisationer").click()
    page.get_by_label("Kommun").select_option(label="Sundsvall")
    page.get_by_label("Verksamhetsområde").select_option(label="Humanitärt arbete")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url("**municipality=**")
    expect(page.get_by_role("link", name="ABF Västernorrland")).to_be_visible()
    assert page.get_by_role("link", name="Sensus Västernorrland").count() == 0
    axe_check(page)
    page.get_by_role("link", name="ABF Västernorrland").click()
    page.get_by_role("heading", name="ABF Västernorrland").wait_for()
    axe_check(page)


def test_representative_edits_profile_in_the_browser(page, live_server, lists):
    link = RepresentativeFactory(organisation__name="Unga Musikanter", organisation__description="Gammal text")
    client = Client()
    client.force_login(link.user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/mina-sidor/")
    page.get_by_role("link", name="Redigera profilen för Unga Musikanter").click()
    axe_check(page)
    page.get_by_label("Kort beskrivning").fill("Musik för barn och unga i hela länet.")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", name="Unga Musikanter").wait_for()
    assert "Musik för barn och unga i hela länet." in page.content()
    axe_check(page)


def test_a_directory_filter_that_names_nothing_is_told_in_an_accessible_summary(page, lists):
    """A kept link or a typo in the address: the summary says which filter, links to it, and the list is whole."""
    OrganisationFactory(name="ABF Västernorrland", municipality=lists["municipality"])
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/organisationer/?municipality=x")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Välj ett giltigt alternativ")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Kommun")).to_be_focused()
    expect(page.get_by_role("link", name="ABF Västernorrland")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    axe_check(page)

"""Browser tests of the agreement pages, the public signatory list and online signing, with axe-core."""

import datetime as dt

import pytest
from django.test import Client
from playwright.sync_api import expect

from agreements.models import Signatory
from core.region_state import current_region
from tests.e2e.conftest import axe_check, log_in
from tests.factories import (
    ActionFactory,
    ActionPlanFactory,
    AgreementFactory,
    AreaOfActivityFactory,
    MandatedRepresentativeFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SignatoryFactory,
    UserFactory,
    WorkingGroupMemberFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreement():
    agreement = AgreementFactory(
        title="Överenskommelse mellan Västra Götalandsregionen och det civila samhället", slug="vgr"
    )
    plan = ActionPlanFactory(agreement=agreement, title="Handlingsplan för överenskommelsen")
    ActionFactory(action_plan=plan, title="Dialogmöten inför större upphandlingar", area="Gemensam service")
    WorkingGroupMemberFactory(agreement=agreement, name="Charlotte Nordström", affiliation="(M)", role="ordförande")
    WorkingGroupMemberFactory(
        agreement=agreement, name="Eva Bergkvist", side="civil_society", affiliation="Göteborgs Pensionärsförening"
    )
    boras, skovde = MunicipalityFactory(name="Borås"), MunicipalityFactory(name="Skövde")
    kultur = AreaOfActivityFactory(name="Kultur", slug="kultur")
    SignatoryFactory(
        agreement=agreement,
        organisation=OrganisationFactory(name="Borås Kulturförening", municipality=boras, areas=[kultur]),
    )
    SignatoryFactory(
        agreement=agreement,
        organisation=OrganisationFactory(name="Borås Scoutkår", municipality=boras),
        signed_on=dt.date(2016, 3, 1),
    )
    SignatoryFactory(
        agreement=agreement,
        organisation=OrganisationFactory(name="Skövde Folkdanslag", municipality=skovde, areas=[kultur]),
    )
    return agreement


def test_agreement_page_shows_plan_group_and_count(page, agreement):
    page.goto("/overenskommelser/")
    axe_check(page)
    page.get_by_role("link", name=agreement.title).click()
    expect(page.get_by_role("heading", level=1, name=agreement.title)).to_be_visible()
    expect(page.get_by_text("Dialogmöten inför större upphandlingar")).to_be_visible()
    expect(page.get_by_text("Charlotte Nordström")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="3 organisationer har undertecknat").click()
    expect(page.get_by_role("heading", level=1, name="Organisationer som har undertecknat")).to_be_visible()


def test_signatory_list_searches_and_filters(page, agreement):
    page.goto("/overenskommelser/vgr/undertecknare/")
    expect(page.get_by_text("3 organisationer har undertecknat överenskommelsen.")).to_be_visible()
    expect(page.get_by_role("img", name="Antal undertecknare vid slutet av varje år")).to_be_visible()
    axe_check(page)

    page.get_by_label("Sök på organisationens namn").fill("scout")
    page.get_by_role("button", name="Visa").click()
    table = page.get_by_role("table", name="Organisationer som har undertecknat överenskommelsen")
    expect(table.get_by_role("cell", name="Borås Scoutkår")).to_be_visible()
    assert table.get_by_role("cell", name="Borås Kulturförening").count() == 0
    axe_check(page)

    page.get_by_label("Sök på organisationens namn").fill("")
    page.get_by_label("Kommun").select_option(label="Borås")
    page.get_by_label("Verksamhetsområde").select_option(label="Kultur")
    page.get_by_role("button", name="Visa").click()
    expect(table.get_by_role("cell", name="Borås Kulturförening")).to_be_visible()
    assert table.get_by_role("cell", name="Skövde Folkdanslag").count() == 0
    assert table.get_by_role("cell", name="Borås Scoutkår").count() == 0
    expect(page.get_by_text("1 organisation matchar.")).to_be_visible()
    axe_check(page)


def test_representative_signs_and_signature_is_public_after_verification(page, live_server, agreement):
    user = UserFactory(email="rep@example.se")
    MandatedRepresentativeFactory(user=user, organisation=OrganisationFactory(name="Föreningen Gemenskap"))
    coordinator = UserFactory(is_staff=True, email="samordnare@example.se")
    from core.permissions import ensure_coordinator_group

    coordinator.groups.add(ensure_coordinator_group())

    current_region().coordinators.add(coordinator)
    log_in(page, live_server, user)

    page.goto("/overenskommelser/vgr/")
    page.get_by_role("link", name="Underteckna", exact=True).click()
    axe_check(page)
    # Submitting without the authority confirmation shows the error summary.
    page.get_by_label("Namn på den som undertecknar").fill("Anna Ordförande")
    page.get_by_label("Titel eller roll för den som undertecknar").fill("Ordförande")
    page.get_by_role("button", name="Underteckna överenskommelsen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    axe_check(page)
    page.get_by_label("Jag intygar att den som undertecknar har rätt att teckna organisationen.").check()
    page.get_by_role("button", name="Underteckna överenskommelsen").click()
    expect(page.get_by_text("Tack! Föreningen Gemenskap har undertecknat.")).to_be_visible()
    axe_check(page)

    signatory = Signatory.objects.get(organisation__name="Föreningen Gemenskap")
    assert signatory.status == Signatory.Status.PENDING
    page.goto("/overenskommelser/vgr/undertecknare/")
    assert page.get_by_role("cell", name="Föreningen Gemenskap").count() == 0

    staff = Client()
    staff.force_login(coordinator)
    staff.post(
        "/admin/agreements/signatory/",
        {"action": "verify_selected", "_selected_action": [signatory.pk], "confirm": "yes"},
    )
    page.reload()
    expect(page.get_by_role("cell", name="Föreningen Gemenskap")).to_be_visible()
    expect(page.get_by_text("4 organisationer har undertecknat överenskommelsen.")).to_be_visible()

"""Issue 23's acceptance in a browser, e-ID and mandate together, through the local OpenID Connect provider
(tests/eid_provider.py): a representative logs in with e-ID, asks for a mandate on Mina sidor with the board's
minutes (a PDF), a coordinator verifies it in the admin (through the confirmation step), the representative
signs the agreement (the e-ID login is recent: no second confirmation); the signature's record in the admin
names the mandate and the e-ID level; once verified, the public list shows the organisation. axe-core on
each of our pages the representative visits."""

import datetime as dt

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.eid import person_number_hash
from agreements import services as agreement_services
from agreements.models import Signatory
from core.demo import load as load_coordinator
from organisations.models import Mandate
from tests.e2e.conftest import axe_check
from tests.factories import (
    AgreementFactory,
    MandatedRepresentativeFactory,
    OrganisationFactory,
    RepresentativeFactory,
    UserFactory,
)
from tests.samples import PDF

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "199001012389"


@pytest.fixture
def coordinator(settings):
    settings.STAFF_REQUIRE_MFA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_coordinator()


def _staff_context(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
    context.set_default_timeout(60_000)
    context.set_default_navigation_timeout(60_000)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return context


def test_e_id_login_mandate_and_signature(page, browser, live_server, eid_region, coordinator):
    agreement = AgreementFactory(title="Överenskommelsen om samverkan", slug="samverkan")
    organisation = OrganisationFactory(name="Föreningen Mandatet", slug="foreningen-mandatet")
    user = UserFactory(email="rut@example.se", full_name="Rut Representant")
    RepresentativeFactory(user=user, organisation=organisation)
    SocialAccount.objects.create(user=user, provider=eid_region.provider_id, uid=person_number_hash(NUMBER))
    eid_region.person("rut", level="EXTENDED", number=NUMBER)
    sign_url = f"/overenskommelser/{agreement.slug}/underteckna/"

    # 1. The representative logs in with e-ID.
    page.goto("/konto/login/")
    axe_check(page)
    page.get_by_role("button", name="Logga in med e-legitimation").click()
    page.wait_for_url(f"{eid_region.issuer}/**")
    page.locator('input[name="sub"]').fill("rut")
    page.get_by_role("button", name="Authorize", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Mina sidor")).to_be_visible()
    axe_check(page)

    # 2. Asks for a mandate from Mina sidor, with the board's minutes.
    page.get_by_role("link", name=f"Begär mandat för {organisation.name}").click()
    axe_check(page)
    page.locator('input[name="kind"][value="board"]').check()
    page.locator('input[name="valid_to"]').fill((timezone.localdate() + dt.timedelta(days=300)).isoformat())
    page.locator('input[name="evidence"]').set_input_files(
        files=[{"name": "styrelseprotokoll.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.get_by_text(f"Din begäran om mandat för {organisation.name} har skickats.")).to_be_visible()
    mandate = Mandate.objects.get(representative__user=user)
    assert mandate.status == Mandate.Status.REQUESTED and mandate.evidence

    staff = _staff_context(browser, live_server, coordinator)
    try:
        # 3. A coordinator verifies it in the admin, through the confirmation step.
        admin = staff.new_page()
        admin.goto("/admin/organisations/mandate/")
        admin.check(f'input[name="_selected_action"][value="{mandate.pk}"]')
        admin.select_option('select[name="action"]', "verify")
        admin.click('button[name="index"]')
        expect(admin.get_by_role("heading", level=1, name="Verifiera mandat")).to_be_visible()
        admin.get_by_role("button", name="Ja, verifiera").click()
        expect(admin.locator(".messagelist")).to_be_visible()
        mandate.refresh_from_db()
        assert mandate.status == Mandate.Status.VERIFIED

        # 4. The representative signs: the e-ID login is recent, so the form comes at once.
        page.goto(sign_url)
        expect(page.get_by_role("heading", level=1, name="Underteckna överenskommelsen")).to_be_visible()
        axe_check(page)
        page.locator('input[name="signed_by_name"]').fill("Rut Representant")
        page.locator('input[name="signed_by_title"]').fill("Ordförande")
        page.locator('input[name="board_decision"]').set_input_files(
            files=[{"name": "styrelsebeslut.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.locator('input[name="confirms_authority"]').check()
        page.get_by_role("button", name="Underteckna överenskommelsen").click()
        expect(page.get_by_text(f"Tack! {organisation.name} har undertecknat.")).to_be_visible()
        axe_check(page)
        signatory = Signatory.objects.get(agreement=agreement, organisation=organisation)
        assert signatory.mandate == mandate and signatory.board_decision
        assert (signatory.auth_method, signatory.auth_level) == ("eid", "EXTENDED")

        # 5. The signature's record in the admin names the mandate and the e-ID level.
        admin.goto(f"/admin/agreements/signatory/{signatory.pk}/change/")
        expect(admin.get_by_text("Mandat och inloggning")).to_be_visible()
        expect(admin.locator(f'a[href="/admin/organisations/mandate/{mandate.pk}/change/"]')).to_be_visible()
        expect(admin.locator("#content")).to_contain_text("EXTENDED")

        # 6. Verified, the public list shows the organisation.
        agreement_services.signatory_verify(signatory=signatory, by=coordinator)
        page.goto(f"/overenskommelser/{agreement.slug}/undertecknare/")
        expect(page.locator("main").get_by_text(organisation.name).first).to_be_visible()
        axe_check(page)
    finally:
        staff.close()


def test_the_confirmation_before_the_signing_form_passes_axe(page, live_server, eid_region):
    agreement = AgreementFactory(title="Överenskommelsen om samverkan", slug="samverkan")
    user = UserFactory(email="rut@example.se", full_name="Rut Representant", password="korrekt-hast-batteri")

    MandatedRepresentativeFactory(user=user, organisation=OrganisationFactory(name="Föreningen Mandatet"))
    eid_region.person("rut", level="EXTENDED", number=NUMBER)
    page.goto("/konto/login/")
    page.get_by_label("E-postadress").fill("rut@example.se")
    page.get_by_label("Lösenord").fill("korrekt-hast-batteri")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Mina sidor")).to_be_visible()

    page.goto(f"/overenskommelser/{agreement.slug}/underteckna/")
    expect(page.get_by_role("heading", level=1, name="Bekräfta med e-legitimation")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Bekräfta med e-legitimation").click()
    page.wait_for_url(f"{eid_region.issuer}/**")
    page.locator('input[name="sub"]').fill("rut")
    page.get_by_role("button", name="Authorize", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Underteckna överenskommelsen")).to_be_visible()
    expect(page.locator('input[name="signed_by_name"]')).to_be_visible()

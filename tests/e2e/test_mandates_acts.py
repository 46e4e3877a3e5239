"""Issue 23 in a browser without JavaScript: a representative without a mandate is shown the page that
says one is needed instead of the signing form; asks for a mandate with the board's minutes (a PDF); a
coordinator verifies it in the admin, through the confirmation step; the representative signs; the
signature's record in the admin names the mandate; once verified, the public list shows the
organisation. axe-core checks the new page (with JavaScript, which axe needs)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services as agreement_services
from agreements.models import Signatory
from organisations.models import Mandate
from tests.e2e.conftest import axe_check
from tests.factories import AgreementFactory, OrganisationFactory, RepresentativeFactory, UserFactory
from tests.samples import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    agreement = AgreementFactory(title="Överenskommelsen om samverkan", slug="samverkan")
    organisation = OrganisationFactory(name="Föreningen Mandatet", slug="foreningen-mandatet")
    user = UserFactory(email="rut@example.se", full_name="Rut Representant")
    RepresentativeFactory(user=user, organisation=organisation)
    return agreement, organisation, user


def _context(browser, live_server, user, *, javascript=False):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm", java_script_enabled=javascript
    )
    context.set_default_timeout(60_000)
    context.set_default_navigation_timeout(60_000)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return context


def test_the_mandate_page_passes_axe(browser, live_server, world):
    agreement, organisation, user = world
    context = _context(browser, live_server, user, javascript=True)
    try:
        page = context.new_page()
        page.goto(f"/overenskommelser/{agreement.slug}/underteckna/")
        expect(page.get_by_role("heading", level=1, name="Du behöver ett mandat")).to_be_visible()
        axe_check(page)
    finally:
        context.close()


def test_from_no_mandate_to_a_signature_that_names_the_mandate(browser, live_server, demo_coordinator, world):
    agreement, organisation, user = world
    sign_url = f"/overenskommelser/{agreement.slug}/underteckna/"
    representative = _context(browser, live_server, user)
    staff = _context(browser, live_server, demo_coordinator)
    try:
        page = representative.new_page()
        # 1. No mandate: the clear page, not the form.
        page.goto(sign_url)
        expect(page.get_by_role("heading", level=1, name="Du behöver ett mandat")).to_be_visible()
        expect(page.locator('input[name="signed_by_name"]')).to_have_count(0)
        page.get_by_role("link", name=f"Begär mandat för {organisation.name}").click()

        # 2. The request, with the board's minutes.
        page.locator('input[name="kind"][value="board"]').check()
        page.locator('input[name="valid_to"]').fill((timezone.localdate() + dt.timedelta(days=300)).isoformat())
        page.locator('input[name="evidence"]').set_input_files(
            files=[{"name": "styrelseprotokoll.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Skicka begäran").click()
        expect(page.get_by_text(f"Din begäran om mandat för {organisation.name} har skickats.")).to_be_visible()
        mandate = Mandate.objects.get(representative__user=user)
        assert mandate.status == Mandate.Status.REQUESTED and mandate.evidence

        # Still waiting: still the clear page, which says so.
        page.goto(sign_url)
        expect(page.get_by_text("din begäran om mandat väntar på en samordnare")).to_be_visible()

        # 3. The coordinator verifies it in the admin, through the confirmation step.
        admin = staff.new_page()
        admin.goto("/admin/organisations/mandate/")
        admin.check(f'input[name="_selected_action"][value="{mandate.pk}"]')
        admin.select_option('select[name="action"]', "verify")
        admin.click('button[name="index"]')
        expect(admin.get_by_role("heading", level=1, name="Verifiera mandat")).to_be_visible()
        mandate.refresh_from_db()
        assert mandate.status == Mandate.Status.REQUESTED  # nothing done before the confirmation
        admin.get_by_role("button", name="Ja, verifiera").click()
        mandate.refresh_from_db()
        assert mandate.status == Mandate.Status.VERIFIED

        # 4. The representative signs.
        page.goto(sign_url)
        page.locator('input[name="signed_by_name"]').fill("Rut Representant")
        page.locator('input[name="signed_by_title"]').fill("Ordförande")
        page.locator('input[name="confirms_authority"]').check()
        page.get_by_role("button", name="Underteckna överenskommelsen").click()
        expect(page.get_by_text(f"Tack! {organisation.name} har undertecknat.")).to_be_visible()
        signatory = Signatory.objects.get(agreement=agreement, organisation=organisation)
        assert signatory.mandate == mandate

        # 5. The signature's record names the mandate (read-only).
        admin.goto(f"/admin/agreements/signatory/{signatory.pk}/change/")
        expect(admin.get_by_text("Mandat och inloggning")).to_be_visible()
        expect(admin.locator(f'a[href="/admin/organisations/mandate/{mandate.pk}/change/"]')).to_be_visible()

        # 6. Verified, the public list shows the organisation.
        agreement_services.signatory_verify(signatory=signatory, by=demo_coordinator)
        public = representative.new_page()
        public.goto(f"/overenskommelser/{agreement.slug}/undertecknare/")
        expect(public.locator("main").get_by_text(organisation.name).first).to_be_visible()
    finally:
        representative.close()
        staff.close()

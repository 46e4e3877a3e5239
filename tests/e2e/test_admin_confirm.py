"""The confirmation page of a status step (core/admin_confirm.py) in a browser without JavaScript:
choose the action, read what will happen and to how many, tick the explicit choices, confirm. axe-core
checks the page."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from agreements.models import Signatory
from elections.models import Nomination, SelectionRound
from outbox.models import OutgoingEmail
from tests.e2e.conftest import axe_check
from tests.factories import AgreementFactory, OrganisationFactory, RepresentativeFactory, SignatoryFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def round_mid_nominations():
    agreement = AgreementFactory(title="Överenskommelse", slug="overenskommelse")
    organisations = []
    for index in range(2):
        organisation = OrganisationFactory(name=f"Förening {index}")
        SignatoryFactory(agreement=agreement, organisation=organisation, status=Signatory.Status.VERIFIED)
        RepresentativeFactory(user=UserFactory(email=f"rep{index}@example.se"), organisation=organisation)
        organisations.append(organisation)
    now = timezone.now()
    selection_round = SelectionRound.objects.create(
        agreement=agreement,
        title="Val till arbetsgruppen",
        slug="val",
        status=SelectionRound.Status.NOMINATING,
        nomination_opens=now - dt.timedelta(days=7),
        nomination_closes=now + dt.timedelta(days=21),
        voting_opens=now + dt.timedelta(days=24),
        voting_closes=now + dt.timedelta(days=38),
    )
    Nomination.objects.create(
        round=selection_round,
        nominating_organisation=organisations[0],
        candidate_name="Anna Ja",
        candidate_organisation=organisations[0],
        candidate_email="anna@example.se",
        presentation="Presentation.",
        status=Nomination.Status.ACCEPTED,
    )
    return selection_round


def test_opening_voting_early_is_confirmed_on_an_accessible_page_without_javascript(
    browser, live_server, demo_coordinator, round_mid_nominations
):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=False)
    context.set_default_timeout(60_000)
    client = Client()
    client.force_login(demo_coordinator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto("/admin/elections/selectionround/")
        page.check(f'input[name="_selected_action"][value="{round_mid_nominations.pk}"]')
        page.select_option('select[name="action"]', "open_voting")
        page.click('button[name="index"]')
        assert page.get_by_role("heading", level=1).inner_text() == "Öppna röstningen"
        assert "2 e-postmeddelanden skickas" in page.content()
        round_mid_nominations.refresh_from_db()
        assert round_mid_nominations.status == SelectionRound.Status.NOMINATING
        page.get_by_label("Avsluta nomineringen och öppna röstningen nu").check()
        page.get_by_role("button", name="Ja, öppna röstningen").click()
        assert "röstningen är öppen" in page.content()
        round_mid_nominations.refresh_from_db()
        assert round_mid_nominations.status == SelectionRound.Status.VOTING
        assert OutgoingEmail.objects.filter(kind="elections.voting_open").count() == 2
    finally:
        context.close()


def test_the_confirmation_page_passes_axe(page, live_server, demo_coordinator, round_mid_nominations):
    client = Client()
    client.force_login(demo_coordinator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    page.goto("/admin/elections/selectionround/")
    page.check(f'input[name="_selected_action"][value="{round_mid_nominations.pk}"]')
    page.select_option('select[name="action"]', "open_voting")
    page.click('button[name="index"]')
    assert page.get_by_role("heading", level=1).inner_text() == "Öppna röstningen"
    axe_check(page)

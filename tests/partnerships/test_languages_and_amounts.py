"""The English pages mark what coordinators wrote only in Swedish as Swedish (WCAG 3.1.2), and every
amount is written the way the page's language writes money: "1 500 000 kr" and "SEK 1,500,000"."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from core.models import DisposalDecision
from core.money import sek
from tests.factories import AreaOfActivityFactory, ChallengeFactory, OrganisationFactory
from tests.factories.partnerships import (
    NOW,
    ApplicationFactory,
    CriterionFactory,
    DecisionFactory,
    GrantCallFactory,
    PartnershipFactory,
)
from tests.factories.regions import record_disposal_decisions

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def swedish_call(clock):
    call = GrantCallFactory(
        title="Stöd till ideella organisationer 2027",
        slug="stod-2027",
        purpose="Stärka folkhälsan i länet.",
        who_may_apply="Ideella föreningar i länet.",
        amount_available=1_500_000,
        ceiling=50_000,
        area=AreaOfActivityFactory(name="Folkhälsa", name_en="Public health", slug="folkhalsa"),
    )
    CriterionFactory(call=call, name="Nytta för folkhälsan", description="Hur många nås?")
    return call


@pytest.fixture
def grant(swedish_call):
    application = ApplicationFactory(
        call=swedish_call, title="Läxhjälp för nyanlända", status="granted", submitted_at=NOW
    )
    return DecisionFactory(application=application, amount=40_000)


# Language of parts -------------------------------------------------------------------------------


def test_the_english_call_list_marks_the_swedish_title(client, swedish_call):
    page = _in(client, "en").get(reverse("grants:list")).content.decode()
    assert '<span lang="sv">Stöd till ideella organisationer 2027</span>' in page


def test_the_english_call_page_marks_title_purpose_who_may_apply_and_criteria(client, swedish_call):
    page = _in(client, "en").get(swedish_call.get_absolute_url()).content.decode()
    assert '<h1><span lang="sv">Stöd till ideella organisationer 2027</span></h1>' in page
    assert '<div lang="sv"><p>Stärka folkhälsan i länet.</p></div>' in page
    assert '<div lang="sv"><p>Ideella föreningar i länet.</p></div>' in page
    assert '<strong><span lang="sv">Nytta för folkhälsan</span></strong>' in page
    assert '<span lang="sv">Hur många nås?</span>' in page


def test_the_english_call_page_shows_an_english_area_name_unmarked(client, swedish_call):
    page = _in(client, "en").get(swedish_call.get_absolute_url()).content.decode()
    assert '<dd class="col-sm-8">Public health</dd>' in page and "Folkhälsa" not in page


def test_the_swedish_call_page_marks_nothing(client, swedish_call):
    page = _in(client, "sv").get(swedish_call.get_absolute_url()).content.decode()
    assert "<h1>Stöd till ideella organisationer 2027</h1>" in page
    assert 'lang="sv"' not in page.split("<html", 1)[1].split(">", 1)[1]  # only the page's own lang


def test_the_english_grant_list_marks_the_granted_projects_title(client, grant):
    page = _in(client, "en").get(reverse("grants:grants")).content.decode()
    assert '<span lang="sv">Läxhjälp för nyanlända</span>' in page
    assert '<option value="folkhalsa">Public health</option>' in page  # an English area name, unmarked


def test_the_english_partnership_page_marks_swedish_and_shows_english_challenge_titles(client):
    partnership = PartnershipFactory(title="Flyktingmottagandet 2022", purpose="Ta emot människor på flykt.")
    partnership.challenges.add(ChallengeFactory(title="Ukrainakriget", title_en="The war in Ukraine"))
    page = _in(client, "en").get(partnership.get_absolute_url()).content.decode()
    assert '<h1><span lang="sv">Flyktingmottagandet 2022</span></h1>' in page
    assert '<div lang="sv"><p>Ta emot människor på flykt.</p></div>' in page
    assert ">The war in Ukraine</a>" in page and "Ukrainakriget" not in page


def test_the_english_personal_data_page_marks_the_disposal_decisions_swedish_texts(client, region):
    record_disposal_decisions(region)
    DisposalDecision.objects.update(decided_by="Regionstyrelsen", note="Gallringsbeslut för personuppgifter (demo).")
    page = _in(client, "en").get(reverse("core:privacy")).content.decode()
    assert '<span lang="sv">Gallringsbeslut för personuppgifter (demo).</span>' in page
    assert 'decided by <span lang="sv">Regionstyrelsen</span>' in page
    swedish = _in(client, "sv").get(reverse("core:privacy")).content.decode()
    assert '<span class="small">Gallringsbeslut för personuppgifter (demo).</span>' in swedish


# Amounts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("sv", 1_500_000, f"1{NBSP}500{NBSP}000{NBSP}kr"),
        ("en", 1_500_000, f"SEK{NBSP}1,500,000"),
        ("sv", 900, f"900{NBSP}kr"),
        ("en", 0, f"SEK{NBSP}0"),
        ("sv", None, ""),
    ],
)
def test_an_amount_is_written_as_the_language_writes_money(language, amount, expected):
    with translation.override(language):
        assert sek(amount) == expected


def test_the_call_page_and_list_write_amounts_alike_in_each_language(client, swedish_call):
    swedish = _in(client, "sv")
    assert f"1{NBSP}500{NBSP}000{NBSP}kr" in swedish.get(swedish_call.get_absolute_url()).content.decode()
    assert f"1{NBSP}500{NBSP}000{NBSP}kr att fördela" in swedish.get(reverse("grants:list")).content.decode()
    english = _in(client, "en")
    detail = english.get(swedish_call.get_absolute_url()).content.decode()
    assert f"SEK{NBSP}1,500,000" in detail and f"SEK{NBSP}50,000" in detail and " kr" not in detail
    listing = english.get(reverse("grants:list")).content.decode()
    assert f"SEK{NBSP}1,500,000 available, at most SEK{NBSP}50,000 per application" in listing


def test_the_grant_list_writes_each_amount_and_the_total(client, grant):
    DecisionFactory(
        application=ApplicationFactory(call=grant.application.call, status="granted", submitted_at=NOW),
        amount=1_000_000,
    )
    swedish = _in(client, "sv").get(reverse("grants:grants")).content.decode()
    assert f"2 bidrag, 1{NBSP}040{NBSP}000{NBSP}kr totalt." in swedish and f">40{NBSP}000{NBSP}kr</td>" in swedish
    english = _in(client, "en").get(reverse("grants:grants")).content.decode()
    assert f"2 grants, SEK{NBSP}1,040,000 in all." in english and f">SEK{NBSP}40,000</td>" in english


def test_the_partnership_pages_write_the_contribution(client):
    partnership = PartnershipFactory(region_contribution=400_000)
    assert f"400{NBSP}000{NBSP}kr" in _in(client, "sv").get(partnership.get_absolute_url()).content.decode()
    listing = _in(client, "en").get(reverse("partnerships:list")).content.decode()
    assert f"partnerships in force: SEK{NBSP}400,000." in listing


def test_the_application_page_writes_the_grant_and_the_budget(client, grant, representative, organisation):
    application = grant.application
    application.organisation = organisation
    application.save()
    application.budget_lines.create(order=0, item="Lokalhyra", amount=45_000, region_id=application.region_id)
    client.force_login(representative)
    page = _in(client, "sv").get(
        reverse("grants:apply", args=[application.call.slug]), {"organisation": organisation.pk}
    )
    text = page.content.decode()
    assert f"Regionen har beviljat 40{NBSP}000{NBSP}kr." in text and f">45{NBSP}000{NBSP}kr</td>" in text


def test_the_slots_write_amounts(client):
    organisation = OrganisationFactory(slug="mottagaren")
    application = ApplicationFactory(organisation=organisation, status="granted", submitted_at=NOW)
    DecisionFactory(application=application, amount=7_777)
    page = _in(client, "en").get(reverse("organisations:detail", args=[organisation.slug])).content.decode()
    assert f"SEK{NBSP}7,777" in page

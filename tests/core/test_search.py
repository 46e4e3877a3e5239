"""The portal's one search (/sok/): every kind the apps register, only what a visitor may see, only the
region of the host, words found with or without accents, filters, and bad query strings answered."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.models import Consultation
from core.regions import region_scope
from core.search.folding import fold, words
from elections.models import SelectionRound
from meetings.models import Meeting
from organisations.models import Organisation
from tests.factories import (
    AgreementFactory,
    AreaOfActivityFactory,
    ChallengeFactory,
    MeetingFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from tests.factories.consultations import ConsultationFactory

pytestmark = pytest.mark.django_db


def _search(client, **params):
    response = client.get("/sok/", params)
    assert response.status_code == 200
    return response.content.decode()


def _round(agreement, **extra):
    now = timezone.now()
    return SelectionRound.objects.create(
        agreement=agreement,
        status=extra.pop("status", SelectionRound.Status.NOMINATING),
        nomination_opens=now - dt.timedelta(days=1),
        nomination_closes=now + dt.timedelta(days=5),
        voting_opens=now + dt.timedelta(days=6),
        voting_closes=now + dt.timedelta(days=10),
        **{"title": "Val till arbetsgruppen", "slug": "val", **extra},
    )


def test_empty_query_shows_the_form_and_a_hint(client):
    page = _search(client)
    assert 'name="q"' in page
    assert "Skriv ett eller flera ord" in page


def test_every_page_has_the_search_field_in_the_header(client):
    page = client.get("/").content.decode()
    assert 'action="/sok/"' in page
    assert 'for="site-search-q"' in page


def test_finds_a_meeting_and_never_a_draft(client):
    MeetingFactory(title="Dialog om Ukraina", slug="dialog-ukraina")
    MeetingFactory(title="Utkast om Ukraina", slug="utkast-ukraina", status=Meeting.Status.DRAFT)
    page = _search(client, q="ukraina")
    assert "Dialog om Ukraina" in page
    assert "Utkast om Ukraina" not in page
    assert "/moten/dialog-ukraina/" in page


def test_finds_a_public_challenge_never_an_unpublished_or_proposed_one(client):
    ChallengeFactory(title="Flyktingar från Ukraina")
    ChallengeFactory(title="Opublicerad Ukraina", published=False)
    ChallengeFactory(title="Föreslagen Ukraina", status="proposed")
    page = _search(client, q="ukraina")
    assert "Flyktingar från Ukraina" in page
    assert "Opublicerad Ukraina" not in page
    assert "Föreslagen Ukraina" not in page


def test_finds_an_open_consultation_never_a_draft(client):
    ConsultationFactory(title="Remiss om folkhälsa", status=Consultation.Status.OPEN)
    ConsultationFactory(title="Utkast om folkhälsa", status=Consultation.Status.DRAFT)
    page = _search(client, q="folkhälsa")
    assert "Remiss om folkhälsa" in page
    assert "Utkast om folkhälsa" not in page


def test_finds_a_selection_round_never_a_draft(client):
    agreement = AgreementFactory()
    _round(agreement, title="Val till beredningsgruppen", slug="val-beredning")
    _round(agreement, title="Val till hemliga gruppen", slug="val-hemlig", status=SelectionRound.Status.DRAFT)
    page = _search(client, q="val")
    assert "Val till beredningsgruppen" in page
    assert "hemliga gruppen" not in page


def test_finds_only_organisations_the_directory_shows(client):
    OrganisationFactory(name="Röda Korsets regionråd")
    OrganisationFactory(name="Röda Korset Dold", public_listing=False)
    OrganisationFactory(name="Röda Korset Ansökt", status=Organisation.Status.SUBMITTED)
    page = _search(client, q="roda korset")
    assert "Röda Korsets regionråd" in page
    assert "Röda Korset Dold" not in page
    assert "Röda Korset Ansökt" not in page


def test_finds_an_agreement_by_its_text_never_a_draft(client):
    AgreementFactory(title="Överenskommelsen 2024", text="Vi arbetar med integration och kvinnojourer.")
    AgreementFactory(title="Utkastet", text="Integration", status="draft")
    page = _search(client, q="integration")
    assert "Överenskommelsen 2024" in page
    assert "Utkastet" not in page


@pytest.mark.parametrize("term", ["roda korset", "RÖDA KORSET", "Röda", "korset roda", "kvinnojour"])
def test_words_found_without_accents_case_or_endings(client, term):
    OrganisationFactory(name="Röda Korsets kvinnojouren")
    OrganisationFactory(name="Idrottsföreningen Norrstjärnan")
    page = _search(client, q=term)
    assert "Röda Korsets kvinnojouren" in page
    assert "Norrstjärnan" not in page


def test_every_word_must_be_found(client):
    OrganisationFactory(name="Röda Korset")
    page = _search(client, q="röda stjärnan")
    assert "Röda Korset" not in page
    assert "Inget hittades" in page


def test_english_versions_of_fields_are_searched_and_shown_on_english_pages(client):
    """``<field>_en`` is searched wherever a model has one: here the meeting topics' name_en, through a
    searchable of the test's own (the apps' texts get theirs with the bilingual content)."""
    from core.registry import portal
    from core.search.engine import columns
    from meetings.models import Topic

    Topic.objects.create(name="Folkhälsa", name_en="Public health", slug="folkhalsa")
    Topic.objects.create(name="Idrott", slug="idrott")
    portal.searchable("test-topics", "meetings.Topic", "Topics", fields={"name": "A"}, title="name")
    try:
        assert ("name_en", "A") in columns(portal.searchable_kind("test-topics"))
        page = _search(client, q="public health")
        assert "Folkhälsa" in page and "Idrott" not in page
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        page = _search(client, q="folkhalsa")
        assert ">Public health</a>" in page
        assert ">Idrott</a>" not in page
    finally:
        entry = portal._entry("meetings", "searchables")
        entry.searchables[:] = [s for s in entry.searchables if s.kind != "test-topics"]


def test_another_regions_content_is_never_found(client, other_region):
    with region_scope(other_region):
        ChallengeFactory(title="Hallands Ukraina-utmaning")
        OrganisationFactory(name="Röda Korset Halland")
    ChallengeFactory(title="Västernorrlands Ukraina-utmaning")
    page = _search(client, q="ukraina")
    assert "Västernorrlands Ukraina-utmaning" in page
    assert "Hallands" not in page
    assert "Röda Korset Halland" not in _search(client, q="roda korset")


def test_results_are_grouped_by_kind_with_the_best_group_first(client):
    OrganisationFactory(name="Föreningen för Ukraina")
    ChallengeFactory(title="Ukraina", summary="Ukraina Ukraina")
    MeetingFactory(title="Möte", summary="Om Ukraina i ett sammanhang")
    page = _search(client, q="ukraina")
    assert page.index('id="search-group-challenges"') < page.index('id="search-group-meetings"')
    assert 'id="search-group-organisations"' in page


def test_kind_filter_shows_only_that_kind_with_pages(client):
    for n in range(23):
        ChallengeFactory(title=f"Ukraina {n}")
    MeetingFactory(title="Möte om Ukraina")
    page = _search(client, q="ukraina", kind="challenges")
    assert "Möte om Ukraina" not in page
    assert "Sida 1 av 2" in page
    second = _search(client, q="ukraina", kind="challenges", page="2")
    assert "Sida 2 av 2" in second


def test_overview_links_to_all_results_of_a_kind(client):
    for n in range(7):
        ChallengeFactory(title=f"Ukraina {n}")
    page = _search(client, q="ukraina")
    assert "kind=challenges" in page
    assert "Visa alla 7 träffar bland utmaningar" in page


def test_area_and_municipality_filters(client):
    area = AreaOfActivityFactory(name="Integration", slug="integration")
    town = MunicipalityFactory(name="Sundsvall")
    inside = ChallengeFactory(title="Ukraina i området")
    inside.areas.add(area)
    inside.municipalities.add(town)
    ChallengeFactory(title="Ukraina utanför")
    MeetingFactory(title="Möte om Ukraina")
    page = _search(client, q="ukraina", area="integration")
    assert "Ukraina i området" in page
    assert "Ukraina utanför" not in page
    page = _search(client, q="ukraina", municipality=str(town.pk))
    assert "Ukraina i området" in page
    assert "Ukraina utanför" not in page
    assert "Möte om Ukraina" not in page  # meetings have no municipality


def test_time_filters(client):
    now = timezone.now()
    MeetingFactory(title="Kommande Ukraina", start=now + dt.timedelta(days=3))
    MeetingFactory(title="Gammalt Ukraina", start=now - dt.timedelta(days=30))
    MeetingFactory(title="Pågående Ukraina", start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1))
    OrganisationFactory(name="Ukraina-föreningen")
    upcoming = _search(client, q="ukraina", when="upcoming")
    assert "Kommande Ukraina" in upcoming
    assert "Gammalt Ukraina" not in upcoming
    assert "Pågående Ukraina" in upcoming  # ongoing counts as upcoming
    assert "Ukraina-föreningen" not in upcoming  # no date: left out when a time is chosen
    past = _search(client, q="ukraina", when="past")
    assert "Gammalt Ukraina" in past and "Kommande Ukraina" not in past and "Pågående Ukraina" not in past
    day = timezone.localdate(now - dt.timedelta(days=30)).isoformat()
    ranged = _search(client, q="ukraina", from_date=day, to_date=day)
    assert "Gammalt Ukraina" in ranged and "Kommande Ukraina" not in ranged


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "högst 200 tecken"),
        ({"q": "!!! ???"}, "minst ett ord"),
        ({"q": "ukraina", "kind": "nothing"}, "giltigt alternativ"),
        ({"q": "ukraina", "area": "no-such-area"}, "giltigt alternativ"),
        ({"q": "ukraina", "municipality": "99999999999999999999999"}, "giltigt alternativ"),
        ({"q": "ukraina", "municipality": "abc"}, "giltigt alternativ"),
        ({"q": "ukraina", "from_date": "2024-13-45"}, "giltigt datum"),
        ({"q": "ukraina", "from_date": "2025-02-01", "to_date": "2025-01-01"}, "före startdatumet"),
        ({"q": "ukraina\x00"}, "Null"),
    ],
)
def test_bad_query_strings_get_a_clear_message(client, params, message):
    ChallengeFactory(title="Ukraina")
    page = _search(client, **params)
    assert message in page
    assert 'role="alert"' in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 5000},
        {"q": "ukraina", "page": "-1"},
        {"q": "ukraina", "page": "99999999999999999999999999"},
        {"q": "ukraina", "kind": "challenges", "page": "abc"},
        {"q": "' OR 1=1 --", "kind": "challenges"},
        {"q": "ukr:* & !a | (b"},
        {"q": "\u202e\ufeff\ud7ff ukraina"},
        {"q": "ukraina", "when": "tomorrow"},
        {"q": "ukraina", "to_date": "0000-00-00"},
        {"q": " ".join(["ord"] * 300)},
    ],
)
def test_fuzzed_query_strings_never_fail(client, params, postgres_nul_rule):
    ChallengeFactory(title="Ukraina")
    response = client.get("/sok/", params)
    assert response.status_code == 200


def _add_of_every_kind(number: int, area, town) -> None:
    agreement = AgreementFactory(title=f"Ukraina-överenskommelsen {number}")
    challenge = ChallengeFactory(title=f"Ukraina {number}")
    challenge.areas.add(area)
    challenge.municipalities.add(town)
    OrganisationFactory(name=f"Ukraina-föreningen {number}", municipality=town).areas.add(area)
    MeetingFactory(title=f"Möte om Ukraina {number}").areas.add(area)
    ConsultationFactory(title=f"Remiss om Ukraina {number}", status=Consultation.Status.OPEN)
    _round(agreement, title=f"Val om Ukraina {number}", slug=f"val-{number}")


def _queries(client, **params) -> int:
    cache.clear()  # the page is cached: count a build
    with CaptureQueriesContext(connection) as captured:
        _search(client, **params)
    return len(captured)


def test_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    area = AreaOfActivityFactory(name="Integration", slug="integration")
    town = MunicipalityFactory(name="Sundsvall")
    for number in range(6):  # more than a group shows: each kind counts its hits
        _add_of_every_kind(number, area, town)
    few = {"overview": _queries(client, q="ukraina"), "kind": _queries(client, q="ukraina", kind="challenges")}
    for number in range(6, 30):
        _add_of_every_kind(number, area, town)
    many = {"overview": _queries(client, q="ukraina"), "kind": _queries(client, q="ukraina", kind="challenges")}
    assert many == few
    assert few["overview"] <= 24  # 6 kinds: a count, a page of hits, its areas and municipalities; the filters


def test_page_is_cached_and_follows_a_publication(client, django_assert_num_queries, run_on_commit):
    challenge = ChallengeFactory(title="Ukraina", published=False)
    assert "Ukraina</a>" not in _search(client, q="ukraina")
    with django_assert_num_queries(0):
        _search(client, q="ukraina")
    challenge.published = True
    with run_on_commit():
        challenge.save()
    assert "Ukraina</a>" in _search(client, q="ukraina")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="typos are found by trigram similarity on PostgreSQL")
@pytest.mark.parametrize("typo", ["kvinojouren", "kvinnojoruen", "rdoa korset"])
def test_typos_are_found_on_postgresql(client, typo):
    OrganisationFactory(name="Kvinnojouren Röda Korset")
    OrganisationFactory(name="Idrottsföreningen Norrstjärnan")
    page = _search(client, q=typo)
    assert "Kvinnojouren Röda Korset" in page
    assert "Norrstjärnan" not in page


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_sqlite_fallback_finds_by_words_in_any_field(client):
    ChallengeFactory(title="Flyktingmottagande", description="Efter kriget i UKRAINA behövs stöd.")
    page = _search(client, q="ukraina stöd")
    assert "Flyktingmottagande" in page


def test_every_kind_is_registered_with_a_visible_queryset():
    from core.registry import portal

    kinds = {s.kind: s for s in portal.searchables()}
    assert set(kinds) >= {"meetings", "challenges", "consultations", "elections", "organisations", "agreements"}
    for searchable in kinds.values():
        assert searchable.visible, searchable.kind  # never every row of a model
        assert searchable.caches, searchable.kind


def test_a_searchable_with_a_typo_fails_loudly():
    from core.registry import AlreadyRegistered, portal

    with pytest.raises(Exception, match="no field named"):
        portal.searchable("x", "meetings.Meeting", "X", fields={"titel": "A"})
    with pytest.raises(ValueError, match="weight"):
        portal.searchable("x", "meetings.Meeting", "X", fields={"title": "E"})
    with pytest.raises(AlreadyRegistered):
        portal.searchable("meetings", "meetings.Meeting", "X", fields={"title": "A"})
    assert portal.searchable_kind("x") is None


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=TEXT,
    kind=st.sampled_from(["", "challenges", "meetings", "x"]) | TEXT,
    when=st.sampled_from(["", "upcoming", "past"]) | TEXT,
    from_date=st.sampled_from(["", "2026-01-01", "2026-02-30", "1-1-1"]) | TEXT,
    page=st.integers().map(str) | TEXT,
)
def test_any_query_string_gets_a_page(client, postgres_nul_rule, q, kind, when, from_date, page):
    cache.clear()
    params = {"q": q, "kind": kind, "when": when, "from_date": from_date, "page": page, "area": q[:20]}
    assert client.get("/sok/", params).status_code == 200


@given(TEXT)
def test_words_are_letters_and_digits_only(text):
    found = words(text)
    assert len(found) <= 8
    assert all(word.isalnum() and len(word) <= 40 and word == fold(word) for word in found)

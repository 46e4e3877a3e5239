"""Content in both languages on the pages and in the admin: an English page shows the English text a
coordinator wrote, or the Swedish one marked lang="sv"; a Swedish page always shows Swedish; the page cache
never serves one language's text to the other; the admin edits both side by side."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ChallengeFactory, MeetingFactory, ProgrammeItemFactory, UpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_an_english_meeting_page_shows_the_english_title_summary_and_programme(client):
    meeting = MeetingFactory(
        title="Dialogmöte om folkhälsa",
        title_en="Dialogue meeting on public health",
        summary="Vi samtalar om folkhälsan.",
        summary_en="We talk about public health.",
        description="Beskrivning på svenska.",
    )
    ProgrammeItemFactory(meeting=meeting, title="Välkommen", title_en="Welcome")
    page = _in(client, "en").get(meeting.get_absolute_url()).content.decode()
    assert "<h1>Dialogue meeting on public health</h1>" in page
    assert "We talk about public health." in page and "Vi samtalar" not in page
    assert "Welcome" in page
    assert '<div lang="sv"><p>Beskrivning på svenska.</p></div>' in page  # no English description written


def test_a_swedish_page_shows_swedish_though_english_is_written(client):
    meeting = MeetingFactory(title="Dialogmöte om folkhälsa", title_en="Dialogue meeting on public health")
    page = _in(client, "sv").get(meeting.get_absolute_url()).content.decode()
    assert "<h1>Dialogmöte om folkhälsa</h1>" in page and "Dialogue meeting" not in page
    assert 'lang="sv"' not in page.split("<html", 1)[1].split(">", 1)[1]  # only the page's own lang


def test_an_english_page_marks_a_swedish_only_title_as_swedish(client):
    challenge = ChallengeFactory(title="Frivilliga efter pandemin")
    page = _in(client, "en").get(challenge.get_absolute_url()).content.decode()
    assert '<span lang="sv">Frivilliga efter pandemin</span>' in page


def test_the_english_challenge_page_and_list_show_the_english_texts(client):
    challenge = ChallengeFactory(
        title="Flyktingsituationen", title_en="The refugee situation", summary_en="Receiving those who flee."
    )
    UpdateFactory(challenge=challenge, title="Regionen lyfter utmaningen", title_en="The region raises it")
    client = _in(client, "en")
    detail = client.get(challenge.get_absolute_url()).content.decode()
    assert "The refugee situation" in detail and "Receiving those who flee." in detail
    assert "The region raises it" in detail
    listing = client.get(reverse("challenges:list")).content.decode()
    assert "The refugee situation" in listing and ">Flyktingsituationen<" not in listing


def test_the_page_cache_keeps_the_languages_apart(client):
    meeting = MeetingFactory(title="Dialogmöte om folkhälsa", title_en="Dialogue meeting on public health")
    for _ in range(2):  # the second round is served from the cache
        swedish = _in(client, "sv").get(meeting.get_absolute_url()).content.decode()
        english = _in(client, "en").get(meeting.get_absolute_url()).content.decode()
        assert "Dialogmöte om folkhälsa" in swedish and "Dialogue meeting" not in swedish
        assert "Dialogue meeting on public health" in english
        home = _in(client, "en").get("/").content.decode()
        assert "Dialogue meeting on public health" in home


def test_the_meeting_feed_and_calendar_file_follow_the_language(client):
    meeting = MeetingFactory(title="Dialogmöte om folkhälsa", title_en="Dialogue meeting on public health")
    english = _in(client, "en").get(reverse("meetings:ics", args=[meeting.slug])).content.decode()
    assert "SUMMARY:Dialogue meeting on public health" in english
    swedish = _in(client, "sv").get(reverse("meetings:ics", args=[meeting.slug])).content.decode()
    assert "SUMMARY:Dialogmöte om folkhälsa" in swedish


def test_the_admin_edits_swedish_and_english_side_by_side(coordinator_client):
    meeting = MeetingFactory(title="Dialogmöte", title_en="Dialogue meeting")
    page = coordinator_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk])).content.decode()
    assert 'name="title"' in page and 'name="title_en"' in page and 'value="Dialogue meeting"' in page
    assert "Titel (engelska)" in page and "Sammanfattning (engelska)" in page
    row = page.split('name="title"', 1)[0].rsplit('class="form-row', 1)[1]
    assert "field-title_en" in row  # one row holds both
    assert 'name="programme_items-__prefix__-title_en"' in page


def test_the_admin_saves_the_english_text(coordinator_client):
    challenge = ChallengeFactory(title="Flyktingsituationen")
    url = reverse("admin:challenges_challenge_change", args=[challenge.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'name="title_en"' in page and 'name="updates-__prefix__-text_en"' in page
    assert "Beskrivning (engelska)" in page and "Resultat (engelska)" in page


def test_an_english_organisation_page_marks_its_description_and_shows_english_agreement_titles(client):
    from tests.factories import OrganisationFactory
    from tests.factories.agreements import AgreementFactory, SignatoryFactory

    organisation = OrganisationFactory(slug="foreningen", description="Vi ordnar läxhjälp.")
    agreement = AgreementFactory(title="Överenskommelsen", title_en="The Compact")
    SignatoryFactory(agreement=agreement, organisation=organisation)
    page = _in(client, "en").get(reverse("organisations:detail", args=["foreningen"])).content.decode()
    assert '<p class="lead" lang="sv">Vi ordnar läxhjälp.</p>' in page
    assert ">The Compact</a>" in page and "Överenskommelsen<" not in page

"""What a visitor notices on the meeting pages: search and filters, topics, the venue, hybrid meetings, feeds."""

import pytest
from django.core.cache import cache

from meetings.models import Meeting, Registration, Topic
from tests.factories import MeetingFactory, RegistrationFactory
from tests.factories.organisations import AreaOfActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _form(**overrides):
    data = {"name": "Anna Andersson", "email": "anna@example.se", "consent": "on"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("term", ["hälsa", "halsa", "HALSA"])
def test_search_finds_meetings_with_or_without_accents(client, term):
    MeetingFactory(title="Folkhälsa i länet")
    MeetingFactory(title="Kultur för alla")
    page = client.get("/moten/", {"q": term}).content.decode()
    assert "Folkhälsa i länet" in page
    assert "Kultur för alla" not in page


def test_topic_filter_lists_only_that_topics_meetings_and_topics_link_to_it(client):
    health = Topic.objects.create(name="Folkhälsa", name_en="Public health", slug="folkhalsa")
    with_topic = MeetingFactory(title="Möte om hälsa")
    with_topic.topics.add(health)
    MeetingFactory(title="Möte om kultur")
    detail = client.get(with_topic.get_absolute_url()).content.decode()
    assert 'href="/moten/?amne=folkhalsa"' in detail
    page = client.get("/moten/", {"amne": "folkhalsa"}).content.decode()
    assert "Möte om hälsa" in page
    assert "Möte om kultur" not in page


def test_area_filter_and_an_unknown_slug_is_ignored(client):
    culture = AreaOfActivityFactory(name="Kultur", slug="kultur")
    meeting = MeetingFactory(title="Kulturmöte")
    meeting.areas.add(culture)
    MeetingFactory(title="Annat möte")
    page = client.get("/moten/", {"omrade": "kultur"}).content.decode()
    assert "Kulturmöte" in page and "Annat möte" not in page
    everything = client.get("/moten/", {"omrade": "finns-inte"}).content.decode()
    assert "Kulturmöte" in everything and "Annat möte" in everything


@pytest.mark.parametrize("param", ["amne", "omrade"])
@pytest.mark.parametrize("value", ["\x00", "kultur\x00", "kul tur", "å" * 101])
def test_a_filter_value_that_is_no_slug_is_ignored_not_a_server_error(client, postgres_nul_rule, param, value):
    culture = AreaOfActivityFactory(name="Kultur", slug="kultur")
    MeetingFactory(title="Kulturmöte").areas.add(culture)
    MeetingFactory(title="Annat möte")
    response = client.get("/moten/", {param: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kulturmöte" in page and "Annat möte" in page


def test_topic_names_follow_the_language(client):
    topic = Topic.objects.create(name="Folkhälsa", name_en="Public health", slug="folkhalsa")
    MeetingFactory().topics.add(topic)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Public health" in client.get("/moten/").content.decode()


def test_venue_has_street_address_map_link_and_accessibility(client):
    meeting = MeetingFactory(
        venue_name="Regionens hus",
        venue_address="Storgatan 2, 871 85 Härnösand",
        venue_accessibility="Hörslinga och hiss.",
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Storgatan 2, 871 85 Härnösand" in page
    assert "https://www.openstreetmap.org/search?query=Storgatan+2%2C+871+85+H%C3%A4rn%C3%B6sand" in page
    assert "Hörslinga och hiss." in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_hybrid_meeting_asks_on_site_or_online_and_keeps_what_was_typed(client):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, online_link="https://meet.example.se/x")
    response = client.post(f"/moten/{meeting.slug}/anmalan/", _form())
    page = response.content.decode()
    assert "Choose whether you take part on site or online." in page or "på plats eller digitalt" in page
    assert 'value="Anna Andersson"' in page
    assert not Registration.objects.exists()
    client.post(f"/moten/{meeting.slug}/anmalan/", _form(attendance="online"))
    assert Registration.objects.get().attendance == "online"


def test_hybrid_counts_show_on_site_and_online(client):
    meeting = MeetingFactory(format=Meeting.Format.HYBRID, online_link="https://meet.example.se/x")
    RegistrationFactory.create_batch(2, meeting=meeting, attendance="on_site")
    RegistrationFactory(meeting=meeting, attendance="online")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "2 på plats, 1 digitalt" in page


def test_a_physical_meeting_does_not_ask(client):
    meeting = MeetingFactory()
    page = client.get(f"/moten/{meeting.slug}/anmalan/").content.decode()
    assert 'name="attendance"' not in page


@pytest.mark.parametrize(("path", "marker"), [("/moten/flode.rss", "<rss"), ("/moten/flode.atom", "<feed")])
def test_feeds_list_published_meetings_without_the_online_link(client, path, marker):
    MeetingFactory(title="Öppet möte", digital=True)
    MeetingFactory(title="Utkast", status=Meeting.Status.DRAFT)
    content = client.get(path).content.decode()
    assert marker in content
    assert "Öppet möte" in content
    assert "Utkast" not in content
    assert "hemlig-rum-4711" not in content


def test_meeting_page_has_open_graph_tags(client):
    meeting = MeetingFactory(title="Dialog om vården", summary="Kort om mötet.")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Dialog om vården">' in page
    assert '<meta property="og:description" content="Kort om mötet.">' in page


def test_swedish_content_is_marked_on_english_pages(client):
    meeting = MeetingFactory(title="Dialog om vården")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<h1><span lang="sv">Dialog om vården</span></h1>' in page
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert "<h1>Dialog om vården</h1>" in client.get(meeting.get_absolute_url()).content.decode()


def test_waitlisted_person_is_not_offered_the_calendar(client):
    from meetings.tokens import registration_token

    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED)
    page = client.get(f"/moten/anmalan/{registration_token(waiting)}/").content.decode()
    assert f"{registration_token(waiting)}/kalender.ics" not in page
    assert "Lägg till i din kalender" not in page

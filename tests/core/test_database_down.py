"""The database away (PostgreSQL refusing connections, SQLite's file gone or locked): pages the cache
keeps are served from it, other pages get the portal's styled 503 with Retry-After, and an error page
never needs the database to render."""

import socket

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

STYLESHEET = 'href="/static/css/site.css"'


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    yield
    translation.activate("sv")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


class _Switch:
    """Takes this thread's default connection away (PostgreSQL on a port nobody listens on, or an SQLite
    file in a folder that does not exist) and brings it back."""

    def __init__(self, tmp_path):
        self.working = connections["default"]
        self.tmp_path = tmp_path

    def down(self):
        settings_dict = dict(self.working.settings_dict)
        if self.working.vendor == "postgresql":
            settings_dict.update(HOST="127.0.0.1", PORT=_closed_port(), CONN_HEALTH_CHECKS=False)
        else:
            settings_dict["NAME"] = str(self.tmp_path / "missing" / "portal.sqlite3")
        connections["default"] = type(self.working)(settings_dict, alias="default")

    def up(self):
        if connections["default"] is not self.working:
            connections["default"].close()
            connections["default"] = self.working


@pytest.fixture
def database(tmp_path):
    switch = _Switch(tmp_path)
    yield switch
    switch.up()


@pytest.fixture
def database_down(database):
    database.down()
    return database


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _main(response):
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_the_fixture_really_takes_the_database_away(database_down):
    from django.db import OperationalError

    from meetings.models import Meeting

    with pytest.raises(OperationalError):
        Meeting.objects.count()


@pytest.mark.urls("tests.core.urls_database_down")
@pytest.mark.parametrize("language, heading", [("sv", "Något gick fel"), ("en", "Something went wrong")])
def test_an_error_while_the_database_is_away_gets_the_styled_500_in_the_visitors_language(
    client, database_down, language, heading
):
    client.cookies["django_language"] = language
    client.cookies["sessionid"] = "a" * 32  # a logged-in visitor: the session cannot be read
    response = client.get("/test/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert STYLESHEET in html and 'class="site-header' in html
    assert heading in _main(response)
    assert "a bug" not in html


@pytest.mark.urls("tests.core.urls_database_down")
@pytest.mark.parametrize(
    "language, heading",
    [("sv", "Portalen är tillfälligt otillgänglig"), ("en", "The portal is temporarily unavailable")],
)
def test_a_refused_database_connection_gets_the_styled_503_with_retry_after(client, database_down, language, heading):
    client.cookies["django_language"] = language
    response = client.get("/test/refused/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    assert STYLESHEET in html
    assert heading in _main(response)
    assert "5432" not in html


def test_a_page_nobody_has_cached_gets_the_503_while_the_database_is_away(client, database_down):
    response = client.get("/moten/")
    assert response.status_code == 503
    assert "Portalen är tillfälligt otillgänglig" in _main(response)


def test_a_cached_page_is_served_to_a_visitor_with_a_session_while_the_database_is_away(client, database):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(title="Dialogmöte om föreningsstöd")
    assert client.get("/moten/").status_code == 200  # built and kept while the database is there
    database.down()
    client.cookies["sessionid"] = "a" * 32  # who this is can only be read from the database
    response = client.get("/moten/")
    html = response.content.decode()
    assert response.status_code == 200
    assert meeting.title in html
    assert "__pagecache" not in html  # the visitor's own CSRF token and address filled in


def test_a_kept_page_of_an_older_version_is_served_while_the_database_is_away(client, database):
    from meetings.selectors import pages
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(title="Dialogmöte om föreningsstöd")
    assert client.get("/moten/").status_code == 200
    caches["default"].set(pages.version_key, "moved-on", None)  # a write the page has not caught up with
    database.down()
    response = client.get("/moten/")
    assert response.status_code == 200
    assert meeting.title in response.content.decode()


def test_a_bug_in_a_query_is_still_an_error_not_a_kept_page(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.db import OperationalError

    from core.pagecache import VersionedCache

    pages = VersionedCache("test-bug", timeout=60)
    request = rf.get("/p/")
    request.user = AnonymousUser()
    request.session = {}
    pages.cached_page(request, page="p", build=lambda request: __import__("django").http.HttpResponse("kept"))
    caches["default"].set(pages.version_key, "moved-on", None)

    def build(request):
        raise OperationalError("no such table: meetings_meeting")

    with pytest.raises(OperationalError):
        pages.cached_page(rf.get("/p/"), page="p", build=build)


def test_the_api_answers_json_503_with_retry_after_while_the_database_is_away(client, database_down):
    response = client.get("/api/v1/organisations/?lang=en")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"status": 503, "message": "The data cannot be read just now. Please try again shortly."}


@pytest.fixture
def later(monkeypatch):
    """Move the clocks of the page cache and of the local-memory cache on by ``seconds``."""
    import time
    from types import SimpleNamespace

    from django.core.cache.backends import locmem

    from core import pagecache

    def move(seconds):
        moved = lambda: time.time() + seconds  # noqa: E731
        monkeypatch.setattr(pagecache, "_clock", moved)
        monkeypatch.setattr(locmem, "time", SimpleNamespace(time=moved))

    return move


def test_a_page_past_its_timeout_is_rebuilt_while_the_database_is_there(client, later):
    from meetings.models import Meeting
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(title="Dialogmöte om föreningsstöd")
    client.get("/moten/")
    Meeting.objects.filter(pk=meeting.pk).update(title="Dialogmöte om lokaler")  # no bump: only time moves it on
    later(20 * 60)  # past every page's timeout
    assert "Dialogmöte om lokaler" in client.get("/moten/").content.decode()


def test_a_page_past_its_timeout_is_still_served_while_the_database_is_away(client, database, later):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(title="Dialogmöte om föreningsstöd")
    client.get("/moten/")
    later(20 * 60)  # past every page's timeout, within the hour it is kept for an outage
    database.down()
    response = client.get("/moten/")
    assert response.status_code == 200
    assert meeting.title in response.content.decode()


def test_search_results_are_not_kept_past_their_timeout(client, database, later):
    from tests.factories import MeetingFactory

    MeetingFactory(title="Dialogmöte om föreningsstöd")
    client.get("/moten/?q=f%C3%B6reningsst%C3%B6d")
    later(20 * 60)
    database.down()
    assert client.get("/moten/?q=f%C3%B6reningsst%C3%B6d").status_code == 503

"""Pages whose body is shared by every visitor (``VersionedCache.render``) and the parts of such a body
that depend on who asks (``{% visitor_part %}``): one render() per view, one round trip per hit."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory, override_settings
from django.utils import translation

from core.pagecache import VersionedCache
from tests.factories import UserFactory

TEMPLATES = {
    "page.html": "<title>{{ title }}</title>{{ body }}<aside>{{ extra }}</aside>",
    "body.html": (
        '{% load i18n fragments %}{% get_current_language as language %}<main lang="{{ language }}">'
        '{{ text }}</main>{% visitor_part "card.html" %}<footer>{{ text }}</footer>'
    ),
    "card.html": "<form>{{ who }}</form>",
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("templates")]


@pytest.fixture
def templates():
    with override_settings(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)],
                    "context_processors": ["django.template.context_processors.request"],
                },
            }
        ]
    ):
        yield


def _request(user=None, path="/side/"):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return request


class Page:
    """A page of a test namespace whose body shows ``text`` and whose card names the visitor."""

    def __init__(self, namespace="fragments-test"):
        self.pages = VersionedCache(namespace)
        self.text = "första"
        self.builds = 0

    def build(self):
        self.builds += 1
        return {"text": self.text, "title": f"Rubrik {self.text}"}

    def render(self, request, **kwargs):
        options = {
            "page": "p",
            "body": "body.html",
            "build": self.build,
            "keep": lambda context: {"title": context["title"]},
            "visitor": lambda kept: {"who": request.user.get_username() or "anonym"},
            "context": {"extra": "<per begäran>"},
            **kwargs,
        }
        return self.pages.render(request, "page.html", **options).content.decode()


def _entries() -> dict:
    return {key: value for key, value in caches["default"]._cache.items() if ":version" not in key}


def test_the_body_is_built_once_and_a_hit_costs_one_request_to_the_cache(monkeypatch):
    page = Page()
    first = page.render(_request())
    backend = caches["default"]
    calls, depth = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not depth:  # the local-memory backend's get_many calls get: count what the page asks
                calls.append(name)
            depth.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    again = page.render(_request())
    assert calls == ["get_many"]  # the versions and the body together
    assert page.builds == 1
    assert again == first
    assert "<title>Rubrik första</title>" in again  # what the page around the body needs is kept with it
    assert "<aside>&lt;per begäran&gt;</aside>" in again  # the per-request context is escaped as always
    assert '<main lang="sv">första</main>' in again  # the body is not escaped twice


def test_a_write_shows_at_once(run_on_commit):
    page = Page()
    assert "första" in page.render(_request())
    page.text = "andra"
    assert "andra" not in page.render(_request())  # nothing moved the version: the kept body is served
    with run_on_commit():
        page.pages.bump()
    shown = page.render(_request())
    assert '<main lang="sv">andra</main>' in shown and "<title>Rubrik andra</title>" in shown
    assert page.builds == 2


def test_two_languages_never_share_an_entry():
    page = Page()
    with translation.override("sv"):
        swedish = page.render(_request())
    with translation.override("en"):
        english = page.render(_request())
        assert page.render(_request()) == english
    assert '<main lang="sv">' in swedish and '<main lang="en">' in english
    assert page.builds == 2


def test_anonymous_and_logged_in_visitors_share_the_body_and_each_get_their_own_card():
    page = Page()
    alice = UserFactory(email="alice@example.org")
    anonymous = page.render(_request())
    logged_in = page.render(_request(alice))
    assert page.builds == 1  # the body holds nothing personal: one for everyone
    assert "<form>anonym</form>" in anonymous and "alice@example.org" not in anonymous
    assert "<form>alice@example.org</form>" in logged_in
    assert "<form>anonym</form>" in page.render(_request())  # and the next anonymous visitor gets theirs
    kept = str(_entries())
    assert "alice@example.org" not in kept and "anonym" not in kept  # the card is never kept
    assert "pagecache:visitor-part:card.html" in kept


def test_a_body_that_is_not_shared_is_built_for_each_visitor_and_never_kept():
    page = Page()
    page.render(_request(), shared=False)
    page.render(_request(), shared=False)
    assert page.builds == 2
    assert _entries() == {}


def test_parts_and_parameters_make_their_own_entries_and_junk_parameters_none():
    page = Page()
    page.render(_request(path="/side/?sida=2"), params=["sida"])
    page.render(_request(path="/side/?sida=2&utm_source=x"), params=["sida"])
    assert page.builds == 1
    page.render(_request(path="/side/?sida=3"), params=["sida"])
    page.render(_request(), parts=["annan"])
    assert page.builds == 3


def test_visitor_part_takes_only_a_template_name():
    engine = engines["django"]
    with pytest.raises(TemplateSyntaxError):
        engine.from_string('{% load fragments %}{% visitor_part "x--><script>" %}').render({})
    rendered = engine.from_string('{% load fragments %}{% visitor_part "app/_card.html" %}').render({})
    assert rendered == "<!--pagecache:visitor-part:app/_card.html-->"


def test_no_view_assembles_a_page_by_hand():
    """Views end in one render() (a shared body through ``VersionedCache.render``); no view renders a
    fragment to a string and marks it safe, or splices a part into a page."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    modules = [*root.glob("*/views.py"), *root.glob("*/views/*.py")]
    assert len(modules) > 5
    offenders = [
        str(path.relative_to(root))
        for path in modules
        if ".venv" not in path.parts
        and any(name in path.read_text() for name in ("render_to_string", "mark_safe", "SafeString"))
    ]
    assert offenders == []

"""The fast path (core/pagecache_fast.py): a cached anonymous page answered before the middleware stack,
byte for byte what the normal path answers (tokens apart), and never to anyone the normal path would
build a page of their own for."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from consultations.models import Consultation
from tests.core.test_pagecache import _with_message
from tests.factories import (
    AgreementFactory,
    ChallengeFactory,
    MeetingFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.factories.consultations import NOW, ConsultationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
TOKENS = re.compile(rb'(name="(?:csrfmiddlewaretoken|(?:[\w-]+-)?idempotency_key)" value=")[^"]*(")')


def fast(response) -> bool:
    return getattr(response.wsgi_request, "_pagecache_fast", False)


def visitor(language="sv", **cookies) -> Client:
    client = Client(enforce_csrf_checks=True)
    if language != "sv":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def without_tokens(content: bytes) -> bytes:
    return TOKENS.sub(rb"\g<1>TOKEN\g<2>", content)


def headers(response) -> dict:
    return {name: value for name, value in response.items() if name != "X-Request-ID"}


def cookies(response) -> dict:
    """The cookies set, with their settings (not their value, nor the moment they expire)."""
    return {
        name: {key: value for key, value in morsel.items() if key != "expires"}
        for name, morsel in response.cookies.items()
    }


@pytest.fixture
def public_pages():
    """Every page the page cache keeps whole, with something on each."""
    meeting = MeetingFactory(title="Dialogmöte om föreningsbidrag")
    organisation = OrganisationFactory(name="Föreningen Snabbväg")
    challenge = ChallengeFactory(title="Ensamhet bland unga")
    agreement = AgreementFactory(title="Överenskommelsen")
    consultation = ConsultationFactory(
        title="Remiss om kollektivtrafiken",
        status=Consultation.Status.OPEN,
        opens_at=NOW - dt.timedelta(days=7),
        closes_at=NOW + dt.timedelta(days=14),
    )
    return [
        reverse("core:home"),
        reverse("meetings:list"),
        DIRECTORY,
        f"{DIRECTORY}?q=f%C3%B6rening",
        reverse("agreements:list"),
        reverse("challenges:list"),
        reverse("elections:list"),
        reverse("consultations:list"),
        reverse("opendata:documentation"),
        meeting.get_absolute_url(),
        reverse("organisations:detail", args=[organisation.slug]),
        reverse("challenges:detail", args=[challenge.slug]),
        reverse("agreements:detail", args=[agreement.slug]),
        consultation.get_absolute_url(),
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_cached_public_page_is_the_same_from_the_fast_path_as_from_the_normal_one(public_pages, language):
    for url in public_pages:
        built = visitor(language).get(url)
        normal = visitor(language, annan="1").get(url)  # a cookie it does not know: the normal way
        served = visitor(language).get(url)
        assert (built.status_code, normal.status_code, served.status_code) == (200, 200, 200), url
        assert not fast(built) and not fast(normal) and fast(served), url
        assert without_tokens(served.content) == without_tokens(normal.content) == without_tokens(built.content), url
        assert headers(served) == headers(normal), url
        assert cookies(served) == cookies(normal) == cookies(built), url
        assert set(served.cookies) == {settings.CSRF_COOKIE_NAME}, url


def test_the_form_token_of_a_fast_page_matches_the_cookie_it_sets():
    OrganisationFactory()
    visitor().get(DIRECTORY)
    client = visitor()
    page = client.get(DIRECTORY)
    assert fast(page)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    switched = client.post(reverse("set_language"), {"language": "en", "next": DIRECTORY, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302  # 403 without a matching cookie
    assert client.get(DIRECTORY).headers["Content-Language"] == "en"


def test_a_visitor_who_has_a_csrf_cookie_keeps_it():
    OrganisationFactory()
    client = visitor()
    client.get(DIRECTORY)
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    page = client.get(DIRECTORY)
    assert fast(page)
    assert page.cookies[settings.CSRF_COOKIE_NAME].value == secret


def test_a_logged_in_visitor_is_never_served_from_the_fast_path():
    OrganisationFactory()
    visitor().get(DIRECTORY)
    member = visitor()
    member.force_login(UserFactory())
    page = member.get(DIRECTORY)
    assert not fast(page)
    assert reverse("account_logout") in page.content.decode()


def test_a_visitor_with_a_message_waiting_is_never_served_from_the_fast_path():
    OrganisationFactory()
    visitor().get(DIRECTORY)
    client = visitor()
    _with_message(client, "Tack, Anna!")
    page = client.get(DIRECTORY)
    assert not fast(page)
    assert "Tack, Anna!" in page.content.decode()


def test_a_bumped_version_is_never_served_from_the_fast_path(run_on_commit):
    OrganisationFactory(name="Föreningen Först")
    visitor().get(DIRECTORY)
    assert fast(visitor().get(DIRECTORY))
    with run_on_commit():
        OrganisationFactory(name="Föreningen Ny")
    page = visitor().get(DIRECTORY)
    assert not fast(page)
    assert "Föreningen Ny" in page.content.decode()
    again = visitor().get(DIRECTORY)
    assert fast(again) and "Föreningen Ny" in again.content.decode()


def test_another_regions_host_is_never_served_the_first_regions_page(other_region):
    OrganisationFactory(name="Föreningen i Västernorrland")
    visitor().get(DIRECTORY)
    assert fast(visitor().get(DIRECTORY))
    for _ in range(2):
        page = Client(HTTP_HOST="halland.testserver").get(DIRECTORY)
        assert "Föreningen i Västernorrland" not in page.content.decode()
    assert fast(page)  # from its own region's entry


def test_a_page_whose_deadline_has_passed_is_never_served_from_the_fast_path(monkeypatch):
    consultation = ConsultationFactory(
        status=Consultation.Status.OPEN, opens_at=NOW - dt.timedelta(days=7), closes_at=NOW + dt.timedelta(days=1)
    )
    now = {"value": NOW}
    monkeypatch.setattr("django.utils.timezone.now", lambda: now["value"])
    url = reverse("consultations:list")
    visitor().get(url)
    assert fast(visitor().get(url))
    now["value"] = consultation.closes_at + dt.timedelta(seconds=1)
    page = visitor().get(url)
    assert not fast(page)
    assert "Ingen remiss är öppen just nu." in page.content.decode()


def test_a_post_a_head_of_a_get_only_page_and_unknown_cookies_go_the_normal_way():
    url = reverse("meetings:list")
    visitor().get(url)
    assert fast(visitor().get(url))
    assert visitor().head(url).status_code == 405  # require_GET, as on the normal path
    assert not fast(visitor(sessionid="x").get(url))
    assert not fast(Client(HTTP_ORIGIN="https://example.org").get(url))
    assert visitor().post(url).status_code == 403  # CSRF, then 405: never a stored page


def test_junk_parameters_make_no_alias_and_another_order_is_the_same_address():
    OrganisationFactory()
    visitor().get(DIRECTORY, {"q": "förening", "municipality": ""})
    kept = len(caches["default"]._cache)
    for n in range(5):
        assert not fast(visitor().get(DIRECTORY, {"q": "förening", "utm_source": f"kampanj{n}"}))
    assert len(caches["default"]._cache) == kept
    assert fast(visitor().get(f"{DIRECTORY}?municipality=&q=f%C3%B6rening"))


def test_the_values_of_one_parameter_in_another_order_are_another_address():
    OrganisationFactory()
    visitor().get(f"{DIRECTORY}?q=a&q=b")
    assert fast(visitor().get(f"{DIRECTORY}?q=a&q=b"))
    assert not fast(visitor().get(f"{DIRECTORY}?q=b&q=a"))  # the page reads them in order: its own entry


def test_with_the_cache_away_pages_are_served_the_normal_way(monkeypatch):
    OrganisationFactory(name="Föreningen Uppe")
    visitor().get(DIRECTORY)
    backend = caches["default"]

    def down(*args, **kwargs):
        raise ConnectionError("Redis is gone")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(backend, method, down)
    page = visitor().get(DIRECTORY)
    assert page.status_code == 200 and not fast(page)
    assert "Föreningen Uppe" in page.content.decode()


def test_the_feed_and_the_downloads_are_the_same_from_the_fast_path(run_on_commit):
    """``cached_download``: the calendar feed and the signatory CSVs, bytes and headers (CSP sandbox, the
    file name) as the normal path gives them; an edit moves them on."""
    from tests.factories import SignatoryFactory

    MeetingFactory(title="Dialogmöte om flödet")
    agreement = AgreementFactory(slug="overenskommelsen")
    SignatoryFactory(agreement=agreement, organisation=OrganisationFactory(name="Föreningen Först"))
    urls = [
        reverse("meetings:feed"),
        reverse("agreements:signatories_csv", args=[agreement.slug]),
        reverse("agreements:signatories_csv", args=[agreement.slug]) + "?q=f%C3%B6rst",
        reverse("agreements:signatories_excel_csv", args=[agreement.slug]),
    ]
    for language in ("sv", "en"):
        for url in urls:
            built = visitor(language).get(url)
            normal = visitor(language, annan="1").get(url)
            served = visitor(language).get(url)
            assert (built.status_code, normal.status_code, served.status_code) == (200, 200, 200), url
            assert not fast(built) and not fast(normal) and fast(served), url
            assert served.content == normal.content == built.content, url
            assert headers(served) == headers(normal), url
    with run_on_commit():
        SignatoryFactory(agreement=agreement, organisation=OrganisationFactory(name="Föreningen Ny"))
    csv = visitor().get(urls[1])
    assert not fast(csv) and "Föreningen Ny" in csv.content.decode("utf-8-sig")
    assert not fast(visitor().get(reverse("meetings:feed") + "?junk=1"))


def test_the_meeting_lists_page_numbers_as_its_links_write_them_are_served_fast():
    from meetings.views import PER_PAGE

    MeetingFactory.create_batch(PER_PAGE + 2)
    url = reverse("meetings:list")
    for query in ("?sida=2", "?sida=2&arkiv=1", "?q=m%C3%B6te&sida=1"):
        built = visitor().get(url + query)
        normal = visitor(annan="1").get(url + query)
        served = visitor().get(url + query)
        assert not fast(built) and not fast(normal) and fast(served), query
        assert without_tokens(served.content) == without_tokens(normal.content), query
        assert headers(served) == headers(normal), query
    assert without_tokens(visitor().get(url + "?sida=2").content) != without_tokens(visitor().get(url).content)
    for _ in range(3):  # another spelling of a number is the same page, never an alias of its own
        spelled = visitor().get(url + "?sida=02")
        assert spelled.status_code == 200 and not fast(spelled)

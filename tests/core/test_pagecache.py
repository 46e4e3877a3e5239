"""The one page cache (core.pagecache): keys only from what a page reads, one bump per transaction
on commit, whole anonymous pages that never carry another visitor's token, login or message."""

import re
import subprocess
import sys

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.cache import pages as organisation_pages
from organisations.models import Organisation
from tests.core.test_settings import ROOT, clean_env
from tests.factories import ChallengeFactory, MeetingFactory, MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organisations:directory")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _queries(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def _entries() -> int:
    return len(caches["default"]._cache)  # the test run's local-memory cache


def test_junk_parameters_are_served_from_the_entry_of_the_page_and_store_nothing(client):
    OrganisationFactory.create_batch(3)
    client.get(DIRECTORY, {"q": "förening"})
    stored = _entries()
    for n in range(20):
        _, queries = _queries(client, DIRECTORY, {"q": "förening", "utm_source": f"kampanj{n}", f"x{n}": "1"})
        assert queries == 0
    assert _entries() == stored


def test_parameters_in_another_order_are_the_same_page(client):
    sundsvall = MunicipalityFactory(name="Sundsvall")
    OrganisationFactory(municipality=sundsvall)
    client.get(f"{DIRECTORY}?q=f%C3%B6r&municipality={sundsvall.pk}")
    _, queries = _queries(client, f"{DIRECTORY}?municipality={sundsvall.pk}&q=f%C3%B6r")
    assert queries == 0


def test_junk_parameters_never_reach_the_links_of_a_cached_page(client):
    OrganisationFactory.create_batch(25)
    client.get(DIRECTORY, {"q": "förening", "evil": "klicka-har"})
    content = Client().get(DIRECTORY, {"q": "förening"}).content.decode()
    assert "page=2" in content
    assert "klicka-har" not in content


def _prefix(**env):
    # The settings as a fresh process reads them (no app loading: `manage.py shell` costs seconds more).
    command = (
        'import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings"); '
        "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", command],
        cwd=ROOT,
        # Without the xdist worker's name, which the settings add to keep test workers apart.
        env={
            **{k: v for k, v in clean_env().items() if k != "PYTEST_XDIST_WORKER"},
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_instances_on_one_redis_use_their_own_key_prefix():
    staging = _prefix(DATABASE_URL="postgres://samverkan@db.example/samverkan_staging")
    production = _prefix(DATABASE_URL="postgres://samverkan@db.example/samverkan")
    assert staging != production
    assert _prefix(DATABASE_URL="postgres://samverkan@db.example/samverkan", CACHE_KEY_PREFIX="region-x") == "region-x"


def test_many_saves_in_one_transaction_move_the_version_once_on_commit(run_on_commit, monkeypatch):
    organisation = OrganisationFactory()
    before = organisation_pages.version()
    writes = []
    backend = caches["default"]
    set_many = backend.set_many
    monkeypatch.setattr(backend, "set_many", lambda data, timeout: writes.append(data) or set_many(data, timeout))
    with run_on_commit():
        with transaction.atomic():
            for n in range(3):
                organisation.name = f"Nytt namn {n}"
                organisation.save()
            organisation.areas.clear()
            assert organisation_pages.version() == before  # nothing moves before the commit
    assert len(writes) == 1
    assert organisation_pages.version() != before


def test_a_rolled_back_write_moves_nothing(run_on_commit):
    organisation = OrganisationFactory()
    before = organisation_pages.version()
    with run_on_commit():
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk=organisation.pk).get().save()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert organisation_pages.version() == before


def test_a_second_anonymous_visitor_gets_the_stored_page_with_a_token_of_their_own():
    OrganisationFactory(name="Föreningen Först")
    first = Client(enforce_csrf_checks=True)
    first.get(DIRECTORY)
    second = Client(enforce_csrf_checks=True)
    response, queries = _queries(second, DIRECTORY)
    assert queries == 0
    assert "Föreningen Först" in response.content.decode()
    token = TOKEN.search(response.content.decode()).group(1)
    switched = second.post(reverse("set_language"), {"language": "en", "next": DIRECTORY, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302  # 403 if the page carried the first visitor's token


def test_the_language_switcher_returns_each_visitor_to_their_own_address(client):
    OrganisationFactory()
    client.get(DIRECTORY, {"q": "förening", "kampanj": "vinter"})
    content = Client().get(DIRECTORY, {"q": "förening", "kampanj": "sommar"}).content.decode()
    assert 'name="next" type="hidden" value="/organisationer/?q=f%C3%B6rening&amp;kampanj=sommar"' in content


def test_a_logged_in_visitor_is_never_served_the_anonymous_page_nor_the_other_way_round():
    OrganisationFactory()
    assert reverse("account_login") in Client().get(DIRECTORY).content.decode()  # the anonymous page is stored
    user = UserFactory()
    member = Client()
    member.force_login(user)
    page = member.get(DIRECTORY).content.decode()
    assert reverse("accounts:mypages") in page
    assert reverse("account_logout") in page
    page = Client().get(DIRECTORY).content.decode()
    assert reverse("accounts:mypages") not in page
    assert reverse("account_login") in page


def _with_message(client, text):
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value


def test_a_visitor_with_a_message_gets_their_own_page_and_nobody_else_sees_it():
    OrganisationFactory()
    Client().get(DIRECTORY)  # the anonymous page is stored
    visitor = Client()
    _with_message(visitor, "Tack, Anna! Din anmälan är mottagen.")
    assert "Tack, Anna!" in visitor.get(DIRECTORY).content.decode()
    assert "Tack, Anna!" not in visitor.get(DIRECTORY).content.decode()  # shown once
    assert "Tack, Anna!" not in Client().get(DIRECTORY).content.decode()


def test_public_pages_are_built_uncached_while_the_cache_is_down(client, monkeypatch, run_on_commit):
    OrganisationFactory(name="Föreningen Uppe")
    backend = caches["default"]

    def down(*args, **kwargs):
        raise ConnectionError("Redis is gone")

    for method in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(backend, method, down)
    assert "Föreningen Uppe" in client.get(DIRECTORY).content.decode()
    organisation = OrganisationFactory.build(name="Föreningen Ny", municipality=MunicipalityFactory())
    with run_on_commit():
        organisation.save()  # the write succeeds; only the bump is lost
    assert "Föreningen Ny" in client.get(DIRECTORY).content.decode()


def test_deleting_a_meeting_with_registrations_moves_the_meeting_pages_on(run_on_commit):
    from meetings.models import Meeting
    from meetings.selectors import pages as meeting_pages
    from tests.factories import RegistrationFactory

    registration = RegistrationFactory()
    before = meeting_pages.version()
    with run_on_commit():
        Meeting.objects.filter(pk=registration.meeting_id).delete()
    assert meeting_pages.version() != before


HOME = reverse("core:home")


def test_the_home_page_is_served_whole_to_anonymous_visitors_without_queries():
    MeetingFactory(title="Höstens dialogmöte")
    Client().get(HOME)
    response, queries = _queries(Client(), HOME)
    assert queries == 0
    assert "Höstens dialogmöte" in response.content.decode()


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda: MeetingFactory(title="Nytt dialogmöte om länstrafik"), "Nytt dialogmöte om länstrafik"),
        (lambda: ChallengeFactory(title="Ensamhet bland äldre på landsbygden"), "Ensamhet bland äldre på landsbygden"),
        (lambda: OrganisationFactory.create_batch(3), "3 organisations are listed"),
    ],
    ids=["meeting", "challenge", "organisations"],
)
def test_a_change_in_any_section_of_the_home_page_shows_at_once(run_on_commit, make, shown):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    before = client.get(HOME).content.decode()
    assert shown not in before
    with run_on_commit():
        make()
    assert shown in client.get(HOME).content.decode()


def test_a_namespace_that_follows_another_moves_on_with_it(run_on_commit):
    from core.pagecache import VersionedCache

    followed = VersionedCache("followed-ns")
    other = VersionedCache("other-ns")
    follower = VersionedCache("follower-ns", follows=["followed-ns", "other-ns:counts"])
    first = follower.version()
    assert follower.version() == first
    with run_on_commit():
        followed.bump()
    second = follower.version()
    assert second != first
    with run_on_commit():
        other.bump()  # the whole namespace, not the scope the follower reads
    assert follower.version() == second
    with run_on_commit():
        other.bump("counts")
    assert follower.version() != second


def _anonymous_request(path="/"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)
    return request


def test_a_page_that_changes_at_a_deadline_is_never_served_from_the_cache_after_it(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from core.pagecache import VersionedCache

    pages = VersionedCache("deadline-ns", timeout=300)
    now = timezone.now()
    deadline = now + timedelta(seconds=30)
    builds = []

    def build(request):
        builds.append(1)
        return HttpResponse("öppen" if timezone.now() < deadline else "stängd")

    stored = []
    backend = caches["default"]
    original = backend.set
    monkeypatch.setattr(
        backend, "set", lambda key, value, timeout=None: stored.append(timeout) or original(key, value, timeout)
    )
    first = pages.cached_page(_anonymous_request(), page="p", build=build, valid_until=lambda: deadline)
    again = pages.cached_page(_anonymous_request(), page="p", build=build, valid_until=lambda: deadline)
    assert (first.content, again.content, len(builds)) == ("öppen".encode(), "öppen".encode(), 1)
    assert stored and stored[0] <= 31  # the entry itself expires by the deadline too
    monkeypatch.setattr("django.utils.timezone.now", lambda: deadline + timedelta(seconds=1))
    after = pages.cached_page(_anonymous_request(), page="p", build=build, valid_until=lambda: None)
    assert after.content == "stängd".encode()


def test_a_cached_page_costs_one_request_to_the_cache_and_keeps_one_entry(monkeypatch, run_on_commit):
    OrganisationFactory.create_batch(2)
    Client().get(DIRECTORY)
    backend = caches["default"]
    calls, depth = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not depth:  # the local-memory backend's get_many calls get: count what the portal asks
                calls.append(name)
            depth.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                depth.pop()

        return call

    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(backend, name, counted(name, getattr(backend, name)))
    Client().get(DIRECTORY)
    assert calls == ["get_many"]  # the versions and the page together

    def pages_kept():  # entries, not the versions
        return sorted(key for key in caches["default"]._cache if ":version" not in key)

    stored = pages_kept()
    for n in range(3):  # every change builds the page again in the same entry, none piles up
        with run_on_commit():
            OrganisationFactory(name=f"Ny förening {n}")
        assert f"Ny förening {n}" in Client().get(DIRECTORY).content.decode()
    assert pages_kept() == stored

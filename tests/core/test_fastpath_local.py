"""Large bodies kept in the process by the fast path (issue 29): a later visitor costs a read of the version
keys, not the body's bytes from the cache; an edit, another region, a passed deadline and the copy's age
each send the request back to the cache's entry or the normal path, as without the copy."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from consultations.models import Consultation
from core import pagecache, pagecache_fast
from tests.core.test_fastpath import DIRECTORY, fast, visitor, without_tokens
from tests.factories import OrganisationFactory
from tests.factories.consultations import NOW, ConsultationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def every_body_is_large(monkeypatch):
    monkeypatch.setattr(pagecache_fast, "LOCAL_MIN_BYTES", 1)


@pytest.fixture
def reads(monkeypatch):
    """The keys of every ``get_many`` the fast path makes."""
    calls = []

    class Spy:
        def __init__(self, real):
            self.real = real

        def get_many(self, keys, *args, **kwargs):
            calls.append(list(keys))
            return self.real.get_many(keys, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.real, name)

    monkeypatch.setattr(pagecache_fast, "default_cache", Spy(pagecache_fast.default_cache))
    return calls


def _entry_keys() -> set:
    return {entry for _region, entry in pagecache_fast._bodies}


def test_a_kept_copy_is_served_after_reading_only_the_versions(reads):
    OrganisationFactory(name="Föreningen Stor")
    built = visitor().get(DIRECTORY)
    first = visitor().get(DIRECTORY)
    assert fast(first) and _entry_keys()
    reads.clear()
    again = visitor().get(DIRECTORY)
    assert fast(again) and without_tokens(again.content) == without_tokens(first.content)
    assert reads and not any(_entry_keys() & set(keys) for keys in reads)
    assert "Föreningen Stor" in built.content.decode()


def test_an_edit_is_shown_at_once_despite_a_kept_copy(run_on_commit):
    OrganisationFactory(name="Föreningen Först")
    visitor().get(DIRECTORY)
    assert fast(visitor().get(DIRECTORY))
    with run_on_commit():
        OrganisationFactory(name="Föreningen Ny")
    page = visitor().get(DIRECTORY)
    assert not fast(page) and "Föreningen Ny" in page.content.decode()
    again = visitor().get(DIRECTORY)
    assert fast(again) and "Föreningen Ny" in again.content.decode()


def test_copies_are_kept_per_region(other_region):
    OrganisationFactory(name="Föreningen i Västernorrland")
    visitor().get(DIRECTORY)
    assert fast(visitor().get(DIRECTORY))
    for _ in range(3):
        page = Client(HTTP_HOST="halland.testserver").get(DIRECTORY)
        assert "Föreningen i Västernorrland" not in page.content.decode()
    assert fast(page)
    assert "Föreningen i Västernorrland" in visitor().get(DIRECTORY).content.decode()


def test_a_copy_is_read_again_from_the_cache_after_its_seconds(reads, monkeypatch):
    OrganisationFactory(name="Föreningen Tid")
    visitor().get(DIRECTORY)
    visitor().get(DIRECTORY)
    kept = _entry_keys()
    assert kept
    clock = pagecache._clock()
    monkeypatch.setattr(pagecache, "_clock", lambda: clock + pagecache_fast.LOCAL_SECONDS + 1)
    reads.clear()
    visitor().get(DIRECTORY)
    assert any(kept & set(keys) for keys in reads)  # the entry itself was read again


def test_a_passed_deadline_is_never_served_from_a_kept_copy(monkeypatch):
    consultation = ConsultationFactory(
        status=Consultation.Status.OPEN, opens_at=NOW - dt.timedelta(days=7), closes_at=NOW + dt.timedelta(days=1)
    )
    now = {"value": NOW}
    monkeypatch.setattr("django.utils.timezone.now", lambda: now["value"])
    url = reverse("consultations:list")
    visitor().get(url)
    assert fast(visitor().get(url)) and _entry_keys()
    now["value"] = consultation.closes_at + dt.timedelta(seconds=1)
    page = visitor().get(url)
    assert not fast(page)
    assert "Ingen remiss är öppen just nu." in page.content.decode()


def test_copies_stay_within_their_bound(monkeypatch):
    monkeypatch.setattr(pagecache_fast, "LOCAL_MAX_BYTES", 4 * 40)
    for n in range(6):
        pagecache_fast._keep_copy((1, f"entry-{n}"), ("1", b"x" * 40))
    assert sum(kept[3] for kept in pagecache_fast._bodies.values()) <= 4 * 40
    assert (1, "entry-5") in pagecache_fast._bodies and (1, "entry-0") not in pagecache_fast._bodies

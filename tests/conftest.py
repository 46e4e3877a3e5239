"""Shared fixtures. Every test runs tasks eagerly in-process (the worker path has its own
tests marked ``redis``), with a private local-memory cache so rate limits and cached pages
of one test never leak into another, also under xdist on a shared Redis."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from samverkan.celery import app as celery_app


def pytest_configure(config):
    # Registered here too, so that `-p no:xdist` (one process, as on a busy machine) still collects
    # the files that group tests for xdist under --strict-markers.
    config.addinivalue_line("markers", "xdist_group(name): run these tests in one xdist worker, one after the other")


def pytest_collection_modifyitems(config, items):
    is_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not is_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…"))
        if "redis" in item.keywords and not django_settings.REDIS_URL:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://…"))


@pytest.fixture(scope="session", autouse=True)
def _quick_flush():
    """A ``transaction=True`` test (every browser test) ends with a flush of every table, which costs a
    second or more per test (measured: ~1-4 s on PostgreSQL, ~0.5 s on SQLite) though a test leaves a few
    rows in a few tables. Two things made it slow, and the flush here does neither; what a test sees after
    it is the same:

    - On PostgreSQL Django truncates all ~80 tables in one ``TRUNCATE``, which gives each table new files
      and syncs them at commit. ``DELETE`` from each table in one transaction empties them as well (the
      foreign keys Django makes are deferred to the commit, so the order does not matter), in a few
      hundredths of a second. Sequences stay as TRUNCATE without RESTART IDENTITY leaves them.
    - After the flush, ``post_migrate`` makes the content types and the permissions again: hundreds of
      rows, each time the same. They are not deleted (no test writes them), so it finds them all in place;
      groups, users and everything else are deleted as before, and the coordinators' groups made again.

    A flush that resets sequences or cascades (``reset_sequences``, ``available_apps``) is Django's own."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    patched = []
    for connection in connections.all():
        operations = type(connection.ops)
        if getattr(operations.sql_flush, "_quick", False):
            continue
        original = operations.sql_flush

        def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False, _original=original):
            if reset_sequences or allow_cascade:
                return _original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
            tables = [table for table in tables if table not in kept]
            if self.connection.vendor != "postgresql" or not tables:
                return _original(self, style, tables)
            deletes = " ".join(f"{style.SQL_KEYWORD('DELETE FROM')} {self.quote_name(table)};" for table in tables)
            return ["SET CONSTRAINTS ALL DEFERRED; " + deletes]

        sql_flush._quick = True
        operations.sql_flush = sql_flush
        patched.append((operations, original))
    yield
    for operations, original in patched:
        operations.sql_flush = original


@pytest.fixture(autouse=True)
def _isolated_runtime(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
            "KEY_FUNCTION": "core.regions.cache_key",
        }
    }
    settings.STAFF_REQUIRE_MFA = False
    # Real password hashing costs seconds per test on two cores; tests check behaviour, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    # A view that activates a language (the API's ?lang=en) leaves it on the thread: every test starts
    # from the default language, whatever ran before it in this process.
    translation.deactivate()
    yield
    translation.deactivate()
    celery_app.conf.task_always_eager = previous


_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def region(request, settings):
    """Every test that uses the database runs inside the test region's scope (core/regions.py), as a
    request on its host would: queries see its rows, new rows belong to it. The test client's
    "testserver" is one of its hosts (not redirected: ``REGION_REDIRECT_SECONDARY_HOSTS`` is off here).
    A test of two regions makes the second with ``other_region`` and enters it with ``region_scope``."""
    from core.regions import host_map, no_region, region_scope

    settings.REGION_REDIRECT_SECONDARY_HOSTS = False
    if not (request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(request.fixturenames)):
        with no_region():
            yield None
        return
    request.getfixturevalue("_django_db_helper")
    from tests.factories.regions import ensure_test_region

    region = ensure_test_region()
    host_map.load()
    try:
        with region_scope(region.pk) as scoped:
            yield scoped
    finally:
        host_map.clear()


@pytest.fixture
def other_region(region):
    """A second region, Region Halland, on its own host (``halland.testserver``), with nothing in it yet."""
    from tests.factories.regions import RegionFactory

    return RegionFactory(name="Region Halland", short_name="halland", hosts=["halland.testserver"])


@pytest.fixture
def disposal_decisions(region):
    """The test region has recorded the disposal decision of every retention rule (core/retention.py)."""
    from tests.factories.regions import record_disposal_decisions

    record_disposal_decisions(region)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the outbox's send) inside a test transaction:
    ``with run_on_commit(): client.post(...)``."""

    def _ctx():
        return django_capture_on_commit_callbacks(execute=True)

    return _ctx


@pytest.fixture
def coordinator(db, region):
    from core.permissions import ensure_coordinator_group
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, email="samordnare@example.se", full_name="Sara Samordnare")
    user.groups.add(ensure_coordinator_group())
    region.coordinators.add(user)
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def postgres_nul_rule():
    """PostgreSQL refuses a NUL byte in a text parameter (``DataError``), SQLite stores it: with this
    fixture a query that carries one fails on SQLite too, so input that reaches the database
    unchecked is caught whichever database the suite runs on."""
    from django.db import DataError, connection

    def _reject_nul(execute, sql, params, many, context):
        rows = params if many else [params]
        for row in rows or ():
            values = row.values() if isinstance(row, dict) else row or ()
            if any(isinstance(value, str) and "\x00" in value for value in values):
                raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(_reject_nul):
        yield

"""Capacity under real concurrency: many threads, each with its own PostgreSQL connection."""

import threading

import pytest
from django.db import connection

from core.regions import current_region, region_scope
from meetings import services
from meetings.models import Registration
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SIGNUPS = 50
CAPACITY = 10


def _in_region(func):
    """A thread starts with no region (a context of its own): run ``func`` in the test's region, as a
    request on its host or a task given its id would."""
    region = current_region()

    def run(*args):
        with region_scope(region):
            func(*args)

    return run


def test_concurrent_signups_never_exceed_capacity_and_queue_the_rest():
    meeting = MeetingFactory(capacity=CAPACITY, waitlist_enabled=True)
    barrier = threading.Barrier(SIGNUPS)
    errors = []

    def sign_up(n):
        try:
            barrier.wait(timeout=30)
            services.registration_create(
                meeting=meeting, name=f"Person {n}", email=f"person{n}@example.se", consent=True, language="sv"
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=_in_region(sign_up), args=(n,)) for n in range(SIGNUPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    statuses = list(meeting.registrations.values_list("status", flat=True))
    assert statuses.count(Registration.Status.CONFIRMED) == CAPACITY
    assert statuses.count(Registration.Status.WAITLISTED) == SIGNUPS - CAPACITY

    first_waiting = meeting.registrations.filter(status="waitlisted").order_by("created_at", "pk").first()
    services.registration_cancel(registration=meeting.registrations.filter(status="confirmed").first())
    first_waiting.refresh_from_db()
    assert first_waiting.status == Registration.Status.CONFIRMED
    assert meeting.registrations.filter(status="confirmed").count() == CAPACITY


def test_concurrent_duplicate_signups_create_one_row():
    meeting = MeetingFactory(capacity=None)
    barrier = threading.Barrier(20)
    errors = []

    def sign_up(n):
        try:
            barrier.wait(timeout=30)
            services.registration_create(meeting=meeting, name="Anna", email="anna@example.se", consent=True)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=_in_region(sign_up), args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert meeting.registrations.count() == 1


def test_two_workers_planning_reminders_at_once_mail_everyone_once():
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Reminder
    from outbox.models import OutgoingEmail
    from tests.factories import RegistrationFactory

    start = timezone.now() + timedelta(days=1)
    meeting = MeetingFactory(capacity=None, start=start, end=start + timedelta(hours=2))
    long_ago = timezone.now() - timedelta(days=10)
    RegistrationFactory.create_batch(300, meeting=meeting, created_at=long_ago)
    barrier = threading.Barrier(2)
    errors = []

    def plan():
        try:
            barrier.wait(timeout=30)
            services.reminders_plan()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=_in_region(plan)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Reminder.objects.count() == 300
    reminders = OutgoingEmail.objects.filter(kind="meetings.reminder")
    assert reminders.count() == 300
    assert reminders.values("to").distinct().count() == 300


@pytest.fixture
def wide_server():
    """Django's threaded test server with a listen backlog for every browser at once.

    The live server's default backlog is a handful of connections: 50 simultaneous posts would
    be refused (connection reset) before Django ever saw them, which is the test server's limit,
    not the portal's. With room in the backlog every post reaches the view.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadedWSGIServer):
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), Quiet, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=30)


def test_fifty_parallel_http_sign_ups_for_ten_places(wide_server, settings):
    """The acceptance check through the web: 50 browsers post the form at once."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    settings.RATELIMIT_ENABLE = False
    meeting = MeetingFactory(capacity=10, waitlist_enabled=True)
    url = f"{wide_server}/moten/{meeting.slug}/anmalan/"

    def browser():
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(url, timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return opener, token

    browsers = [browser() for _ in range(50)]
    barrier = threading.Barrier(50)
    statuses = []

    def sign_up(n):
        opener, token = browsers[n]
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "name": f"Person {n}", "email": f"webb{n}@example.se", "consent": "on"}
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310 - the test server
        barrier.wait(timeout=30)
        try:
            with opener.open(request, timeout=120) as response:
                statuses.append(response.status)
        except Exception as exc:  # noqa: BLE001
            statuses.append(repr(exc))

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert statuses == [200] * 50  # each followed the redirect to the thank-you page
    counts = list(meeting.registrations.values_list("status", flat=True))
    assert counts.count("confirmed") == 10 and counts.count("waitlisted") == 40

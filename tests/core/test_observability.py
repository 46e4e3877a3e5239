"""Request ids in logs and tasks, error e-mails and Sentry events without personal data."""

import io
import json
import logging
import logging.config

import pytest
import sentry_sdk
from celery import shared_task
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from kombu import Producer
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from core.observability import HEADER, TASK_HEADER
from samverkan.celery import app as celery_app
from samverkan.settings import admins_from
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

EMAIL = "petronella.loggstrom@example.se"
TOKEN = "eyJyIjo0MiwiZSI6ImFiYyJ9:1tQxYz:Zk3_secret-Signature9"


@pytest.fixture
def json_log():
    """The root logger writing through settings' JSON formatter and request-id filter into a buffer."""
    buffer = io.StringIO()
    config = django_settings.LOGGING
    handler = logging.StreamHandler(buffer)
    formatter_config = dict(config["formatters"]["json"])
    factory = formatter_config.pop("()")
    module, _, name = factory.rpartition(".")
    handler.setFormatter(getattr(__import__(module, fromlist=[name]), name)(**formatter_config))
    handler.addFilter(logging.config.DictConfigurator({}).resolve(config["filters"]["request_id"]["()"])())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous)


@shared_task(name="tests.core.log_something")
def log_something():
    logging.getLogger("tests.task").info("the task ran")


def test_every_response_carries_a_request_id(client):
    first = client.get(reverse("core:home"))[HEADER]
    second = client.get(reverse("core:home"))[HEADER]
    assert first and second and first != second


def test_a_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    assert client.get(reverse("core:home"), headers={HEADER: "nginx-5f2b9c1d0a7e"})[HEADER] == "nginx-5f2b9c1d0a7e"
    forged = "abc\n{'level': 'CRITICAL'}"
    answered = client.get(reverse("core:home"), headers={HEADER: forged})[HEADER]
    assert answered != forged and "\n" not in answered


def test_log_lines_are_json_with_the_request_id(client, json_log):
    response = client.get("/no-such-page-here/", headers={HEADER: "req-0123456789"})
    assert response.status_code == 404
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines, "Django logs the 404"
    assert {line["request_id"] for line in lines} == {"req-0123456789"}
    assert {"timestamp", "level", "message", "pid"} <= set(lines[0])


@pytest.mark.django_db(transaction=True)
def test_a_sign_up_queues_its_e_mail_under_the_request_id(client, monkeypatch):
    """Through a broker (not eagerly): the send task's message carries the id of the request that queued it."""
    published = []
    monkeypatch.setattr(Producer, "publish", lambda self, body, **options: published.append(options))
    celery_app.conf.task_always_eager = False  # the autouse fixture in conftest puts it back
    meeting = MeetingFactory()
    # A real commit inside the view: the e-mail is queued while the request is being answered.
    response = client.post(
        reverse("meetings:register", kwargs={"slug": meeting.slug}),
        {"name": "Petronella Loggström", "email": EMAIL, "consent": "on"},
        headers={HEADER: "signup-request-42"},
    )
    assert response.status_code == 302
    sends = [o["headers"] for o in published if o["headers"]["task"] == "outbox.tasks.send_queued"]  # the drain
    assert sends, "the confirmation e-mail is queued"
    assert {headers[TASK_HEADER] for headers in sends} == {"signup-request-42"}


def test_a_task_logs_under_the_request_id_it_was_queued_with(json_log):
    log_something.apply(headers={TASK_HEADER: "signup-request-42"})
    line = next(line for line in json_log() if line["logger"] == "tests.task")
    assert line["request_id"] == "signup-request-42"
    assert line["task_id"] != "-"
    log_something.apply()
    last = [line for line in json_log() if line["logger"] == "tests.task"][-1]
    assert last["request_id"] == "-", "a task queued outside a request has no id, not the previous task's"


def test_admins_come_from_the_environment():
    assert admins_from(["Ada Admin <ada@example.se>", "drift@example.se", "not an address"]) == [
        ("Ada Admin", "ada@example.se"),
        ("drift@example.se", "drift@example.se"),
    ]


@pytest.mark.urls("tests.core.urls_failing")
def test_an_error_e_mails_the_admins_without_personal_data(settings):
    settings.ADMINS = [("Drift", "drift@example.se")]
    settings.DEBUG = False
    response = Client(raise_request_exception=False).post(f"/moten/anmalan/{TOKEN}/avboka/", {"email": EMAIL})
    assert response.status_code == 500
    assert [m.to for m in mail.outbox] == [["drift@example.se"]]
    body = mail.outbox[0].body + mail.outbox[0].subject
    assert "RuntimeError" in body
    assert EMAIL not in body
    assert "petronella" not in body.lower()


@pytest.mark.urls("tests.core.urls_failing")
def test_an_error_e_mail_leaves_out_what_was_typed_into_the_address_and_who_was_logged_in(settings):
    """A GET form (the search) sends what was typed in the query, an address with "@" as "%40"; the report
    names the signed-in account by id, never by the person's name."""
    from tests.factories import UserFactory

    settings.ADMINS = [("Drift", "drift@example.se")]
    settings.DEBUG = False
    user = UserFactory(full_name="Annika Svanström")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    query = "q=annika.svanstrom%40example.se&tel=070-1234567&pnr=19900101-1234&namn=Annika+Svanstr%C3%B6m"
    assert client.get(f"/moten/anmalan/{TOKEN}/avboka/?{query}").status_code == 500
    body = mail.outbox[0].body + mail.outbox[0].subject
    assert "RuntimeError" in body
    for secret in ("Annika", "Svanstr", "%40example.se", "070-1234567", "19900101-1234", "annika.svanstrom"):
        assert secret not in body, secret
    assert f"account id {user.pk}" in body


class CapturingTransport(Transport):
    """sentry-sdk's transport that keeps envelopes instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [item.payload.json for env in self.envelopes for item in env.items if item.type == "event"]


@pytest.fixture
def sentry():
    from core.sentry import sentry_init

    transport = CapturingTransport()
    sentry_init(
        dsn="http://public@127.0.0.1:9/1", environment="test", release=None, traces_sample_rate=0, transport=transport
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.urls("tests.core.urls_failing")
def test_an_error_reaches_sentry_without_e_mail_addresses_or_tokens(sentry):
    client = Client(raise_request_exception=False)
    response = client.post(
        f"/moten/anmalan/{TOKEN}/avboka/?kvitto=abc123&page=2",
        {"email": EMAIL, "name": "Petronella Loggström"},
        headers={HEADER: "req-sentry-0001"},
        HTTP_COOKIE="sessionid=hemlig-session-1234",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    events = sentry.events()
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "req-sentry-0001"
    text = json.dumps(event, ensure_ascii=False)
    for secret in (EMAIL, "Petronella", TOKEN, "Signature9", "abc123", "hemlig-session"):
        assert secret not in text, secret
    assert "user" not in event or "ip_address" not in event.get("user", {})


def test_a_failing_task_reaches_sentry_without_its_e_mail_address(sentry):
    @shared_task(name="tests.core.failing_task")
    def failing_task(address):
        raise ValueError(f"no mailbox {address}")

    failing_task.apply(args=[EMAIL])
    sentry_sdk.flush()
    text = json.dumps(sentry.events(), ensure_ascii=False)
    assert "ValueError" in text
    assert EMAIL not in text


def test_the_scrubber_removes_bodies_cookies_the_user_and_tokens_in_urls():
    """The request part as the Django integration builds it behind gunicorn (the test client leaves it empty)."""
    from core.sentry import scrub_event

    event = {
        "request": {
            "url": f"https://samverkan.example.se/moten/anmalan/{TOKEN}/avboka/",
            "query_string": "kvitto=abc123&page=2",
            "method": "POST",
            "data": {"email": EMAIL},
            "cookies": {"sessionid": "hemlig-session-1234"},
            "headers": {
                "Cookie": "sessionid=hemlig-session-1234",
                "Referer": f"https://x/?email={EMAIL}",
                "Accept": "*/*",
            },
        },
        "user": {"email": EMAIL, "ip_address": "192.0.2.7"},
        "breadcrumbs": {
            "values": [{"message": f"password reset for {EMAIL} /konto/password/reset/key/4-c4z5yp-9a2f7e1b/"}]
        },
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"]["url"] == "https://samverkan.example.se/moten/anmalan/[Filtered]/avboka/"
    assert "query_string" not in scrubbed["request"]  # a search for a name, an address typed into a GET form
    assert scrubbed["request"]["headers"] == {"Accept": "*/*"}
    text = json.dumps(scrubbed)
    for secret in (EMAIL, TOKEN, "abc123", "hemlig-session", "192.0.2.7", "c4z5yp"):
        assert secret not in text, secret


def test_a_huge_value_in_a_log_line_is_scrubbed_in_one_pass():
    """A query string of a million digits (a fuzzer's, an attacker's) in a log line: the address scrubber
    tries an address once per run of address characters, not at each of them (quadratic: hours here)."""
    from core.sentry import scrub_text

    line = "Not Found: /moten/?q=" + "9" * 1_000_000 + " from anna@example.se"
    scrubbed = scrub_text(line)
    assert scrubbed.endswith(" from [Filtered]")
    assert "9" * 1_000_000 in scrubbed

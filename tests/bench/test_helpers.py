"""The benchmark's own helpers: the browser-like form filler, delivery counting, the report."""

from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from bench import browser, common, measure, report
from core import idempotency

FORM = """
<form method="get" action="/search/"><input name="q"></form>
<form method="post" action="/moten/m/anmalan/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok123">
  <input type="hidden" name="idempotency_key" value="one-form-one-token-123">
  <input type="text" name="name" required>
  <input type="email" name="email" required>
  <input type="text" name="organisation_name">
  <textarea name="needs"></textarea>
  <input type="checkbox" name="consent" required>
  <input type="checkbox" name="present_example">
  <div class="honeypot"><input type="text" name="website_address"></div>
  <select name="format" required><option value="">--</option><option value="onsite">On site</option></select>
  <button type="submit">Send</button>
</form>
"""


def test_form_filler_posts_what_a_person_would():
    data = dict(browser.registration_form_data(FORM, "/moten/m/anmalan/"))

    assert data["csrfmiddlewaretoken"] == "tok123"
    assert data["name"] and data["email"] == browser.EMAIL_MARK
    assert data["consent"] == "on"
    assert "present_example" not in data
    assert data["website_address"] == ""
    assert data["format"] == "onsite"
    assert "q" not in data


def test_fill_puts_a_fresh_address_in_the_email_field():
    data = browser.registration_form_data(FORM, "/moten/m/anmalan/")

    body = parse_qs(browser.fill(data, "anna@example.se"))

    assert body["email"] == ["anna@example.se"]


def test_every_post_of_the_bench_carries_a_token_of_its_own():
    """One form's idempotency token sent with many addresses makes each sign-up a refused INSERT, a lookup and
    a second INSERT (the form filled in again for someone else): the bench measured that until 2026-12-07.
    A browser that fetches the form has a token of its own; so has every body the bench sends."""
    data = browser.registration_form_data(FORM, "/moten/m/anmalan/")

    assert dict(data)["idempotency_key"] == browser.KEY_MARK
    keys = {parse_qs(browser.fill(data, f"p{i}@example.se"))["idempotency_key"][0] for i in range(3)}
    assert len(keys) == 3 and all(idempotency.KEY_RE.fullmatch(key) for key in keys)
    template = browser.fill(data, browser.EMAIL_MARK + "@example.se", key=browser.KEY_MARK)
    assert browser.KEY_MARK in template and browser.EMAIL_MARK in template
    script = (Path(browser.__file__).parent / "wrk" / "register.lua").read_text()
    assert f'"{browser.KEY_MARK}"' in script  # wrk puts a fresh token there per request


def test_delivery_report_counts_duplicates_and_losses_by_message_id():
    counts = Counter({"<a>": 1, "<b>": 3, "<x>": 1})

    result = common.delivery_report(["<a>", "<b>", "<c>"], counts)

    assert result == {"expected": 3, "delivered": 2, "duplicates": 2, "lost": 1}


def test_missing_services_exit_with_status_2(monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/5")

    with pytest.raises(SystemExit) as exc:
        common.require_services()

    assert exc.value.code == 2
    assert "DATABASE_URL must point at PostgreSQL" in capsys.readouterr().err


RUN = {
    "scale": 1.0,
    "cores": 2,
    "gunicorn_workers": 5,
    "celery_concurrency": 2,
    "connections": 16,
    "seconds_per_target": 10,
}


def test_markdown_table_marks_goals_met_and_missed():
    results = {
        **RUN,
        "date": "2026-11-23T22:00:00+00:00",
        "goals": {"page_ratio": 0.5, "page_p99_ms": 100.0, "registration_rps": 200.0, "fanout_ratio": 0.5},
        "pages": [
            {
                "name": "floor",
                "path": "/bench/floor",
                "rps": 1000,
                "ratio": 1,
                "p50_ms": 1,
                "p95_ms": 2,
                "p99_ms": 3,
                "errors": 0,
            },
            {
                "name": "home",
                "path": "/",
                "rps": 600,
                "ratio": 0.6,
                "p50_ms": 5,
                "p95_ms": 9,
                "p99_ms": 20,
                "errors": 0,
            },
            {
                "name": "feed",
                "path": "/f",
                "rps": 10,
                "ratio": 0.01,
                "p50_ms": 500,
                "p95_ms": 900,
                "p99_ms": 990,
                "errors": 0,
            },
        ],
        "queries": {"home": {"small": 4, "large": 4}, "feed": {"small": 1, "large": 2}},
        "storm": {"people": 1000, "places": 100, "confirmed": 100, "waitlisted": 900, "errors": 0, "seconds": 3},
    }

    table = report.markdown(results)

    home = next(line for line in table.splitlines() if line.startswith("| home"))
    feed = next(line for line in table.splitlines() if line.startswith("| feed"))
    assert "✅ ≥ 0.5" in home and "queries ✅" in home
    assert "❌ ≥ 0.5" in feed and "queries ❌" in feed
    assert "100 confirmed, 900 waitlisted, 0 errors" in table


def test_the_report_says_what_the_cpu_per_registration_allows():
    results = {
        **RUN,
        "date": "2026-12-02T04:00:00+00:00",
        "goals": {"page_ratio": 0.7, "page_p99_ms": 50.0, "registration_rps": 200.0, "fanout_ratio": 0.5},
        "pages": [],
        "registration": {
            "rps": 50,
            "p50_ms": 200,
            "p95_ms": 400,
            "p99_ms": 600,
            "errors": 0,
            "stored": 500,
            "cpu_ms_per_registration": {"gunicorn (Django)": 12.0, "celery worker": 6.0, "postgresql": 2.0},
        },
    }
    table = report.markdown(results)
    assert "gunicorn (Django) 12.0, celery worker 6.0, postgresql 2.0; total 20.0 ms" in table
    assert "at most 100 sign-ups/s" in table  # 2 cores × 1000 ms ÷ 20 ms


def test_the_cpu_meter_counts_a_child_that_ended_and_a_busy_process():
    import subprocess
    import sys

    with measure.CpuMeter(interval=0.05) as meter:
        subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"], check=True)
    assert meter.seconds.get("load generator (wrk)", 0) > 0.05  # finished children count as the load generator


@pytest.mark.django_db
def test_the_request_cost_headers_name_the_statements_and_the_cpu():
    """bench/middleware.py (bench/request_cost.py reads it): the request's statements, in order, and its CPU."""
    from django.db import connection
    from django.http import HttpResponse
    from django.test import RequestFactory

    from bench.middleware import RequestCostMiddleware

    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("select 2")
        return HttpResponse("ok")

    response = RequestCostMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Bench-Queries"] == "SELECT,SELECT"
    assert int(response["X-Bench-CPU-us"]) >= 0

"""The accessibility statement in DIGG's model, per region and language, and the report form."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accessibility import demo
from accessibility.models import AccessibilityCheck, AccessibilityReport
from accessibility.retention import purge
from core.regions import region_scope

pytestmark = pytest.mark.django_db

SV_PARTS = [
    "<h1>Tillgänglighetsredogörelse</h1>",
    "Den här webbplatsen är delvis förenlig med lagen (2018:1937) om tillgänglighet till digital offentlig service",
    "Innehåll som inte är tillgängligt",
    "Bristande förenlighet med lagkraven",
    "Oskäligt betungande anpassning",
    "Innehåll som inte omfattas av lagkraven",
    "Vad kan du göra om du inte kan använda delar av webbplatsen?",
    "Rapportera brister i webbplatsens tillgänglighet",
    'href="https://www.digg.se/tdosanmalan"',
    "Hur vi testat webbplatsen",
    "Webbplatsen bedömdes senast den 16 november 2026.",
    "Redogörelsen granskades senast den 1 december 2026.",
    'href="/tillganglighet/rapportera/"',
]
EN_PARTS = [
    "<h1>Accessibility statement</h1>",
    "This website is partially compliant with the Act (2018:1937) on accessibility to digital public service",
    "Content that is not accessible",
    "Non-compliance with the law",
    "Disproportionate burden",
    "Content outside the scope of the law",
    "What can you do if you cannot use parts of the website?",
    "Report shortcomings in the website's accessibility",
    'href="https://www.digg.se/tdosanmalan"',
    "How we tested the website",
    "The website was last assessed on 16 November 2026.",
    "The statement was last reviewed on 1 December 2026.",
]


def test_the_regions_statement_has_every_part_in_swedish_and_english(client):
    demo.load()
    page = client.get("/tillganglighet/").content.decode()
    for part in SV_PARTS:
        assert part in page
    assert "skannade överenskommelsen från 2014" in page
    client.cookies["django_language"] = "en"
    page = client.get("/tillganglighet/").content.decode()
    for part in EN_PARTS:
        assert part in page
    assert "scanned agreement of 2014" in page


def test_without_a_statement_of_its_own_the_region_shows_the_portals_in_dighs_model(client, settings):
    page = client.get("/tillganglighet/").content.decode()
    assert "delvis förenlig med lagen (2018:1937)" in page
    assert "https://www.digg.se/tdosanmalan" in page
    assert settings.REGION_CONTACT_EMAIL in page


def test_another_regions_statement_is_its_own(client, other_region):
    demo.load()  # the test region's
    with region_scope(other_region):
        from accessibility.models import AccessibilityStatement

        AccessibilityStatement.objects.create(
            language="sv",
            compliance="full",
            assessment_method="Extern granskning av Funka.",
            assessed_on=dt.date(2026, 10, 1),
            reviewed_on=dt.date(2026, 10, 2),
        )
    page = client.get("/tillganglighet/", HTTP_HOST="halland.testserver").content.decode()
    assert "är helt förenlig med lagen (2018:1937)" in page
    assert "Extern granskning av Funka." in page
    assert "skannade överenskommelsen" not in page


def test_a_report_without_javascript_reaches_the_coordinators_and_the_sender_gets_a_receipt(
    client, coordinator, run_on_commit
):
    with run_on_commit():
        response = client.post(
            "/tillganglighet/rapportera/",
            {
                "message": "Protokollet från mötet 4 maj går inte att läsa med skärmläsare.",
                "page": "/moten/",
                "wants_other_format": "on",
                "name": "Alva Berg",
                "email": "alva@example.se",
            },
        )
    assert response.status_code == 302
    assert client.get(response["Location"]).content.decode().count("alva@example.se") == 1
    report = AccessibilityReport.objects.get()
    assert report.wants_other_format and report.email == "alva@example.se"
    to_coordinators = next(m for m in mail.outbox if coordinator.email in m.to)
    assert "Protokollet från mötet 4 maj" in to_coordinators.body
    assert to_coordinators.reply_to == ["alva@example.se"]
    receipt = next(m for m in mail.outbox if m.to == ["alva@example.se"])
    assert "ett år" in receipt.body


def test_a_report_without_an_address_is_still_sent_to_the_coordinators(client, coordinator, run_on_commit):
    with run_on_commit():
        client.post("/tillganglighet/rapportera/", {"message": "Kontrasten i sidfoten är för svag."})
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_bad_input_keeps_what_was_typed_with_an_error_summary(client, coordinator):
    response = client.post(
        "/tillganglighet/rapportera/", {"message": "", "page": "Sidan om remisser", "email": "inte-en-adress"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'value="Sidan om remisser"' in page and 'value="inte-en-adress"' in page
    assert not AccessibilityReport.objects.exists()
    assert mail.outbox == []


def test_the_report_form_is_rate_limited_and_keeps_the_input(client, settings):
    settings.ACCESSIBILITY_REPORT_RATE = "1/m"
    client.post("/tillganglighet/rapportera/", {"message": "Första"})
    response = client.post("/tillganglighet/rapportera/", {"message": "Andra meddelandet"})
    assert response.status_code == 429
    assert "Andra meddelandet" in response.content.decode()
    assert AccessibilityReport.objects.count() == 1


def test_coordinators_see_the_last_automated_check_beside_the_statement(client, coordinator, tmp_path):
    results = tmp_path / "axe.jsonl"
    lines = [
        {"url": "/", "checked_at": "2026-12-01T10:00:00+00:00", "tool": "axe-core 4.10.2", "violations": []},
        {
            "url": "/moten/",
            "checked_at": "2026-12-01T10:01:00+00:00",
            "tool": "axe-core 4.10.2",
            "violations": [{"id": "color-contrast", "impact": "moderate", "help": "", "nodes": 2}],
        },
    ]
    results.write_text("\n".join(json.dumps(line) for line in lines))
    call_command("record_accessibility_check", str(results), source="CI 42")
    check = AccessibilityCheck.objects.get()
    assert check.violation_count == 1 and len(check.pages) == 2
    assert "color-contrast" not in client.get("/tillganglighet/").content.decode()
    client.force_login(coordinator)
    page = client.get("/tillganglighet/").content.decode()
    assert "axe-core 4.10.2" in page and "color-contrast" in page and "CI 42" in page
    admin_page = client.get("/admin/accessibility/accessibilitystatement/add/").content.decode()
    assert "color-contrast" in admin_page


def test_reports_are_deleted_after_the_retention_period(settings):
    settings.ACCESSIBILITY_REPORT_RETENTION_DAYS = 365
    old = AccessibilityReport.objects.create(message="Gammal", email="a@example.se")
    AccessibilityReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    AccessibilityReport.objects.create(message="Ny")
    purge(now=timezone.now())
    assert list(AccessibilityReport.objects.values_list("message", flat=True)) == ["Ny"]


def test_the_demo_is_idempotent():
    demo.load()
    demo.load()
    from accessibility.models import AccessibilityStatement, InaccessibleContent

    assert AccessibilityStatement.objects.count() == 2
    assert InaccessibleContent.objects.count() == 6


def test_a_second_statement_in_the_same_language_is_refused_with_a_message(coordinator_client):
    demo.load()
    response = coordinator_client.post(
        "/admin/accessibility/accessibilitystatement/add/",
        {
            "language": "sv",
            "compliance": "full",
            "assessment_method": "Extern granskning.",
            "assessed_on": "2026-12-01",
            "reviewed_on": "2026-12-02",
            "shortcomings-TOTAL_FORMS": "0",
            "shortcomings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Regionen har redan en redogörelse på det här språket" in response.content.decode()
    assert response.context["adminform"].form.data["assessment_method"] == "Extern granskning."


def test_the_same_report_sent_twice_is_stored_and_mailed_once(client, coordinator, run_on_commit):
    """A double click, or a POST retried after a dropped connection: the form's token answers the second from
    the first. The same form filled in again with another message (after the back button) is a new report."""
    form = client.get("/tillganglighet/rapportera/").content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)
    data = {"message": "Knappen Skicka går inte att nå med tangentbordet.", "email": "alva@example.se"}
    with run_on_commit():
        first = client.post("/tillganglighet/rapportera/", {**data, "idempotency_key": key})
        again = client.post("/tillganglighet/rapportera/", {**data, "idempotency_key": key})
    assert first.status_code == again.status_code == 302
    assert AccessibilityReport.objects.count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, "alva@example.se"])
    with run_on_commit():
        client.post(
            "/tillganglighet/rapportera/", {**data, "message": "Och bilderna saknar alt-text.", "idempotency_key": key}
        )
    assert AccessibilityReport.objects.count() == 2

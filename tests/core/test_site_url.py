"""SITE_URL's default follows the port `make run PORT=…` serves on, in every process it starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = ("SITE_URL", "PORT", "PORTAL_PORT", "BENCH", "DATABASE_URL", "REDIS_URL", "MAKEFLAGS", "MFLAGS")
# The settings as a fresh process reads them, without loading the apps (`manage.py shell` would load every
# app and its models: seconds per process, for nothing these tests look at).
CODE = (
    'import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings"); '
    "from django.conf import settings as s; print(s.SITE_URL, s.CSRF_TRUSTED_ORIGINS[0], s.BENCH)"
)


def _settings_seen_with(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(overrides)
    result = subprocess.run(
        [sys.executable, "-c", CODE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


def test_links_follow_the_port_when_site_url_is_unset():
    assert _settings_seen_with(PORT="8201")[:2] == ["http://127.0.0.1:8201", "http://127.0.0.1:8201"]


def test_an_explicit_site_url_wins_over_the_port():
    assert (
        _settings_seen_with(PORT="8201", SITE_URL="https://samverkan.example.se/")[0] == "https://samverkan.example.se"
    )


def test_the_benchmark_app_is_off_unless_the_benchmark_turns_it_on():
    assert _settings_seen_with()[2] == "False"


def test_a_process_honcho_gives_another_port_still_links_to_the_port_served():
    # honcho -p 8301 gives the web process PORT=8301 and the periodic process (or beat) PORT=8401.
    assert _settings_seen_with(PORT="8401", PORTAL_PORT="8301")[:2] == [
        "http://127.0.0.1:8301",
        "http://127.0.0.1:8301",
    ]


def test_make_run_fixes_the_port_for_every_process_it_starts():
    """The recipe runs with the environment `make run PORT=8301` exports; the process inside is started
    the way honcho starts the periodic one (PORT=8401) and must still link to 8301."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    recipe = f"probe: ; @PORT=8401 {sys.executable} -c '{CODE}'"
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", recipe, "probe", "PORT=8301"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split()[:2] == ["http://127.0.0.1:8301", "http://127.0.0.1:8301"]


def test_both_procfiles_bind_the_web_process_to_the_port_fixed_before_honcho():
    for name in ("Procfile", "Procfile.local"):
        web = next(line for line in (ROOT / name).read_text().splitlines() if line.startswith("web:"))
        assert "127.0.0.1:${PORTAL_PORT:-$PORT}" in web, name


@pytest.mark.django_db
def test_a_reminder_written_by_the_periodic_process_links_to_site_url(run_on_commit, settings):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from meetings.tasks import plan_reminders
    from tests.factories import MeetingFactory, RegistrationFactory

    settings.SITE_URL = "http://127.0.0.1:8301"
    start = timezone.now() + timedelta(days=1)
    meeting = MeetingFactory(start=start, end=start + timedelta(hours=2))
    RegistrationFactory(meeting=meeting, created_at=timezone.now() - timedelta(days=10), email="anna@example.se")
    with run_on_commit():
        plan_reminders.apply()
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    link = f"http://127.0.0.1:8301{meeting.get_absolute_url()}"
    assert link in message.body and link in html
    assert "127.0.0.1:8401" not in message.body + html


@pytest.mark.django_db
def test_a_download_kept_for_every_visitor_links_to_the_regions_primary_host_not_to_the_host_asked(
    client, settings, other_region
):
    from django.urls import reverse

    from core.models import RegionHost
    from core.regions import region_scope
    from tests.factories import AgreementFactory

    settings.SITE_URL = "https://samverkan.example.se"  # the installation's scheme (and port: none)
    RegionHost.objects.create(region=other_region, host="node7.halland.testserver")
    with region_scope(other_region):
        agreement = AgreementFactory()
    path = reverse("agreements:signatories_json", args=[agreement.slug])
    first = client.get(path, HTTP_HOST="node7.halland.testserver:8000").json()  # a secondary host
    assert first["agreement"]["url"] == f"https://halland.testserver{agreement.get_absolute_url()}"

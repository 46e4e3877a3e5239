"""Adding an app is shown: ``tests/demo_app`` registers, from its own folder only, a slot on the meeting
page (with the cache it follows), an admin action on another app's model, a periodic task and its
personal data, and appears in all four places. No file outside its folder names it."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import AppConfig, apps
from django.core.management import call_command
from django.template.utils import get_app_template_dirs
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from accounts.selectors import user_data_export
from accounts.services import user_delete
from core.registry import autodiscover, portal
from samverkan.celery import app as celery_app
from tests.demo_app import slots, state
from tests.factories import InterestSubmissionFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEMO = "tests.demo_app"


def _reset_state():
    state.note["word"] = "hej"
    state.tidied.clear()
    state.notes_by_email.clear()
    state.noted.clear()


@pytest.fixture
def demo_app():
    """Install ``tests.demo_app`` as INSTALLED_APPS would, then discover the portal modules as
    ``CoreConfig.ready`` does at start-up. The app registry is extended in place (not re-populated,
    which would run every app's ``ready()`` a second time) and restored afterwards."""
    config = AppConfig.create(DEMO)
    config.apps = apps
    config.import_models()
    apps.app_configs[config.label] = config
    apps.clear_cache()
    get_app_template_dirs.cache_clear()
    sys.modules.pop(f"{DEMO}.portal", None)  # a fresh start-up: its portal.py runs again
    _reset_state()
    try:
        autodiscover()
        yield state
    finally:
        portal.unregister(config.label)
        del apps.app_configs[config.label]
        apps.clear_cache()
        get_app_template_dirs.cache_clear()
        _reset_state()


def test_its_slot_is_on_the_meeting_page_and_follows_its_cache(client, demo_app, run_on_commit):
    meeting = MeetingFactory(title="Dialogmöte i Sollefteå")
    assert "Demo app on Dialogmöte i Sollefteå: hej" in client.get(meeting.get_absolute_url()).content.decode()

    demo_app.note["word"] = "hallå"  # changed behind the cache's back: the cached page stays
    assert ": hej</p>" in client.get(meeting.get_absolute_url()).content.decode()

    with run_on_commit():
        slots.set_word("tjena")  # a write through the app: its cache moves on, and the meeting page with it
    assert ": tjena</p>" in client.get(meeting.get_absolute_url()).content.decode()
    assert "demo_app" in portal.slot_caches("meetings")


def test_its_periodic_task_is_scheduled_and_runs(demo_app, monkeypatch):
    assert celery_app.conf.beat_schedule["demo-app-tidy"]["task"] == "demo_app.tasks.tidy"
    # The scheduler closes a connection that is not in autocommit (PostgreSQL: the test's transaction).
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)
    DatabaseScheduler(app=celery_app)  # what `celery beat` does at start: the schedule into its tables
    task = PeriodicTask.objects.get(name="demo-app-tidy")
    assert task.task == "demo_app.tasks.tidy"
    assert task.interval.schedule.run_every == timedelta(hours=6)

    call_command("run_periodic", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert demo_app.tidied == ["tidied"]


def test_its_personal_data_is_downloaded_and_erased_with_the_account(demo_app):
    user = UserFactory(email="ada@example.org")
    demo_app.notes_by_email["ada@example.org"] = ["Ada's note"]
    assert user_data_export(user=user)["demo_app.Note"] == [{"text": "Ada's note"}]
    assert user_delete(user=user)["demo_app"] == {"notes": 1}
    assert demo_app.notes_by_email == {}


def test_its_admin_action_is_offered_on_another_apps_model_and_runs(coordinator_client, demo_app):
    submission = InterestSubmissionFactory()
    changelist = reverse("admin:organisations_interestsubmission_changelist")
    page = coordinator_client.get(changelist).content.decode()
    assert 'value="note_rows"' in page and "Demo: note the chosen rows" in page
    coordinator_client.post(changelist, {"action": "note_rows", "_selected_action": [submission.pk]})
    assert demo_app.noted == [submission.pk]


def test_its_slot_takes_its_place_in_order(demo_app):
    assert [slot.app_label for slot in portal.slots("meetings:detail")] == ["demo_app", "challenges"]


def test_without_the_app_nothing_of_it_shows(client):
    meeting = MeetingFactory(title="Dialogmöte i Kramfors")
    assert "Demo app" not in client.get(meeting.get_absolute_url()).content.decode()
    assert "demo-app-tidy" not in celery_app.conf.beat_schedule
    assert "demo_app" not in portal.slot_caches("meetings")


def test_no_file_outside_its_folder_names_it():
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    this_file = str(Path(__file__).relative_to(ROOT))
    naming = []
    for name in tracked:
        if name.startswith("tests/demo_app/") or name == this_file:
            continue
        path = ROOT / name
        if path.is_file() and path.suffix in (".py", ".html", ".txt", ".toml", ".cfg", ".ini", ".yml", ".yaml", ""):
            text = path.read_text(errors="ignore")
            if "demo_app" in text or "tests.demo_app" in text:
                naming.append(name)
    assert naming == []

"""A feature app plugs into the portal from its own portal.py, without editing core."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from core.permissions import COORDINATOR_GROUP, ensure_coordinator_group
from core.region_state import current_region
from core.registry import PortalRegistry, portal
from core.retention import personal_data_purge

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = [app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()]


def test_core_imports_no_feature_app():
    feature_apps = {app for app in OUR_APPS if app != "core"}
    offenders = []
    for path in (ROOT / "core").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] in feature_apps]
    assert offenders == []


@pytest.fixture
def plugged_app(tmp_path, settings):
    """An app ("sessions" stands in for a new one) that registers all it can, then leaves."""
    calls = []
    (tmp_path / "plugged").mkdir()
    (tmp_path / "plugged" / "_home.html").write_text("<p>Plugged-in section: {{ plugged_word }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    portal.register(
        "sessions",
        demo=lambda stdout=None: calls.append(f"demo in {current_region().short_name}"),
        retention=lambda *, now: calls.append("retention") or 3,
        coordinator="manage",
    )
    portal.section("home", "plugged/_home.html", app_label="sessions", context=lambda request: {"plugged_word": "hej"})
    yield calls
    portal.unregister("sessions")


def test_registered_demo_runs_with_load_demo_once_in_each_region(plugged_app):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    demos = [call for call in plugged_app if call.startswith("demo")]
    assert demos == ["demo in vasternorrland", "demo in halland", "demo in vgr"]


def test_registered_retention_runs_in_the_daily_purge(plugged_app, disposal_decisions):
    result = personal_data_purge()
    assert result["sessions"] == 3
    assert {"organisations", "meetings", "outbox", "elections", "consultations", "challenges"} <= set(result)


def test_registered_home_section_is_shown_with_its_context(client, plugged_app):
    response = client.get(reverse("core:home"))
    assert "Plugged-in section: hej" in response.content.decode()


def test_registered_navigation_link_is_in_the_layout(client, plugged_app):
    portal.nav("sessions", "core:privacy", "Pluggad länk", order=15)
    body = client.get(reverse("core:home")).content.decode()
    nav = body.split('aria-label="Huvudmeny"', 1)[-1].split("</nav>", 1)[0] if "Huvudmeny" in body else body
    assert f'href="{reverse("core:privacy")}">Pluggad länk</a>' in nav
    # In order: meetings (10) before the plugged link (15) before organisations (20).
    assert (
        nav.index(reverse("meetings:list")) < nav.index("Pluggad länk") < nav.index(reverse("organisations:directory"))
    )


def test_coordinator_access_follows_registration(plugged_app):
    group = ensure_coordinator_group()
    labels = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert {"organisations", "meetings", "agreements", "sessions"} <= labels
    # The periodic-task schedule is the superusers' business; no app registers it.
    assert "django_celery_beat" not in labels
    assert group.name == COORDINATOR_GROUP
    outbox_codenames = set(
        group.permissions.filter(content_type__app_label="outbox").values_list("codename", flat=True)
    )
    assert outbox_codenames and all(code.startswith("view_") for code in outbox_codenames)


def test_registering_an_unknown_app_or_twice_fails_loudly():
    registry = PortalRegistry()
    registry.register("meetings")
    with pytest.raises(LookupError):
        registry.register("no_such_app")
    with pytest.raises(Exception, match="already registered"):
        registry.register("meetings")
    with pytest.raises(LookupError):
        registry.section("home", "agreements/_home.html")


def test_registered_personal_data_is_downloaded_and_erased_with_the_account(plugged_app):
    from accounts.models import User
    from accounts.selectors import user_data_export
    from accounts.services import user_delete
    from tests.factories import UserFactory

    person = UserFactory()
    portal.personal_data(
        "sessions",
        export=lambda user: {"sessions.Plugged": [{"who": user.email}]},
        erase=lambda user: plugged_app.append(f"erase {user.email}") or {"rows": 1},
    )
    assert user_data_export(user=person)["sessions.Plugged"] == [{"who": person.email}]
    erased = user_delete(user=person)
    assert erased["sessions"] == {"rows": 1}
    assert plugged_app == [f"erase {person.email}"]
    assert not User.objects.filter(pk=person.pk).exists()


def test_personal_data_needs_a_registered_app_and_is_declared_once():
    registry = PortalRegistry()
    with pytest.raises(LookupError):
        registry.personal_data("meetings", export=dict)
    registry.register("meetings")
    registry.personal_data("meetings", export=dict)
    with pytest.raises(Exception, match="already declared"):
        registry.personal_data("meetings", export=dict)


def test_erasers_run_in_order_then_in_installed_apps_order():
    registry = PortalRegistry()
    for label, order in (("outbox", 1000), ("meetings", 100), ("accounts", 100)):
        registry.register(label)
        registry.personal_data(label, export=dict, erase=dict, order=order)
    assert [p.app_label for p in registry.personal_data_erasers()] == ["accounts", "meetings", "outbox"]

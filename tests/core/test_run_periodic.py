"""``manage.py run_periodic`` (the beat of the embedded defaults): every task runs at start, then on its interval,
however long the machine has been up (the monotonic clock counts from boot)."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command

from core.management.commands import run_periodic
from core.registry import portal


class _Stop(Exception):
    pass


def test_every_task_runs_in_the_first_round_on_a_machine_booted_a_minute_ago(monkeypatch):
    applied = []
    tasks = {
        entry["task"]: SimpleNamespace(apply=lambda name=entry["task"]: applied.append(name))
        for entry in portal.beat_schedule().values()
    }
    app = SimpleNamespace(loader=SimpleNamespace(import_default_modules=lambda: None), tasks=tasks)
    monkeypatch.setattr(run_periodic, "app", app)
    monkeypatch.setattr(run_periodic.time, "monotonic", lambda: 60.0)

    def stop(seconds):
        raise _Stop

    monkeypatch.setattr(run_periodic.time, "sleep", stop)
    with pytest.raises(_Stop):
        call_command("run_periodic", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(applied) == sorted(tasks)  # the daily purge and session clean-up included
    assert "core.tasks.clear_expired_sessions" in applied and "core.tasks.purge_personal_data" in applied

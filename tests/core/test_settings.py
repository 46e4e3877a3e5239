import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


# What a fresh process of the portal would see: none of the test run's own switches.
SCRUBBED = ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")


def clean_env():
    return {k: v for k, v in os.environ.items() if k not in SCRUBBED}


def run_manage(*args, env_overrides):
    env = clean_env()
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "samverkan.example.se",
    "SITE_URL": "https://samverkan.example.se",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ELECTIONS_BALLOT_KEY": "cHJvZHVjdGlvbi1iYWxsb3Qta2V5LXRlc3Qtb25seS0=",
}


def test_production_settings_pass_check_deploy(tmp_path):
    # Before there is a database (a build step): the disposal decisions are checked where there is one
    # (tests/core/test_public_records.py), so a developer's own db.sqlite3 does not decide this test.
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'not-yet.sqlite3'}"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_check_deploy_warns_without_a_ballot_key():
    env = dict(PRODUCTION)
    env.pop("ELECTIONS_BALLOT_KEY")
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode != 0
    assert "elections.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = dict(PRODUCTION)
    env.pop("SECRET_KEY")
    result = run_manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("language", ["sv"])
def test_embedded_defaults_use_sqlite_eager_tasks_and_console_mail(language):
    code = (
        'import os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings");'
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    env = clean_env()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1].split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        language,
        "Europe/Stockholm",
    ]


def test_transaction_pooling_turns_off_server_side_cursors_and_prepared_statements():
    script = (
        "import json; from django.conf import settings; d = settings.DATABASES['default'];"
        "print(json.dumps([d.get('DISABLE_SERVER_SIDE_CURSORS', False), d.get('OPTIONS', {}).get('prepare_threshold', 5)]))"
    )
    database = {"DATABASE_URL": "postgres://postgres@127.0.0.1:6432/samverkan"}
    for pooling, expected in (("true", "[true, null]"), ("false", "[false, 5]")):
        env = (
            clean_env()
            | database
            | {"DATABASE_TRANSACTION_POOLING": pooling, "DJANGO_SETTINGS_MODULE": "samverkan.settings"}
        )
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.stdout.strip() == expected, result.stderr

"""SITE_URL's default follows the port `make run PORT=…` serves on."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = "from django.conf import settings as s; print(s.SITE_URL, s.CSRF_TRUSTED_ORIGINS[0], s.BENCH)"


def _settings_seen_with(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "BENCH", "DATABASE_URL", "REDIS_URL")}
    env.update(overrides)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CODE],
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

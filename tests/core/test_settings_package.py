"""Every setting keeps its value: the settings package (samverkan/settings/) against a stored snapshot.

The package replaced the one-module settings.py. Commit 0ee7cc0 compared the two directly (the old module
kept as a fixture, loaded in the same environments); the snapshot in fixtures/settings_snapshot.json was then
written from the OLD module, so the package matching it is the same proof, without keeping 600 lines of dead
settings that every later change would have to edit twice.

The snapshot holds, for each environment below, every upper-case name with its value, types kept (a tuple is
not a list, a Path not a str); the project's folder reads <BASE_DIR> and secrets are stored as a hash only.
Each environment is loaded in a fresh process: the settings read the environment once, at import.

A deliberate change of a setting's value (or a new setting) updates the snapshot, and its diff shows the
reviewer what changed in which environment:

    .venv/bin/python tests/core/test_settings_package.py --update
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "samverkan" / "settings"
SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "settings_snapshot.json"

# The environments compared: nothing set; production-like; PostgreSQL behind PgBouncer with Redis.
ENVIRONMENTS = {
    "defaults": {},
    "production": {
        "DEBUG": "false",
        "SECRET_KEY": "test-only-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "samverkan.example.se,www.samverkan.example.se",
        "SITE_URL": "https://samverkan.example.se/",
        "EMAIL_URL": "smtp+tls://mailer:test-only-password@smtp.example.se:587",
        "ADMINS": "Ada Admin <ada@example.se>,ops@example.se",
        "ELECTIONS_BALLOT_KEY": "cHJvZHVjdGlvbi1iYWxsb3Qta2V5LXRlc3Qtb25seS0=",
        "AWS_STORAGE_BUCKET_NAME": "samverkan-files",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.se",
        "AWS_LOCATION": "portal",
        "AWS_ACCESS_KEY_ID": "test-only-access-key",
        "AWS_SECRET_ACCESS_KEY": "test-only-secret-access-key",
        "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
        "LOG_LEVEL": "WARNING",
        "UPLOAD_MAX_MB": "10",
        "OUTBOX_STUCK_AFTER_SECONDS": "600",
    },
    "postgres_redis": {
        "DATABASE_URL": "postgres://portal:test-only-password@db.example.se:6432/samverkan",
        "DATABASE_TRANSACTION_POOLING": "true",
        "REDIS_URL": "redis://redis.example.se:6379/0",
        "DISABLE_RATE_LIMITS": "true",
        "STAFF_REQUIRE_MFA": "true",
        "PORT": "8201",
    },
}

# Run in the child process: import the settings and print their upper-case names as JSON.
DUMP = r"""
import hashlib, importlib, json, sys
from datetime import timedelta
from pathlib import PurePath

import environ

# Only the environment given: a developer's .env must not enter the comparison.
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)
namespace = vars(importlib.import_module("samverkan.settings"))

from django.conf import settings
from django.utils.functional import Promise

settings.configure(USE_I18N=False)  # a lazy text then reads as its source text

root = sys.argv[1]
# The project's folder as CACHE_KEY_PREFIX spells it (from the SQLite file's path).
root_in_prefix = "".join(c if c.isascii() and (c.isalnum() or c in "_.-") else "-" for c in root.strip("/"))
SECRETS = {"SECRET_KEY", "EMAIL_HOST_PASSWORD", "ELECTIONS_BALLOT_KEY", "PASSWORD", "access_key", "secret_key"}


def canonical(value):
    if isinstance(value, Promise):
        return {"lazy": str(value)}
    if isinstance(value, str):
        return value.replace(root, "<BASE_DIR>").replace(root_in_prefix, "<BASE_DIR>")
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return value
    if isinstance(value, PurePath):
        return {"path": canonical(str(value))}
    if isinstance(value, timedelta):
        return {"timedelta": value.total_seconds()}
    if isinstance(value, tuple):
        return {"tuple": [canonical(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted(json.dumps(canonical(v), sort_keys=True) for v in value)}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: secret(k, v) for k, v in value.items()}
    if isinstance(value, dict):
        return {"dict": [[canonical(k), secret(k, v)] for k, v in value.items()]}
    return {"repr": repr(value), "type": type(value).__qualname__}


def secret(name, value):
    if name in SECRETS and isinstance(value, str) and value:
        return {"sha256": hashlib.sha256(value.encode()).hexdigest()}
    return canonical(value)


print(json.dumps({name: secret(name, v) for name, v in namespace.items() if name.isupper()}, sort_keys=True))
"""


def settings_in(environment: dict) -> dict:
    """The upper-case settings of a fresh process that sees only this environment (no test run's switches)."""
    env = {"PATH": os.environ.get("PATH", ""), **environment}
    result = subprocess.run(
        [sys.executable, "-c", DUMP, str(ROOT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_every_setting_keeps_its_value(name):
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[name]
    actual = settings_in(ENVIRONMENTS[name])

    assert sorted(actual) == sorted(expected), "a setting appeared or went: see the module docstring"
    assert {k: (v, expected[k]) for k, v in actual.items() if v != expected[k]} == {}


def test_the_environments_reach_the_branches_and_no_secret_is_stored():
    """The comparison above is only worth something if the environments take different branches."""
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    defaults, production, postgres = (snapshot[n] for n in ("defaults", "production", "postgres_redis"))

    assert defaults["DEBUG"] is True and production["DEBUG"] is False
    assert "SILENCED_SYSTEM_CHECKS" in defaults and "SILENCED_SYSTEM_CHECKS" not in postgres
    assert "RATELIMIT_IP_META_KEY" in production and "RATELIMIT_IP_META_KEY" not in defaults
    assert production["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert postgres["ACCOUNT_RATE_LIMITS"] is False and defaults["ACCOUNT_RATE_LIMITS"] is not False
    assert postgres["CELERY_TASK_ALWAYS_EAGER"] is False and defaults["CELERY_TASK_ALWAYS_EAGER"] is True
    assert production["STORAGES"] != defaults["STORAGES"]
    assert postgres["DATABASES"] != defaults["DATABASES"]
    stored = SNAPSHOT.read_text(encoding="utf-8")
    production = ENVIRONMENTS["production"]
    secrets = ["SECRET_KEY", "ELECTIONS_BALLOT_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    assert [name for name in secrets if production[name] in stored] == []
    assert "test-only-password" not in stored and str(ROOT) not in stored


def assigned_names(module: Path) -> set[str]:
    """Upper-case names a settings module assigns at its top level (in any branch), not those it imports."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()}
    return names


def test_every_setting_has_one_home():
    """A setting defined in two parts would take the value of whichever the package imports last."""
    homes: dict[str, list[str]] = {}
    for module in sorted(PACKAGE.glob("*.py")):
        for name in assigned_names(module):
            homes.setdefault(name, []).append(module.name)

    assert {name: where for name, where in homes.items() if len(where) > 1} == {}
    assert "CELERY_BEAT_SCHEDULE" not in homes  # the apps declare their periodic tasks (portal.periodic)


def test_the_package_imports_every_part_and_no_part_is_over_500_lines():
    parts = {m.stem for m in PACKAGE.glob("*.py")} - {"__init__"}
    imported = {
        node.module
        for node in ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")).body
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }

    assert imported == parts
    assert {m.name: n for m in PACKAGE.glob("*.py") if (n := len(m.read_text().splitlines())) > 500} == {}


def write_snapshot(snapshot: dict) -> None:
    """One line per setting, so that the diff of an update names each setting that changed."""
    blocks = []
    for environment, values in sorted(snapshot.items()):
        lines = [
            f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True, ensure_ascii=False)}" for k, v in sorted(values.items())
        ]
        blocks.append(f" {json.dumps(environment)}: {{\n" + ",\n".join(lines) + "\n }")
    SNAPSHOT.write_text("{\n" + ",\n".join(blocks) + "\n}\n", encoding="utf-8")


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    write_snapshot({name: settings_in(environment) for name, environment in ENVIRONMENTS.items()})
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")

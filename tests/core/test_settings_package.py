"""The settings package (samverkan/settings/) gives every setting the value the one-module settings.py gave.

Each environment is loaded in a fresh process (the settings read the environment once, at import), and the
upper-case names are compared one by one with what the old module (kept as tests/core/fixtures/
settings_before.py) produced in the same environment.
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
BEFORE = Path(__file__).resolve().parent / "fixtures" / "settings_before.py"

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

# Run in the child process: load one settings module (argv[1]: "package" or a file of the old module) and
# print its upper-case names as JSON, in a form that keeps types (a tuple is not a list, a Path not a str).
DUMP = r"""
import json, sys
from datetime import timedelta
from pathlib import PurePath

which = sys.argv[1]
if which == "package":
    import importlib
    namespace = vars(importlib.import_module("samverkan.settings"))
else:
    # The old module as if it still lay at samverkan/settings.py (its BASE_DIR is two folders up).
    path, source = sys.argv[2], open(which, encoding="utf-8").read()
    namespace = {"__file__": path, "__name__": "samverkan_settings_before"}
    exec(compile(source, path, "exec"), namespace)

from django.conf import settings
from django.utils.functional import Promise
settings.configure(USE_I18N=False)  # a lazy text then reads as its source text


def canonical(value):
    if isinstance(value, Promise):
        return {"lazy": str(value)}
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, PurePath):
        return {"path": str(value)}
    if isinstance(value, timedelta):
        return {"timedelta": value.total_seconds()}
    if isinstance(value, tuple):
        return {"tuple": [canonical(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted(json.dumps(canonical(v), sort_keys=True) for v in value)}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {"dict": [[canonical(k), canonical(v)] for k, v in value.items()]}
    return {"repr": repr(value), "type": type(value).__qualname__}


print(json.dumps({name: canonical(v) for name, v in namespace.items() if name.isupper()}, sort_keys=True))
"""


def settings_in(environment: dict, *which: str) -> dict:
    """The upper-case settings of a fresh process that sees only this environment (no test run's switches)."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONHASHSEED": "0", **environment}
    result = subprocess.run(
        [sys.executable, "-c", DUMP, *which], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(ENVIRONMENTS))
def test_package_gives_every_setting_the_value_settings_py_gave(name):
    before = settings_in(ENVIRONMENTS[name], str(BEFORE), str(ROOT / "samverkan" / "settings.py"))
    after = settings_in(ENVIRONMENTS[name], "package")

    assert sorted(after) == sorted(before)
    assert {k: v for k, v in after.items() if v != before[k]} == {}


def test_the_environments_differ_where_they_should():
    """The comparison above is only worth something if the environments reach the branches."""
    defaults, production, postgres = (settings_in(ENVIRONMENTS[n], "package") for n in ENVIRONMENTS)

    assert defaults["DEBUG"] is True and production["DEBUG"] is False
    assert "SILENCED_SYSTEM_CHECKS" in defaults and "SILENCED_SYSTEM_CHECKS" not in postgres
    assert "RATELIMIT_IP_META_KEY" in production and "RATELIMIT_IP_META_KEY" not in defaults
    assert production["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert postgres["ACCOUNT_RATE_LIMITS"] is False
    assert postgres["CELERY_TASK_ALWAYS_EAGER"] is False and defaults["CELERY_TASK_ALWAYS_EAGER"] is True
    assert production["STORAGES"] != defaults["STORAGES"]
    assert postgres["DATABASES"] != defaults["DATABASES"]


def assigned_names(module: Path) -> set[str]:
    """Upper-case names a settings module assigns at its top level (in any branch), not those it imports."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            continue
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()}
    return names


def test_every_setting_has_one_home():
    """A setting defined in two parts would take the value of whichever the package imports last."""
    homes: dict[str, list[str]] = {}
    for module in sorted(PACKAGE.glob("*.py")):
        for name in assigned_names(module):
            homes.setdefault(name, []).append(module.name)

    assert {name: where for name, where in homes.items() if len(where) > 1} == {}
    assert homes["CELERY_BEAT_SCHEDULE"] == ["celery.py"]


def test_the_package_imports_every_part_and_no_part_is_over_500_lines():
    parts = {m.stem for m in PACKAGE.glob("*.py")} - {"__init__"}
    imported = {
        node.module
        for node in ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")).body
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }

    assert imported == parts
    assert {m.name: n for m in PACKAGE.glob("*.py") if (n := len(m.read_text().splitlines())) > 500} == {}

"""The portal's floors (``.importlinter``): import-linter keeps them, here and in ``make lint``.

The first test checks the real tree. The second builds a small tree that breaks every contract once
(a lower feature app importing a higher one, siblings of one layer importing each other, a platform
app importing a feature app, core importing an app, the product importing bench, and two modules of
one package importing each other) and checks that the same configuration refuses each of them.
Each run takes about half a second (no cache is written).
"""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_portal_keeps_its_import_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _root_packages() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return config["importlinter"]["root_packages"].split()


def _write(tree: Path, module: str, source: str = "") -> None:
    path = tree.joinpath(*module.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)


def test_the_contracts_refuse_each_kind_of_wrong_import(tmp_path):
    for package in _root_packages():
        _write(tmp_path, f"{package}.__init__")
    _write(tmp_path, "organisations.admin", "from challenges.admin_actions import make_challenges\n")
    _write(tmp_path, "challenges.admin_actions", "make_challenges = None\n")
    _write(tmp_path, "consultations.views", "import elections.models\n")
    _write(tmp_path, "elections.models")
    _write(tmp_path, "api.views", "from meetings import models\n")
    _write(tmp_path, "meetings.models")
    _write(tmp_path, "core.views", "import accounts.models\n")
    _write(tmp_path, "accounts.models")
    _write(tmp_path, "samverkan.urls", "import bench.views\n")
    _write(tmp_path, "bench.views")
    # A circle inside one package, the second import lazy (inside a function) as it was in the outbox.
    _write(tmp_path, "outbox.services", "def queue():\n    from .tasks import send_email\n")
    _write(tmp_path, "outbox.tasks", "from . import services\n\nsend_email = None\n")
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")

    result = lint_imports(tmp_path)

    out = " ".join(result.stdout.split())
    assert result.returncode == 1, out
    assert "Contracts: 0 kept, 5 broken." in out
    assert "organisations is not allowed to import challenges" in out
    assert "consultations is not allowed to import elections" in out
    assert "api.views -> meetings" in out
    assert "core.views -> accounts.models" in out
    assert "samverkan.urls -> bench.views" in out
    assert "No cycles are allowed in outbox" in out

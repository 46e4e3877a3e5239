"""The dependency declarations in pyproject.toml and the two lock files agree.

Production installs requirements.txt (the runtime set); `make test` installs requirements-dev.txt
(runtime + tools). Both are pip lock files with hashes, produced by `make lock`.
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = [Requirement(r) for r in project["project"]["dependencies"]]
    dev = [Requirement(r) for r in project["dependency-groups"]["dev"]]
    return runtime, dev


def locked(name: str) -> dict[str, str]:
    """{canonical name: version} of a lock file, after checking every pin carries a hash."""
    text = (ROOT / name).read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{name}: {match.group(1)} is pinned without a hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_declared_runtime_dependency_is_locked_in_both_files_at_an_allowed_version():
    runtime, _ = declared()
    runtime_lock, dev_lock = locked("requirements.txt"), locked("requirements-dev.txt")
    for requirement in runtime:
        name = canonicalize_name(requirement.name)
        assert name in runtime_lock, f"{requirement.name} is declared but missing from requirements.txt"
        assert requirement.specifier.contains(runtime_lock[name]), f"{name}=={runtime_lock[name]} breaks {requirement}"
        assert dev_lock.get(name) == runtime_lock[name], f"{name} is locked at different versions"


def test_development_tools_are_locked_for_tests_but_never_installed_in_production():
    _, dev = declared()
    runtime_lock, dev_lock = locked("requirements.txt"), locked("requirements-dev.txt")
    for requirement in dev:
        name = canonicalize_name(requirement.name)
        assert name in dev_lock, f"{requirement.name} is declared but missing from requirements-dev.txt"
        assert requirement.specifier.contains(dev_lock[name])
    for tool in ("pytest", "ruff", "playwright", "factory-boy", "moto", "hypothesis"):
        assert tool not in runtime_lock, f"{tool} would be installed in production"


def test_the_two_locks_agree_on_every_shared_package():
    runtime_lock, dev_lock = locked("requirements.txt"), locked("requirements-dev.txt")
    assert {name: dev_lock.get(name) for name in runtime_lock} == runtime_lock


def test_every_declared_dependency_has_an_upper_bound_or_is_a_tool():
    runtime, _ = declared()
    unbounded = [str(r) for r in runtime if not any(s.operator in ("<", "<=", "==", "~=") for s in r.specifier)]
    # Calendar-versioned packages (a new release every month, no breaking-change signal) are the only exceptions.
    assert set(unbounded) <= {"drf-spectacular-sidecar>=2025.1"}, unbounded

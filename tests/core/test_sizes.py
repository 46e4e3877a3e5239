"""Sizes of the product's code (issue 21): no module over 500 lines, no function over 60 lines unless
its docstring gives the reason (a line with the word "reason").

The product is every Python file of the project but the tests, the migrations and hidden folders.
What is over the limits today and being split by other work is listed below, explicitly: an entry that is
no longer over the limit fails the test, so the list only shrinks and always says what is left.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
SKIPPED_DIRS = {"tests", "migrations", "node_modules", "static", "locale", "locale_vendor", "media", "__pycache__"}

# The bench and drills (issue 21 item 4: out of the product's import graph or split into a package).
ALLOWED_PREFIXES = ("bench/",)
# Modules over 500 lines: none left.
ALLOWED_MODULES: set[str] = set()
# Functions over 60 lines without a reason in their docstring: none left.
ALLOWED_FUNCTIONS: set[str] = set()


def product_files(root: Path = ROOT) -> list[Path]:
    files = []
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        files.append(path)
    return sorted(files)


def oversized(source: str, name: str) -> list[str]:
    """``name`` when the module is too long, ``name:Qualified.function (n lines)`` for each function
    that is too long and gives no reason in its docstring."""
    found = []
    if len(source.splitlines()) > MAX_MODULE_LINES:
        found.append(name)

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                qualname = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    length = child.end_lineno - child.lineno + 1
                    reason = "reason" in (ast.get_docstring(child) or "").lower()
                    if length > MAX_FUNCTION_LINES and not reason:
                        found.append(f"{name}:{qualname}")
                visit(child, qualname + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def offenders() -> list[str]:
    found = []
    for path in product_files():
        name = path.relative_to(ROOT).as_posix()
        found += oversized(path.read_text(encoding="utf-8"), name)
    return found


def allowed(entry: str) -> bool:
    return entry.startswith(ALLOWED_PREFIXES) or entry in ALLOWED_MODULES or entry in ALLOWED_FUNCTIONS


def test_no_module_over_500_lines_and_no_long_function_without_a_reason():
    new = [entry for entry in offenders() if not allowed(entry)]
    assert not new, (
        "Split these (a module over 500 lines becomes a package; a function over 60 lines is split or "
        f"says in its docstring the reason for its length): {new}"
    )


def test_the_allow_list_holds_only_what_is_still_too_long():
    left = set(offenders())
    stale = sorted((ALLOWED_MODULES | ALLOWED_FUNCTIONS) - left)
    assert not stale, f"No longer over the limit: remove from the allow-list in {__file__}: {stale}"


def test_the_product_is_found():
    names = {path.relative_to(ROOT).as_posix() for path in product_files()}
    assert {"manage.py", "meetings/admin/meetings.py", "core/models.py"} <= names
    assert not any(name.startswith(("tests/", ".venv/")) or "/migrations/" in name for name in names)


LONG_BODY = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def short():\n    return 1\n", []),
        (f"def long():\n{LONG_BODY}\n", ["m.py:long"]),
        (f'def long():\n    """Reason for its length: a table."""\n{LONG_BODY}\n', []),
        (f"class A:\n    def long(self):\n{LONG_BODY.replace('    ', '        ')}\n", ["m.py:A.long"]),
        (
            f"def outer():\n    def inner():\n{LONG_BODY.replace('    ', '        ')}\n",
            ["m.py:outer", "m.py:outer.inner"],
        ),
        ("x = 1\n" * (MAX_MODULE_LINES + 1), ["m.py"]),
        ("x = 1\n" * MAX_MODULE_LINES, []),
    ],
)
def test_the_guard_finds_long_modules_and_functions(source, expected):
    assert oversized(source, "m.py") == expected

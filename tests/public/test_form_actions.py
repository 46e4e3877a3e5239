"""A public form's buttons: the submit button and its "Cancel" link sit in one row that wraps with a gap
(``d-flex flex-wrap gap-*``), so on a phone the link lands under the button with space between them,
not glued to its edge or indented by a margin meant for one line."""

import re
from pathlib import Path

from django.conf import settings

ROW = re.compile(
    r'<div class="(?P<classes>[^"]*)">\s*<button type="submit"[^>]*>.*?</button>\s*'
    r'<a [^>]*>\{% translate "Cancel" %\}</a>\s*</div>',
    re.S,
)


def _public_templates():
    root = Path(settings.BASE_DIR)
    for path in root.glob("*/templates/**/*.html"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(".venv/") or "/templates/admin/" in relative or relative.startswith("templates/admin/"):
            continue
        yield relative, path.read_text(encoding="utf-8")


def test_every_cancel_link_shares_a_wrapping_row_with_its_button():
    problems = []
    checked = 0
    for relative, text in _public_templates():
        cancels = text.count('{% translate "Cancel" %}</a>')
        if not cancels:
            continue
        checked += cancels
        rows = [m.group("classes").split() for m in ROW.finditer(text)]
        good = [c for c in rows if "d-flex" in c and "flex-wrap" in c and any(x.startswith("gap-") for x in c)]
        if len(good) != cancels:
            problems.append(f"{relative}: {cancels} cancel links, {len(good)} in a wrapping row")
    assert checked >= 4
    assert problems == []

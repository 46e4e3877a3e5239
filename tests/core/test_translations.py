"""Every Swedish catalogue of the project is complete, consistent and compiled.

The .po files are the source of the translations (`make messages` extracts the strings and compiles
them). Django merges all catalogues into one and keeps a single translation per msgid (+ msgctxt),
silently, so the same English text translated two ways in two apps is a bug: use ``pgettext`` to
give the two meanings their own context. A new app's ``<app>/locale/`` is picked up without editing
this file.
"""

import re
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def catalogues() -> list[Path]:
    """The project's Swedish .po files: every app's locale/, the root locale/ and LOCALE_PATHS."""
    dirs = {ROOT / "locale", *(Path(p).resolve() for p in settings.LOCALE_PATHS)}
    dirs |= {path.parent.resolve() for path in ROOT.glob("*/locale")}
    dirs |= {Path(app.path).resolve() / "locale" for app in apps.get_app_configs()}
    found = []
    for directory in dirs:
        po = directory / "sv" / "LC_MESSAGES" / "django.po"
        inside_project = directory.is_relative_to(ROOT) and ".venv" not in directory.relative_to(ROOT).parts
        if inside_project and po.exists():
            found.append(po)
    return sorted(found)


CATALOGUES = catalogues()


def name(po: Path) -> str:
    return str(po.relative_to(ROOT))


def translation(entry: polib.POEntry):
    if entry.msgid_plural:
        return (entry.msgid_plural, tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)))
    return entry.msgstr


def test_every_app_with_a_locale_directory_has_a_catalogue():
    names = {name(po) for po in CATALOGUES}
    assert "locale/sv/LC_MESSAGES/django.po" in names
    for app in ("accounts", "agreements", "meetings", "organisations"):
        assert f"{app}/locale/sv/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("po_path", CATALOGUES, ids=name)
def test_catalogue_is_fully_translated_and_not_fuzzy(po_path):
    po = polib.pofile(str(po_path))
    problems = []
    if po.metadata_is_fuzzy:
        problems.append("the header is marked fuzzy")
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        strings = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        if not all(strings):
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, f"{name(po_path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=name)
def test_translations_keep_the_placeholders_of_the_english(po_path):
    problems = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            # A plural form may leave out the count ("one field" / "%(counter)s fields"), never add a name.
            allowed = expected | set(PLACEHOLDER.findall(entry.msgid_plural))
            wrong = [t for t in entry.msgstr_plural.values() if t and not set(PLACEHOLDER.findall(t)) <= allowed]
        else:
            wrong = [entry.msgstr] if entry.msgstr and set(PLACEHOLDER.findall(entry.msgstr)) != expected else []
        problems.extend(f"{entry.msgid!r} -> {text!r}" for text in wrong)
    assert not problems, f"{name(po_path)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=name)
def test_compiled_catalogue_matches_its_source(po_path):
    """The committed .mo holds exactly what the .po says (run `make messages` after editing a .po)."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{name(mo_path)} is missing"
    source = {
        (e.msgctxt, e.msgid): translation(e)
        for e in polib.pofile(str(po_path))
        if not e.obsolete and "fuzzy" not in e.flags
    }
    compiled = {(e.msgctxt, e.msgid): translation(e) for e in polib.mofile(str(mo_path)) if e.msgid}
    missing = {k: v for k, v in source.items() if compiled.get(k) != v}
    extra = sorted(str(k) for k in compiled.keys() - source.keys())
    assert not missing and not extra, f"{name(mo_path)} is out of step with its .po: {list(missing)[:5]} {extra[:5]}"


def test_no_text_is_translated_two_ways_in_two_catalogues():
    seen: dict[tuple, tuple[object, str]] = {}
    collisions = []
    for po_path in CATALOGUES:
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            key, value = (entry.msgctxt, entry.msgid), translation(entry)
            if key in seen and seen[key][0] != value:
                other_value, other_file = seen[key]
                collisions.append(f"{key}: {other_value!r} in {other_file}, {value!r} in {name(po_path)}")
            seen.setdefault(key, (value, name(po_path)))
    assert not collisions, "Use pgettext to tell the meanings apart:\n" + "\n".join(collisions)

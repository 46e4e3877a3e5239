"""Fill msgstr entries of a .po file from a Python dict literal file, then compile it.

    .venv/bin/python tools/po_fill.py meetings/locale/sv/LC_MESSAGES/django.po translations.py

``translations.py`` holds one dict literal: {"English msgid": "Svensk text", ...}; for plural
entries give a list [singular, plural]; for an entry with a msgctxt, key it "context\x04msgid". Untranslated entries are listed at the end, and
fuzzy flags are cleared for the entries it fills.
"""

import ast
import sys
from pathlib import Path

import polib


def main(po_path: str, dict_path: str) -> int:
    translations = ast.literal_eval(Path(dict_path).read_text(encoding="utf-8"))
    po = polib.pofile(po_path)
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in translations:
            value = translations[key]
            if entry.msgid_plural:
                values = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = {0: values[0], 1: values[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    po.save_as_mofile(str(Path(po_path).with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{po_path}: {len(po.translated_entries())} translated, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

"""Fill meetings' Swedish .po from translations.dict (keys "context\\x04msgid" for msgctxt) and compile.

.venv/bin/python meetings/locale/fill.py
"""

import ast
from pathlib import Path

import polib

HERE = Path(__file__).parent
PO = HERE / "sv" / "LC_MESSAGES" / "django.po"


def main() -> None:
    translations = ast.literal_eval((HERE / "sv" / "translations.dict").read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in translations:
            continue
        value = translations[key]
        if entry.msgid_plural:
            values = value if isinstance(value, list) else [value, value]
            entry.msgstr_plural = {0: values[0], 1: values[1]}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or any(e.msgstr_plural.values()))]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{PO}: {len(po.translated_entries())} translated, {len(missing)} untranslated")


if __name__ == "__main__":
    main()

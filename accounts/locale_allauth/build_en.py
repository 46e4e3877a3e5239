"""Build the English corrections to django-allauth's wording.

allauth writes Title Case ("Sign In", "Remember Me") and "Email", where the portal writes sentence
case and "e-mail" ("Log in" style, GOV.UK and the Swedish public sector's English). This directory is
in settings.LOCALE_PATHS, so an English catalogue here takes precedence over allauth's msgids:

    .venv/bin/python accounts/locale_allauth/build_en.py && msgfmt -o accounts/locale_allauth/en/LC_MESSAGES/django.mo accounts/locale_allauth/en/LC_MESSAGES/django.po

Only entries that change are written. Re-run after upgrading django-allauth.
"""

import re
from pathlib import Path

import allauth
import polib

HERE = Path(__file__).resolve().parent
SOURCE = Path(allauth.__file__).resolve().parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"
TARGET = HERE / "en" / "LC_MESSAGES" / "django.po"

KEEP_CAPITALISED = {"I", "TOTP", "ID", "OK", "URL", "WebAuthn", "API"}
# Entries that sentence case alone does not fix: a noun used as a heading ("Signup" is the page's title,
# and the action is two words).
CORRECTIONS = {"Signup": "Sign up"}
EMAIL = re.compile(r"(?<![%(\w])(E)mail(?!\)s)|(?<![%(\w])(e)mail(?!\)s)")


def _lower(word: str) -> str:
    return word if word in KEEP_CAPITALISED else word.lower()


def sentence_case(text: str) -> str:
    """'Sign In' → 'Sign in', 'Two-Factor Authentication' → 'Two-factor authentication'; only for short
    labels (every word capitalised), never sentences."""
    words = text.split(" ")
    if len(words) > 7 or "%" in text or "{" in text:
        return text
    if not all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return text
    first, *rest = words[0].split("-")
    first_word = "-".join([first, *(_lower(part) for part in rest)])
    if len(words) < 2 and first_word == words[0]:
        return text
    return " ".join([first_word, *(_lower(w) for w in words[1:])])


def e_mail(text: str) -> str:
    return EMAIL.sub(lambda m: "E-mail" if m.group(1) else "e-mail", text)


def main() -> None:
    source = polib.pofile(str(SOURCE))
    target = polib.POFile(wrapwidth=79)
    target.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "en",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for entry in source:
        if entry.obsolete or entry.msgctxt or (entry.msgid, entry.msgid_plural) in seen:
            continue
        seen.add((entry.msgid, entry.msgid_plural))
        if entry.msgid_plural:
            one, many = e_mail(entry.msgid), e_mail(entry.msgid_plural)
            if (one, many) != (entry.msgid, entry.msgid_plural):
                target.append(
                    polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgstr_plural={0: one, 1: many})
                )
            continue
        fixed = CORRECTIONS.get(entry.msgid) or e_mail(sentence_case(entry.msgid))
        if fixed != entry.msgid:
            target.append(polib.POEntry(msgid=entry.msgid, msgstr=fixed))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    target.save(str(TARGET))
    print(f"{len(target)} entries written to {TARGET}")


if __name__ == "__main__":
    main()

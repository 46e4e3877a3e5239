"""Build corrections to django-allauth's Swedish catalogue.

allauth's sv translation writes "epost"/"mail" (Swedish style is "e-post"/"e-postmeddelande") and
has a few wrong entries, e.g. the log-in page's "sign up first" sentence is translated as
"Already have an account? Then log in". This directory is listed in settings.LOCALE_PATHS, so
its entries take precedence over allauth's own catalogue; only corrected entries are written.

    .venv/bin/python accounts/locale_allauth/build.py

Re-run after upgrading django-allauth (it reads the installed allauth's sv catalogue).
"""

import re
from pathlib import Path

import allauth
import polib

HERE = Path(__file__).resolve().parent
SOURCE = Path(allauth.__file__).resolve().parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"
TARGET = HERE / "sv" / "LC_MESSAGES" / "django.po"

# Entries whose Swedish is wrong or clumsy, by msgid.
CORRECTIONS = {
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first.": (
        "Har du inget konto än? %(link)sSkapa ett konto%(end_link)s först."
    ),
    "Confirm": "Bekräfta",
    "Email": "E-postadress",  # the label of the log-in and sign-up field
    "Confirm Email Address": "Bekräfta e-postadress",
    "Verify Your Email Address": "Bekräfta din e-postadress",
    "Please Confirm Your Email Address": "Bekräfta din e-postadress",
    'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.': (
        'Bekräfta att <a href="mailto:%(email)s">%(email)s</a> är en e-postadress för användaren %(user_display)s.'
    ),
    'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.': (
        "Länken för att bekräfta e-postadressen har gått ut eller är ogiltig. "
        '<a href="%(email_url)s">Begär en ny bekräftelselänk</a>.'
    ),
    "Invalid or expired key.": "Ogiltig eller utgången nyckel.",
    "Invalid login.": "Felaktig inloggning.",
    "Removed email address %(email)s.": "E-postadressen %(email)s har tagits bort.",
    "Confirmation email sent to %(email)s.": "Ett e-postmeddelande med en bekräftelselänk har skickats till %(email)s.",
    "You have confirmed %(email)s.": "Du har bekräftat %(email)s.",
    "Bad Token": "Ogiltig länk",
    "Password Reset Email": "Återställ ditt lösenord",
    "Note": "Observera",
    "This email address is already associated with this account.": "Den här e-postadressen är redan knuten till kontot.",
    "A user is already registered with this email address.": "Det finns redan ett konto med den här e-postadressen.",
    "Add Email": "Lägg till e-postadress",
    "Change Email": "Byt e-postadress",
    "Primary email address set.": "Primär e-postadress vald.",
    "Re-send Verification": "Skicka bekräftelselänken igen",
    "Sign Up Closed": "Det går inte att skapa konto",
    "We are sorry, but the sign up is currently closed.": "Det går tyvärr inte att skapa nya konton just nu.",
    "Your email verification code is listed below. Please enter it in your open browser window.": (
        "Din verifieringskod står nedan. Skriv in den i webbläsarfönstret du har öppet."
    ),
    "In case you forgot, your username is %(username)s.": "Om du har glömt det: ditt användarnamn är %(username)s.",
    # "e-postadress" for the address throughout, as on the portal's own pages.
    "Your email has been changed from %(from_email)s to %(to_email)s.": (
        "Din e-postadress har ändrats från %(from_email)s till %(to_email)s."
    ),
    "Your email has been confirmed.": "Din e-postadress har bekräftats.",
}

# Spelling throughout, applied to every other entry (order matters: longer forms first).
SPELLING = [
    (r"\bEpost-adress", "E-postadress"),
    (r"\bepost-adress", "e-postadress"),
    (r"\bEpost-bekräftelse", "E-postbekräftelse"),
    (r"\bepost-bekräftelse", "e-postbekräftelse"),
    (r"\bEpost\b", "E-post"),
    (r"\bepost\b", "e-post"),
    (r"\bVerifierings-mail\b", "E-postmeddelande för verifiering"),
    (r"\bverifieringsmailet\b", "e-postmeddelandet för verifiering"),
    (r"\bdet här mailet\b", "det här e-postmeddelandet"),
    (r"\bDetta mail\b", "Det här e-postmeddelandet"),
    (r"\bmailet\b", "e-postmeddelandet"),
    (r"\bett mail\b", "ett e-postmeddelande"),
    (r"\bFelaktig  eller\b", "Felaktig eller"),
]


def corrected(text: str) -> str:
    for pattern, replacement in SPELLING:
        text = re.sub(pattern, replacement, text)
    return text


def main() -> None:
    source = polib.pofile(str(SOURCE))
    out = polib.POFile()
    out.metadata = {
        "Project-Id-Version": "samverkansportalen (corrections to django-allauth sv)",
        "Language": "sv",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    for entry in source:
        if entry.obsolete or not (entry.msgstr or entry.msgstr_plural):
            continue
        if entry.msgid_plural:
            plural = {k: corrected(v) for k, v in entry.msgstr_plural.items()}
            if plural != entry.msgstr_plural:
                out.append(
                    polib.POEntry(
                        msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgstr_plural=plural, msgctxt=entry.msgctxt
                    )
                )
            continue
        new = CORRECTIONS.get(entry.msgid) or corrected(entry.msgstr)
        if new != entry.msgstr:
            out.append(polib.POEntry(msgid=entry.msgid, msgstr=new, msgctxt=entry.msgctxt))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(TARGET))
    out.save_as_mofile(str(TARGET.with_suffix(".mo")))
    print(f"{TARGET}: {len(out)} corrected entries")


if __name__ == "__main__":
    main()

"""Amounts of money as the reader's language writes them: ``1 500 000 kr`` on Swedish pages and in Swedish
e-mails (a no-break space, U+00A0, between the groups of digits and before "kr", so an amount never breaks
over two lines), ``SEK 1,500,000`` in English. Every amount the portal shows goes through :func:`sek`
(``{{ amount|sek }}`` in templates, ``core.templatetags.public``), so no page prints "1500000 kr" on one
line and "SEK" on the next."""

from decimal import Decimal

from core.translated import ENGLISH, asked_language

NBSP = "\u00a0"


def sek(amount, language: str | None = None) -> str:
    """``amount`` (whole kronor) in ``language`` (default: the active one); "" for none (a blank field)."""
    if amount is None or amount == "":
        return ""
    try:
        value = int(Decimal(str(amount)).to_integral_value())
    except (ArithmeticError, ValueError):
        return str(amount)  # not a number (a template's mistake): show it as it is rather than fail the page
    grouped = f"{value:,}"
    if asked_language(language) == ENGLISH:
        return f"SEK{NBSP}{grouped}"
    return f"{grouped.replace(',', NBSP)}{NBSP}kr"

"""Swedish organisation numbers, checked with python-stdnum (format and Luhn check digit)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr

DIGITS = "0123456789"
SEPARATORS = " -+\u2010\u2011\u2012\u2013\u2014\u2212\u00a0"


def normalise_orgnr(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError with a message for people.

    Accepts the common spellings: with or without dash or spaces, and 12 digits with the
    century prefix "16" that the Swedish Tax Agency uses.
    """
    raw = (value or "").strip()
    digits = "".join(ch for ch in raw if ch in DIGITS)
    # Word processors turn "-" into an en or em dash, and copied text brings non-breaking spaces.
    if any(ch not in DIGITS and ch not in SEPARATORS for ch in raw):
        raise ValidationError(_("An organisation number has ten digits, for example 802002-4280."), code="format")
    if len(digits) == 12:
        if not digits.startswith("16"):
            raise ValidationError(
                _("A 12-digit organisation number starts with 16, for example 16802002-4280."), code="format"
            )
        digits = digits[2:]
    if len(digits) != 10:
        raise ValidationError(_("An organisation number has ten digits, for example 802002-4280."), code="length")
    try:
        luhn.validate(digits)
    except StdnumError:
        raise ValidationError(
            _(
                "The organisation number is not valid: the last digit (check digit) does not match. Check for typing errors."
            ),
            code="checksum",
        ) from None
    # The third digit is at least 2 for organisations (it would be a month in a personal identity number).
    if int(digits[2]) < 2:
        raise ValidationError(
            _("This looks like a personal identity number, not an organisation number."), code="group"
        )
    try:
        compact = orgnr.validate(digits)
    except StdnumError:
        raise ValidationError(_("The organisation number is not valid."), code="invalid") from None
    return f"{compact[:6]}-{compact[6:]}"


def validate_orgnr(value: str) -> None:
    normalise_orgnr(value)

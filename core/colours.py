"""A region's colours against white, as WCAG 2.1 measures contrast."""

import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of ``#rrggbb`` against white."""
    return 1.05 / (_luminance(colour) + 0.05)


def colour_errors(accent: str, accent_dark: str) -> dict[str, str]:
    """Field → message for colours that are malformed or too light against white (WCAG 2.1: 4.5:1 for
    the accent, which carries text; 3:1 for the dark accent, used for large elements and focus)."""
    errors = {}
    for field, value, minimum in (("accent_color", accent, 4.5), ("accent_dark_color", accent_dark, 3.0)):
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
            errors[field] = _("Give the colour as #rrggbb, e.g. #00594f.")
            continue
        ratio = contrast_with_white(value)
        if ratio < minimum:
            # Shown with the reader's decimal separator (2,3:1 in Swedish).
            errors[field] = _("The contrast against white is %(ratio)s:1; at least %(minimum)s:1 is needed.") % {
                "ratio": number_format(int(ratio * 10) / 10, 1),
                "minimum": number_format(minimum, 1),
            }
    return errors

"""A region's look: its colours as CSS custom properties (``/region.css``) and its logo (``/region/logo``).

Both are served from the portal's own origin, so the Content Security Policy stays as strict as it is
(no inline style). The URL carries a version (a hash of the colours, of the logo's stored name), so
browsers keep each for a year and see a change at once. static/css/site.css holds today's colours as
the defaults; Region Västernorrland's are the same, so its pages look as they did.
"""

from __future__ import annotations

import hashlib

from core.colours import contrast_with_white

# The light tint under the footer in site.css today (for the default accent, kept exactly).
DEFAULT_ACCENT = "#00594f"
DEFAULT_ACCENT_LIGHT = "#e6f2f0"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def _contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (via their contrast with white)."""
    lum_first = 1.05 / contrast_with_white(first) - 0.05
    lum_second = 1.05 / contrast_with_white(second) - 0.05
    light, dark = max(lum_first, lum_second), min(lum_first, lum_second)
    return (light + 0.05) / (dark + 0.05)


def light_tint(accent: str) -> str:
    """A pale tint of ``accent`` for the footer on which the accent (links) still has 4.5:1."""
    if accent.lower() == DEFAULT_ACCENT:
        return DEFAULT_ACCENT_LIGHT
    red, green, blue = _rgb(accent)
    for share in (0.10, 0.08, 0.06, 0.04, 0.02):
        tint = _hex(tuple(255 * (1 - share) + c * share for c in (red, green, blue)))
        if _contrast(accent, tint) >= 4.5:
            return tint
    return "#ffffff"


def style_version(region) -> str:
    """Changes whenever what ``/region.css`` or the logo shows changes."""
    source = f"{region.pk}|{region.accent_color}|{region.accent_dark_color}|{region.logo.name or ''}"
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def region_css(region) -> str:
    accent, dark = region.accent_color.lower(), region.accent_dark_color.lower()
    accent_rgb = ", ".join(str(c) for c in _rgb(accent))
    dark_rgb = ", ".join(str(c) for c in _rgb(dark))
    return (
        f"/* {region.short_name}: the region's colours (core/region_style.py) */\n"
        ":root, html[data-theme] {\n"
        f"  --region-accent: {accent};\n"
        f"  --region-accent-dark: {dark};\n"
        f"  --region-accent-light: {light_tint(accent)};\n"
        f"  --bs-primary-rgb: {accent_rgb};\n"
        f"  --bs-link-color-rgb: {accent_rgb};\n"
        f"  --bs-link-hover-color-rgb: {dark_rgb};\n"
        "}\n"
    )

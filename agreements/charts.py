"""The geometry of the agreements' charts (SVG user units), drawn by the templates.

Kept out of the views and selectors so it can be tested alone: numbers in, coordinates out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .selectors import GrowthPoint


def signatory_growth_chart(points: Sequence[GrowthPoint], *, width=640, height=260) -> dict | None:
    """Geometry of a bar chart (SVG user units) for the growth numbers; rendered by the template."""
    if not points:
        return None
    top, bottom, left = 24, 40, 8
    plot_height = height - top - bottom
    slot = (width - left) / len(points)
    bar_width = slot * 0.64
    maximum = max(p.count for p in points) or 1
    bars = []
    for i, p in enumerate(points):
        bar_height = round(plot_height * p.count / maximum, 1)
        x = round(left + i * slot + (slot - bar_width) / 2, 1)
        bars.append(
            {
                "year": p.year,
                "count": p.count,
                "x": x,
                "y": round(top + plot_height - bar_height, 1),
                "width": round(bar_width, 1),
                "height": bar_height,
                "cx": round(x + bar_width / 2, 1),
                "value_y": round(top + plot_height - bar_height - 6, 1),
                "label_y": height - bottom + 20,
            }
        )
    return {"width": width, "height": height, "bars": bars, "baseline": top + plot_height}

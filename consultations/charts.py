"""The geometry of the consultations' charts (SVG user units), drawn by the templates: the positions
on a section, on the public compilation and in the admin's compilation work."""

from collections.abc import Sequence


def position_chart(counts: Sequence[tuple], *, width=520, bar_height=24, gap=10, label_width=150):
    """Geometry of a horizontal bar chart (SVG user units) of the positions on one section."""
    maximum = max((count for _p, _l, count in counts), default=0) or 1
    plot = width - label_width - 40
    bars = []
    for i, (position, label, count) in enumerate(counts):
        y = gap + i * (bar_height + gap)
        length = round(plot * count / maximum, 1)
        bars.append(
            {
                "position": position,
                "label": label,
                "count": count,
                "y": y,
                "text_y": round(y + bar_height * 0.7, 1),
                "x": label_width,
                "width": length,
                "value_x": label_width + length + 6,
            }
        )
    return {
        "width": width,
        "height": gap + len(counts) * (bar_height + gap),
        "bar_height": bar_height,
        "label_x": label_width - 8,
        "bars": bars,
    }

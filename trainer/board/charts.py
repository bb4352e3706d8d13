"""Server-rendered SVG bar charts: no script, readable by screen readers.

The SVG carries role="img" and a <title>; the numbers are also given as a table next to
it by the template (the chart is a picture of the table, not the only source).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR = 22  # px per bar
GAP = 8
LABEL_W = 190
CHART_W = 560


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(bars: Sequence[Bar], title: str, *, unit: str = "") -> Markup:
    """A horizontal bar chart as inline SVG. Labels and values are escaped."""
    height = max(1, len(bars)) * (BAR + GAP) + GAP
    top = max((b.value for b in bars), default=0) or 1
    room = CHART_W - LABEL_W - 60
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {CHART_W} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, b in enumerate(bars):
        y = GAP + i * (BAR + GAP)
        w = round(room * b.value / top) if b.value > 0 else 0
        label = escape(b.label if len(b.label) <= 28 else b.label[:27] + "…")
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR * 0.7:.0f}" text-anchor="end" '
            f'class="chart-label">{label}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{w}" height="{BAR}" class="chart-bar" rx="3"/>'
        )
        parts.append(
            f'<text x="{LABEL_W + w + 6}" y="{y + BAR * 0.7:.0f}" class="chart-value">'
            f"{b.value}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)

"""Server-rendered SVG bar charts: no JavaScript, no external libraries.

A chart draws only values that may be shown; a suppressed value gets no bar, just its
label ("<5" or the hidden mark), so the chart can never reveal more than the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 460
LABEL_WIDTH = 190
VALUE_WIDTH = 50
BAR_HEIGHT = 22
GAP = 10
BAR_COLOUR = "#1d70b8"  # GOV.UK blue: contrast 5.2:1 on white
TEXT_COLOUR = "#0b0c0c"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    display: str  # what the table shows: a number, "<5", "×", "–"
    value: float | None  # None: nothing may be drawn


def _short(text: str, limit: int = 27) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(*, title: str, description: str, bars: list[Bar]) -> SafeString:
    """A horizontal bar chart as inline SVG with role="img", a <title> and a <desc>."""
    uid = next(_ids)
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    biggest = max([b.value for b in bars if b.value is not None] + [0]) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sv-chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="chart-{uid}-title chart-{uid}-desc" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT * 0.72
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" font-size="13" font-family="{FONT}" '
            f'fill="{TEXT_COLOUR}">{escape(_short(bar.label))}</text>'
        )
        width = 0.0
        if bar.value is not None and bar.value > 0:
            width = max(2.0, span * bar.value / biggest)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"></rect>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{text_y:.1f}" font-size="13" font-family="{FONT}" '
            f'fill="{TEXT_COLOUR}">{escape(bar.display)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

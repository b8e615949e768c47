"""A measure's indicator over time as a small server-rendered SVG line chart: no
JavaScript, no library. The baseline and the target are dashed lines, the recorded values
a line of points. The chart is an image with a title and a description in words
(role="img"); the progress table beside it is its full alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 460
HEIGHT = 200
LEFT = 56  # room for the value labels
RIGHT = 104  # room for "baseline" / "target" (Swedish: "utgångsvärde")
TOP = 14
BOTTOM = 30  # room for the first and last date
LINE_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 on white
TARGET_COLOUR = "#00703c"  # GOV.UK green: 5.9:1 on white
BASE_COLOUR = "#505a5f"  # GOV.UK dark grey: 7:1 on white
TEXT_COLOUR = "#0b0c0c"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"
_ids = count(1)


@dataclass(frozen=True)
class Point:
    on: date
    value: Decimal


def _number(value: Decimal) -> str:
    return number_format(value.quantize(Decimal(1)) if value == value.to_integral_value() else value, use_l10n=True)


def indicator_chart(*, title: str, description: str, baseline: Decimal, target: Decimal, start: date,
                    points: list[Point]) -> SafeString:
    """The chart as inline SVG. ``start`` is where the baseline is drawn (the measure's
    start); ``points`` are the recorded values, oldest first."""
    uid = next(_ids)
    values = [baseline, target, *(p.value for p in points)]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    dates = [start, *(p.on for p in points)]
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(on: date) -> float:
        return LEFT + plot_w * (on - first).days / days

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((high - value) / span)

    text = f'font-size="12" font-family="{FONT}" fill="{TEXT_COLOUR}"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sv-chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="indicator-{uid}-title indicator-{uid}-desc" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="indicator-{uid}-title">{escape(title)}</title>',
        f'<desc id="indicator-{uid}-desc">{escape(description)}</desc>',
    ]
    for value, colour, label in ((baseline, BASE_COLOUR, _("baseline")), (target, TARGET_COLOUR, _("target"))):
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="6 4"></line>'
        )
        parts.append(f'<text x="{LEFT + plot_w + 4}" y="{y(value) + 4:.1f}" {text}>{escape(label)}</text>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" {text}>{escape(_number(value))}</text>'
        )
    if points:
        line = [(x(start), y(baseline))] + [(x(p.on), y(p.value)) for p in points]
        coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in line)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2.5"></polyline>')
        for a, b in line[1:]:
            parts.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="4" fill="{LINE_COLOUR}"></circle>')
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 8}" {text}>{first:%Y-%m-%d}</text>')
    if last != first:
        parts.append(f'<text x="{LEFT + plot_w}" y="{HEIGHT - 8}" text-anchor="end" {text}>{last:%Y-%m-%d}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped or a number we formatted

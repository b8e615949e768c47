"""Bar charts beside the statistics tables, drawn on the server by Matplotlib as SVG
(docs/adr/0014-server-side-charts.md).

Matplotlib measures every text with the font's own metrics and the figure is cut to
what was drawn (``bbox_inches="tight"``), so a long programme or area name is shown
whole, wrapped over lines, never cut or clipped; the values are printed after their
bars. Texts stay text in the SVG (``svg.fonttype: none``).

The SVG is shown as an image (a data: URL, which the Content Security Policy allows for
images; Matplotlib's SVG styles its shapes with style attributes, which an inline SVG
could not use under ``style-src 'self'``), with the chart's title and description as its
text alternative and inside the SVG as <title> and <desc>. No JavaScript.

A chart draws only values that may be shown; a suppressed value gets no bar, just what
the table says ("<5" or the hidden mark), so the chart can never reveal more than the
table beside it.
"""

from __future__ import annotations

import base64
import io
import textwrap
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

BAR_COLOUR = "#1d70b8"  # GOV.UK blue: contrast 5.2:1 on white
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"  # GOV.UK dark grey: 7:1 on white
FONT_SIZE = 12  # points: 16 px, GOV.UK's small body text
WIDTH_IN = 4.8  # inches (96 px each): at most about 460 px wide, the half column of a desktop page
LINE_IN = 0.23  # one line of label text (1.35 lines of 12 points)
GAP_IN = 0.14  # between two bars
LABEL_CHARACTERS = 24  # a label longer than this is wrapped onto more lines


@dataclass(frozen=True)
class Bar:
    label: str
    display: str  # what the table shows: a number, "<5", "×", "–"
    value: float | None  # None: nothing may be drawn


def wrap(label: str) -> str:
    """A label over lines of at most LABEL_CHARACTERS (a longer word stays whole)."""
    return "\n".join(textwrap.wrap(label, LABEL_CHARACTERS, break_long_words=False)) or label


def chart_svg(*, title: str, description: str, bars: list[Bar]) -> str:
    """The chart as an SVG document: one horizontal bar per item, top to bottom in the
    order given, the whole label left of each bar and the table's value after it."""
    from matplotlib import rc_context  # deferred: Matplotlib (~0.3 s import), only for a statistics page
    from matplotlib.figure import Figure  # deferred: as above

    labels = [wrap(b.label) for b in bars]
    # Bars are evenly spaced: each row is as tall as the label with the most lines.
    lines = max([label.count("\n") + 1 for label in labels] + [1])
    row_in = max(0.34, LINE_IN * lines + GAP_IN)
    biggest = max([b.value for b in bars if b.value is not None] + [0.0]) or 1.0
    settings: dict[str, Any] = {
        "svg.fonttype": "none",  # text stays text: searchable, read by a screen reader's OCR-free path
        "svg.hashsalt": "samverkan",  # the same figures give the same file
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
        "font.size": FONT_SIZE,
        "text.color": TEXT_COLOUR,
        "axes.edgecolor": AXIS_COLOUR,
        "ytick.color": TEXT_COLOUR,
    }
    with rc_context(settings):  # type: ignore[arg-type]  # matplotlib types the keys as literals
        figure = Figure(figsize=(WIDTH_IN, 0.2 + row_in * max(1, len(bars))))
        axes = figure.add_subplot()
        positions = list(range(len(bars)))
        drawn = [b.value if b.value is not None else 0.0 for b in bars]
        axes.barh(positions, drawn, color=BAR_COLOUR, height=min(0.7, 0.26 / row_in))  # about 0.26 inch thick
        axes.set_yticks(positions, labels)
        axes.set_ylim(len(bars) - 0.5, -0.5)  # the first item at the top, as in the table; no padding
        axes.set_xlim(0, biggest * 1.18)  # room for the value after the longest bar
        axes.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0, pad=6)
        for y, bar in zip(positions, bars, strict=True):
            x = bar.value if bar.value is not None else 0.0
            axes.text(x + biggest * 0.02, y, bar.display, va="center", ha="left")
        out = io.StringIO()
        figure.savefig(out, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None})
    svg = out.getvalue()
    # The title and description inside the SVG too (Matplotlib writes neither).
    start = svg.index("<svg")
    head_end = svg.index(">", start)
    return (
        svg[start:head_end]
        + f' role="img" aria-label="{escape(title)}">'
        + f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
        + svg[head_end + 1 :]
    )


def bar_chart(*, title: str, description: str, bars: list[Bar]) -> SafeString:
    """The chart as an <img> (an SVG data: URL) whose text alternative is the title and
    the description; the table beside it holds the same figures."""
    data = base64.b64encode(chart_svg(title=title, description=description, bars=bars).encode()).decode()
    return format_html(
        '<img class="sv-chart" src="data:image/svg+xml;base64,{}" alt="{}">',
        data,
        f"{title}. {description}",
    )

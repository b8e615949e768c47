"""The statistics charts (followup.charts, Matplotlib SVG): every label whole and inside
the drawing, texts escaped, the title and description as the image's text alternative,
nothing drawn for a suppressed number."""

from __future__ import annotations

import base64
import itertools
import re
import xml.etree.ElementTree as ET

from samverkan.followup.charts import LABEL_CHARACTERS, Bar, bar_chart, chart_svg

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Stöd till unga i riskzonen för kriminalitet (SSPF) och deras familjer i Järva och Skärholmen"
BARS = [
    Bar(LONG, "12", 12.0),
    Bar("Föräldrastöd", "<5", None),
    Bar("Mentorprogram för ungdomar", "44", 44.0),
    Bar("Andel i tid", "85,5 %", 85.5),
]


def _ys(svg: str) -> list[float]:
    """The baseline of every text element."""
    out = []
    for node in ET.fromstring(svg).iter(f"{SVG}text"):
        if node.get("y") is not None:
            out.append(float(node.get("y")))
        else:
            out.append(float(re.match(r"translate\([-\d.]+ ([-\d.]+)", node.get("transform")).group(1)))
    return out


def _texts(svg: str) -> list[tuple[str, float, str, float]]:
    """(text, x, anchor, font size) of every text element."""
    out = []
    for node in ET.fromstring(svg).iter(f"{SVG}text"):
        style = node.get("style", "")
        size = float(re.search(r"font-size: ([\d.]+)px", style).group(1))
        anchor = "end" if "text-anchor: end" in style else "start"
        if node.get("x") is not None:
            x = float(node.get("x"))
        else:
            x = float(re.match(r"translate\(([-\d.]+)", node.get("transform")).group(1))
        out.append((node.text or "", x, anchor, size))
    return out


def _width(text: str, size: float) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    width, _height, _descent = TextToPath().get_text_width_height_descent(
        text, FontProperties(family="DejaVu Sans", size=size), ismath=False
    )
    return float(width)


def test_every_label_is_whole_and_inside_the_drawing():
    svg = chart_svg(title="Intag per program", description="Samma siffror som tabellen.", bars=BARS)
    root = ET.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    texts = _texts(svg)
    words = " ".join(t for t, *_ in texts)
    # The long label is all there (wrapped over lines, never shortened with an ellipsis).
    assert " ".join(LONG.split()) in words and "…" not in words
    assert max(len(t) for t, *_ in texts) <= LABEL_CHARACTERS
    for text, x, anchor, size in texts:
        # Measured with the font the chart was laid out with: each text lies inside the
        # drawing's width, on both sides.
        extent = _width(text, size)
        left, right = (x - extent, x) if anchor == "end" else (x, x + extent)
        assert left >= -0.5 and right <= width + 0.5, (text, left, right, width)
    # The table's values after the bars; the suppressed one as the table shows it.
    assert {"12", "<5", "44", "85,5 %"} <= {t for t, *_ in texts}


def test_labels_over_several_lines_do_not_run_into_each_other():
    three_lines = "Överförd till ett annat program eller en annan myndighet"
    bars = [Bar("Flyttat", "7", 7.0), Bar(three_lines, "12", 12.0), Bar("Avliden", "0", 0.0),
            Bar("Ny brottslighet eller frihetsberövande", "<5", None)]
    svg = chart_svg(title="t", description="d", bars=bars)
    labels = [(y, t) for y, (t, _x, anchor, _s) in zip(_ys(svg), _texts(svg), strict=True)
              if anchor == "end" or not re.fullmatch(r"[\d<×–,% ]+", t)]
    size = _texts(svg)[0][3]
    ys = sorted(y for y, _t in labels)
    assert len(ys) >= 7  # every line of every label
    # No two lines closer than one line of text: nothing is drawn over anything else.
    assert all(b - a >= size for a, b in itertools.pairwise(ys)), ys


def test_the_image_has_a_text_alternative_and_escapes_typed_text():
    html = str(bar_chart(title="<script>x</script> per program", description="Samma siffror.", bars=BARS))
    assert html.startswith('<img class="sv-chart" src="data:image/svg+xml;base64,')
    assert 'alt="&lt;script&gt;x&lt;/script&gt; per program. Samma siffror."' in html
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", html).group(1)).decode()
    assert "<script" not in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "<script>x</script> per program"
    assert root.find(f"{SVG}desc").text == "Samma siffror."


def test_a_suppressed_number_gets_no_bar():
    svg = chart_svg(title="t", description="d", bars=[Bar("A", "<5", None), Bar("B", "9", 9.0)])
    bars = [
        p for p in ET.fromstring(svg).iter(f"{SVG}path")
        if "#1d70b8" in (p.get("style") or "") and "fill" in (p.get("style") or "")
    ]
    assert len(bars) == 2  # matplotlib draws a zero-width bar for A: no area
    widths = []
    for p in bars:
        xs = [float(v) for v in re.findall(r"[ML]\s*([-\d.]+)", p.get("d"))]
        widths.append(max(xs) - min(xs))
    assert min(widths) < 0.01 < max(widths)

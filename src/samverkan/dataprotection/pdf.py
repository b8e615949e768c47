"""The subject access export (registerutdrag) as a PDF, with plain Swedish headings."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation
from django.utils.translation import gettext as _

from samverkan.dataprotection.selectors import SubjectAccessExport

LANGUAGE = "sv"


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value) or "–"
    if isinstance(value, dict):
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    return escape(str(value)).replace("\n", "<br/>")


def render_export_pdf(export: SubjectAccessExport, *, compress: bool = True) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    with translation.override(LANGUAGE):
        out = io.BytesIO()
        title = _("Extract from the register (registerutdrag)")
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title=title,
            author="Samverkan",
            pageCompression=int(compress),
            lang=LANGUAGE,
        )
        body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13)
        key = ParagraphStyle("key", parent=body, fontName="Helvetica-Bold")
        h1 = ParagraphStyle(
            "h1", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=25, spaceAfter=10
        )
        h2 = ParagraphStyle(
            "h2",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=12,
            spaceAfter=6,
        )
        h3 = ParagraphStyle(
            "h3",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
        )
        width = A4[0] - 36 * mm

        def table(row: dict[str, Any]) -> Table:
            data = [[Paragraph(_text(k), key), Paragraph(_text(v), body)] for k, v in row.items()]
            # splitInRow: a long value (e.g. a plan version's snapshot) may run over a
            # page; without it reportlab cannot lay the row out and the export fails.
            t = Table(data, colWidths=[width * 0.32, width * 0.68], splitInRow=1)
            t.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            return t

        story: list[Any] = [
            Paragraph(_text(title), h1),
            Paragraph(
                _text(
                    _("Made %(when)s. Purpose: %(purpose)s")
                    % {
                        "when": export.generated_at.strftime("%Y-%m-%d %H:%M"),
                        "purpose": export.purpose,
                    }
                ),
                body,
            ),
            Spacer(1, 6),
        ]
        if not export.found:
            story.append(
                Paragraph(
                    _text(_("Nothing is held about a person with this identity number.")), body
                )
            )
        else:
            story += [Paragraph(_text(_("The person")), h2)]
            for record in export.records or [export.person]:
                story.append(table(record))
            if export.guardians:
                story.append(Paragraph(_text(_("Guardians")), h2))
                for g in export.guardians:
                    story += [table(g), Spacer(1, 4)]
            if export.guardian_of:
                story.append(Paragraph(_text(_("Guardian of")), h2))
                for g in export.guardian_of:
                    story += [table(g), Spacer(1, 4)]
            for case in export.cases:
                story += [
                    Paragraph(_text(_("Case: %(title)s") % {"title": case["title"]}), h2),
                    table(case["case"]),
                ]
                for heading, rows in case["sections"]:
                    story.append(Paragraph(_text(heading), h3))
                    for row in rows:
                        story += [table(row), Spacer(1, 4)]
        doc.build(story)
        return out.getvalue()

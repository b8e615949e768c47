"""The åtgärdsplan's follow-up report as files: PDF (lib.documents, from
prevention/pdf/plan_follow_up.html), and one table for Swedish Excel as CSV (semicolons,
a byte-order mark, decimal commas — as followup's Trefas export) or XLSX (numbers as
numbers). Every text cell passes lib.spreadsheets (no formula from typed text)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from samverkan.lib.documents import render_pdf
from samverkan.lib.spreadsheets import csv_text, xlsx_append
from samverkan.prevention.models import PreventionPlan
from samverkan.prevention.selectors.plans import ProblemGroup


def headings() -> list[str]:
    return [
        _("Problem"), _("Measure"), _("Responsible organisation"), _("Status"), _("Latest follow-up"),
        _("What was done"), _("Indicator"), _("Unit"), _("Baseline"), _("Latest value"), _("Target"),
        _("Share of the way (%)"), _("How the indicator moved"),
    ]


def rows(groups: list[ProblemGroup]) -> list[list[Any]]:
    """One row per measure, grouped by problem (a problem without measures: one row that
    says so). Numbers are Decimals or ints; the rest text."""
    out: list[list[Any]] = []
    for group in groups:
        problem = f"{group.problem.priority}. {group.problem.title}"
        if not group.rows:
            out.append([problem, _("No measure addresses this problem."), *[None] * 11])
        for row in group.rows:
            m = row.measure
            out.append([
                problem, m.title, m.organisation.name, row.status_label, m.latest_on,
                "\n".join(f"{p.recorded_on:%Y-%m-%d}: {p.note}" for p in row.notes),
                m.indicator, m.indicator_unit, m.baseline, row.movement.value, m.target, row.movement.percent,
                row.movement.words,
            ])
    return out


def to_csv(plan: PreventionPlan, groups: list[ProblemGroup]) -> str:
    """For Swedish Excel (lib.spreadsheets.csv_text: semicolons, byte-order mark,
    decimal commas, ISO dates)."""
    return csv_text([[plan.title, _("Follow-up"), plan.number], headings(), *rows(groups)])


def to_xlsx(plan: PreventionPlan, groups: list[ProblemGroup]) -> bytes:
    from openpyxl import Workbook  # deferred: openpyxl (~0.4 s import), only for a download
    from openpyxl.styles import Font  # deferred: openpyxl, as above

    book = Workbook()
    sheet = book.active
    sheet.title = _("Follow-up")[:31]
    xlsx_append(sheet, [plan.title, _("Follow-up"), plan.number])
    sheet["A1"].font = Font(bold=True)
    xlsx_append(sheet, headings())
    for row in rows(groups):
        xlsx_append(sheet, row)
    for column in ("A", "B", "F", "M"):
        sheet.column_dimensions[column].width = 40
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(plan: PreventionPlan, groups: list[ProblemGroup]) -> bytes:
    """No personal data in the title: the plan's title is the document's."""
    return render_pdf(
        template_name="prevention/pdf/plan_follow_up.html",
        title=_("Follow-up of the prevention plan"),
        context={"plan": plan, "groups": groups},
    )

"""The printable plan for the participant: plain language, large type, one column.

It is built only from plans.selectors.plan_for_print (the entries the viewer may see) and
cases.selectors.person_view (the name only where the viewer may see it), and every
generation is audited with counts. The text is rendered in Easy Swedish ("sv-ll", which
falls back to Swedish) whatever the staff member's own interface language.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.plans.selectors import PrintableCommitment, PrintablePlan, plan_for_print

PARTICIPANT_LANGUAGE = "sv-ll"


def _text(value: str) -> str:
    """User text as reportlab paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def render_plan_pdf(*, plan: PrintablePlan, name: str | None, compress: bool = True) -> bytes:
    """Lay out ``plan`` (already filtered for the viewer). ``name`` is None when the
    viewer may not see the participant's name. ``compress=False`` leaves the page
    streams readable (tests search them for text)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    out = io.BytesIO()
    title = _("Your plan")
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="Samverkan",
        pageCompression=int(compress),
        lang=translation.get_language() or "sv",
    )
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=14, leading=20, spaceAfter=6)
    h1 = ParagraphStyle(
        "h1", parent=body, fontName="Helvetica-Bold", fontSize=26, leading=32, spaceAfter=12
    )
    h2 = ParagraphStyle(
        "h2",
        parent=body,
        fontName="Helvetica-Bold",
        fontSize=19,
        leading=25,
        spaceBefore=14,
        spaceAfter=6,
    )
    h3 = ParagraphStyle(
        "h3", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=22, spaceBefore=8
    )
    item = ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=0)
    small = ParagraphStyle(
        "small", parent=body, fontSize=12, leading=17, textColor=colors.HexColor("#333333")
    )

    story: list[Any] = [Paragraph(_text(f"{title}: {name}" if name else title), h1)]
    if plan.established_number:
        status = _("This is version %(n)d of your plan. We agreed on it on %(day)s.") % {
            "n": plan.established_number,
            "day": _day(plan.established_on) if plan.established_on else "",
        }
        if plan.draft:
            status += " " + _(
                "Some things have changed since then. We will go through them with you."
            )
    else:
        status = _("This plan is not finished yet. We will go through it with you.")
    story.append(Paragraph(_text(status), body))
    story.append(
        Paragraph(
            _text(
                _(
                    "The plan shows what you want to achieve and who will help you. "
                    "You can always ask us about it."
                )
            ),
            body,
        )
    )
    if plan.summary:
        story += [Paragraph(_text(_("What you want")), h2), Paragraph(_text(plan.summary), body)]

    def commitment_lines(items: tuple[PrintableCommitment, ...]) -> list[Any]:
        lines = []
        for c in items:
            done = _("Done.") if c.status == "done" else _("By %(day)s.") % {"day": _day(c.due_on)}
            who = _text(_("Who: %(who)s") % {"who": c.who})
            text = f"{_text(c.description)}<br/>{who}. {_text(done)}"
            lines.append(Paragraph(text, item, bulletText="•"))
        return lines

    if plan.goals:
        story.append(Paragraph(_text(_("Your goals")), h2))
        for goal in plan.goals:
            block: list[Any] = [Paragraph(_text(f"{goal.life_area_label}: {goal.title}"), h3)]
            if goal.description:
                block.append(Paragraph(_text(goal.description), body))
            if goal.commitments:
                block.append(Paragraph(_text(_("This is what we will do:")), body))
                block += commitment_lines(goal.commitments)
            story.append(KeepTogether(block))
    else:
        story.append(Paragraph(_text(_("There are no goals in the plan yet.")), body))
    if plan.other_commitments:
        story.append(Paragraph(_text(_("More things we will do")), h2))
        story += commitment_lines(plan.other_commitments)
    story += [
        Spacer(1, 16),
        Paragraph(_text(_("Printed on %(day)s.") % {"day": _day(timezone.localdate())}), small),
    ]
    doc.build(story)
    return out.getvalue()


def plan_pdf(
    *,
    actor: Any,
    case: Any,
    access: policy.CaseAccess,
    compress: bool = True,
    language: str = PARTICIPANT_LANGUAGE,
) -> bytes:
    """The printable plan for the participant, for this viewer. Audited (counts only)."""
    from samverkan.cases.selectors import person_view

    plan = plan_for_print(case=case, access=access)
    person = person_view(case=case, access=access)
    with translation.override(language):
        pdf = render_plan_pdf(
            plan=plan, name=person.name if person.visible else None, compress=compress
        )
    audit.record(
        action=Action.PLAN_PDF_GENERATED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={
            "goals": len(plan.goals),
            "commitments": sum(len(g.commitments) for g in plan.goals)
            + len(plan.other_commitments),
            "name_shown": person.visible,
        },
    )
    return pdf

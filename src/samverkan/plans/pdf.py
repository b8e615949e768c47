"""The printable plan for the participant: plain language, large type, one column.

It is built only from plans.selectors.plan_for_print (the entries the viewer may see) and
cases.selectors.person_view (the name only where the viewer may see it), laid out from
the template plans/pdf/plan.html (lib.documents: autoescaped, so the text people typed is
printed, never interpreted), and every generation is audited with counts. The text is
rendered in Easy Swedish ("sv-ll", which falls back to Swedish) whatever the staff
member's own interface language.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.selectors import person_view
from samverkan.lib.documents import render_pdf
from samverkan.plans.selectors import (
    PlanSender,
    PrintableCommitment,
    PrintablePlan,
    plan_for_print,
    plan_sender,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User

PARTICIPANT_LANGUAGE = "sv-ll"


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _commitment_lines(items: tuple[PrintableCommitment, ...]) -> list[dict[str, str]]:
    lines = []
    for c in items:
        done = _("Done.") if c.status == "done" else _("By %(day)s.") % {"day": _day(c.due_on)}
        lines.append(
            {
                "description": c.description,
                "who": _("Who: %(who)s") % {"who": c.who},
                "when": done,
            }
        )
    return lines


def render_plan_pdf(
    *, plan: PrintablePlan, name: str | None, sender: PlanSender | None = None
) -> bytes:
    """Lay out ``plan`` (already filtered for the viewer) in the active language.
    ``name`` is None when the viewer may not see the participant's name; the name is
    printed in the heading only, never in the document's metadata or running header.
    ``sender``: who sends the plan and how to reach them (printed at the end)."""
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
    title = _("Your plan")
    return render_pdf(
        template_name="plans/pdf/plan.html",
        title=title,
        context={
            "heading": f"{title}: {name}" if name else title,
            "status": status,
            "summary": plan.summary,
            "goals": [
                {
                    "heading": f"{goal.life_area_label}: {goal.title}",
                    "description": goal.description,
                    "commitments": _commitment_lines(goal.commitments),
                }
                for goal in plan.goals
            ],
            "other_commitments": _commitment_lines(plan.other_commitments),
            "printed": _("Printed on %(day)s.") % {"day": _day(timezone.localdate())},
            "sender": sender,
        },
    )


def plan_pdf(
    *,
    actor: User,
    case: Any,
    access: CaseAccess,
    language: str = PARTICIPANT_LANGUAGE,
) -> bytes:
    """The printable plan for the participant, for this viewer. Audited (counts only)."""
    plan = plan_for_print(case=case, access=access)
    person = person_view(case=case, access=access)
    sender = plan_sender(case=case, actor=actor)
    with translation.override(language):
        pdf = render_plan_pdf(
            plan=plan, name=person.name if person.visible else None, sender=sender
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

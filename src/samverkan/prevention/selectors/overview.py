"""The prevention overview (/brottsforebyggande/): for each municipality and district the
person sees, the current lägesbild and åtgärdsplan, the named coordinators with their
tasks, and the yearly cycle with each step's due date and state. A fixed number of
queries whatever the number of scopes (districts, reports, plans, coordinators, steps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import (
    Coordinator,
    CycleStep,
    DocumentStatus,
    PreventionPlan,
    SituationReport,
)
from samverkan.prevention.selectors.scopes import ScopeRef, scopes_for


@dataclass(frozen=True)
class StepView:
    step: CycleStep
    state: str  # "done" | "overdue" | "soon" | "later"
    words: str  # the state in plain words

    @property
    def done(self) -> bool:
        return self.state == "done"


@dataclass
class ScopeOverview:
    scope: ScopeRef
    may_manage: bool
    reports: list[Any] = field(default_factory=list)  # SituationReport: decided, and one in the works
    plans: list[Any] = field(default_factory=list)
    coordinators: list[Coordinator] = field(default_factory=list)
    steps: list[StepView] = field(default_factory=list)


def step_state(step: CycleStep, today: date) -> StepView:
    """The step's state in plain words: done on a date, overdue since a date, due in a few
    days (within PREVENTION_CYCLE_REMIND_DAYS), or due on a date."""
    if step.done_on is not None:
        return StepView(step, "done", _("Done on %(date)s") % {"date": date_format(step.done_on)})
    days = (step.due_on - today).days
    if days < 0:
        late = -days
        return StepView(step, "overdue", ngettext(
            "Overdue: it was due %(date)s, %(n)d day ago", "Overdue: it was due %(date)s, %(n)d days ago", late
        ) % {"date": date_format(step.due_on), "n": late})
    if days <= settings.PREVENTION_CYCLE_REMIND_DAYS:
        if days == 0:
            return StepView(step, "soon", _("Due today"))
        return StepView(step, "soon", ngettext(
            "Due %(date)s, in %(n)d day", "Due %(date)s, in %(n)d days", days
        ) % {"date": date_format(step.due_on), "n": days})
    return StepView(step, "later", _("Due %(date)s") % {"date": date_format(step.due_on)})


def _current(documents: list[Any]) -> list[Any]:
    """A scope's documents to show: the newest decided one, and a newer one in the works
    (draft or agreed) if there is one. Replaced versions are history, not shown here."""
    decided = next((d for d in documents if d.status == DocumentStatus.DECIDED), None)
    working = next((d for d in documents if d.status in (DocumentStatus.DRAFT, DocumentStatus.AGREED)), None)
    shown = [d for d in (working, decided) if d is not None]
    if working is not None and decided is not None and working.period_start < decided.period_start:
        shown = [decided]
    return shown


def prevention_overview(*, actor: User, access: LocalAccess, today: date | None = None) -> list[ScopeOverview]:
    """The overview for ``actor``; empty when they see no scope. Audited as one read of
    the coordinators listed (the page shows who does the work and what their tasks are)."""
    today = today or timezone.localdate()
    scopes = scopes_for(access=access)
    if not scopes:
        return []
    by_scope = {
        (s.municipality, s.district_id): ScopeOverview(s, access.may(LocalAction.MANAGE_DOCUMENT, s)) for s in scopes
    }
    q = access.documents_q()
    live = ~Q(status=DocumentStatus.REPLACED)
    ordering = ("-period_start", "-number")
    grouped: dict[tuple[str, int | None], dict[str, list[Any]]] = {}
    for report in SituationReport.objects.filter(q, live).order_by(*ordering):
        grouped.setdefault((report.municipality, report.district_id), {}).setdefault("reports", []).append(report)
    for plan in PreventionPlan.objects.filter(q, live).order_by(*ordering):
        grouped.setdefault((plan.municipality, plan.district_id), {}).setdefault("plans", []).append(plan)
    for key, docs in grouped.items():
        if key in by_scope:
            by_scope[key].reports = _current(docs.get("reports", []))
            by_scope[key].plans = _current(docs.get("plans", []))
    coordinators = list(
        Coordinator.objects.filter(q, active=True).select_related("user", "user__organisation")
        .order_by("since", "pk")
    )
    for c in coordinators:
        if (c.municipality, c.district_id) in by_scope:
            by_scope[(c.municipality, c.district_id)].coordinators.append(c)
    steps = CycleStep.objects.filter(q).filter(Q(year=today.year) | Q(year__lt=today.year, done_on__isnull=True))
    for step in steps.order_by("due_on", "pk"):
        if (step.municipality, step.district_id) in by_scope:
            by_scope[(step.municipality, step.district_id)].steps.append(step_state(step, today))
    audit.record(
        action=Action.PREVENTION_COORDINATORS_VIEWED,
        actor=actor,
        subject_type="prevention_overview",
        detail={"scopes": len(scopes), "coordinators": len(coordinators)},
    )
    return [by_scope[(s.municipality, s.district_id)] for s in scopes]

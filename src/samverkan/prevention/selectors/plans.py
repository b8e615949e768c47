"""Reading the åtgärdsplan: the plans a person sees, one plan with its measures grouped by
the problem they address, a measure's progress history, the follow-up report, the
choices the forms offer, and the top public measures for the residents' pages.

Every fetch of one plan or measure goes through the area scope (LocalAccess.documents_q):
outside it, Http404. Each page's reads are a fixed number of queries, whatever the
number of problems, measures or follow-ups (the latest follow-up of every measure comes
as columns of the measures' own query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    Field,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, District, Organisation
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import (
    DocumentStatus,
    Measure,
    MeasureProgress,
    MeasureStatus,
    PreventionPlan,
    Problem,
    SituationReport,
)

# --- the indicator's movement in plain words -------------------------------------------

CENTS = Decimal("0.01")  # the indicator's columns have two decimals

@dataclass(frozen=True)
class Movement:
    """How far the indicator has moved from the baseline toward the target."""

    value: Decimal | None  # the latest recorded value (None: none yet)
    share: float | None  # 0 = at the baseline, 1 = at the target
    words: str

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def _share_words(share: float) -> str:
    if share >= 1:
        return _("The target is reached")
    if share < 0:
        return _("Moved away from the target")
    if share == 0:
        return _("Not moved from the baseline yet")
    if share < 0.15:
        return _("A small step toward the target")
    if share >= 0.9:
        return _("Almost at the target")
    steps = (
        (0.25, _("About a quarter of the way to the target")),
        (1 / 3, _("About a third of the way to the target")),
        (0.5, _("Halfway to the target")),
        (2 / 3, _("About two thirds of the way to the target")),
        (0.75, _("About three quarters of the way to the target")),
    )
    return min(steps, key=lambda step: abs(step[0] - share))[1]


def movement(measure: Measure, value: Decimal | None) -> Movement:
    """The movement of ``measure``'s indicator at ``value``, in plain words."""
    if value is None:
        return Movement(value=None, share=None, words=_("No value recorded yet"))
    value = Decimal(value).quantize(CENTS)  # as stored (an expression's value may come back unscaled)
    share = measure.share_of_target(value)
    if share is None:  # baseline equals target (older data): reached or not
        words = _("The target is reached") if value == measure.target else _("Moved away from the target")
        return Movement(value=value, share=None, words=words)
    return Movement(value=value, share=share, words=_share_words(share))


# --- plans ------------------------------------------------------------------------------

def plans_for(*, access: LocalAccess) -> list[PreventionPlan]:
    """The plans of the municipalities and districts the person sees, newest first."""
    return list(
        PreventionPlan.objects.filter(access.documents_q())
        .select_related("district", "situation_report")
        .annotate(measure_count=Count("measures"))
        .order_by("municipality", "district__name", "-period_start", "-number")
    )


def plan_for(*, access: LocalAccess, plan_id: int) -> PreventionPlan:
    """One plan in the person's scope, or Http404."""
    plan = (
        PreventionPlan.objects.filter(access.documents_q(), pk=plan_id)
        .select_related("district", "situation_report", "previous")
        .first()
    )
    if plan is None or not access.may(LocalAction.VIEW_DOCUMENTS, plan):
        raise Http404
    return plan


# The types of the latest follow-up's columns (SQLite returns an expression's value raw).
_LATEST_FIELDS: dict[str, Field[Any, Any]] = {
    "status": CharField(), "indicator_value": DecimalField(max_digits=12, decimal_places=2),
    "recorded_on": DateField(), "note": TextField(),
}


def _latest(column: str) -> Subquery:
    return Subquery(
        MeasureProgress.objects.filter(measure_id=OuterRef("pk")).order_by("-recorded_on", "-pk").values(column)[:1],
        output_field=_LATEST_FIELDS[column],
    )


def _with_latest(queryset: QuerySet[Measure]) -> QuerySet[Any]:
    """Measures with their latest follow-up as columns (one query however many)."""
    return queryset.annotate(
        latest_status=Coalesce(_latest("status"), "status"),
        latest_value=_latest("indicator_value"),
        latest_on=_latest("recorded_on"),
        latest_note=_latest("note"),
        progress_count=Coalesce(Subquery(
            MeasureProgress.objects.filter(measure_id=OuterRef("pk")).values("measure_id")
            .annotate(n=Count("pk")).values("n")[:1]
        ), 0),
    )


def measure_for(*, access: LocalAccess, plan: PreventionPlan, measure_id: int) -> Measure:
    """One measure of ``plan`` (already fetched in scope), or Http404."""
    measure = (
        _with_latest(Measure.objects.filter(plan=plan, pk=measure_id))
        .select_related("problem", "organisation")
        .first()
    )
    if measure is None:
        raise Http404
    measure.plan = plan
    return measure


@dataclass
class MeasureRow:
    measure: Any  # Measure with the latest_* columns
    movement: Movement
    status_label: str
    # The follow-ups with something written, oldest first (only for the follow-up report).
    notes: list[MeasureProgress] = field(default_factory=list)


@dataclass
class ProblemGroup:
    problem: Problem
    rows: list[MeasureRow] = field(default_factory=list)


def _status_label(status: str | None) -> str:
    return str(MeasureStatus(status).label) if status in MeasureStatus.values else ""


def plan_groups(*, plan: PreventionPlan, with_notes: bool = False) -> list[ProblemGroup]:
    """Every problem of the plan's lägesbild (by priority), each with the measures that
    address it, their latest follow-up and the indicator's movement; ``with_notes``: also
    every follow-up's note (what was done, over time). Two queries, three with notes."""
    groups = {p.pk: ProblemGroup(problem=p) for p in Problem.objects.filter(report_id=plan.situation_report_id)}
    measures = _with_latest(Measure.objects.filter(plan=plan)).select_related("organisation").order_by(
        "order", "pk")
    rows: dict[int, MeasureRow] = {}
    for m in measures:
        m.plan = plan
        row = MeasureRow(measure=m, movement=movement(m, m.latest_value), status_label=_status_label(m.latest_status))
        rows[m.pk] = row
        groups[m.problem_id].rows.append(row)
    if with_notes:
        written = MeasureProgress.objects.filter(measure__plan=plan).exclude(note="").order_by("recorded_on", "pk")
        for progress in written:
            rows[progress.measure_id].notes.append(progress)
    return list(groups.values())


def measure_history(*, measure: Measure) -> list[MeasureProgress]:
    """The measure's follow-ups, oldest first."""
    return list(MeasureProgress.objects.filter(measure=measure).order_by("recorded_on", "pk"))


# --- form choices ----------------------------------------------------------------------

def report_choices(*, access: LocalAccess) -> list[SituationReport]:
    """The lägesbilder the person sees and may base a plan on: those of a scope they edit,
    not replaced by a later version."""
    reports = (
        SituationReport.objects.filter(access.documents_q())
        .exclude(status=DocumentStatus.REPLACED)
        .select_related("district")
        .order_by("municipality", "district__name", "-period_start", "-number")
    )
    return [r for r in reports if access.may(LocalAction.MANAGE_DOCUMENT, r)]


def report_for(*, access: LocalAccess, report_id: int) -> SituationReport:
    report = SituationReport.objects.filter(access.documents_q(), pk=report_id).first()
    if report is None or not access.may(LocalAction.VIEW_DOCUMENTS, report):
        raise Http404
    return report


def problem_choices(*, plan: PreventionPlan) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.priority}. {p.title}") for p in Problem.objects.filter(report_id=plan.situation_report_id)]


def participant_choices(*, plan: PreventionPlan) -> list[tuple[int, str]]:
    """The short list of organisations for "who took part": those of the lägesbild, those
    already named in the plan, and those responsible for one of its measures."""
    ids = Q(pk__in=plan.participants.values("pk")) | Q(
        pk__in=SituationReport.participants.through.objects.filter(
            situationreport_id=plan.situation_report_id).values("organisation_id")
    ) | Q(pk__in=Measure.objects.filter(plan=plan).values("organisation_id"))
    return list(Organisation.objects.filter(ids).order_by("name").values_list("pk", "name"))


def organisation_choices(*, plan: PreventionPlan) -> list[tuple[str, list[tuple[int, str]]]]:
    """The responsible organisation's list: first those that took part in the plan, then
    every active organisation (a native select: typing a name's first letters jumps to
    it)."""
    took_part = list(plan.participants.order_by("name").values_list("pk", "name"))
    named = {pk for pk, _name in took_part}
    others = [
        (pk, name) for pk, name in Organisation.objects.filter(active=True).order_by("name").values_list("pk", "name")
        if pk not in named
    ]
    groups = []
    if took_part:
        groups.append((_("Took part in the plan"), took_part))
    groups.append((_("All organisations"), others))
    return groups


# --- the residents' pages ---------------------------------------------------------------

@dataclass(frozen=True)
class PublicMeasure:
    """A measure as residents see it: the plain-words summary and how it is going."""

    pk: int
    summary: str
    organisation_name: str
    status: str
    status_label: str
    updated_on: date | None


def public_measures_for_area(area: Area, limit: int = 3) -> list[PublicMeasure]:
    """The top measures marked public in a decided plan covering ``area`` (its
    district's plan, or its municipality's): those whose problem names the area first,
    then the district's own before the municipality's, then by the problem's priority.
    One query. Only what was written for residents is returned."""
    municipality = District.objects.filter(pk=area.district_id).values("municipality")[:1]
    covers = Q(plan__district_id=area.district_id) | Q(
        plan__district__isnull=True, plan__municipality=Subquery(municipality))
    names_area = Problem.areas.through.objects.filter(problem_id=OuterRef("problem_id"), area_id=area.pk)
    measures = (
        _with_latest(Measure.objects.filter(covers, public=True, plan__status=DocumentStatus.DECIDED))
        .annotate(names_area=Exists(names_area),
                  own_district=Case(When(plan__district_id=area.district_id, then=Value(True)), default=Value(False),
                                       output_field=BooleanField()))  # (never NULL: PostgreSQL sorts NULL first)
        .select_related("organisation")
        .order_by("-names_area", "-own_district", "problem__priority", "order", "pk")[:limit]
    )
    return [
        PublicMeasure(pk=m.pk, summary=m.public_summary, organisation_name=m.organisation.name,
                      status=m.latest_status, status_label=_status_label(m.latest_status), updated_on=m.latest_on)
        for m in measures
    ]


def follow_up_for_export(*, actor: Any, plan: PreventionPlan, kind: str) -> list[ProblemGroup]:
    """``plan_groups`` for a file that leaves the app (PDF, CSV, XLSX): audited."""
    audit.record(action=Action.PREVENTION_PLAN_FOLLOW_UP_EXPORTED, actor=actor, subject_type="prevention_plan",
                 subject_id=plan.pk, detail={"format": kind})
    return plan_groups(plan=plan, with_notes=True)

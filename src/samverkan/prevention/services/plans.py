"""The åtgärdsplan: starting a plan from a lägesbild (or a new version of a decided plan),
editing the draft and its measures, deciding it (services.lifecycle), and recording the
progress of each measure.

Rules kept here, whatever page or command calls:

- who may: LocalAction.MANAGE_DOCUMENT edits a plan (the district administration its
  district's, the city its municipality's); LocalAction.RECORD_PROGRESS records progress
  (the plan's editors, and the measure's responsible organisation);
- every measure names one problem of the plan's own lägesbild;
- only a draft is edited; the decided plan is never changed (a change is a new version,
  which copies the measures and replaces the decided one when it is decided itself);
- progress is recorded also after the decision (following up is the point), never on a
  replaced version (the measures live on in the version that replaced it);
- edits use optimistic locking (``version``); every write is audited in its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation
from samverkan.lib.concurrency import StaleEdit, update_versioned
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
from samverkan.prevention.services import lifecycle

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = [
    "MeasureData", "StaleEdit", "measure_remove", "measure_save", "plan_create", "plan_new_version",
    "plan_transition", "plan_update", "progress_record",
]

PLAN = "prevention_plan"
MEASURE = "prevention_measure"


def _audit(action: Action, *, actor: User, subject_type: str, subject_id: int, **detail: object) -> None:
    # A plan is the municipality's or district's document, not one organisation's record.
    audit.record(action=action, actor=actor, subject_type=subject_type, subject_id=subject_id, detail=detail)


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})


def _locked_draft(plan: PreventionPlan) -> PreventionPlan:
    """The plan's row, locked for this transaction, if it is still a draft: a measure is
    never written beside a concurrent decision. (No ordering: the model's default orders
    by the district's name, an outer join that PostgreSQL does not lock.)"""
    current = PreventionPlan.objects.select_for_update().order_by().filter(pk=plan.pk).first()
    if current is None or current.status != DocumentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed. This plan is no longer a draft."))
    return current


@transaction.atomic(durable=True)
def plan_create(*, actor: User, access: LocalAccess, situation_report: SituationReport, title: str,
                period_start: date, period_end: date, summary: str = "") -> PreventionPlan:
    """A new draft plan (version 1) of the lägesbild's municipality or district, with the
    organisations that took part in the lägesbild."""
    access.require(LocalAction.VIEW_DOCUMENTS, situation_report)
    access.require(LocalAction.MANAGE_DOCUMENT, situation_report)
    if situation_report.status == DocumentStatus.REPLACED:
        raise ValidationError({"situation_report": _("That situation report has been replaced by a later version.")})
    _check_period(period_start, period_end)
    same_scope = PreventionPlan.objects.filter(municipality=situation_report.municipality, period_start=period_start)
    if situation_report.district_id is None:
        same_scope = same_scope.filter(district__isnull=True)
    else:
        same_scope = same_scope.filter(district_id=situation_report.district_id)
    taken = same_scope.exists()
    if taken:
        raise ValidationError({"period_start": _(
            "There is already a plan from this date. Start a new version of that plan instead.")})
    plan = PreventionPlan.objects.create(
        municipality=situation_report.municipality, district_id=situation_report.district_id,
        situation_report=situation_report, title=title.strip(), period_start=period_start,
        period_end=period_end, summary=summary.strip(), created_by=actor,
    )
    plan.participants.set(situation_report.participants.all())
    _audit(Action.PREVENTION_PLAN_CREATED, actor=actor, subject_type=PLAN, subject_id=plan.pk,
           situation_report=situation_report.pk)
    return plan


_COPIED_MEASURE_FIELDS = (
    "problem_id", "title", "description", "organisation_id", "starts_on", "ends_on", "resources", "indicator",
    "indicator_unit", "baseline", "target", "status", "public", "public_summary", "order",
)


@transaction.atomic(durable=True)
def plan_new_version(*, actor: User, access: LocalAccess, previous: PreventionPlan) -> PreventionPlan:
    """A draft copy of a decided plan (same lägesbild, the same measures, the next
    number), to be changed and decided in its place. Progress stays with the measures
    of the version it was recorded on."""
    access.require(LocalAction.MANAGE_DOCUMENT, previous)
    previous = PreventionPlan.objects.select_for_update().order_by().get(pk=previous.pk)
    if previous.status != DocumentStatus.DECIDED:
        raise ValidationError(_("A new version is made from the decided plan."))
    if PreventionPlan.objects.filter(previous=previous).exists():
        raise ValidationError(_("A new version of this plan has already been started."))
    plan = PreventionPlan.objects.create(
        municipality=previous.municipality, district_id=previous.district_id,
        situation_report_id=previous.situation_report_id, previous=previous, title=previous.title,
        period_start=previous.period_start, period_end=previous.period_end, number=previous.number + 1,
        summary=previous.summary, created_by=actor,
    )
    plan.participants.set(previous.participants.all())
    measures = [
        Measure(plan=plan, **{name: getattr(m, name) for name in _COPIED_MEASURE_FIELDS})
        for m in previous.measures.all()
    ]
    Measure.objects.bulk_create(measures)
    _audit(Action.PREVENTION_PLAN_CREATED, actor=actor, subject_type=PLAN, subject_id=plan.pk,
           previous=previous.pk, measures=len(measures))
    return plan


@transaction.atomic(durable=True)
def plan_update(*, actor: User, access: LocalAccess, plan: PreventionPlan, expected_version: int | None,
                title: str, period_start: date, period_end: date, summary: str,
                participant_ids: list[int]) -> PreventionPlan:
    """The draft's title, period, summary and the organisations that took part."""
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    _check_period(period_start, period_end)
    if plan.status != DocumentStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed. This plan is no longer a draft."))
    update_versioned(
        PreventionPlan.objects.filter(status=DocumentStatus.DRAFT), pk=plan.pk, version=expected_version,
        title=title.strip(), period_start=period_start, period_end=period_end, summary=summary.strip(),
        updated_at=timezone.now(),
    )
    participants = list(Organisation.objects.filter(pk__in=participant_ids))
    plan.participants.set(participants)
    plan.refresh_from_db()
    _audit(Action.PREVENTION_PLAN_UPDATED, actor=actor, subject_type=PLAN, subject_id=plan.pk,
           participants=len(participants))
    return plan


@transaction.atomic(durable=True)
def plan_transition(*, actor: User, access: LocalAccess, plan: PreventionPlan, to: str,
                    expected_version: int | None, body: str = "", date: date | None = None,
                    reference: str = "") -> PreventionPlan:
    """Agree, reopen or decide the plan (services.lifecycle). A plan is decided only
    with at least one measure and on a decided lägesbild."""
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    if to == DocumentStatus.DECIDED:
        report_status = SituationReport.objects.filter(pk=plan.situation_report_id).values_list(
            "status", flat=True).first()
        if report_status not in (DocumentStatus.DECIDED, DocumentStatus.REPLACED):
            raise ValidationError(_("Decide the situation report first: the plan is decided on a decided one."))
    if to in (DocumentStatus.AGREED, DocumentStatus.DECIDED) and not plan.measures.exists():
        raise ValidationError(_("Add at least one measure first."))
    return lifecycle.transition(
        plan, to, actor=actor, expected_version=expected_version, audit_action=Action.PREVENTION_PLAN_STATUS_CHANGED,
        subject_type=PLAN, body=body, date=date, reference=reference,
    )


@dataclass(frozen=True)
class MeasureData:
    """What an editor enters for a measure."""

    problem_id: int
    title: str
    organisation_id: int
    starts_on: date
    ends_on: date
    indicator: str
    baseline: Decimal
    target: Decimal
    description: str = ""
    resources: str = ""
    indicator_unit: str = ""
    public: bool = False
    public_summary: str = ""


def _check_measure(plan: PreventionPlan, data: MeasureData) -> None:
    errors: dict[str, str] = {}
    if not Problem.objects.filter(pk=data.problem_id, report_id=plan.situation_report_id).exists():
        errors["problem"] = _("Choose one of the problems of the plan's situation report.")
    if not Organisation.objects.filter(pk=data.organisation_id, active=True).exists():
        errors["organisation"] = _("Choose an organisation from the list.")
    if data.ends_on < data.starts_on:
        errors["ends_on"] = _("The measure must end after it starts.")
    if data.public and not data.public_summary.strip():
        errors["public_summary"] = _("Write what residents will see, in plain words.")
    if data.baseline == data.target:
        errors["target"] = _("The target must differ from the baseline, so that the movement can be followed.")
    if errors:
        raise ValidationError(errors)


def _values(data: MeasureData) -> dict[str, object]:
    return {
        "problem_id": data.problem_id, "title": data.title.strip(), "organisation_id": data.organisation_id,
        "starts_on": data.starts_on, "ends_on": data.ends_on, "indicator": data.indicator.strip(),
        "baseline": data.baseline, "target": data.target, "description": data.description.strip(),
        "resources": data.resources.strip(), "indicator_unit": data.indicator_unit.strip(),
        "public": data.public, "public_summary": data.public_summary.strip() if data.public else "",
    }


@transaction.atomic(durable=True)
def measure_save(*, actor: User, access: LocalAccess, plan: PreventionPlan, data: MeasureData,
                 measure: Measure | None = None, expected_version: int | None = None) -> Measure:
    """Add a measure to the draft (``measure`` None) or change one of its measures."""
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    _locked_draft(plan)
    _check_measure(plan, data)
    if measure is None:
        created = Measure.objects.create(plan=plan, **_values(data))
        _audit(Action.PREVENTION_MEASURE_CREATED, actor=actor, subject_type=MEASURE, subject_id=created.pk,
               plan=plan.pk, problem=data.problem_id)
        return created
    if measure.plan_id != plan.pk:
        raise ValidationError(_("The measure belongs to another plan."))
    update_versioned(Measure.objects.filter(plan_id=plan.pk), pk=measure.pk, version=expected_version,
                     **_values(data))
    measure.refresh_from_db()
    _audit(Action.PREVENTION_MEASURE_UPDATED, actor=actor, subject_type=MEASURE, subject_id=measure.pk,
           plan=plan.pk, problem=data.problem_id)
    return measure


@transaction.atomic(durable=True)
def measure_remove(*, actor: User, access: LocalAccess, measure: Measure, expected_version: int | None) -> None:
    """Take a measure out of the draft. One with recorded progress stays (its history
    would be lost): change its status instead."""
    plan = measure.plan
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    _locked_draft(plan)
    if measure.progress.exists():
        raise ValidationError(_("Progress has been recorded for this measure, so it cannot be removed."))
    if expected_version is None:
        raise StaleEdit
    deleted, _rows = Measure.objects.filter(pk=measure.pk, version=expected_version).delete()
    if not deleted:
        raise StaleEdit
    _audit(Action.PREVENTION_MEASURE_REMOVED, actor=actor, subject_type=MEASURE, subject_id=measure.pk,
           plan=plan.pk)


@transaction.atomic(durable=True)
def progress_record(*, actor: User, access: LocalAccess, measure: Measure, recorded_on: date, status: str,
                    note: str = "", indicator_value: Decimal | None = None) -> MeasureProgress:
    """A dated follow-up of ``measure``: status, what was done, the indicator's value.
    Appended, never changed: the history is the follow-up."""
    access.require(LocalAction.RECORD_PROGRESS, measure)
    plan_status = PreventionPlan.objects.filter(pk=measure.plan_id).values_list("status", flat=True).first()
    if plan_status == DocumentStatus.REPLACED:
        raise ValidationError(_("This version of the plan has been replaced. Record progress on the current one."))
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("The date cannot be in the future.")})
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    progress = MeasureProgress.objects.create(
        measure=measure, recorded_on=recorded_on, status=status, note=note.strip(),
        indicator_value=indicator_value, recorded_by=actor,
    )
    _audit(Action.PREVENTION_MEASURE_PROGRESS_RECORDED, actor=actor, subject_type=MEASURE, subject_id=measure.pk,
           plan=measure.plan_id, progress=progress.pk)
    return progress

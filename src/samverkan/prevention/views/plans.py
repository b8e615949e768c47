"""The åtgärdsplan's pages: the plans, starting one (from a lägesbild, or a new version of a
decided plan), the plan with its measures grouped by problem, editing the draft and its
measures, agreeing and deciding (each behind a confirmation page), a measure's progress
with its chart, and the follow-up report (page, PDF, CSV, XLSX).

Every view fetches through selectors.plans (Http404 outside the area scope) and asks
LocalAccess (403 for a role that may read but not edit); the services check again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAction
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention import exports
from samverkan.prevention.charts import Point, indicator_chart
from samverkan.prevention.forms.plans import (
    AgreeForm,
    DecideForm,
    MeasureForm,
    PlanEditForm,
    PlanNewForm,
    ProgressForm,
    VersionedForm,
)
from samverkan.prevention.models import DocumentStatus, Measure, PreventionPlan
from samverkan.prevention.selectors import plans as selectors
from samverkan.prevention.services import lifecycle
from samverkan.prevention.services import plans as services


def _plan_url(plan: PreventionPlan) -> str:
    return reverse("prevention:plan", args=[plan.pk])


def _measure_url(measure: Measure) -> str:
    return reverse("prevention:measure", args=[measure.plan_id, measure.pk])


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    plans = selectors.plans_for(access=access)
    return render(request, "prevention/plan_list.html", {"access": access, "plans": plans})


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new plan on one of the lägesbilder of a scope the person edits."""
    access = local_access_for(request.user)
    access.require(LocalAction.MANAGE_DOCUMENT)
    reports = selectors.report_choices(access=access)
    labels = [(r.pk, f"{r.title} ({r.get_status_display()}, {r.period_start:%Y-%m-%d})") for r in reports]
    form = PlanNewForm(request.POST or None, reports=labels)
    if request.method == "POST" and form.is_valid():
        report = next(r for r in reports if r.pk == form.cleaned_data["situation_report"])
        try:
            plan = services.plan_create(
                actor=request.user, access=access, situation_report=report, title=form.cleaned_data["title"],
                period_start=form.cleaned_data["period_start"], period_end=form.cleaned_data["period_end"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The plan is started as a draft. Add its measures."))
            return redirect(_plan_url(plan))
    return render(request, "prevention/plan_new.html", {"access": access, "form": form, "reports": reports})


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def plan_new_version(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    """A confirmation page, then a draft copy of the decided plan with its measures."""
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    form = VersionedForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid():
        try:
            new = services.plan_new_version(actor=request.user, access=access, previous=plan)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("A new version is started as a draft, with the measures of the decided one."))
            return redirect(_plan_url(new))
    return render(request, "prevention/plan_new_version.html", {"access": access, "plan": plan, "form": form})


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    groups = selectors.plan_groups(plan=plan)
    return render(request, "prevention/plan.html", {
        "access": access, "plan": plan, "groups": groups, "steps": lifecycle.allowed_steps(plan),
        "may_manage": access.may(LocalAction.MANAGE_DOCUMENT, plan),
    })


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    if plan.status != DocumentStatus.DRAFT:
        messages.info(request, _("Only a draft can be changed. This plan is no longer a draft."))
        return redirect(_plan_url(plan))
    form = PlanEditForm(request.POST or None, organisations=selectors.participant_choices(plan=plan), initial={
        "version": plan.version, "title": plan.title, "period_start": plan.period_start,
        "period_end": plan.period_end, "summary": plan.summary,
        "participants": list(plan.participants.values_list("pk", flat=True)),
    })
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_update(
                actor=request.user, access=access, plan=plan, expected_version=d["version"], title=d["title"],
                period_start=d["period_start"], period_end=d["period_end"], summary=d["summary"],
                participant_ids=d["participants"],
            )
        except StaleEdit:
            status = form.show_conflict(stored_version(plan))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(_plan_url(plan))
    return render(request, "prevention/plan_edit.html", {"access": access, "plan": plan, "form": form},
                  status=status)


_STEPS: dict[str, tuple[str, type[VersionedForm]]] = {
    "agree": (DocumentStatus.AGREED, AgreeForm),
    "reopen": (DocumentStatus.DRAFT, VersionedForm),
    "decide": (DocumentStatus.DECIDED, DecideForm),
}


def _plan_step(request: AuthenticatedHttpRequest, plan_id: int, step: str) -> HttpResponse:
    """The confirmation page of one lifecycle step, then the step."""
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    to, form_class = _STEPS[step]
    if to not in lifecycle.allowed_steps(plan):
        messages.info(request, _("This step is not possible from the plan's current status."))
        return redirect(_plan_url(plan))
    form = form_class(request.POST or None, initial={"version": plan.version, "date": timezone.localdate()})
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_transition(actor=request.user, access=access, plan=plan, to=to,
                                     expected_version=d["version"], body=d.get("body", ""), date=d.get("date"),
                                     reference=d.get("reference", ""))
        except StaleEdit:
            status = form.show_conflict(stored_version(plan))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            done = {"agree": _("The plan is marked as agreed."), "reopen": _("The plan is a draft again."),
                    "decide": _("The plan is decided.")}
            messages.success(request, done[step])
            return redirect(_plan_url(plan))
    return render(request, "prevention/plan_step.html",
                  {"access": access, "plan": plan, "form": form, "step": step}, status=status)


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def plan_agree(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    return _plan_step(request, plan_id, "agree")


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def plan_reopen(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    return _plan_step(request, plan_id, "reopen")


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def plan_decide(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    return _plan_step(request, plan_id, "decide")


# --- measures ---------------------------------------------------------------------------

def _measure_form(request: AuthenticatedHttpRequest, plan: PreventionPlan, initial: dict[str, Any]) -> MeasureForm:
    return MeasureForm(request.POST or None, problems=selectors.problem_choices(plan=plan),
                       organisations=selectors.organisation_choices(plan=plan), initial=initial)


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def measure_new(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    if plan.status != DocumentStatus.DRAFT:
        messages.info(request, _("Only a draft can be changed. This plan is no longer a draft."))
        return redirect(_plan_url(plan))
    form = _measure_form(request, plan, {"starts_on": plan.period_start, "ends_on": plan.period_end})
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(actor=request.user, access=access, plan=plan, data=form.measure_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The measure is added."))
            return redirect(_plan_url(plan))
    return render(request, "prevention/plan_measure_form.html", {"access": access, "plan": plan, "form": form})


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def measure_edit(request: AuthenticatedHttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    measure = selectors.measure_for(access=access, plan=plan, measure_id=measure_id)
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    if plan.status != DocumentStatus.DRAFT:
        messages.info(request, _("Only a draft can be changed. This plan is no longer a draft."))
        return redirect(_measure_url(measure))
    fields = ("title", "description", "starts_on", "ends_on", "resources", "indicator", "indicator_unit",
              "baseline", "target", "public", "public_summary", "version")
    initial = {name: getattr(measure, name) for name in fields}
    form = _measure_form(request, plan, {**initial, "problem": measure.problem_id,
                                         "organisation": measure.organisation_id})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(actor=request.user, access=access, plan=plan, data=form.measure_data(),
                                  measure=measure, expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(measure))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect(_measure_url(measure))
    return render(request, "prevention/plan_measure_form.html",
                  {"access": access, "plan": plan, "measure": measure, "form": form}, status=status)


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def measure_remove(request: AuthenticatedHttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    measure = selectors.measure_for(access=access, plan=plan, measure_id=measure_id)
    access.require(LocalAction.MANAGE_DOCUMENT, plan)
    form = VersionedForm(request.POST or None, initial={"version": measure.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_remove(actor=request.user, access=access, measure=measure,
                                    expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(measure))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The measure is removed from the draft."))
            return redirect(_plan_url(plan))
    return render(request, "prevention/plan_measure_remove.html",
                  {"access": access, "plan": plan, "measure": measure, "form": form}, status=status)


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def measure_detail(request: AuthenticatedHttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    """The measure, its progress history as a table and the indicator's chart."""
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    measure = selectors.measure_for(access=access, plan=plan, measure_id=measure_id)
    history = selectors.measure_history(measure=measure)
    moved = selectors.movement(measure, measure.latest_value)  # type: ignore[attr-defined]
    points = [Point(on=p.recorded_on, value=p.indicator_value) for p in history if p.indicator_value is not None]
    unit = f" {measure.indicator_unit}" if measure.indicator_unit else ""
    chart = indicator_chart(
        title=_("%(indicator)s over time") % {"indicator": measure.indicator},
        description=_("From the baseline %(baseline)s%(unit)s toward the target %(target)s%(unit)s. %(words)s.")
        % {"baseline": measure.baseline, "target": measure.target, "unit": unit, "words": moved.words},
        baseline=measure.baseline, target=measure.target, start=measure.starts_on, points=points,
    )
    return render(request, "prevention/plan_measure.html", {
        "access": access, "plan": plan, "measure": measure, "history": history, "movement": moved,
        "chart": chart, "may_record": access.may(LocalAction.RECORD_PROGRESS, measure)
        and plan.status != DocumentStatus.REPLACED,
    })


@require_permission(Permission.PREVENTION_VIEW)
@require_http_methods(["GET", "POST"])
def measure_progress(request: AuthenticatedHttpRequest, plan_id: int, measure_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    measure = selectors.measure_for(access=access, plan=plan, measure_id=measure_id)
    access.require(LocalAction.RECORD_PROGRESS, measure)
    form = ProgressForm(request.POST or None, initial={"status": measure.latest_status})  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.progress_record(actor=request.user, access=access, measure=measure,
                                     recorded_on=d["recorded_on"], status=d["status"], note=d["note"],
                                     indicator_value=form.value())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The progress is recorded."))
            return redirect(_measure_url(measure))
    return render(request, "prevention/plan_progress_form.html",
                  {"access": access, "plan": plan, "measure": measure, "form": form})


# --- the follow-up report ---------------------------------------------------------------

@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def plan_follow_up(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    groups = selectors.plan_groups(plan=plan, with_notes=True)
    return render(request, "prevention/plan_follow_up.html", {"access": access, "plan": plan, "groups": groups})


def _download(content: bytes | str, content_type: str, plan: PreventionPlan, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Only the plan's number in the file name: titles are typed text.
    name = f"atgardsplan-{plan.pk}-uppfoljning-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def plan_follow_up_pdf(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    groups = selectors.follow_up_for_export(actor=request.user, plan=plan, kind="pdf")
    return _download(exports.to_pdf(plan, groups), "application/pdf", plan, "pdf")


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def plan_follow_up_csv(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    """For Swedish Excel: semicolons, a byte-order mark, decimal commas."""
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    groups = selectors.follow_up_for_export(actor=request.user, plan=plan, kind="csv")
    return _download(exports.to_csv(plan, groups), "text/csv; charset=utf-8", plan, "csv")


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def plan_follow_up_xlsx(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    plan = selectors.plan_for(access=access, plan_id=plan_id)
    groups = selectors.follow_up_for_export(actor=request.user, plan=plan, kind="xlsx")
    return _download(exports.to_xlsx(plan, groups),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", plan, "xlsx")

"""A group's roster: plans, solving, versions, publishing, re-planning, rules and who is on duty.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.actiongroups import selectors as groups
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.lib.params import clamped
from samverkan.rostering import selectors
from samverkan.rostering.forms import (
    PatternForm,
    RulesForm,
    SicknessReplanForm,
    SolveForm,
)
from samverkan.rostering.models import PatternKind, RosterVersion, VersionStatus
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from samverkan.rostering.services.common import RosterRefused, StaleEdit


def _week_start(version: RosterVersion, request: HttpRequest) -> tuple[int, dt.date]:
    week = clamped(request.GET.get("vecka"), minimum=1, maximum=version.plan.weeks, default=1)
    return week, version.plan.period_start + dt.timedelta(days=7 * (week - 1))


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_http_methods(["GET", "POST"])
def group_roster(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = groups.get_group(actor=request.user, pk=group_pk)
    can_manage = policy.can_manage_rosters(actor=request.user)
    form = SolveForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                plan = roster_services.plan_get_or_create(
                    actor=request.user,
                    group=group,
                    period_start=d["period_start"],
                    weeks=d["weeks"],
                )
                job = roster_services.solve_start(actor=request.user, plan=plan)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect("jobs:detail", public_id=job.public_id)
    plans = selectors.plans_for_group(actor=request.user, group=group)
    in_force = selectors.plan_in_force(group=group)
    version = selectors.version_in_force(plan=in_force) if in_force else None
    return render(
        request,
        "rostering/group_roster.html",
        {
            "group": group,
            "plans": plans,
            "version": version,
            "can_manage": can_manage,
            "form": form,
            "time_limit_s": roster_services.default_time_limit_s(),
        },
        status=400 if form.errors else 200,
    )


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def version_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    week, first_day = _week_start(version, request)
    grid = selectors.roster_grid(actor=request.user, version=version, first_day=first_day)
    plan = version.plan
    in_force = selectors.version_in_force(plan=plan)
    return render(
        request,
        "rostering/version_detail.html",
        {
            "version": version,
            "plan": plan,
            "group": plan.group,
            "grid": grid,
            "week": week,
            "weeks": range(1, plan.weeks + 1),
            "in_force": in_force,
            "replan_form": SicknessReplanForm(prefix="s"),
            "rules_notice_days": selectors.schedule_notice_days(group=plan.group),
            "can_manage": policy.can_manage_rosters(actor=request.user),
            "can_publish": version.status == VersionStatus.DRAFT
            and not version.violations
            and version.solver_status in ("optimal", "feasible"),
            "other_versions": list(plan.versions.order_by("-number"))
            if policy.can_manage_rosters(actor=request.user)
            else list(plan.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number")),
        },
    )


@require_permission(Permission.ROSTER_MANAGE)
@require_POST
def version_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    if version.status == VersionStatus.DRAFT and not confirmed(request):
        plan = version.plan
        return confirm_page(
            request,
            heading=_("Publish version %(n)d of the roster?") % {"n": version.number},
            consequence=_(
                "Version %(n)d becomes the roster in force for %(group)s: everyone on it sees "
                "their shifts, and it replaces any version published before."
            )
            % {"n": version.number, "group": plan.group.name},
            irreversible=_(
                "A published version cannot be changed or taken back. Later changes need a new "
                "version."
            ),
            submit=_("Yes, publish version %(n)d") % {"n": version.number},
            cancel_url=reverse("rostering:version_detail", args=[version.pk]),
            details=[
                (
                    _("Period"),
                    _("%(weeks)d weeks from %(start)s")
                    % {"weeks": plan.weeks, "start": plan.period_start.isoformat()},
                )
            ],
        )
    try:
        roster_services.version_publish(actor=request.user, version=version)
    except RosterRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
    return redirect("rostering:version_detail", pk=version.pk)


@require_permission(Permission.ROSTER_MANAGE)
@require_POST
def plan_replan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(actor=request.user, pk=pk)
    reason = ""
    if "s-reason" in request.POST:  # a sickness repair inside the notice period (ATL 12 §)
        form = SicknessReplanForm(request.POST, prefix="s")
        if not form.is_valid():
            messages.error(request, _("Say why shifts must change at short notice."))
            return redirect("rostering:group_roster", group_pk=plan.group_id)
        reason = form.cleaned_data["reason"]
    try:
        job = roster_services.solve_start(
            actor=request.user, plan=plan, mode="replan", notice_override_reason=reason
        )
    except RosterRefused as exc:
        messages.error(request, str(exc))
        return redirect("rostering:group_roster", group_pk=plan.group_id)
    return redirect("jobs:detail", public_id=job.public_id)


@require_permission(Permission.ROSTER_MANAGE)
@require_http_methods(["GET", "POST"])
def group_settings(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = groups.get_group(actor=request.user, pk=group_pk)
    if not policy.can_manage_rosters(actor=request.user):
        raise PermissionDenied
    rules = rule_services.rules_get(group=group)
    pattern = getattr(group, "shift_pattern", None)
    custom_text = rule_services.pattern_text(pattern.custom if pattern else [])
    pattern_form = PatternForm(
        request.POST if "pattern" in request.POST else None,
        prefix="p",
        initial={
            "kind": pattern.kind if pattern else PatternKind.THREE_BY_EIGHT,
            "custom_text": custom_text,
            "pattern_version": pattern.version if pattern else None,
        },
    )
    rules_form = RulesForm(
        request.POST if "rules" in request.POST else None,
        instance=rules,
        prefix="r",
        initial={"version": rules.version},
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        try:
            if "pattern" in request.POST and pattern_form.is_valid():
                d = pattern_form.cleaned_data
                custom = (
                    rule_services.parse_custom_pattern(d["custom_text"])
                    if d["kind"] == PatternKind.CUSTOM
                    else []
                )
                rule_services.pattern_set(
                    actor=request.user,
                    group=group,
                    kind=d["kind"],
                    custom=custom,
                    expected_version=d.get("pattern_version"),
                )
                messages.success(request, _("Saved."))
                return redirect("rostering:group_settings", group_pk=group.pk)
            if "rules" in request.POST and rules_form.is_valid():
                rule_services.rules_save(
                    actor=request.user,
                    rules=rules_form.save(commit=False),
                    expected_version=rules_form.cleaned_data.get("version"),
                )
                messages.success(request, _("Saved."))
                return redirect("rostering:group_settings", group_pk=group.pk)
        except StaleEdit:
            if "pattern" in request.POST:
                current = selectors.pattern_version(group=group)
                status = show_conflict(pattern_form, current, field="pattern_version")
            else:
                status = show_conflict(rules_form, stored_version(rules))
        except ValidationError as exc:
            apply_validation_error(pattern_form if "pattern" in request.POST else rules_form, exc)
    return render(
        request,
        "rostering/group_settings.html",
        {
            "group": group,
            "pattern_form": pattern_form,
            "rules_form": rules_form,
        },
        status=status,
    )


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def on_duty(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = groups.get_group(actor=request.user, pk=group_pk)
    return render(
        request,
        "rostering/on_duty.html",
        {
            "group": group,
            "rows": selectors.on_duty_now(actor=request.user, group=group),
            "now": timezone.now(),
        },
    )


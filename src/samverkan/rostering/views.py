"""Experts, rosters, exports, swaps, the capacity planner and the roster checker.

Reads go through rostering.selectors (policy-scoped); writes through services, which
check the actor again. Outside the actor's compartment the answer is 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission, verified_user
from samverkan.access.permissions import Permission
from samverkan.actiongroups import selectors as groups
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.params import clamped
from samverkan.rostering import exports, selectors
from samverkan.rostering.forms import (
    ExpertForm,
    LeaveForm,
    PatternForm,
    RulesForm,
    SolveForm,
    SwapForm,
    UploadForm,
)
from samverkan.rostering.models import Expert, PatternKind, RosterVersion, VersionStatus
from samverkan.rostering.services import experts as expert_services
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from samverkan.rostering.services import swaps as swap_services
from samverkan.rostering.services import uploads as upload_services
from samverkan.rostering.services.common import RosterRefused, StaleEdit

_SWAP_STALE = gettext_lazy(
    "Someone else decided on this swap or changed it meanwhile. Nothing was changed: check the "
    "list as it is now."
)
EXPERT_PERMS = (Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)


def _form_errors(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)  # type: ignore[attr-defined]
    else:
        for message in exc.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- experts ---------------------------------------------------------------------------------


@require_permission(*EXPERT_PERMS)
@require_GET
def expert_list(request: HttpRequest) -> HttpResponse:
    experts = list(selectors.experts_visible_to(actor=request.user).filter(active=True))
    return render(
        request,
        "rostering/expert_list.html",
        {
            "experts": experts,
            "can_add": selectors.manageable_agencies(actor=request.user).exists(),
        },
    )


def _expert_form(request: HttpRequest, expert: Expert) -> ExpertForm:
    return ExpertForm(
        request.POST or None,
        instance=expert,
        agencies=selectors.manageable_agencies(actor=request.user),
        groups=groups.groups_visible_to(actor=request.user).exclude(status="closed"),
        users=selectors.linkable_users(actor=request.user, expert=expert),
    )


@require_permission(Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    expert = selectors.get_expert(actor=request.user, pk=pk) if pk else Expert()
    if pk and not policy.can_manage_experts_of(actor=request.user, agency_id=expert.agency_id):
        raise PermissionDenied
    if not pk and not selectors.manageable_agencies(actor=request.user).exists():
        raise PermissionDenied
    form = _expert_form(request, expert)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = expert_services.expert_save(
                actor=request.user,
                expert=form.apply(),
                home_groups=form.cleaned_data["home_groups"],
                extra_groups=form.cleaned_data["extra_groups"],
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit:
            status = show_conflict(form, stored_version(expert))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("rostering:expert_detail", pk=saved.pk)
    return render(
        request,
        "rostering/expert_form.html",
        {
            "form": form,
            "expert": expert,
            "title": _("Edit expert") if pk else _("New expert"),
        },
        status=status,
    )


@require_permission(*EXPERT_PERMS)
@require_GET
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.get_expert(actor=request.user, pk=pk)
    return render(
        request,
        "rostering/expert_detail.html",
        {
            "expert": expert,
            "leave": list(expert.leave.all()),
            "can_manage": policy.can_manage_experts_of(
                actor=request.user, agency_id=expert.agency_id
            ),
            "leave_form": LeaveForm(prefix="l"),
            "can_replan": policy.can_manage_rosters(actor=request.user),
        },
    )


@require_permission(Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)
@require_POST
def leave_add(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.get_expert(actor=request.user, pk=pk)
    form = LeaveForm(request.POST, prefix="l")
    if form.is_valid():
        d = form.cleaned_data
        try:
            expert_services.leave_record(
                actor=request.user,
                expert=expert,
                kind=d["kind"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The leave was recorded. If it touches a published roster, re-plan it.")
            )
            return redirect("rostering:expert_detail", pk=expert.pk)
    return render(
        request,
        "rostering/expert_detail.html",
        {
            "expert": expert,
            "leave": list(expert.leave.all()),
            "leave_form": form,
            "can_manage": policy.can_manage_experts_of(
                actor=request.user, agency_id=expert.agency_id
            ),
        },
        status=400,
    )


@require_permission(Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)
@require_POST
def leave_remove(request: HttpRequest, pk: int, leave_pk: int) -> HttpResponse:
    expert = selectors.get_expert(actor=request.user, pk=pk)
    expert_services.leave_remove(
        actor=request.user,
        leave=selectors.get_leave(actor=request.user, expert=expert, pk=leave_pk),
    )
    messages.success(request, _("The leave was removed."))
    return redirect("rostering:expert_detail", pk=expert.pk)


def _calendar_expert(request: HttpRequest, pk: int | None) -> Expert:
    if pk is None:
        expert = selectors.own_expert(actor=request.user)
        if expert is None:
            raise Http404
        return expert
    return selectors.get_expert(actor=request.user, pk=pk)


@verified_user
@require_GET
def expert_calendar(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """An expert's shifts in the rosters in force; the expert themself, their agency
    and the municipal side may look (selectors decide; 404 otherwise)."""
    expert = _calendar_expert(request, pk)
    shifts = selectors.expert_calendar(expert=expert)
    own = expert.user_id == request.user.pk
    return render(
        request,
        "rostering/calendar.html",
        {
            "expert": expert,
            "shifts": shifts,
            "own": own,
            "can_swap": own
            or policy.can_manage_experts_of(actor=request.user, agency_id=expert.agency_id),
            "now": timezone.now(),
        },
    )


@verified_user
@require_GET
def expert_ical(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    expert = _calendar_expert(request, pk)
    shifts = selectors.expert_calendar(
        expert=expert, start=timezone.localdate() - dt.timedelta(days=28), days=120
    )
    roster_services.export_recorded(actor=request.user, version=None, fmt="ical", expert_id=expert.pk)
    body = exports.to_ical(
        shifts, expert_name=expert.display_name, host=request.get_host().split(":")[0]
    )
    return _download(body, "text/calendar; charset=utf-8", f"schema-e{expert.pk}.ics")


# --- rosters per group -------------------------------------------------------------------------


def _week_start(version: RosterVersion, request: HttpRequest) -> tuple[int, dt.date]:
    week = clamped(request.GET.get("vecka"), minimum=1, maximum=version.plan.weeks, default=1)
    return week, version.plan.period_start + dt.timedelta(days=7 * (week - 1))


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_http_methods(["GET", "POST"])
def group_roster(request: HttpRequest, group_pk: int) -> HttpResponse:
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
                job = roster_services.solve_start(
                    actor=request.user, plan=plan, time_limit_s=d["time_limit_s"]
                )
            except ValidationError as exc:
                _form_errors(form, exc)
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
        },
        status=400 if form.errors else 200,
    )


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    try:
        roster_services.version_publish(actor=request.user, version=version)
    except RosterRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Version %(n)d is published.") % {"n": version.number})
    return redirect("rostering:version_detail", pk=version.pk)


@require_permission(Permission.ROSTER_MANAGE)
@require_POST
def plan_replan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan(actor=request.user, pk=pk)
    try:
        job = roster_services.solve_start(
            actor=request.user, plan=plan, mode="replan", time_limit_s=roster_services.DEFAULT_TIME_LIMIT_S
        )
    except RosterRefused as exc:
        messages.error(request, str(exc))
        return redirect("rostering:group_roster", group_pk=plan.group_id)
    return redirect("jobs:detail", public_id=job.public_id)


@require_permission(Permission.ROSTER_MANAGE)
@require_http_methods(["GET", "POST"])
def group_settings(request: HttpRequest, group_pk: int) -> HttpResponse:
    group = groups.get_group(actor=request.user, pk=group_pk)
    if not policy.can_manage_rosters(actor=request.user):
        raise PermissionDenied
    rules = rule_services.rules_get(group=group)
    pattern = getattr(group, "shift_pattern", None)
    custom_text = "\n".join(
        f"{s['code']} {s['start']} {s['hours']}" for s in (pattern.custom if pattern else [])
    )
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
            _form_errors(pattern_form if "pattern" in request.POST else rules_form, exc)
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
def on_duty(request: HttpRequest, group_pk: int) -> HttpResponse:
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


# --- exports ------------------------------------------------------------------------------------


def _export_rows(request: HttpRequest, version: RosterVersion) -> list[list[str]]:
    rows = selectors.version_assignments(actor=request.user, version=version)
    visible = {
        a: policy.can_see_expert_names_of(actor=request.user, agency_id=a)
        for a in {r.agency_id for r in rows}
    }
    return exports.roster_rows(rows, group_code=version.plan.group.code, name_visible=visible)


def _export_name(version: RosterVersion, ext: str) -> str:
    plan = version.plan
    return f"schema-{plan.group.code}-{plan.period_start:%Y%m%d}-v{version.number}.{ext}"


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    body = exports.to_csv(_export_rows(request, version))
    roster_services.export_recorded(actor=request.user, version=version, fmt="csv")
    return _download(body, "text/csv; charset=utf-8", _export_name(version, "csv"))


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(actor=request.user, pk=pk)
    title = _("Roster %(group)s from %(start)s, version %(n)d") % {
        "group": version.plan.group.name,
        "start": version.plan.period_start.isoformat(),
        "n": version.number,
    }
    body = exports.to_xlsx(_export_rows(request, version), title=title)
    roster_services.export_recorded(actor=request.user, version=version, fmt="xlsx")
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _export_name(version, "xlsx"),
    )


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every week of the version's period, one page a week, for printing."""
    version = selectors.get_version(actor=request.user, pk=pk)
    plan = version.plan
    grid = selectors.roster_grid(
        actor=request.user, version=version, first_day=plan.period_start, days=plan.days
    )
    title = _("Roster %(name)s, version %(n)s") % {"name": plan.group.name, "n": version.number}
    subtitle = _("%(start)s – %(end)s. Version %(n)d (%(status)s).") % {
        "start": plan.period_start.isoformat(),
        "end": (plan.period_start + dt.timedelta(days=plan.days - 1)).isoformat(),
        "n": version.number,
        "status": version.get_status_display(),
    }
    body = exports.roster_pdf(title=title, subtitle=subtitle, weeks=exports.roster_weeks(grid))
    roster_services.export_recorded(actor=request.user, version=version, fmt="pdf")
    return _download(body, "application/pdf", _export_name(version, "pdf"))


# --- swaps ----------------------------------------------------------------------------------------


@verified_user
@require_http_methods(["GET", "POST"])
def swap_create(request: HttpRequest, pk: int, shift_id: str) -> HttpResponse:
    """Ask to hand over (or exchange) one of an expert's shifts in the roster in force."""
    expert = _calendar_expert(request, pk)
    shift = next(
        (a for a in selectors.expert_calendar(expert=expert, days=70) if a.shift_id == shift_id),
        None,
    )
    if shift is None:
        raise Http404
    partners = selectors.colleagues(expert=expert)
    version = shift.version
    theirs = [
        a
        for a in selectors.version_assignments(actor=request.user, version=version)
        if a.expert_id in {p.pk for p in partners} and a.starts_at > timezone.now()
    ][:300]
    choices = [
        (
            a.shift_id,
            f"{timezone.localtime(a.starts_at):%Y-%m-%d %H:%M} {a.shift_code} – "
            f"{a.expert.display_name}",
        )
        for a in theirs
    ]
    form = SwapForm(request.POST or None, colleagues=partners, return_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            swap = swap_services.swap_request(
                actor=request.user,
                version=version,
                shift_id=shift_id,
                from_expert=expert,
                to_expert=form.cleaned_data["to_expert"],
                return_shift_id=form.cleaned_data["return_shift_id"] or "",
            )
        except (ValidationError, RosterRefused) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            if swap.violations:
                messages.error(
                    request,
                    _(
                        "The swap was asked for, but it would break working-time rules; it "
                        "cannot be approved as it is."
                    ),
                )
            else:
                messages.success(request, _("The swap was asked for. The agency approves it."))
            return redirect("rostering:swap_list")
    return render(
        request, "rostering/swap_form.html", {"form": form, "expert": expert, "shift": shift}
    )


@verified_user
@require_GET
def swap_list(request: HttpRequest) -> HttpResponse:
    swaps = list(selectors.swaps_visible_to(actor=request.user)[:200])
    return render(
        request,
        "rostering/swap_list.html",
        {
            "swaps": [
                (
                    s,
                    policy.can_manage_experts_of(
                        actor=request.user, agency_id=s.from_expert.agency_id
                    ),
                )
                for s in swaps
            ],
        },
    )


@verified_user
@require_POST
def swap_decide(request: HttpRequest, pk: int) -> HttpResponse:
    swap = selectors.get_swap(actor=request.user, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        expected = int(request.POST.get("version_lock", "0"))
        swap_services.swap_decide(
            actor=request.user, swap=swap, approve=approve, expected_version=expected
        )
    except (ValueError, StaleEdit):
        messages.error(request, _SWAP_STALE)
    except RosterRefused as exc:
        details = "; ".join(v["message"] for v in exc.violations[:5])
        messages.error(request, f"{exc} {details}".strip())
    else:
        messages.success(
            request,
            _("The swap was approved and a new roster version published.")
            if approve
            else _("The swap was rejected."),
        )
    return redirect("rostering:swap_list")


# --- the roster checker ---------------------------------------------------------------------------


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_http_methods(["GET", "POST"])
def validate_upload(request: HttpRequest) -> HttpResponse:
    """Check a roster CSV from another system against every hard rule."""
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["group"].queryset = groups.groups_visible_to(actor=request.user)  # type: ignore[attr-defined]
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is too large: at most 5 MB."))
        else:
            from samverkan.rostering.models import RosterPlan

            plan = RosterPlan(group=d["group"], period_start=d["period_start"], weeks=d["weeks"])
            try:
                result = upload_services.upload_validate(
                    actor=request.user, plan=plan, content=upload.read()
                )
            except ValidationError as exc:
                _form_errors(form, exc)
    return render(request, "rostering/validate_upload.html", {"form": form, "result": result})


# --- the capacity planner ----------------------------------------------------------------------
from samverkan.rostering.capacity_views import capacity, capacity_memo, capacity_prove  # noqa: E402,F401

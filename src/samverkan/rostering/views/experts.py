"""Experts, their leave and their calendars (HTML and iCalendar).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission, verified_user
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.actiongroups import selectors as groups
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.rostering import exports, selectors
from samverkan.rostering.forms import (
    ExpertForm,
    LeaveForm,
)
from samverkan.rostering.models import Expert
from samverkan.rostering.services import experts as expert_services
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services.common import StaleEdit
from samverkan.rostering.views.common import EXPERT_PERMS, _calendar_expert, _download


@require_permission(*EXPERT_PERMS)
@require_GET
def expert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    experts = list(selectors.experts_visible_to(actor=request.user).filter(active=True))
    return render(
        request,
        "rostering/expert_list.html",
        {
            "experts": experts,
            "can_add": selectors.manageable_agencies(actor=request.user).exists(),
        },
    )


def _expert_form(request: AuthenticatedHttpRequest, expert: Expert) -> ExpertForm:
    return ExpertForm(
        request.POST or None,
        instance=expert,
        agencies=selectors.manageable_agencies(actor=request.user),
        groups=groups.groups_visible_to(actor=request.user).exclude(status="closed"),
        users=selectors.linkable_users(actor=request.user, expert=expert),
    )


@require_permission(Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)
@require_http_methods(["GET", "POST"])
def expert_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
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
            apply_validation_error(form, exc)
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
def expert_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def leave_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
            apply_validation_error(form, exc)
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
def leave_remove(request: AuthenticatedHttpRequest, pk: int, leave_pk: int) -> HttpResponse:
    expert = selectors.get_expert(actor=request.user, pk=pk)
    leave = selectors.get_leave(actor=request.user, expert=expert, pk=leave_pk)
    if not confirmed(request):
        if not policy.can_manage_experts_of(actor=request.user, agency_id=expert.agency_id):
            raise PermissionDenied
        starts = timezone.localtime(leave.starts_at).strftime("%Y-%m-%d %H:%M")
        ends = timezone.localtime(leave.ends_at).strftime("%Y-%m-%d %H:%M")
        return confirm_page(
            request,
            heading=_("Remove this leave for %(name)s?") % {"name": expert.display_name},
            consequence=_(
                "%(name)s is no longer shown as away from %(starts)s to %(ends)s: rosters planned "
                "from now on may put them on shifts then. Rosters already published stay as they are."
            )
            % {"name": expert.display_name, "starts": starts, "ends": ends},
            irreversible=_(
                "The removal cannot be undone. If the leave still applies, record it again."
            ),
            submit=_("Yes, remove the leave"),
            destructive=True,
            cancel_url=reverse("rostering:expert_detail", args=[expert.pk]),
            details=[
                (_("Kind of leave"), leave.get_kind_display()),
                (_("From"), starts),
                (_("Until"), ends),
            ],
        )
    expert_services.leave_remove(actor=request.user, leave=leave)
    messages.success(request, _("The leave was removed."))
    return redirect("rostering:expert_detail", pk=expert.pk)

@verified_user
@require_GET
def expert_calendar(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
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
def expert_ical(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    expert = _calendar_expert(request, pk)
    shifts = selectors.expert_calendar(
        expert=expert, start=timezone.localdate() - dt.timedelta(days=28), days=120
    )
    roster_services.export_recorded(actor=request.user, version=None, fmt="ical", expert_id=expert.pk)
    body = exports.to_ical(
        shifts, expert_name=expert.display_name, host=request.get_host().split(":")[0]
    )
    return _download(body, "text/calendar; charset=utf-8", f"schema-e{expert.pk}.ics")


"""Action plan pages under a case. Reads go through caseaccess.selectors.case_for_actor (404
outside the team) and plans.selectors (access.items_q); writes through plans.services.
A conflicting save (someone else saved first) answers 409 with the editor's input kept
and the stored version shown beside it."""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.plans import selectors, services
from samverkan.plans.forms import CommitmentForm, EstablishForm, FollowUpForm, GoalForm, SummaryForm
from samverkan.plans.models import CommitmentStatus
from samverkan.plans.pdf import plan_pdf

VersionedFormType = CommitmentForm | FollowUpForm



def _context(case: Case, access: CaseAccess, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "person": case_selectors.person_view(case=case, access=access),
        "back_url": reverse("plans:plan", args=[case.public_id]),
        "today": timezone.localdate(),
        **extra,
    }


@require_permission(Permission.CASE_VIEW)
@require_GET
def plan(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    page = selectors.plan_page(actor=request.user, case=case, access=access)
    can_edit = access.may(CaseAction.EDIT_PLAN)
    return render(
        request,
        "plans/plan.html",
        _context(
            case,
            access,
            page=page,
            can_edit=can_edit,
            can_establish=access.may(CaseAction.ESTABLISH_PLAN) and page.goal_count > 0,
            establish_form=EstablishForm(
                initial={"revision": page.plan.revision if page.plan else 0}
            ),
            open_statuses=(CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS),
        ),
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    form = GoalForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.goal_create(
                actor=request.user,
                case=case,
                access=access,
                life_area=d["life_area"],
                title=d["title"],
                description=d["description"],
                category=d["category"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The goal is added to the plan."))
            return redirect("plans:plan", public_id=case.public_id)
    return render(request, "plans/goal_form.html", _context(case, access, form=form, goal=None))


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedHttpRequest, public_id: UUID, goal_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    goal = selectors.goal_for_actor(case=case, access=access, public_id=goal_id)
    access.require(CaseAction.EDIT_PLAN, goal)  # a goal of one's own organisation
    initial = {
        "version": goal.version,
        "life_area": goal.life_area,
        "title": goal.title,
        "description": goal.description,
        "status": goal.status,
        "category": goal.category,
    }
    form = GoalForm(request.POST or None, initial=initial)
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.goal_update(
                actor=request.user,
                case=case,
                access=access,
                goal=goal,
                expected_version=d["version"],
                life_area=d["life_area"],
                title=d["title"],
                description=d["description"],
                status=d["status"],
                category=d["category"],
            )
        except services.StaleEdit:
            current = selectors.goal_for_actor(case=case, access=access, public_id=goal_id)
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("plans:plan", public_id=case.public_id)
    return render(
        request,
        "plans/goal_form.html",
        _context(case, access, form=form, goal=goal, current=current),
        status=status,
    )


def _commitment_form(
    request: AuthenticatedHttpRequest, case: Case, access: CaseAccess, **kwargs: Any
) -> CommitmentForm:
    return CommitmentForm(
        request.POST or None,
        goals=selectors.goal_choices(case=case, access=access),
        team=case_selectors.team_for_case(case=case),
        **kwargs,
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def commitment_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    initial: dict[str, Any] = {}
    goal_param = request.GET.get("mal", "")
    if goal_param:
        with contextlib.suppress(ValueError):
            initial["goal"] = selectors.goal_for_actor(
                case=case, access=access, public_id=UUID(goal_param)
            )
    form = _commitment_form(request, case, access, initial=initial, new=True)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.commitment_create(
                actor=request.user,
                case=case,
                access=access,
                description=d["description"],
                responsible=d["responsible"].user,
                due_on=d["due_on"],
                goal=d["goal"],
                category=d["category"],
                status=d["status"],
                follow_up_note=d["follow_up_note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The commitment is added to the plan."))
            return redirect("plans:plan", public_id=case.public_id)
    return render(
        request,
        "plans/commitment_form.html",
        _context(case, access, form=form, commitment=None, full=True),
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def commitment_edit(request: AuthenticatedHttpRequest, public_id: UUID, commitment_id: UUID) -> HttpResponse:
    """The recording organisation edits everything; the responsible person from another
    organisation records the follow-up (status and note) only."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    commitment = selectors.commitment_for_actor(case=case, access=access, public_id=commitment_id)
    access.require(CaseAction.FOLLOW_UP, commitment)
    full = access.may(CaseAction.EDIT_PLAN, commitment)  # the recording organisation
    initial: dict[str, Any] = {
        "version": commitment.version,
        "status": commitment.status,
        "follow_up_note": commitment.follow_up_note,
    }
    form: VersionedFormType
    if full:
        team = case_selectors.team_for_case(case=case)
        initial.update(
            description=commitment.description,
            due_on=commitment.due_on,
            goal=commitment.goal,
            category=commitment.category,
            responsible=team.filter(user_id=commitment.responsible_id).first(),
        )
        form = _commitment_form(request, case, access, initial=initial, previous_due=commitment.due_on)
    else:
        form = FollowUpForm(request.POST or None, initial=initial)
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if full:
                services.commitment_update(
                    actor=request.user,
                    case=case,
                    access=access,
                    commitment=commitment,
                    expected_version=d["version"],
                    description=d["description"],
                    responsible=d["responsible"].user,
                    due_on=d["due_on"],
                    status=d["status"],
                    follow_up_note=d["follow_up_note"],
                    goal=d["goal"],
                    category=d["category"],
                )
            else:
                services.commitment_follow_up(
                    actor=request.user,
                    case=case,
                    access=access,
                    commitment=commitment,
                    expected_version=d["version"],
                    status=d["status"],
                    follow_up_note=d["follow_up_note"],
                )
        except services.StaleEdit:
            current = selectors.commitment_for_actor(
                case=case, access=access, public_id=commitment_id
            )
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect("plans:plan", public_id=case.public_id)
    return render(
        request,
        "plans/commitment_form.html",
        _context(case, access, form=form, commitment=commitment, current=current, full=full),
        status=status,
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def summary_edit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.ESTABLISH_PLAN)
    plan_row = selectors.plan_for_case(case=case)
    form = SummaryForm(
        request.POST or None,
        initial={
            "version": plan_row.version if plan_row else 1,
            "summary": plan_row.summary
            if plan_row and selectors.summary_visible(plan=plan_row, access=access)
            else "",
        },
    )
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_summary_update(
                actor=request.user,
                case=case,
                access=access,
                expected_version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
            )
        except services.StaleEdit:
            current = selectors.plan_for_case(case=case)
            status = form.show_conflict(current.version if current else 1)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The plan's aim is saved."))
            return redirect("plans:plan", public_id=case.public_id)
    return render(
        request,
        "plans/summary_form.html",
        _context(case, access, form=form, current=current),
        status=status,
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_POST
def establish(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    form = EstablishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the plan and try again."))
        return redirect("plans:plan", public_id=case.public_id)
    if access.may(CaseAction.ESTABLISH_PLAN) and not confirmed(request):
        current = selectors.plan_for_case(case=case)
        number = (current.established_number if current else 0) + 1
        return confirm_page(
            request,
            heading=_("Establish version %(n)d of the plan?") % {"n": number},
            consequence=_(
                "The plan as it is now becomes version %(n)d, with today's date and your name. "
                "Later changes start a new draft."
            )
            % {"n": number},
            irreversible=_(
                "An established version cannot be changed or removed: it stays readable as it is."
            ),
            submit=_("Yes, establish version %(n)d") % {"n": number},
            cancel_url=reverse("plans:plan", args=[case.public_id]),
            header="cases/_case_header.html",
            context=_context(case, access),
        )
    try:
        version = services.plan_establish(
            actor=request.user,
            case=case,
            access=access,
            expected_revision=form.cleaned_data["revision"],
        )
    except services.StaleEdit:
        messages.error(
            request,
            _("The plan changed after you opened it. Read it through again, then establish it."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Version %(n)d of the plan is established.") % {"n": version.number}
        )
    return redirect("plans:plan", public_id=case.public_id)


@require_permission(Permission.CASE_VIEW)
@require_GET
def version_detail(request: AuthenticatedHttpRequest, public_id: UUID, number: int) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    view = selectors.plan_version_for_actor(
        actor=request.user, case=case, access=access, number=number
    )
    return render(request, "plans/version.html", _context(case, access, view=view))


@require_permission(Permission.CASE_VIEW)
@require_GET
def pdf(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    content = plan_pdf(actor=request.user, case=case, access=access)
    response = HttpResponse(content, content_type="application/pdf")
    # No name or number in the file name: it ends up in download folders and logs.
    response["Content-Disposition"] = 'attachment; filename="plan.pdf"'
    return response

"""Minutes of a meeting (drafts, signing, corrections) and their decisions, which can
become commitments in the plan. Who may write what: CaseAccess.may (samverkan.caseaccess)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case
from samverkan.frontend.confirm import confirm_page, confirmed, going_back
from samverkan.lib.workdays import next_working_day
from samverkan.meetings import selectors, services
from samverkan.meetings.forms import (
    DecisionForm,
    MinutesForm,
    SignForm,
)
from samverkan.meetings.models import Meeting
from samverkan.meetings.views.common import detail_url, page_context
from samverkan.plans import selectors as plan_selectors
from samverkan.plans.forms import CommitmentForm


def _sign_confirmation(
    request: AuthenticatedHttpRequest, case: Case, access: CaseAccess, meeting: Meeting, *, text: str,
    from_form: bool,
) -> HttpResponse:
    """The confirmation page before minutes are signed (from the meeting page, or from the
    form that saves and signs: then it can take the text back to the form)."""
    return confirm_page(
        request,
        heading=_("Sign the minutes?"),
        consequence=_(
            "The minutes are signed in your name and become the record of the meeting of "
            "%(day)s for the case's team."
        )
        % {"day": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")},
        irreversible=_(
            "Signed minutes cannot be changed or removed. A mistake is corrected with new minutes."
        ),
        submit=_("Yes, sign the minutes"),
        back_label=_("No, go back and change it") if from_form else "",
        cancel_url=detail_url(case, meeting),
        details=[(_("Minutes"), text)],
        header="cases/_case_header.html",
        context=page_context(case, access),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def minutes_new(request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    corrects = None
    corrects_param = request.GET.get("rattar", "")
    if corrects_param:
        try:
            corrects = selectors.minutes_for_actor(
                case=case, access=access, meeting=meeting, public_id=UUID(corrects_param)
            )
        except ValueError:
            corrects = None
    form = MinutesForm(
        request.POST or None, new=True, initial={"text": corrects.text if corrects else ""}
    )
    if request.method == "POST" and form.is_valid() and not going_back(request):
        if (
            form.cleaned_data["sign"]
            and access.may(CaseAction.MANAGE_MEETING)
            and not confirmed(request)
        ):
            return _sign_confirmation(
                request, case, access, meeting, text=form.cleaned_data["text"], from_form=True
            )
        try:
            services.minutes_create(
                actor=request.user,
                case=case,
                access=access,
                meeting=meeting,
                text=form.cleaned_data["text"],
                sign=form.cleaned_data["sign"],
                corrects=corrects,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(detail_url(case, meeting))
    return render(
        request,
        "meetings/minutes_form.html",
        page_context(case, access, form=form, meeting=meeting, minutes=None, corrects=corrects),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def minutes_edit(
    request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID, minutes_id: UUID
) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    minutes = selectors.minutes_for_actor(
        case=case, access=access, meeting=meeting, public_id=minutes_id
    )
    if minutes.author_id != request.user.pk:
        raise PermissionDenied
    form = MinutesForm(
        request.POST or None, initial={"version": minutes.version, "text": minutes.text}
    )
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update_draft(
                actor=request.user,
                case=case,
                access=access,
                minutes=minutes,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
            )
        except services.StaleEdit:
            current = selectors.minutes_for_actor(
                case=case, access=access, meeting=meeting, public_id=minutes_id
            )
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(detail_url(case, meeting))
    return render(
        request,
        "meetings/minutes_form.html",
        page_context(case, access, form=form, meeting=meeting, minutes=minutes, current=current),
        status=status,
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_POST
def minutes_sign(
    request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID, minutes_id: UUID
) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    minutes = selectors.minutes_for_actor(
        case=case, access=access, meeting=meeting, public_id=minutes_id
    )
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(detail_url(case, meeting))
    # Only the author of a draft is asked; anyone else gets the service's answer.
    if (
        minutes.author_id == request.user.pk
        and minutes.signed_at is None
        and access.may(CaseAction.MANAGE_MEETING)
        and not confirmed(request)
    ):
        return _sign_confirmation(request, case, access, meeting, text=minutes.text, from_form=False)
    try:
        services.minutes_sign(
            actor=request.user,
            case=case,
            access=access,
            minutes=minutes,
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleEdit:
        messages.error(
            request, _("The minutes changed after you opened them. Read them again, then sign.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The minutes are signed."))
    return redirect(detail_url(case, meeting))


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def decision_new(
    request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID, minutes_id: UUID
) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    minutes = selectors.minutes_for_actor(
        case=case, access=access, meeting=meeting, public_id=minutes_id
    )
    if minutes.author_id != request.user.pk or minutes.signed_at is not None:
        raise PermissionDenied
    form = DecisionForm(request.POST or None, team=selectors.attendee_choices(case=case))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_add(
                actor=request.user,
                case=case,
                access=access,
                minutes=minutes,
                text=d["text"],
                responsible=d["responsible"].user if d["responsible"] else None,
                due_on=d["due_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision is added to the minutes."))
            return redirect(detail_url(case, meeting))
    return render(
        request,
        "meetings/decision_form.html",
        page_context(case, access, form=form, meeting=meeting, minutes=minutes),
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def decision_commit(
    request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID, decision_id: UUID
) -> HttpResponse:
    """The plan's commitment form, filled in from the decision; saving adds it."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    decision = selectors.decision_for_actor(
        case=case, access=access, meeting=meeting, public_id=decision_id
    )
    if hasattr(decision, "commitment_link"):
        messages.info(request, _("This decision is already a commitment in the plan."))
        return redirect(detail_url(case, meeting))
    team = case_selectors.team_for_case(case=case)
    form = CommitmentForm(
        request.POST or None,
        goals=plan_selectors.goal_choices(case=case, access=access),
        team=team,
        new=True,
        initial={
            "description": decision.text,
            "responsible": team.filter(user_id=decision.responsible_id).first()
            if decision.responsible_id
            else None,
            "due_on": decision.due_on or next_working_day(timezone.localdate() + timedelta(days=14)),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_to_commitment(
                actor=request.user,
                case=case,
                access=access,
                decision=decision,
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
            messages.success(request, _("The decision is now a commitment in the plan."))
            return redirect(detail_url(case, meeting))
    return render(
        request,
        "plans/commitment_form.html",
        page_context(
            case,
            access,
            form=form,
            commitment=None,
            full=True,
            prefilled_from_decision=True,
            back_url=detail_url(case, meeting),
        ),
    )

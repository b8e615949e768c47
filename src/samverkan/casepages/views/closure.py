"""Closing a case (avslut), its 6- and 12-month follow-ups, and legal holds.

Closed cases are read-only except for their follow-ups; everything is read through
the case's sharing rule (closure and follow-ups are entries of the case like any other);
who may close, hold or follow up: CaseAccess.may (samverkan.caseaccess)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors, services
from samverkan.cases.forms.closure import ClosureForm, FollowUpForm, LegalHoldForm
from samverkan.cases.models import CaseStatus, ClosureOutcome, FollowUpStatus
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.concurrency import show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error


def _page(
    request: AuthenticatedHttpRequest, case, access, *, close_form=None, hold_form=None, status=200
) -> HttpResponse:
    may_decide = access.may(CaseAction.DECIDE)
    return render(
        request,
        "cases/closure.html",
        {
            "case": case,
            "access": access,
            "person": selectors.person_view(case=case, access=access),
            "closure": selectors.closure_visible(case=case, access=access),
            "follow_ups": selectors.follow_ups_visible(case=case, access=access),
            "may_decide": may_decide,
            "may_follow_up": access.may(CaseAction.RECORD_FOLLOW_UP),
            "close_form": close_form
            or (
                ClosureForm(initial={"version": case.version})
                if may_decide and case.status == CaseStatus.ACTIVE
                else None
            ),
            "hold_form": hold_form or (LegalHoldForm() if may_decide else None),
            "show_hold": access.is_lead_team,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_permission(Permission.CASE_VIEW)
@require_GET
def closure(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    return _page(request, case, access)


@require_permission(Permission.CASE_DECIDE)
@require_POST
def close(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.DECIDE)
    form = ClosureForm(request.POST)
    if form.is_valid() and not confirmed(request):
        return confirm_page(
            request,
            heading=_("Close the case?"),
            consequence=_(
                "The case will be closed now. Follow-ups are planned 6 and 12 months later."
            ),
            irreversible=_(
                "A closed case cannot be reopened or changed: only its follow-ups can still be "
                "recorded."
            ),
            submit=_("Yes, close the case"),
            destructive=True,
            cancel_url=reverse("cases:closure", args=[case.public_id]),
            details=[
                (_("Outcome"), str(ClosureOutcome(form.cleaned_data["outcome"]).label)),
                (_("Note"), form.cleaned_data["note"] or "–"),
            ],
            header="cases/_case_header.html",
            context={
                "case": case,
                "access": access,
                "person": selectors.person_view(case=case, access=access),
            },
        )
    if form.is_valid():
        try:
            services.case_close(
                actor=request.user,
                case=case,
                access=access,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(case))
            return _page(request, case, access, close_form=form, status=status)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The case is closed. Follow-ups are planned at 6 and 12 months.")
            )
            return redirect("cases:closure", public_id=case.public_id)
    return _page(request, case, access, close_form=form, status=400)


@require_permission(Permission.CASE_NOTE_WRITE, Permission.CASE_DECIDE)
@require_http_methods(["GET", "POST"])
def follow_up(request: AuthenticatedHttpRequest, public_id: UUID, pk: int) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    row = selectors.follow_up_for_actor(case=case, access=access, pk=pk)
    access.require(CaseAction.RECORD_FOLLOW_UP)
    initial = {
        "version": row.version,
        "recorded_on": row.recorded_on or timezone.localdate(),
        "status": row.status if row.status != FollowUpStatus.PLANNED else FollowUpStatus.DONE,
        **{f: getattr(row, f) for f in services.FOLLOW_UP_ANSWER_FIELDS},
        "comment": row.comment,
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.follow_up_record(
                actor=request.user,
                case=case,
                access=access,
                follow_up=row,
                expected_version=d["version"],
                status=d["status"],
                answers={f: d[f] for f in services.FOLLOW_UP_ANSWER_FIELDS},
                comment=d["comment"],
                recorded_on=d["recorded_on"],
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(row))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("cases:closure", public_id=case.public_id)
    return render(
        request,
        "cases/follow_up.html",
        {
            "case": case,
            "access": access,
            "person": selectors.person_view(case=case, access=access),
            "follow_up": row,
            "form": form,
        },
        status=status,
    )


@require_permission(Permission.CASE_DECIDE)
@require_POST
def legal_hold(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.DECIDE)
    form = LegalHoldForm(request.POST)
    hold = request.POST.get("hold") == "set"
    # Setting a hold only keeps data longer and can be cleared again: no confirmation.
    # Clearing one lets the retention purge delete the case for good: ask first.
    if form.is_valid() and not hold and case.legal_hold and not confirmed(request):
        return confirm_page(
            request,
            heading=_("Clear the legal hold?"),
            consequence=ngettext(
                "Without the hold, the retention purge deletes the case's data %(years)d year "
                "after the last entry; if that time has passed, the next purge deletes it.",
                "Without the hold, the retention purge deletes the case's data %(years)d years "
                "after the last entry; if that time has passed, the next purge deletes it.",
                case.programme.retention_years,
            )
            % {"years": case.programme.retention_years},
            irreversible=_(
                "Once the purge has run, the case cannot be brought back, by anyone. Until then a "
                "new hold can be set."
            ),
            submit=_("Yes, clear the legal hold"),
            destructive=True,
            cancel_url=reverse("cases:closure", args=[case.public_id]),
            details=[
                (_("Reason for the hold"), case.legal_hold_reason or "–"),
                (_("Reason for clearing it"), form.cleaned_data["reason"]),
            ],
            header="cases/_case_header.html",
            context={
                "case": case,
                "access": access,
                "person": selectors.person_view(case=case, access=access),
            },
        )
    if form.is_valid():
        try:
            services.case_legal_hold(
                actor=request.user,
                case=case,
                access=access,
                hold=hold,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The legal hold is set: the case is kept until it is cleared.")
                if case.legal_hold
                else _("The legal hold is cleared."),
            )
            return redirect("cases:closure", public_id=case.public_id)
    return _page(request, case, access, hold_form=form, status=400)

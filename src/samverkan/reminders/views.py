"""My reminders (bevakningar), and a user's own reminders on a case."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases.selectors import person_view
from samverkan.lib.form_errors import apply_validation_error
from samverkan.reminders import selectors, services
from samverkan.reminders.forms import ReminderFilterForm, ReminderForm


@require_permission(Permission.CASE_VIEW, Permission.RETENTION_MANAGE)
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    include_done = request.GET.get("klara") == "1"
    kind = request.GET.get("typ", "")
    case_id = request.GET.get("arende", "")
    order = request.GET.get("ordning", selectors.ORDER_SOONEST)
    page = selectors.reminder_page(
        actor=request.user, include_done=include_done, kind=kind, case_public_id=case_id, order=order
    )
    form = ReminderFilterForm(
        initial={"typ": kind, "arende": case_id, "ordning": order, "klara": include_done},
        kinds=page.kinds,
        cases=page.cases,
    )
    return render(
        request,
        "reminders/mine.html",
        {"page": page, "form": form, "include_done": include_done, "filtered": bool(kind or case_id)},
    )


@require_permission(Permission.CASE_VIEW, Permission.RETENTION_MANAGE)
@require_POST
def done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = selectors.reminder_for_actor(actor=request.user, pk=pk)
    services.reminder_set_done(
        actor=request.user, reminder=reminder, done=request.POST.get("done", "1") == "1"
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("reminders:mine")


@require_permission(Permission.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def case(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case_obj, access = case_for_actor(actor=request.user, public_id=public_id)
    form = ReminderForm(request.POST or None) if access.may(CaseAction.REMIND) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.reminder_create(
                actor=request.user,
                case=case_obj,
                access=access,
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The reminder is saved."))
            return redirect("reminders:case", public_id=case_obj.public_id)
    rows = selectors.my_reminders(actor=request.user, case=case_obj, include_done=True)
    return render(
        request,
        "reminders/case.html",
        {
            "case": case_obj,
            "access": access,
            "person": person_view(case=case_obj, access=access),
            "rows": rows,
            "form": form,
        },
    )

"""The participant's guardians (vårdnadshavare), kept by the lead organisation's team
(URL name people:guardians)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors, services
from samverkan.people.forms import GuardianForm


@require_permission(Permission.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def guardians(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    rows = selectors.guardians_for_lead_team(
        actor=request.user, case=case, access=access
    )  # 403 off the lead team
    can_manage = access.may(CaseAction.MANAGE_CONSENT)
    form = (
        GuardianForm(request.POST or None, child_identity=case.person.identity_number)
        if can_manage
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.case_guardian_add(
                    actor=request.user,
                    case=case,
                    access=access,
                    identity=d["identity"],
                    first_name=d["first_name"],
                    last_name=d["last_name"],
                    phone=d["phone"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The guardian is registered."))
                return redirect("people:guardians", public_id=case.public_id)
    return render(
        request,
        "people/guardians.html",
        {
            "case": case,
            "access": access,
            "person": selectors.person_view(case=case, access=access),
            "guardianships": rows,
            "form": form,
        },
    )

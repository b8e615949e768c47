"""Registering an intake: the person (found or created) and the case, in one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.cases import selectors, services
from samverkan.cases.forms.intake import IntakeForm


@require_permission(Permission.CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = selectors.programmes_for_intake(actor=request.user)
    if not programmes.exists():
        return render(request, "cases/intake_unavailable.html", status=403)
    form = IntakeForm(request.POST or None, programmes=programmes,
                      organisations=selectors.referring_organisations())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_intake(
                actor=request.user, programme=d["programme"], identity=d["identity"],
                first_name=d["first_name"], last_name=d["last_name"], intake_source=d["intake_source"],
                referred_by=d["referred_by"], received_on=d["received_on"],
                intake_summary=d["intake_summary"], protected_identity=d["protected_identity"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The intake is registered. Decide on it when the assessment is done."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/intake.html", {"form": form})

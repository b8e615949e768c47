"""Emergency access (break the glass) to a case led by the user's own organisation,
asked for from the look-up page. Logged, flagged and reviewed."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.accounts.reauth import require_recent_auth
from samverkan.cases import selectors, services
from samverkan.cases.forms.intake import EmergencyForm


@require_permission(Permission.CASE_BREAK_GLASS)
@require_recent_auth
@require_POST
def emergency(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Break the glass for a case led by the user's own organisation (from the look-up)."""
    case = selectors.case_for_emergency(actor=request.user, public_id=public_id)
    form = EmergencyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the emergency in at least 20 characters."))
        return redirect("cases:lookup")
    services.emergency_access_grant(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    messages.warning(request, _("Emergency access for %(h)d hours. It is logged and will be reviewed.")
                     % {"h": services.EMERGENCY_ACCESS_HOURS})
    return redirect("cases:detail", public_id=case.public_id)

"""The roster checker: a roster CSV from another system checked against every hard rule.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.form_errors import apply_validation_error
from samverkan.rostering.forms import (
    UploadForm,
)
from samverkan.rostering.models import RosterPlan
from samverkan.rostering.services import uploads as upload_services


@require_permission(Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE)
@require_http_methods(["GET", "POST"])
def validate_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Check a roster CSV from another system against every hard rule."""
    form = UploadForm(request.POST or None, request.FILES or None, actor=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("The file is too large: at most 5 MB."))
        else:
            plan = RosterPlan(group=d["group"], period_start=d["period_start"], weeks=d["weeks"])
            try:
                result = upload_services.upload_validate(
                    actor=request.user, plan=plan, content=upload.read()
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
    return render(request, "rostering/validate_upload.html", {"form": form, "result": result})


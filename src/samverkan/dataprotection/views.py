"""Data-protection officer's pages: the retention dry-run list and purge, and the
subject access export (registerutdrag)."""

from __future__ import annotations

import json

from django.contrib import messages
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
from samverkan.accounts.reauth import require_recent_auth
from samverkan.dataprotection import selectors
from samverkan.dataprotection.forms import PurgeForm, SubjectAccessForm
from samverkan.dataprotection.pdf import render_export_pdf
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.jobs.services import job_start
from samverkan.lib.identity_numbers import IdentityNumberError


@require_permission(Permission.RETENTION_MANAGE)
@require_GET
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.retention_list(actor=request.user)
    return render(
        request,
        "dataprotection/retention.html",
        {
            "due": [r for r in rows if not r.legal_hold],
            "held": [r for r in rows if r.legal_hold],
            "form": PurgeForm(),
            "today": timezone.localdate(),
        },
    )


@require_permission(Permission.RETENTION_MANAGE)
@require_recent_auth
@require_POST
def retention_run(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PurgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm that you have checked the list."))
        return redirect("dataprotection:retention")
    if not confirmed(request):
        due = sum(1 for r in selectors.retention_list(actor=request.user) if not r.legal_hold)
        return confirm_page(
            request,
            heading=_("Delete the cases due for good?"),
            consequence=ngettext(
                "The purge deletes everything about %(n)d case now: its person, entries, "
                "documents and team. Only anonymous statistics remain.",
                "The purge deletes everything about %(n)d cases now: their persons, entries, "
                "documents and teams. Only anonymous statistics remain.",
                due,
            )
            % {"n": due},
            irreversible=_(
                "Deleted cases cannot be brought back, by anyone. Cases on legal hold are kept."
            ),
            submit=_("Yes, delete them for good"),
            destructive=True,
            cancel_url=reverse("dataprotection:retention"),
        )
    job = job_start(
        actor=request.user,
        kind="dataprotection.purge",
        params={
            "organisation_id": getattr(request.user, "organisation_id", None),
            "dry_run": False,
        },
    )
    return redirect("jobs:detail", public_id=job.public_id)


@require_permission(Permission.SUBJECT_ACCESS_EXPORT)
@require_recent_auth
@require_http_methods(["GET", "POST"])
def subject_access(request: AuthenticatedHttpRequest) -> HttpResponse:
    """POST only for the look-up, so the identity number never enters a URL."""
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["export_format"]
        try:
            export = selectors.subject_access_export(
                actor=request.user,
                identity_text=request.POST["identity"],
                purpose=form.cleaned_data["purpose"],
                export_format=fmt,
            )
        except IdentityNumberError as exc:
            form.add_error("identity", exc.message)
        else:
            stamp = timezone.localdate().isoformat()
            if fmt == "json":
                response = HttpResponse(
                    json.dumps(export.as_json(), ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = (
                    f'attachment; filename="registerutdrag-{stamp}.json"'
                )
            else:
                response = HttpResponse(render_export_pdf(export), content_type="application/pdf")
                response["Content-Disposition"] = (
                    f'attachment; filename="registerutdrag-{stamp}.pdf"'
                )
            return response
    return render(request, "dataprotection/subject_access.html", {"form": form})

"""Retention of Trefas records, for the data-protection officer (RETENTION_MANAGE):
the own organisation's rules beside the defaults, the dry run (counts only) and the
purge (a background job, after a confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.accounts.reauth import require_recent_auth
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.jobs.services import job_start
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.forms.retention import RetentionRuleForm, TrefasPurgeForm
from samverkan.trefas.models import RecordType
from samverkan.trefas.selectors import retention as selectors
from samverkan.trefas.services import retention as services


def _page(request: AuthenticatedHttpRequest, rule_form: RetentionRuleForm, status: int = 200) -> HttpResponse:
    overview = selectors.retention_overview(actor=request.user)
    labels: dict[str, str] = {key: str(label) for key, label in RecordType.choices}
    labels["action"] = _("Actions")
    counts = [(labels[kind], n) for kind, n in overview.counts().items()]
    return render(request, "trefas/retention.html", {
        "rules": selectors.rules_for(actor=request.user),
        "counts": counts,
        "total": sum(n for _label, n in counts),
        "held": sum(overview.held.values()),
        "rule_form": rule_form,
        "purge_form": TrefasPurgeForm(),
    }, status=status)


@require_permission(Permission.RETENTION_MANAGE)
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, RetentionRuleForm())


@require_permission(Permission.RETENTION_MANAGE)
@require_http_methods(["POST"])
def rule_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RetentionRuleForm(request.POST)
    if form.is_valid():
        try:
            services.rule_set(actor=request.user, record_type=form.cleaned_data["record_type"],
                              years=form.cleaned_data["years"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The retention rule is saved."))
            return redirect("trefas:retention")
    return _page(request, form, status=400)


@require_permission(Permission.RETENTION_MANAGE)
@require_recent_auth
@require_POST
def run(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TrefasPurgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Confirm that you have checked the numbers."))
        return redirect("trefas:retention")
    if not confirmed(request):
        overview = selectors.retention_overview(actor=request.user)
        labels: dict[str, str] = {key: str(label) for key, label in RecordType.choices}
        labels["action"] = _("Actions")
        counts = [(labels[kind], str(n)) for kind, n in overview.counts().items()]
        return confirm_page(
            request,
            heading=_("Delete the Trefas records due for good?"),
            consequence=_(
                "The purge deletes now, for your organisation, the records past their retention "
                "period counted below. Records on hold are kept."
            ),
            irreversible=_("Deleted records cannot be brought back, by anyone."),
            submit=_("Yes, delete them for good"),
            destructive=True,
            cancel_url=reverse("trefas:retention"),
            details=counts,
        )
    job = job_start(actor=request.user, kind="trefas.retention_purge",
                    params={"organisation_id": request.user.organisation_id, "dry_run": False})
    return redirect("jobs:detail", public_id=job.public_id)

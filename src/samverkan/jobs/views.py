from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from samverkan.access.guards import verified_user
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.jobs import registry, selectors, services


@verified_user
@require_GET
def detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A job's live progress. htmx polls the fragment; without JavaScript the page
    refreshes itself while the job runs."""
    job = selectors.get_job_for_user(user=request.user, public_id=public_id)
    template = "jobs/_progress.html" if request.htmx else "jobs/detail.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "job": job,
            "job_label": registry.label(job.kind, job.params),
            "counted": registry.counted(job.kind),
            "result_template": registry.result_template(job.kind),
        },
    )


@verified_user
@require_POST
def cancel(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = selectors.get_job_for_user(user=request.user, public_id=public_id)
    if not job.is_finished:
        services.job_cancel(actor=request.user, job=job)
    return redirect("jobs:detail", public_id=job.public_id)

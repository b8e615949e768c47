from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.access.guards import verified_user
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.confirm import confirm_page, confirmed
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
    if not job.is_finished and not confirmed(request):
        label = registry.label(job.kind, job.params)
        return confirm_page(
            request,
            heading=_("Cancel the job?"),
            consequence=_(
                "“%(job)s” is cancelled: a job still waiting never starts, a running one stops at "
                "its next check. What it has done so far stays done."
            )
            % {"job": label},
            irreversible=_(
                "A cancelled job cannot be resumed. To do the work after all, start it again "
                "where you started it."
            ),
            submit=_("Yes, cancel the job"),
            destructive=True,
            cancel_url=reverse("jobs:detail", args=[job.public_id]),
            cancel_label=_("No, let it run"),
            details=[(_("Job"), label), (_("Status"), job.get_status_display())],
        )
    if not job.is_finished:
        services.job_cancel(actor=request.user, job=job)
    return redirect("jobs:detail", public_id=job.public_id)

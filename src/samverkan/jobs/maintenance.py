"""Job handlers for the upkeep of the audit trail: ``audit.verify`` (weekly from the
scheduler, and on demand from the audit viewer) and ``audit.checkpoint`` (hourly).

The work is the audit app's (audit/maintenance.py); here it gets the job's progress
reporting and cancellation. Registered when the jobs app is ready (jobs/apps.py).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samverkan.audit import maintenance as trail
from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler


@handler(
    "audit.verify",
    result_template="audit/verify_result.html",
    label=lambda _params: _("Checking that the audit log is complete and unchanged"),
)
def audit_verify(ctx: JobContext) -> dict[str, Any]:
    def progress(done: int, total: int, *, final: bool = False) -> None:
        if final:
            ctx.progress(done, total, force=True)
            return
        ctx.check_cancelled()
        ctx.progress(done, total)

    creator = ctx.job.created_by
    return trail.verify_and_checkpoint(
        progress=progress,
        actor_id=creator.pk if creator else None,
        actor_organisation_id=creator.organisation_id if creator else None,
    )


@handler("audit.checkpoint", label=lambda _params: _("Recording a checkpoint of the audit log"))
def audit_checkpoint(ctx: JobContext) -> dict[str, Any]:
    """Fails the job when the checkpoint file cannot be written."""
    return trail.checkpoint_head()

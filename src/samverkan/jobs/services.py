"""Starting and cancelling background jobs (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.jobs import backends, registry
from samverkan.jobs.models import Job, JobStatus


@transaction.atomic
def job_start(*, actor: Any, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Create the job row and hand it to the configured backend after commit.

    ``params`` must be JSON and hold identifiers only. The caller has already checked
    that ``actor`` may start this kind of job.
    """
    registry.get(kind)  # unknown kinds fail here, not in the worker
    job = Job.objects.create(kind=kind, params=params or {}, created_by=actor if actor and actor.is_authenticated else None)
    audit.record(action=Action.JOB_STARTED, actor=actor, subject_type="job", subject_id=job.public_id,
                 detail={"kind": kind})
    backends.dispatch(job)
    return job


@transaction.atomic
def job_cancel(*, actor: Any, job: Job) -> None:
    """Ask the job to stop; a queued job is cancelled at once, a running one at its next
    cancellation check."""
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.CANCELLED)
    audit.record(action=Action.JOB_CANCELLED, actor=actor, subject_type="job", subject_id=job.public_id,
                 detail={"kind": job.kind})

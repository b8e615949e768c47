"""Starting, cancelling and recovering background jobs (audited)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.jobs import backends, registry
from samverkan.jobs.models import Job, JobStatus
from samverkan.jobs.runner import INTERRUPTED

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def job_start(*, actor: User | None, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Create the job row and hand it to the configured backend after commit.

    ``params`` must be JSON and hold identifiers only. The caller has already checked
    that ``actor`` may start this kind of job.
    """
    registry.get(kind)  # unknown kinds fail here, not in the worker
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record(
        action=Action.JOB_STARTED,
        actor=actor,
        subject_type="job",
        subject_id=job.public_id,
        detail={"kind": kind},
    )
    backends.dispatch(job)
    return job


@transaction.atomic
def job_cancel(*, actor: User, job: Job) -> None:
    """Ask the job to stop: a queued job is cancelled at once (it will never start), a
    running one stops at its next cancellation check. The caller has already checked
    that ``actor`` may see the job (jobs.selectors.get_job_for_user)."""
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )
    audit.record(
        action=Action.JOB_CANCELLED,
        actor=actor,
        subject_type="job",
        subject_id=job.public_id,
        detail={"kind": job.kind},
    )


@transaction.atomic
def job_mark_interrupted(*, job_id: int) -> bool:
    """Mark a queued or running job whose process died (crash, OOM kill, RQ work-horse
    killed) as failed with error "Interrupted"; returns whether it changed."""
    job = (
        Job.objects.select_for_update()
        .filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .first()
    )
    if job is None:
        return False
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=INTERRUPTED, finished_at=timezone.now()
    )
    audit.record(
        action=Action.JOB_INTERRUPTED,
        subject_type="job",
        subject_id=job.public_id,
        detail={"kind": job.kind},
    )
    return True


def jobs_recover(*, older_than: timedelta) -> list[Job]:
    """Mark jobs still "running" ``older_than`` after they started as failed
    ("Interrupted"); returns them.

    For the thread backend, whose jobs die with their web process. ``older_than`` must
    exceed the longest legitimate job: a live job marked by mistake keeps running, and
    its own final status then overwrites the mark.
    """
    cutoff = timezone.now() - older_than
    stale = list(Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).order_by("pk"))
    return [job for job in stale if job_mark_interrupted(job_id=job.pk)]

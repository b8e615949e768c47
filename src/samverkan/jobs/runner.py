"""Runs one job: the same code path for every backend (sync, thread, RQ worker)."""

from __future__ import annotations

import logging

from django.db import close_old_connections
from django.utils import timezone

from samverkan.jobs import registry
from samverkan.jobs.context import JobCancelled, JobContext
from samverkan.jobs.models import Job, JobStatus

log = logging.getLogger("samverkan.jobs")


def run_job(job_id: int) -> str:
    """Execute the job with primary key ``job_id``; returns its final status.

    Failures are stored as the exception's class name only: exception messages can
    quote data, and job pages must never show personal data.
    """
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return str(job.status)
    ctx = JobContext(job)
    try:
        if job.cancel_requested:
            raise JobCancelled
        result = registry.get(job.kind)(ctx, **job.params)
    except JobCancelled:
        status, result, error = JobStatus.CANCELLED, None, ""
    except Exception as exc:
        log.exception("job %s (%s) failed", job.public_id, job.kind)
        status, result, error = JobStatus.FAILED, None, type(exc).__name__
    else:
        status, error = JobStatus.SUCCEEDED, ""
    Job.objects.filter(pk=job_id).update(status=status, result=result, error=error, finished_at=timezone.now())
    return str(status)


def run_job_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        close_old_connections()

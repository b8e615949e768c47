"""Runs one job: the same code path for every backend (sync, thread, RQ worker)."""

from __future__ import annotations

import logging
import traceback
from contextlib import AbstractContextManager, nullcontext

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from samverkan.jobs import registry
from samverkan.jobs.context import JobCancelled, JobContext
from samverkan.jobs.models import Job, JobStatus

log = logging.getLogger("samverkan.jobs")

INTERRUPTED = "Interrupted"


def run_job(job_id: int) -> str:
    """Execute the job with primary key ``job_id``; returns its final status.

    Only a queued job is claimed (queued -> running in one UPDATE), so a job handed to
    two workers runs once and a job cancelled while queued never starts. Failures are
    stored as the exception's class name only: exception messages can quote data, and
    job pages and logs must never show personal data.
    """
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return str(job.status)
    status, result, error = JobStatus.CANCELLED, None, ""
    ctx = JobContext(job)
    if not job.cancel_requested:
        try:
            with _isolated():
                try:
                    result = registry.get(job.kind)(ctx, **job.params)
                    status = JobStatus.SUCCEEDED
                except JobCancelled:
                    pass  # work done before the check stays done
        except Exception as exc:
            _log_failure(job, exc)
            status, result, error = JobStatus.FAILED, None, type(exc).__name__[:300]
    # The last progress is written again: a rolled-back savepoint (sync backend) must
    # not make a failed job look as if it never started.
    Job.objects.filter(pk=job_id).update(
        status=status,
        result=result,
        error=error,
        finished_at=timezone.now(),
        progress_done=job.progress_done,
        progress_total=job.progress_total,
        message=job.message,
    )
    return str(status)


def _isolated() -> AbstractContextManager[object]:
    """Inside a caller's transaction (the sync backend runs in job_start's), give the
    handler a savepoint so its failure cannot poison the caller's transaction. Outside
    one (thread, RQ) run without a transaction, so progress is visible while it runs."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _log_failure(job: Job, exc: BaseException) -> None:
    # Class name and code locations only: the exception's message may quote data.
    frames = traceback.extract_tb(exc.__traceback__)[-5:]
    where = " <- ".join(
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames)
    )
    log.error("job %s (%s) failed: %s at %s", job.public_id, job.kind, type(exc).__name__, where)


def run_job_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        close_old_connections()

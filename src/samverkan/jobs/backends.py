"""Where jobs run: chosen by settings.SAMVERKAN_JOBS_BACKEND (docs/adr/0004).

- ``sync``: at once, in the caller (tests).
- ``thread``: a daemon thread in the web process after the transaction commits
  (the embedded default: no extra service; a job whose process dies stays "running"
  until ``samverkan jobs recover`` marks it failed).
- ``rq``: Redis Queue after the transaction commits; ``samverkan worker`` runs it.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samverkan.jobs.models import NOT_QUEUED, Job, JobStatus
from samverkan.jobs.runner import run_job, run_job_in_thread

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue

log = logging.getLogger("samverkan.jobs")

# RQ kills a job running longer than this; the Job row is then marked failed.
RQ_JOB_TIMEOUT_S = 6 * 3600
RQ_RESULT_TTL_S = 3600


def redis_connection() -> Redis:
    """A client for REDIS_URL whose connect and reads give up after REDIS_TIMEOUT_S, so
    queueing a job while Redis is unreachable fails in milliseconds instead of holding
    the user's request. (An RQ worker raises the read timeout above its own wait.)"""
    from redis import Redis  # deferred: redis (~0.2 s to import) serves the rq backend only

    timeout = settings.REDIS_TIMEOUT_S
    return Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=timeout, socket_timeout=timeout
    )


def queue_reachable() -> bool:
    """Whether the RQ queue's Redis answers a PING now (for the health check)."""
    from redis.exceptions import RedisError  # deferred: redis serves the rq backend only

    connection = redis_connection()
    try:
        return bool(connection.ping())
    except RedisError:
        return False
    finally:
        connection.close()


def rq_queue(connection: Redis | None = None) -> Queue:
    from rq import Queue  # deferred: rq (~0.25 s to import) serves the rq backend only

    return Queue(settings.SAMVERKAN_JOBS_QUEUE, connection=connection or redis_connection())


def dispatch(job: Job) -> None:
    """Hand ``job`` to the configured backend (after commit, except ``sync``)."""
    backend = settings.SAMVERKAN_JOBS_BACKEND
    if backend == "sync":
        run_job(job.pk)
        return
    if backend == "thread":
        transaction.on_commit(
            lambda: threading.Thread(
                target=run_job_in_thread, args=(job.pk,), daemon=True, name=f"job-{job.public_id}"
            ).start()
        )
        return
    if backend == "rq":
        transaction.on_commit(lambda: _enqueue(job))
        return
    raise RuntimeError(f"unknown SAMVERKAN_JOBS_BACKEND {backend!r}")


def _enqueue(job: Job) -> None:
    """Put the job on the RQ queue; if Redis is unreachable, fail the job visibly
    (error NOT_QUEUED: its page tells the user nothing was done and to try again later)
    instead of leaving it queued forever. The user's request still succeeds; the log
    names the kind of error."""
    try:
        rq_queue().enqueue(
            "samverkan.jobs.runner.run_job",
            job.pk,
            job_timeout=RQ_JOB_TIMEOUT_S,
            job_id=str(job.public_id),
            result_ttl=RQ_RESULT_TTL_S,
            description=job.kind,
        )
    except Exception as exc:
        log.error(
            "job %s (%s) could not be queued: %s", job.public_id, job.kind, type(exc).__name__
        )
        Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=NOT_QUEUED, finished_at=timezone.now()
        )

"""Where jobs run: chosen by settings.SAMVERKAN_JOBS_BACKEND (docs/adr/0004).

- ``sync``: at once, in the caller (tests).
- ``thread``: a daemon thread in the web process after the transaction commits
  (the embedded default: no extra service; the job row survives a restart as
  "running", see ``samverkan jobs recover``).
- ``rq``: Redis Queue; ``samverkan worker`` runs it.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import transaction

from samverkan.jobs.models import Job


def redis_connection():  # type: ignore[no-untyped-def]
    from redis import Redis

    return Redis.from_url(settings.REDIS_URL)


def rq_queue():  # type: ignore[no-untyped-def]
    from rq import Queue

    return Queue(settings.SAMVERKAN_JOBS_QUEUE, connection=redis_connection())


def dispatch(job: Job) -> None:
    backend = settings.SAMVERKAN_JOBS_BACKEND
    from samverkan.jobs.runner import run_job, run_job_in_thread

    if backend == "sync":
        run_job(job.pk)
        return
    if backend == "thread":
        transaction.on_commit(
            lambda: threading.Thread(target=run_job_in_thread, args=(job.pk,), daemon=True,
                                     name=f"job-{job.public_id}").start()
        )
        return
    if backend == "rq":
        transaction.on_commit(
            lambda: rq_queue().enqueue("samverkan.jobs.runner.run_job", job.pk, job_timeout=6 * 3600,
                                       job_id=str(job.public_id), result_ttl=3600)
        )
        return
    raise RuntimeError(f"unknown SAMVERKAN_JOBS_BACKEND {backend!r}")

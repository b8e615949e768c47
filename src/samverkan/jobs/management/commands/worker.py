"""`samverkan worker`: run the RQ worker for Samverkan's job queue (docs/adr/0004)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from samverkan.jobs.backends import redis_connection
from samverkan.jobs.services import job_mark_interrupted
from samverkan.lib.startup import database_check_refusals

log = logging.getLogger("samverkan.jobs")
RUN_JOB = "samverkan.jobs.runner.run_job"  # what jobs.backends enqueues


def _close_before_fork() -> None:
    """Work horses are forked from this process and must open their own database
    connections; a shared socket would corrupt both. (A connection inside a transaction
    is left alone: that only happens when a test calls this in-process.)"""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


def _work_horse_killed(job: Any, retpid: int, ret_val: int, rusage: Any) -> None:
    """The work horse died (OOM kill, timeout kill): fail the Job row so its page stops
    saying "running". Runs in the parent worker process. Only the runner's jobs carry a
    Job row's id (a roster's part runner is retried by its coordinator instead)."""
    if getattr(job, "func_name", "") != RUN_JOB:
        _close_before_fork()
        return
    try:
        job_id = int(job.args[0])
    except (IndexError, TypeError, ValueError):
        return
    try:
        job_mark_interrupted(job_id=job_id)
    finally:
        _close_before_fork()  # the next work horse is forked from this process


class Command(BaseCommand):
    help = "Run background jobs from the RQ queue on REDIS_URL (JOBS_BACKEND=rq)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst", action="store_true", help="Work until the queue is empty, then exit."
        )
        parser.add_argument(
            "--simple",
            action="store_true",
            help="Run jobs in this process instead of a forked work horse per job "
            "(no fork; for debugging and platforms without fork).",
        )
        parser.add_argument(
            "--queue",
            default="",
            help="Queue name (default: JOBS_QUEUE, i.e. settings.SAMVERKAN_JOBS_QUEUE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from redis.exceptions import RedisError  # deferred: heavy, for the rq backend only
        from rq import SimpleWorker, Worker  # deferred: heavy (~0.25 s), for the rq backend only

        refusals = database_check_refusals()
        if refusals:
            raise CommandError(f"Samverkan refuses to start: {refusals[0]}")
        queue = options["queue"] or settings.SAMVERKAN_JOBS_QUEUE
        connection = redis_connection()
        try:
            connection.ping()
        except RedisError as exc:
            raise CommandError(
                f"Redis at REDIS_URL is unreachable ({type(exc).__name__})"
            ) from None
        if not options["simple"]:
            _close_before_fork()
        worker_class = SimpleWorker if options["simple"] else Worker
        worker = worker_class(
            [queue], connection=connection, work_horse_killed_handler=_work_horse_killed
        )
        level = (
            "DEBUG" if options["verbosity"] > 1 else "INFO" if options["verbosity"] else "WARNING"
        )
        worked = worker.work(burst=options["burst"], logging_level=level)
        if options["burst"]:
            self.stdout.write(f"Queue {queue}: {'jobs done' if worked else 'nothing to do'}.")

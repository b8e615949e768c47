"""What a running job handler gets: progress reporting and cancellation checks."""

from __future__ import annotations

import time

from samverkan.jobs.models import Job


class JobCancelled(Exception):
    """Raised by JobContext.check_cancelled when the user asked to stop the job."""


class JobContext:
    """Progress writes are throttled (every ``interval`` seconds) so that a handler may
    report after every item without flooding the database."""

    def __init__(self, job: Job, *, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last_write = 0.0
        self._last_cancel_check = 0.0

    def progress(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < self.interval:
            return
        self._last_write = now
        Job.objects.filter(pk=self.job.pk).update(
            progress_done=done, progress_total=total, message=message[:300]
        )
        self.job.progress_done, self.job.progress_total, self.job.message = (
            done,
            total,
            message[:300],
        )

    def check_cancelled(self, *, force: bool = False) -> None:
        """Raise JobCancelled if the user asked to stop; asks the database at most every
        ``interval`` seconds unless ``force``. Handlers call it between items."""
        now = time.monotonic()
        if not force and now - self._last_cancel_check < self.interval:
            return
        self._last_cancel_check = now
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled

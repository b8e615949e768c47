"""Periodic jobs: what runs when, and the loop that starts them.

Every entry runs at most once per period key (e.g. the date for a daily job): the key is
inserted into ScheduledRun with a unique constraint before the job starts, so any number
of schedulers (several web processes in the demo, or a standby in production) start
each run exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from samverkan.jobs import registry, services
from samverkan.jobs.models import ScheduledRun

log = logging.getLogger("samverkan.jobs")


@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    hour: int  # local time (Europe/Stockholm) from which the run is due (hourly: ignored)
    period: str  # "hourly" | "daily" | "weekly" (Mondays) | "monthly" (1st)
    params: Callable[[datetime], dict[str, Any]] = field(default=lambda now: {})

    def key(self, now: datetime) -> str | None:
        """The period key if the run is due at ``now`` (local time), else None."""
        if self.period == "hourly":
            return now.strftime("%Y-%m-%dT%H")
        if now.hour < self.hour:
            return None
        if self.period == "daily":
            return now.strftime("%Y-%m-%d")
        if self.period == "weekly":
            return now.strftime("%G-W%V") if now.weekday() == 0 else None
        if self.period == "monthly":
            return now.strftime("%Y-%m") if now.day == 1 else None
        raise ValueError(self.period)


def _previous_month(now: datetime) -> dict[str, Any]:
    first = now.date().replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    return {"month": last_month.strftime("%Y-%m")}


SCHEDULE: list[Periodic] = [
    Periodic("reminders-refresh", "reminders.refresh", hour=5, period="daily"),
    Periodic("reminders-digest", "reminders.digest", hour=7, period="daily"),
    # Trefas: notices and e-mails N weeks before a release or leave (Forum.release_reminder_weeks).
    Periodic("trefas-release-reminders", "trefas.release_reminders", hour=6, period="daily"),
    Periodic("tips-retention", "tips.purge", hour=2, period="daily"),
    # Trefas: anyone on a list not discussed for two meeting cycles comes up for review.
    Periodic("trefas-review-due", "trefas.review_due", hour=5, period="daily"),
    Periodic("audit-verify", "audit.verify", hour=3, period="weekly"),
    # A signed checkpoint of the audit chain head outside the database (docs/adr/0009).
    Periodic("audit-checkpoint", "audit.checkpoint", hour=0, period="hourly"),
    Periodic("logreview-sample", "logreview.sample", hour=4, period="monthly", params=_previous_month),
]


def run_due(*, now: datetime | None = None, schedule: list[Periodic] | None = None) -> list[str]:
    """Start every job that is due and has not run in its period; returns their names."""
    now = timezone.localtime(now or timezone.now())
    started = []
    for entry in schedule or SCHEDULE:
        key = entry.key(now)
        if key is None:
            continue
        try:
            registry.get(entry.kind)
        except LookupError:
            continue  # the app that provides it is not installed
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=entry.name, period_key=key)
                services.job_start(actor=None, kind=entry.kind, params=entry.params(now))
        except IntegrityError:
            continue  # another scheduler started it
        started.append(entry.name)
    return started


def loop(*, interval_s: float = 60.0, iterations: int | None = None) -> None:
    """Run run_due() every ``interval_s`` seconds (forever unless ``iterations``)."""
    count = 0
    while iterations is None or count < iterations:
        try:
            for name in run_due():
                log.info("scheduled job started: %s", name)
        except Exception:
            log.exception("scheduler pass failed")
        count += 1
        if iterations is None or count < iterations:
            time.sleep(interval_s)

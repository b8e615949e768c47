"""`samverkan jobs recover` and the worker's work-horse-killed handler."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.jobs.management.commands.worker import _work_horse_killed
from samverkan.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def _job(status: str, *, started_minutes_ago: int | None) -> Job:
    started = (
        None
        if started_minutes_ago is None
        else timezone.now() - timedelta(minutes=started_minutes_ago)
    )
    return Job.objects.create(kind="test.count", status=status, started_at=started)


def test_recover_fails_only_old_running_jobs(capsys):
    stale = _job(JobStatus.RUNNING, started_minutes_ago=120)
    fresh = _job(JobStatus.RUNNING, started_minutes_ago=5)
    done = _job(JobStatus.SUCCEEDED, started_minutes_ago=600)
    queued = _job(JobStatus.QUEUED, started_minutes_ago=None)

    call_command("jobs", "recover", "--older-than", "60")

    out = capsys.readouterr().out
    assert "Marked 1 interrupted job(s)" in out
    assert str(stale.public_id) in out
    for job in (stale, fresh, done, queued):
        job.refresh_from_db()
    assert (stale.status, stale.error) == (JobStatus.FAILED, "Interrupted")
    assert stale.finished_at is not None
    assert fresh.status == JobStatus.RUNNING
    assert done.status == JobStatus.SUCCEEDED and done.error == ""
    assert queued.status == JobStatus.QUEUED
    event = AuditEvent.objects.get(action="job.interrupted")
    assert event.subject_id == str(stale.public_id)
    assert event.actor_id is None  # done by the system


def test_recover_is_idempotent(capsys):
    _job(JobStatus.RUNNING, started_minutes_ago=600)
    call_command("jobs", "recover")  # default threshold: 6 hours
    call_command("jobs", "recover")
    out = capsys.readouterr().out
    assert out.count("Marked 1 interrupted") == 1
    assert out.count("Marked 0 interrupted") == 1
    assert AuditEvent.objects.filter(action="job.interrupted").count() == 1


def test_recover_default_threshold_spares_a_job_of_a_few_hours():
    job = _job(JobStatus.RUNNING, started_minutes_ago=3 * 60)
    call_command("jobs", "recover")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_recover_refuses_a_negative_threshold():
    with pytest.raises(CommandError):
        call_command("jobs", "recover", "--older-than", "-1")


def test_jobs_needs_a_subcommand():
    with pytest.raises(CommandError):
        call_command("jobs")


def test_killed_work_horse_fails_its_job():
    running = _job(JobStatus.RUNNING, started_minutes_ago=1)
    finished = _job(JobStatus.SUCCEEDED, started_minutes_ago=1)
    run_job = "samverkan.jobs.runner.run_job"
    other = _job(JobStatus.RUNNING, started_minutes_ago=1)
    _work_horse_killed(SimpleNamespace(func_name=run_job, args=[running.pk]), 123, 9, None)
    _work_horse_killed(SimpleNamespace(func_name=run_job, args=[finished.pk]), 124, 9, None)
    _work_horse_killed(SimpleNamespace(func_name=run_job, args=[]), 125, 9, None)  # not one of ours: ignored
    # A roster's part runner (its first argument is no Job id) is left to its coordinator.
    _work_horse_killed(
        SimpleNamespace(func_name="samverkan.rostering.parallel.part_runner", args=[str(other.pk)]), 126, 9, None
    )
    other.refresh_from_db()
    assert other.status == JobStatus.RUNNING
    running.refresh_from_db()
    finished.refresh_from_db()
    assert (running.status, running.error) == (JobStatus.FAILED, "Interrupted")
    assert finished.status == JobStatus.SUCCEEDED
    assert AuditEvent.objects.filter(action="job.interrupted").count() == 1

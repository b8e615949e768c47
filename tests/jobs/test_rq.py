"""The production path: jobs queued on the real Redis and worked by RQ.

Skipped (with the reason) only when REDIS_URL is unset and REQUIRE_REDIS is not "1";
CI sets REQUIRE_REDIS=1, so an unreachable Redis fails the run there.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from redis import Redis
from rq import Queue, SimpleWorker

from samverkan.jobs import backends, services
from samverkan.jobs.models import Job, JobStatus

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def rq_settings(redis_url, rq_queue_name):
    with override_settings(
        SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL=redis_url, SAMVERKAN_JOBS_QUEUE=rq_queue_name
    ):
        yield


@pytest.fixture
def caseworker(user_factory):
    return user_factory(roles=["caseworker"])


def _queue(redis_url: str, name: str) -> Queue:
    return Queue(name, connection=Redis.from_url(redis_url))


@pytest.mark.usefixtures("rq_settings", "keep_signal_handlers")
def test_job_is_queued_after_commit_and_worked_by_rq(
    caseworker, redis_url, rq_queue_name, django_capture_on_commit_callbacks
):
    queue = _queue(redis_url, rq_queue_name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.job_start(actor=caseworker, kind="test.count", params={"n": 7})
        assert queue.count == 0  # nothing queued before the commit
    assert len(callbacks) == 1
    callbacks[0]()  # the commit happens
    assert queue.count == 1
    assert queue.job_ids == [str(job.public_id)]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED

    worker = SimpleWorker([queue], connection=queue.connection)
    assert worker.work(burst=True) is True

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total) == (7, 7)
    assert job.result == {"counted": 7}
    assert queue.count == 0
    rq_job = queue.fetch_job(str(job.public_id))
    assert rq_job is not None and rq_job.return_value() == JobStatus.SUCCEEDED


@pytest.mark.usefixtures("rq_settings", "keep_signal_handlers")
def test_failing_job_under_rq_stores_the_class_name(
    caseworker, redis_url, rq_queue_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(actor=caseworker, kind="test.fail")
    queue = _queue(redis_url, rq_queue_name)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "ValueError"
    assert (job.progress_done, job.progress_total) == (1, 2)


@pytest.mark.usefixtures("rq_settings", "keep_signal_handlers")
def test_job_cancelled_while_queued_is_skipped_by_the_worker(
    caseworker, redis_url, rq_queue_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(actor=caseworker, kind="test.count", params={"n": 3})
    services.job_cancel(actor=caseworker, job=job)
    queue = _queue(redis_url, rq_queue_name)
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.started_at is None and job.progress_done == 0


def test_unreachable_redis_fails_the_job_instead_of_leaving_it_queued(
    caseworker, django_capture_on_commit_callbacks
):
    """Needs no Redis: it is about the one that is not there."""
    with (
        override_settings(SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:1/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = services.job_start(actor=caseworker, kind="test.count", params={"n": 1})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "NotQueued"
    assert job.finished_at is not None


def test_a_job_started_while_redis_is_down_tells_the_user(
    user_factory, logged_in, django_capture_on_commit_callbacks
):
    """Needs no Redis: the request that starts the job answers at once (no 500, no
    wait), and the job's page says plainly that nothing was done and to try again."""
    admin = logged_in(user_factory(roles=["system_admin"]))
    with (
        override_settings(SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:1/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin.post("/logg/verifiera/")
    assert response.status_code == 302
    page = admin.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "the job queue is not reachable right now. Nothing was done." in page.content.decode()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and job.not_queued


# --- `samverkan worker` ------------------------------------------------------------------


@pytest.mark.usefixtures("rq_settings", "keep_signal_handlers")
def test_worker_command_burst_works_the_queue(
    caseworker, redis_url, rq_queue_name, django_capture_on_commit_callbacks, capsys
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.job_start(actor=caseworker, kind="test.count", params={"n": 2})
        second = services.job_start(actor=caseworker, kind="test.count", params={"n": 5})
    assert _queue(redis_url, rq_queue_name).count == 2
    # --simple: work in this process, which holds the test's (uncommitted) transaction.
    call_command("worker", "--burst", "--simple", verbosity=0)
    for job, n in ((first, 2), (second, 5)):
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED
        assert job.result == {"counted": n}
    assert _queue(redis_url, rq_queue_name).count == 0
    assert "jobs done" in capsys.readouterr().out
    call_command("worker", "--burst", "--simple", verbosity=0)
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.usefixtures("keep_signal_handlers")
def test_worker_command_refuses_an_unreachable_redis():
    from django.core.management.base import CommandError

    with (
        override_settings(REDIS_URL="redis://127.0.0.1:1/0"),
        pytest.raises(CommandError, match="REDIS_URL"),
    ):
        call_command("worker", "--burst")


@pytest.mark.slow
def test_forking_worker_in_a_subprocess(transactional_db, caseworker, redis_url, rq_queue_name):
    """`samverkan worker --burst` as production runs it: a separate process whose work
    horses fork per job. Needs a database another process can open (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs a database shared with a subprocess (run with DATABASE_URL=postgres://...)"
        )
    with override_settings(
        SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL=redis_url, SAMVERKAN_JOBS_QUEUE=rq_queue_name
    ):
        job = services.job_start(
            actor=caseworker, kind="audit.verify"
        )  # committed: on_commit fires
    assert _queue(redis_url, rq_queue_name).count == 1
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "JOBS_QUEUE": rq_queue_name,
    }
    result = subprocess.run(
        [sys.executable, "-m", "samverkan", "worker", "--burst"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, (job.status, job.error, result.stderr[-2000:])
    assert job.result["ok"] is True
    assert job.progress_done == job.progress_total > 0


def test_rq_backend_names_the_function_the_worker_imports():
    """The queued job names runner.run_job by dotted path; it must import."""
    from django.utils.module_loading import import_string

    from samverkan.jobs.runner import run_job

    assert import_string("samverkan.jobs.runner.run_job") is run_job
    assert backends.RQ_JOB_TIMEOUT_S >= 3600
    assert Job  # model imported for the type of job rows the worker updates

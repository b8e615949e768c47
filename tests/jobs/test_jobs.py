"""The job interface under the sync backend: running, progress, cancellation, failure,
and who may see a job."""

from __future__ import annotations

import logging
from itertools import count

import pytest
from django.test import override_settings
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.jobs import context as job_context
from samverkan.jobs import registry, selectors, services
from samverkan.jobs.models import Job, JobStatus
from samverkan.jobs.runner import run_job
from tests.jobs import handlers

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker(user_factory):
    return user_factory(roles=["caseworker"])


@pytest.fixture(autouse=True)
def _clear_hook():
    handlers.HOOK.clear()
    yield
    handlers.HOOK.clear()


@pytest.fixture
def fast_clock(monkeypatch):
    """Each time.monotonic() call in the job context is one second later, so throttled
    progress writes and cancellation checks always happen."""
    ticks = count(1000)
    monkeypatch.setattr(job_context.time, "monotonic", lambda: float(next(ticks)))


def test_a_registered_kind_runs_under_the_sync_backend(caseworker):
    assert "test.count" in registry.kinds()
    job = services.job_start(actor=caseworker, kind="test.count", params={"n": 4})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (4, 4, 100)
    assert job.result == {"counted": 4}
    assert job.error == ""
    assert job.created_by == caseworker
    assert job.started_at is not None and job.finished_at is not None
    started = AuditEvent.objects.get(action="job.started")
    assert (started.actor_id, started.subject_id) == (caseworker.pk, str(job.public_id))


def test_unknown_kind_is_refused_before_a_row_exists(caseworker):
    with pytest.raises(LookupError):
        services.job_start(actor=caseworker, kind="test.no-such-kind")
    assert not Job.objects.exists()


def test_a_kind_cannot_be_registered_twice():
    with pytest.raises(RuntimeError, match="registered twice"):
        registry.handler("test.count")(lambda ctx: None)


def test_progress_page_shows_progress(logged_in, caseworker):
    job = Job.objects.create(
        kind="test.count",
        created_by=caseworker,
        status=JobStatus.RUNNING,
        progress_done=3,
        progress_total=12,
    )
    client = logged_in(caseworker)
    response = client.get(reverse("jobs:detail", args=[job.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    templates = {t.name for t in response.templates}
    assert {"jobs/detail.html", "jobs/_progress.html", "base.html"} <= templates
    assert 'value="25"' in html  # the <progress> bar: 3 of 12
    assert "3" in html and "12" in html
    detail_url = reverse("jobs:detail", args=[job.public_id])
    assert f'hx-get="{detail_url}"' in html  # polls while running
    assert reverse("jobs:cancel", args=[job.public_id]) in html


def test_htmx_request_gets_only_the_fragment(logged_in, caseworker):
    job = Job.objects.create(
        kind="test.count",
        created_by=caseworker,
        status=JobStatus.RUNNING,
        progress_done=1,
        progress_total=2,
    )
    client = logged_in(caseworker)
    response = client.get(reverse("jobs:detail", args=[job.public_id]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    templates = {t.name for t in response.templates}
    assert "jobs/_progress.html" in templates
    assert "base.html" not in templates and "jobs/detail.html" not in templates
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="job-progress"')
    assert 'value="50"' in html


def test_finished_job_stops_polling_and_offers_no_cancel(logged_in, caseworker):
    job = services.job_start(actor=caseworker, kind="test.count", params={"n": 2})
    response = logged_in(caseworker).get(
        reverse("jobs:detail", args=[job.public_id]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "hx-get" not in html
    assert reverse("jobs:cancel", args=[job.public_id]) not in html
    assert 'value="100"' in html


def test_queued_job_is_cancelled_at_once_and_never_starts(caseworker):
    job = Job.objects.create(kind="test.count", params={"n": 3}, created_by=caseworker)
    services.job_cancel(actor=caseworker, job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.cancel_requested and job.finished_at is not None
    assert run_job(job.pk) == JobStatus.CANCELLED
    job.refresh_from_db()
    assert job.started_at is None and job.progress_done == 0
    assert AuditEvent.objects.filter(action="job.cancelled", subject_id=str(job.public_id)).exists()


def test_running_job_stops_at_the_next_cancellation_check(caseworker, fast_clock):
    def cancel(ctx):
        services.job_cancel(actor=caseworker, job=ctx.job)
        assert Job.objects.get(pk=ctx.job.pk).status == JobStatus.RUNNING  # not at once

    handlers.HOOK["after"] = cancel
    job = services.job_start(actor=caseworker, kind="test.hooked", params={"n": 10, "at": 3})
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.progress_done == 3  # item 4 never started
    assert job.result is None


def test_cancellation_checks_are_throttled_but_forced_checks_are_not(caseworker):
    job = Job.objects.create(kind="test.count", created_by=caseworker, status=JobStatus.RUNNING)
    ctx = job_context.JobContext(job, interval=3600)
    ctx.check_cancelled()  # first check asks the database
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    ctx.check_cancelled()  # within the interval: not asked again
    with pytest.raises(job_context.JobCancelled):
        ctx.check_cancelled(force=True)


def test_cancel_view_is_post_only_and_scoped(logged_in, caseworker, user_factory):
    job = Job.objects.create(kind="test.count", params={"n": 1}, created_by=caseworker)
    other = logged_in(user_factory(organisation=caseworker.organisation, roles=["caseworker"]))
    url = reverse("jobs:cancel", args=[job.public_id])
    assert other.post(url).status_code == 404
    job.refresh_from_db()
    assert not job.cancel_requested
    owner = logged_in(caseworker)
    assert owner.get(url).status_code == 405
    response = owner.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.public_id])
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


def test_cancelling_a_job_asks_first_then_cancels(logged_in, caseworker):
    from samverkan.audit.models import AuditEvent

    job = Job.objects.create(kind="test.count", params={"n": 1}, created_by=caseworker)
    url = reverse("jobs:cancel", args=[job.public_id])
    detail = reverse("jobs:detail", args=[job.public_id])
    owner = logged_in(caseworker)
    first = owner.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Cancel the job?" in body and "Yes, cancel the job" in body and "govuk-button--warning" in body
    assert "A cancelled job cannot be resumed" in body and 'type="hidden" name="confirmed" value="1"' in body
    assert f'<a class="govuk-link" href="{detail}">No, let it run</a>' in body
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and not job.cancel_requested
    assert not AuditEvent.objects.filter(action="job.cancelled").exists()
    # Going back: the job's page still offers to cancel it.
    assert f'action="{url}"' in owner.get(detail).content.decode()

    assert owner.post(url, {"confirmed": "1"}).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.cancel_requested
    assert AuditEvent.objects.filter(action="job.cancelled").count() == 1
    # A finished job asks nothing and changes nothing.
    assert owner.post(url).status_code == 302
    assert AuditEvent.objects.filter(action="job.cancelled").count() == 1


def test_failure_stores_only_the_exception_class_name(caseworker, caplog):
    caplog.set_level(logging.DEBUG)
    job = services.job_start(actor=caseworker, kind="test.fail")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "ValueError"
    assert job.result is None and job.finished_at is not None
    row = Job.objects.filter(pk=job.pk).values().get()
    assert not any(handlers.SECRET in str(value) for value in row.values())
    assert "ValueError" in caplog.text  # operators learn what failed and where ...
    assert handlers.SECRET not in caplog.text  # ... but not the data in the message


def test_failed_job_page_says_so_without_details(logged_in, caseworker):
    job = services.job_start(actor=caseworker, kind="test.fail")
    html = logged_in(caseworker).get(reverse("jobs:detail", args=[job.public_id])).content.decode()
    assert "govuk-error-message" in html
    assert handlers.SECRET not in html


def test_a_handler_failure_does_not_break_the_callers_transaction(caseworker):
    """Sync jobs run inside job_start's transaction; a failed handler (even after a
    database error) must leave it usable."""
    from django.db import IntegrityError

    from samverkan.jobs.registry import _HANDLERS

    def broken(ctx):
        Job.objects.create(kind="x", public_id=ctx.job.public_id)  # duplicate unique key
        raise AssertionError("unreachable")

    _HANDLERS["test.db-error"] = broken
    try:
        job = services.job_start(actor=caseworker, kind="test.db-error")
    finally:
        del _HANDLERS["test.db-error"]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == IntegrityError.__name__


# --- who may see a job -----------------------------------------------------------------


def test_owner_sees_their_job_another_user_gets_404(logged_in, caseworker, user_factory):
    job = services.job_start(actor=caseworker, kind="test.count", params={"n": 1})
    url = reverse("jobs:detail", args=[job.public_id])
    assert logged_in(caseworker).get(url).status_code == 200
    same_org = user_factory(organisation=caseworker.organisation, roles=["caseworker", "org_admin"])
    other_org = user_factory(roles=["manager"])
    for user in (same_org, other_org):
        client = logged_in(user)
        assert client.get(url).status_code == 404
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_missing_job_is_404_like_a_foreign_one(logged_in, caseworker):
    import uuid

    assert logged_in(caseworker).get(reverse("jobs:detail", args=[uuid.uuid4()])).status_code == 404


def test_system_job_viewer_sees_every_job(logged_in, caseworker, user_factory):
    job = services.job_start(actor=caseworker, kind="test.count", params={"n": 1})
    admin = user_factory(roles=["system_admin"])  # holds system:job:view
    assert logged_in(admin).get(reverse("jobs:detail", args=[job.public_id])).status_code == 200
    assert set(selectors.jobs_visible_to(user=admin)) == {job}


def test_selector_scopes(caseworker, user_factory):
    mine = Job.objects.create(kind="test.count", created_by=caseworker)
    theirs = Job.objects.create(kind="test.count", created_by=user_factory())
    system = Job.objects.create(kind="test.count", created_by=None)
    assert list(selectors.jobs_visible_to(user=caseworker)) == [mine]
    assert selectors.latest_job(user=caseworker, kind="test.count") == mine
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.jobs_visible_to(user=AnonymousUser()).exists()
    caseworker.is_active = False
    assert not selectors.jobs_visible_to(user=caseworker).exists()
    assert {theirs, system}  # created so that "all" would differ from "own"


@override_settings(SAMVERKAN_JOBS_BACKEND="thread")
def test_thread_backend_runs_after_commit(transactional_db, caseworker):
    import time

    job = services.job_start(actor=caseworker, kind="test.count", params={"n": 3})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.05)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"counted": 3}

"""A roster solved in parts on the job workers (rostering.parallel) against the real Redis:
the combined roster, its recomputed objective and summed bound, a lost worker's part
solved again, cancellation of every part, and the solve job on the RQ backend.

Skipped only when REDIS_URL is unset and REQUIRE_REDIS is not "1" (tests/jobs/conftest).
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from datetime import date

import pytest
from django.test import override_settings
from redis import Redis
from rq import Queue, SimpleWorker

from samverkan.rostering import parallel
from samverkan.rostering.engine.model import Expert, Problem, SolveResult
from samverkan.rostering.engine.shifts import generate_shifts, requirements_for
from samverkan.rostering.engine.solver.decompose import components
from samverkan.rostering.engine.solver.objective import objective
from samverkan.rostering.engine.validator import validate
from tests.jobs.conftest import redis_url, rq_queue_name  # noqa: F401 (fixtures)

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    """RQ workers install SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def tiny(areas: int = 3) -> Problem:
    """``areas`` independent areas, one week of 2 x 12 h shifts, one position, 5 experts each."""
    shifts, reqs, experts = [], [], []
    for k in range(areas):
        group = f"area{k}"
        sh = generate_shifts(group, date(2026, 12, 14), 7, "2x12")
        shifts.extend(sh)
        reqs.extend(requirements_for(sh, ("A",), 1))
        experts.extend(Expert(id=f"{group}/{i}", agency="A", groups=frozenset({group})) for i in range(5))
    return Problem(period_start=date(2026, 12, 14), days=7, shifts=shifts, requirements=reqs, experts=experts)


def _run_in_thread(problem: Problem, **kw) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def go() -> None:
        try:
            out["result"] = parallel.run_parts(problem, **kw)
        except BaseException as exc:  # re-raised by the test
            out["error"] = exc

    thread = threading.Thread(target=go, daemon=True)
    thread.start()
    return thread, out


def _work_until_done(thread: threading.Thread, queue: Queue, *, timeout: float = 60) -> int:
    """A real RQ worker (in-process, no fork) draining the queue until the run ends."""
    deadline = time.monotonic() + timeout
    rounds = 0
    while thread.is_alive() and time.monotonic() < deadline:
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        rounds += 1
        thread.join(timeout=0.2)
    assert not thread.is_alive(), "the run did not finish"
    return rounds


def _check_whole(problem: Problem, result: SolveResult) -> None:
    assert result.status == "optimal", (result.status, result.explanation)
    assert result.roster is not None
    assert validate(problem, result.roster) == []
    assert len(result.roster.assignments) == len(problem.requirements)
    # The objective of the roster returned, recomputed from it; the bound is the parts'.
    assert result.objective == pytest.approx(objective(problem, result.roster))
    assert result.bound is not None and result.bound <= result.objective + 1e-9


def test_parts_are_solved_by_the_workers_and_combined(redis_url, rq_queue_name):  # noqa: F811
    problem = tiny(3)
    connection = Redis.from_url(redis_url)
    queue = Queue(rq_queue_name, connection=connection)
    progress: list[dict] = []
    before = set(connection.scan_iter(f"{parallel.PREFIX}:*"))
    thread, out = _run_in_thread(
        problem,
        connection=connection,
        queue=rq_queue_name,
        time_limit_s=20,
        on_progress=progress.append,
        help=False,
        runners=2,
        redis_url=redis_url,
    )
    _work_until_done(thread, queue)
    assert "error" not in out, out.get("error")
    result = out["result"]
    _check_whole(problem, result)
    assert result.stats["parts"] == len(components(problem)) == 3
    assert result.stats["parts_done"] == 3 and result.stats["parts_retried"] == 0
    assert progress[-1]["parts_done"] == 3 and progress[-1]["parts_total"] == 3
    assert progress[-1]["objective"] == pytest.approx(result.objective)
    # Nothing of the run is left on Redis but the cancel flag (which expires).
    left = set(connection.scan_iter(f"{parallel.PREFIX}:*")) - before
    assert [k for k in left if not k.endswith(b":cancel")] == []
    assert all(0 < connection.ttl(k) <= parallel.CANCEL_TTL_S for k in left)


def test_a_part_whose_worker_died_is_solved_again(redis_url, rq_queue_name):  # noqa: F811
    problem = tiny(3)
    connection = Redis.from_url(redis_url)
    queue = Queue(rq_queue_name, connection=connection)
    thread, out = _run_in_thread(
        problem, connection=connection, queue=rq_queue_name, time_limit_s=20, help=False, runners=1, redis_url=redis_url
    )
    # A worker takes a part and dies at once: its claim stays, its heartbeat never beats.
    meta_key = None
    for _ in range(100):
        meta_key = next(iter(connection.scan_iter(f"{parallel.PREFIX}:*:meta")), None)
        if meta_key is not None:
            break
        time.sleep(0.05)
    assert meta_key is not None
    run_id = meta_key.decode().split(":")[-2]
    taken = connection.lpop(parallel._key(run_id, "pending"))
    connection.hset(parallel._key(run_id, "claims"), taken, "dead-runner")
    _work_until_done(thread, queue)
    assert "error" not in out, out.get("error")
    result = out["result"]
    _check_whole(problem, result)
    assert result.stats["parts_retried"] == 1


def test_cancelling_the_run_stops_every_part(redis_url, rq_queue_name):  # noqa: F811
    problem = tiny(2)
    connection = Redis.from_url(redis_url)
    queue = Queue(rq_queue_name, connection=connection)
    stop = threading.Event()
    thread, out = _run_in_thread(
        problem,
        connection=connection,
        queue=rq_queue_name,
        time_limit_s=20,
        should_stop=stop.is_set,
        help=False,
        runners=3,
        redis_url=redis_url,
    )
    time.sleep(0.3)
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert out["result"].status == "cancelled" and out["result"].roster is None
    # The runners still queued were cancelled; none of them solves anything.
    assert queue.count == 0
    assert SimpleWorker([queue], connection=connection).work(burst=True) is False


def test_a_runner_of_a_finished_or_cancelled_run_does_nothing(redis_url):  # noqa: F811
    connection = Redis.from_url(redis_url)
    assert parallel._work(connection, uuid.uuid4().hex, runner_id="r") == 0


@pytest.mark.django_db
def test_the_solve_job_uses_the_workers_with_the_rq_backend(
    personas, reference, redis_url, rq_queue_name  # noqa: F811
):
    """solve_plan on the RQ backend: the parts go to Redis, this process helps (no other
    worker runs here), the combined roster is validated and stored as for a one-process
    solve, and the progress counts the parts."""
    from samverkan.rostering import problem as pb
    from samverkan.rostering.services import rosters as roster_services
    from samverkan.rostering.services import rules as rule_services
    from tests.actiongroups.helpers import make_experts, make_group, monday

    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")
    make_experts(reference["tullverket"], group, 6)
    plan = roster_services.plan_get_or_create(actor=coord, group=group, period_start=monday(1), weeks=1)
    ticks: list[dict] = []

    def tick(live: dict) -> bool:
        ticks.append(live)
        return False

    with override_settings(SAMVERKAN_JOBS_BACKEND="rq", REDIS_URL=redis_url, SAMVERKAN_JOBS_QUEUE=rq_queue_name):
        version = roster_services.solve_plan(plan=plan, time_limit_s=10, tick=tick, tick_interval_s=0.05)
    assert version.solver_status == "optimal"
    assert version.violations == []
    assert version.stats["parts"] == 1 and version.stats["parts_done"] == 1
    assert version.assignments.count() == 14
    problem = pb.build_problem(plan)
    assert version.objective == pytest.approx(objective(problem, pb.roster_of(version)))
    assert ticks[-1]["parts_total"] == 1


def test_the_progress_page_counts_the_parts():
    from django.template.loader import render_to_string

    live = {
        "running": True,
        "status": None,
        "objective": None,
        "bound": 12.0,
        "elapsed_s": 3.0,
        "time_limit_s": 60,
        "mode": "solve",
        "changes": None,
        "explanation": [],
        "violations": 0,
        "version_id": None,
        "parts_done": 5,
        "parts_total": 660,
    }
    page = render_to_string("rostering/solve_result.html", {"result": live})
    assert 'data-testid="parts">5 of 660<' in page
    assert 'data-testid="parts"' not in render_to_string(
        "rostering/solve_result.html", {"result": {**live, "parts_done": None, "parts_total": None}}
    )


def test_one_thread_still_proves_a_part_impossible():
    """A worker solves parts with one thread (local search first, which cannot prove
    anything); a part without any roster is still reported infeasible, with reasons."""
    from samverkan.rostering.engine.solver.run import solve

    problem = tiny(1)
    short = Problem(
        period_start=problem.period_start,
        days=problem.days,
        shifts=problem.shifts,
        requirements=problem.requirements,
        experts=problem.experts[:1],
    )
    result = solve(short, time_limit_s=10, threads=1)
    assert result.status == "infeasible" and result.explanation
    assert solve(problem, time_limit_s=10, threads=1).status == "optimal"


@pytest.mark.slow
def test_a_real_samverkan_worker_solves_the_parts(redis_url, rq_queue_name):  # noqa: F811
    """`samverkan worker` as production runs it (a forked work horse per runner job)."""
    import os
    import subprocess
    import sys

    problem = tiny(2)
    connection = Redis.from_url(redis_url)
    thread, out = _run_in_thread(
        problem, connection=connection, queue=rq_queue_name, time_limit_s=30, help=False, runners=2, redis_url=redis_url
    )
    for _ in range(100):  # the runners are queued
        if Queue(rq_queue_name, connection=connection).count:
            break
        time.sleep(0.05)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "samverkan.settings.test", "REDIS_URL": redis_url}
    worker = subprocess.run(
        [sys.executable, "-m", "samverkan", "worker", "--burst", "--queue", rq_queue_name],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    thread.join(timeout=30)
    assert not thread.is_alive() and "error" not in out
    _check_whole(problem, out["result"])

"""Solving a large roster as independent parts on the job workers (issue 14, finding 3).

The engine splits a problem into independent components (``engine.solver.decompose``);
the national instance has hundreds. Here a *run* puts every component on Redis as a
part, and enqueues *part runners* on the RQ queue: each runner, in whichever
``samverkan worker`` takes it (on any machine that reaches the same Redis), pops parts
one at a time, solves each with one CP-SAT thread (one worker process per core) and
stores its roster, objective and bound. The coordinator (``run_parts``) waits, reports
the aggregated progress, and combines the parts:

* the objective reported is recomputed from the combined roster
  (``engine.solver.objective``), and the bound is the sum of the parts' proven bounds,
  capped at it (ADR 0007: each part's bound is at most its roster's objective, and the
  objective is a sum over components);
* cancellation: a flag on Redis that every runner polls while it searches; parts not yet
  started are dropped;
* a lost worker (machine gone, process killed): a runner keeps a heartbeat key alive
  while it works; a part claimed by a runner whose heartbeat has expired goes back on the
  list and a fresh runner is enqueued (the part is solved again from scratch);
* the caller validates the whole roster (``services.rosters.solve_plan`` runs the
  independent validator on it, as for a roster solved in one process).

The coordinator can help (``help=True``): it then runs a part runner in its own process
as well, so a run whose coordinator is itself a job on the only worker still finishes,
and parts fall to whoever is free. Without the RQ backend (tests, ``make demo`` on
SQLite) rosters are solved in one process by ``engine.solver.run.solve`` as before.

Parts travel pickled (like RQ's own job payloads), so Redis must be as trusted as the
job queue already is. Keys carry no personal data in their names, and expire after a day.
"""

from __future__ import annotations

import json
import pickle
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

from samverkan.rostering.engine.model import Problem, Roster, SolveResult

if TYPE_CHECKING:
    from redis import Redis

PREFIX = "samverkan:roster-run"
KEY_TTL_S = 24 * 3600
CANCEL_TTL_S = 600
HEARTBEAT_TTL_S = 15  # a runner silent this long is taken for dead
HEARTBEAT_EVERY_S = 3.0
POLL_S = 0.25
RUNNER_FUNCTION = "samverkan.rostering.parallel.part_runner"
# Runners enqueued per run: more than the workers any deployment runs at once is harmless
# (a runner that finds no part left ends at once), fewer would leave workers idle.
DEFAULT_RUNNERS = 16
# As jobs.backends' RQ limits (not imported: this module also runs outside Django, in
# benchmarks/roster.py).
RUNNER_TIMEOUT_S = 6 * 3600
RUNNER_RESULT_TTL_S = 3600
MAX_TRIES = 3  # a part lost more often than this (it kills its worker?) fails the run


class PartFailed(RuntimeError):
    """A part's runner died again and again; the run is given up."""


def _key(run_id: str, name: str) -> str:
    return f"{PREFIX}:{run_id}:{name}"


@dataclass
class PartResult:
    status: str
    assignments: list[Any]
    objective: float | None
    bound: float | None
    explanation: list[str]
    explanation_details: list[Any]
    solutions: float


# --------------------------------------------------------------------------- runner side


def part_runner(run_id: str, redis_url: str = "") -> int:
    """An RQ job: solve parts of run ``run_id`` until none is left or the run is
    cancelled; returns how many it solved. ``redis_url`` empty: the worker's own Redis
    (REDIS_URL)."""
    connection = _connect(redis_url)
    return _work(connection, run_id, runner_id=uuid.uuid4().hex)


def _connect(redis_url: str) -> Redis:
    from redis import Redis  # deferred: the rq backend only

    if redis_url:
        return Redis.from_url(redis_url)
    return Redis.from_url(settings.REDIS_URL)


_POP_AND_CLAIM = """
local index = redis.call('LPOP', KEYS[1])
if index then redis.call('HSET', KEYS[2], index, ARGV[1]) end
return index
"""


def _work(connection: Redis, run_id: str, *, runner_id: str) -> int:
    from samverkan.rostering.engine.solver.decompose import sub_problem  # deferred: OR-Tools
    from samverkan.rostering.engine.solver.run import solve  # deferred: OR-Tools, as above

    raw_meta = connection.get(_key(run_id, "meta"))
    if raw_meta is None:
        return 0  # the run is over (or was never started)
    meta = json.loads(raw_meta)
    hb = _key(run_id, f"hb:{runner_id}")
    stop_heartbeat = threading.Event()

    def beat() -> None:
        while not stop_heartbeat.is_set():
            connection.set(hb, "1", ex=HEARTBEAT_TTL_S)
            stop_heartbeat.wait(HEARTBEAT_EVERY_S)

    beater = threading.Thread(target=beat, daemon=True, name=f"roster-part-hb-{runner_id[:8]}")
    beater.start()
    solved = 0
    last_check = [0.0, False]

    def cancelled() -> bool:
        now = time.monotonic()
        if now - last_check[0] >= 0.5:
            last_check[0], last_check[1] = now, bool(connection.exists(_key(run_id, "cancel")))
        return bool(last_check[1])

    try:
        while not cancelled():
            # Taken and claimed in one step: a runner that dies in between cannot lose it.
            raw = connection.eval(_POP_AND_CLAIM, 2, _key(run_id, "pending"), _key(run_id, "claims"), runner_id)
            if raw is None:
                break
            index = int(raw)
            blob = connection.hget(_key(run_id, "parts"), str(index))
            if blob is None or connection.hexists(_key(run_id, "done"), str(index)):
                connection.hdel(_key(run_id, "claims"), str(index))
                continue
            problem, comp, hint = _unpickle(blob)
            part = sub_problem(problem, comp)
            size = max(1, len(comp.cells)) * max(1, len(comp.experts))
            pending_before = float(connection.incrbyfloat(_key(run_id, "pending_size"), -size)) + size
            workers = max(1, _workers_on(connection, meta["queue"]))
            remaining = float(meta["deadline"]) - time.time()
            limit = max(2.0, min(remaining, remaining * workers * size / max(1.0, pending_before)))
            result = solve(part, time_limit_s=limit, should_stop=cancelled, hint=hint, threads=1)
            if result.status == "cancelled":
                break
            outcome = PartResult(
                status=result.status,
                assignments=list(result.roster.assignments) if result.roster is not None else [],
                objective=result.objective,
                bound=result.bound,
                explanation=list(result.explanation),
                explanation_details=list(result.explanation_details),
                solutions=float(result.stats.get("solutions", 0.0)),
            )
            pipe = connection.pipeline()
            pipe.hset(_key(run_id, "done"), str(index), pickle.dumps(outcome))
            pipe.rpush(_key(run_id, "finished"), str(index))
            pipe.hdel(_key(run_id, "claims"), str(index))
            pipe.execute()
            solved += 1
    finally:
        stop_heartbeat.set()
        connection.delete(hb)
    return solved


def _workers_on(connection: Redis, queue: str) -> int:
    from rq import Queue, Worker  # deferred: the rq backend only

    try:
        return int(Worker.count(queue=Queue(queue, connection=connection)))
    except Exception:  # counting is a hint for time shares only
        return 1


# ---------------------------------------------------------------------- coordinator side


def run_parts(
    problem: Problem,
    *,
    connection: Redis,
    queue: str,
    time_limit_s: float,
    on_progress: Callable[[dict[str, float | None]], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    hint: Roster | None = None,
    help: bool = True,
    runners: int = DEFAULT_RUNNERS,
    redis_url: str = "",
) -> SolveResult:
    """Solve ``problem`` with its independent parts spread over the RQ workers of
    ``queue`` (see the module docstring); the result has the shape of
    ``engine.solver.run.solve``'s. ``help``: also solve parts in this process.
    ``redis_url`` is handed to the runners (empty: the workers' REDIS_URL)."""
    from rq import Queue  # deferred: the rq backend only

    from samverkan.rostering.engine.solver.bounds import gap  # deferred: the solver package imports OR-Tools (~0.7 s)
    from samverkan.rostering.engine.solver.decompose import components  # deferred: OR-Tools, as above
    from samverkan.rostering.engine.solver.objective import objective  # deferred: OR-Tools, as above

    started = time.monotonic()
    comps = components(problem)
    if not comps:
        return SolveResult(status="optimal", roster=Roster([]), objective=0.0, bound=0.0, stats={"wall_s": 0.0})
    run_id = uuid.uuid4().hex
    keys = [
        _key(run_id, n)
        for n in ("meta", "pending", "pending_size", "parts", "claims", "done", "finished", "tries", "cancel")
    ]
    # Largest parts first: they set the wall time, small ones fill the gaps at the end.
    order = sorted(range(len(comps)), key=lambda i: -len(comps[i].cells) * len(comps[i].experts))
    hint_by_expert: dict[str, list[Any]] = {}
    if hint is not None:
        for a in hint.assignments:
            hint_by_expert.setdefault(a.expert_id, []).append(a)
    # The parts share one copy of the problem's data per part: only what sub_problem reads.
    pipe = connection.pipeline()
    for i, comp in enumerate(comps):
        part_hint = None
        if hint is not None:
            part_hint = Roster([a for e in comp.experts for a in hint_by_expert.get(e.id, [])])
        pipe.hset(keys[3], str(i), pickle.dumps((_slim(problem, comp), comp, part_hint)))
    pipe.set(
        keys[0],
        json.dumps({"deadline": time.time() + time_limit_s, "queue": queue, "parts": len(comps)}),
    )
    pipe.set(keys[2], float(sum(max(1, len(c.cells)) * max(1, len(c.experts)) for c in comps)))
    pipe.rpush(keys[1], *[str(i) for i in order])
    for key in keys:
        pipe.expire(key, KEY_TTL_S)
    pipe.execute()
    rq = Queue(queue, connection=connection)
    rq_ids: list[str] = []
    helper: threading.Thread | None = None
    retried = 0
    seen = 0
    cancelled = False
    done: dict[int, PartResult] = {}
    try:
        rq_ids.extend(_enqueue_runner(rq, run_id, redis_url) for _ in range(max(1, runners)))
        if help:
            helper = threading.Thread(
                target=_work,
                args=(connection, run_id),
                kwargs={"runner_id": f"coordinator-{run_id[:8]}"},
                daemon=True,
                name="roster-parts-helper",
            )
            helper.start()
        while True:
            if should_stop is not None and should_stop():
                cancelled = True
                break
            # Only the parts finished since the last look are read (a list, in order).
            fresh = connection.lrange(keys[6], seen, -1)
            seen += len(fresh)
            for field in fresh:
                index = int(field)
                blob = connection.hget(keys[5], field)
                if index not in done and blob is not None:
                    done[index] = _unpickle(blob)
            if on_progress is not None:
                on_progress(_progress(done, len(comps), started))
            if len(done) == len(comps):
                break
            retried += _requeue_lost(connection, run_id, rq, redis_url, done)
            time.sleep(POLL_S)
    finally:
        # Every runner stops at its next poll (the flag outlives the run's other keys a
        # little; a runner started later finds no run and ends).
        connection.set(keys[-1], "1", ex=CANCEL_TTL_S)
        connection.delete(keys[1])
        for rq_id in rq_ids:
            _cancel_queued(rq, rq_id)
        if helper is not None:
            helper.join(timeout=30)
        for key in keys[:-1]:
            connection.delete(key)
    wall = time.monotonic() - started
    stats: dict[str, float] = {
        "wall_s": round(wall, 3),
        "components": float(len(comps)),
        "components_solved": float(sum(1 for r in done.values() if r.assignments or r.status == "optimal")),
        "parts": float(len(comps)),
        "parts_done": float(len(done)),
        "parts_retried": float(retried),
        "solutions": float(sum(r.solutions for r in done.values())),
    }
    if cancelled:
        return SolveResult(status="cancelled", roster=None, stats=stats)
    infeasible = [r for r in done.values() if r.status == "infeasible"]
    if infeasible:
        stats["infeasible_components"] = float(len(infeasible))
        return SolveResult(
            status="infeasible",
            roster=None,
            explanation=[line for r in infeasible for line in r.explanation],
            explanation_details=[d for r in infeasible for d in r.explanation_details],
            stats=stats,
        )
    unsolved = [r for r in done.values() if r.status not in ("optimal", "feasible")]
    if unsolved:
        return SolveResult(
            status="unknown",
            roster=None,
            explanation=[line for r in unsolved for line in r.explanation][:20],
            stats=stats,
        )
    assignments = [a for r in done.values() for a in r.assignments]
    assignments.sort(key=lambda a: (a.shift_id, a.agency, a.expert_id))
    roster = Roster(assignments)
    total = objective(problem, roster)
    bound = min(total, sum(min(r.bound or 0.0, r.objective or 0.0) for r in done.values()))
    stats.update(objective=total, bound=bound, gap=gap(total, bound))
    stats["components_optimal"] = float(sum(1 for r in done.values() if r.status == "optimal"))
    status = "optimal" if all(r.status == "optimal" for r in done.values()) else "feasible"
    return SolveResult(status=status, roster=roster, objective=total, bound=bound, stats=stats)


def _slim(problem: Problem, comp: Any) -> Problem:
    """The data of ``problem`` that one part needs (``sub_problem`` of it is the part)."""
    from samverkan.rostering.engine.solver.decompose import sub_problem  # deferred: OR-Tools

    return sub_problem(problem, comp)


def _enqueue_runner(rq: Any, run_id: str, redis_url: str) -> str:
    job = rq.enqueue(
        RUNNER_FUNCTION,
        run_id,
        redis_url,
        job_timeout=RUNNER_TIMEOUT_S,
        result_ttl=RUNNER_RESULT_TTL_S,
        description="roster.parts",
    )
    return str(job.id)


def _cancel_queued(rq: Any, rq_id: str) -> None:
    from rq.job import Job as RqJob  # deferred: the rq backend only

    try:
        job = RqJob.fetch(rq_id, connection=rq.connection)
        if job.get_status(refresh=False) == "queued":
            job.cancel()
    except Exception:  # gone or already finished: nothing to cancel
        return


def _requeue_lost(connection: Redis, run_id: str, rq: Any, redis_url: str, done: dict[int, PartResult]) -> int:
    """Put back the parts claimed by a runner whose heartbeat expired (its worker died)
    and enqueue a fresh runner for them; returns how many went back."""
    lost = 0
    for field, owner in connection.hgetall(_key(run_id, "claims")).items():
        index = int(field)
        if index in done or connection.exists(_key(run_id, f"hb:{_text(owner)}")):
            continue
        if connection.hdel(_key(run_id, "claims"), field):
            if int(connection.hincrby(_key(run_id, "tries"), field, 1)) > MAX_TRIES:
                raise PartFailed(f"part {index} was lost {MAX_TRIES + 1} times")
            connection.lpush(_key(run_id, "pending"), str(index))
            part = _unpickle(connection.hget(_key(run_id, "parts"), field) or b"")
            comp = part[1]
            connection.incrbyfloat(_key(run_id, "pending_size"), max(1, len(comp.cells)) * max(1, len(comp.experts)))
            _enqueue_runner(rq, run_id, redis_url)
            lost += 1
    return lost


def _unpickle(value: bytes | str) -> Any:
    """A payload this module pickled (see the module docstring on trusting Redis)."""
    return pickle.loads(value if isinstance(value, bytes) else value.encode("latin-1"))  # noqa: S301


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _progress(done: dict[int, PartResult], total: int, started: float) -> dict[str, float | None]:
    solved = [r for r in done.values() if r.status in ("optimal", "feasible")]
    complete = len(solved) == total
    return {
        "objective": sum(r.objective or 0.0 for r in solved) if complete else None,
        "bound": sum(min(r.bound or 0.0, r.objective or 0.0) for r in solved),
        "elapsed_s": round(time.monotonic() - started, 3),
        "solutions": float(sum(r.solutions for r in done.values())),
        "parts_done": float(len(done)),
        "parts_total": float(total),
    }

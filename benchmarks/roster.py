#!/usr/bin/env python
"""Roster engine benchmark (issue 4, Acceptance).

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/roster.py --json                 # all instances, ~6-10 min (needs Redis)
    .venv/bin/python benchmarks/roster.py --json --quick         # smoke run, short limits
    .venv/bin/python benchmarks/roster.py --json --instances stockholm,replan --seed 7
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/roster.py --json \
        --instances national_workers [--areas 12]                 # 1 then 2 samverkan workers

Instances, generated from ``--seed`` (default 1), period 28 days from Monday 2026-12-14
(includes Christmas, New Year and Epiphany), 3 x 8 h shifts, 2 positions per agency for
each of the eleven agencies, 10 experts per agency per area (40 h contracts), 10 % leave:

* ``stockholm``: the six areas of the 2023 police list in Stockholm city.
* ``stockholm_shared``: the same, but every expert may also serve one neighbouring area
  (areas in a ring; even-numbered experts the next area, odd ones the previous), so the
  problem no longer splits per area.
* ``national``: 60 areas.

Leave: per area and agency, 10 % of the expert-days (28 of 280) in blocks of 3-7 days, one
block per expert at most and at most two experts of the agency off on the same day (as an
employer approving leave would keep it).

Per instance one solve with a 60 s limit (``--quick``: 10 s) and one with a 10 s limit
(``--quick``: 3 s) are run, each in a child process (so ``peak_rss_mb`` is the long
solve's own peak); ``objective_10s``/``bound_10s`` and ``objective_60s``/``bound_60s`` are
what those solves report for the roster they return. ``objective_recomputed_10s`` and
``objective_recomputed_60s`` are the objectives of those rosters recomputed here
(``recompute_objective``: from the roster and the problem data, without the solver
package or OR-Tools); the benchmark exits non-zero, after printing its report, if a
reported objective differs from the recomputed one or a bound lies above it. The roster
is checked by the independent validator (``violations`` must be 0).
``fairness_spread`` is the largest max - min difference of nights, weekend or holiday
shifts within any agency cohort. ``replan``: the Stockholm roster is published, five
experts (seeded) fall sick for week 2, shifts before week 2 are pinned, and the roster is
repaired with a 10 s limit (sick leave from Monday 06:00, when Sunday's pinned night
shift has ended: a pinned shift overlapping new leave is reported as a conflict); changes count added + removed assignments.

``national_workers``: the national instance (``--quick``: 12 areas; ``--areas N``: N
areas, a reduced check) solved through 1 and then 2 real ``samverkan worker`` processes on
Redis (REDIS_URL, default redis://127.0.0.1:6379/0; the workers use
DJANGO_SETTINGS_MODULE, default the demo settings): its independent parts are queued by
``samverkan.rostering.parallel`` and each worker solves parts with one CP-SAT thread;
``seconds`` is the wall time from queueing to the combined roster (limit 300 s, ``--quick``
60 s), ``ratio_2_to_1`` the second over the first (target ≤ 0.6 on 2 cores). Its objective
is recomputed and its roster validated like the others'.

Note: the machine has 2 cores; other processes running at the same time slow this down.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from samverkan.rostering.engine.model import (  # noqa: E402
    Expert,
    Leave,
    Problem,
    Requirement,
    Roster,
    Shift,
)
from samverkan.rostering.engine.shifts import (  # noqa: E402
    DEFAULT_AGENCIES,
    generate_shifts,
    is_night_shift,
    requirements_for,
)

START = date(2026, 12, 14)
DAYS = 28
STOCKHOLM = (
    "Rinkeby/Tensta",
    "Husby",
    "Bredäng",
    "Vårberg",
    "Hässelby/Vällingby",
    "Hagsätra/Rågsved",
)
INSTANCES = ("stockholm", "stockholm_shared", "national")


def build(
    groups: list[str],
    *,
    seed: int,
    shared: bool = False,
    experts_per: int = 10,
    positions: int = 2,
    leave_rate: float = 0.10,
) -> Problem:
    rng = random.Random(seed)
    shifts = []
    reqs = []
    for g in groups:
        sh = generate_shifts(g, START, DAYS, "3x8")
        shifts.extend(sh)
        reqs.extend(requirements_for(sh, DEFAULT_AGENCIES, positions))
    p0 = datetime.combine(START, datetime.min.time())
    experts: list[Expert] = []
    for k, g in enumerate(groups):
        for agency in DEFAULT_AGENCIES:
            target = round(leave_rate * experts_per * DAYS)
            off = [0] * DAYS
            leave: dict[int, tuple[Leave, ...]] = {}
            got = 0
            for _ in range(2000):
                if got >= target:
                    break
                i = rng.randrange(experts_per)
                if i in leave:
                    continue
                length = min(rng.randint(3, 7), target - got)
                d0 = rng.randrange(DAYS - length + 1)
                if any(off[d] >= 2 for d in range(d0, d0 + length)):
                    continue
                for d in range(d0, d0 + length):
                    off[d] += 1
                kind = rng.choice(("vacation", "training", "sick"))
                leave[i] = (Leave(p0 + timedelta(days=d0), p0 + timedelta(days=d0 + length), kind),)
                got += length
            for i in range(experts_per):
                serve = {g}
                if shared and len(groups) > 1:
                    serve.add(groups[(k + (1 if i % 2 == 0 else -1)) % len(groups)])
                experts.append(
                    Expert(
                        id=f"{g}/{agency}/{i + 1:02d}",
                        agency=agency,
                        groups=frozenset(serve),
                        leave=leave.get(i, ()),
                    )
                )
    return Problem(period_start=START, days=DAYS, shifts=shifts, requirements=reqs, experts=experts)


def instance(name: str, *, seed: int, quick: bool) -> Problem:
    if name == "stockholm":
        return build(list(STOCKHOLM), seed=seed)
    if name == "stockholm_shared":
        return build(list(STOCKHOLM), seed=seed, shared=True)
    if name == "national":
        n = 12 if quick else 60
        return build([f"Område {i:02d}" for i in range(1, n + 1)], seed=seed)
    raise SystemExit(f"unknown instance {name!r}")


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def recompute_objective(problem: Problem, roster: Roster) -> float:
    """The objective ``solve`` minimises, of ``roster``, computed from the roster and the
    problem data alone (written apart from the engine's solver package, as a check on it):

    * fairness: the experts are split into independent parts (experts of one agency who
      may serve several groups join those groups' (group, agency) cells); in each part and
      for each kind of shift (nights, weekends, public holidays) with a positive weight, the
      cohort is the part's experts of the agency who may work at least one of its shifts of
      that kind; a cohort of two or more whose kind has required positions adds
      ``weight * (most - fewest)`` such shifts worked by one of its experts;
    * preferences: ``weights.preference`` per avoided shift code, avoided weekday and
      shift outside the wanted codes, on every shift worked that the expert may work.

    An expert may work a shift of one of their groups that their agency is required on,
    not longer than the longest shift allowed nor than 24 h less the daily rest, not
    overlapping their leave, not a night shift unless night work is allowed, with the
    qualifications of a sole requirement, and (with a published roster) not a pinned shift
    they were not published on."""
    rules, weights = problem.rules, problem.weights
    shifts = {s.id: s for s in problem.shifts}
    reqs: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
    for r in problem.requirements:
        reqs[(r.shift_id, r.agency)].append(r)
    pinned_until = problem.pinned_until if problem.published is not None else None
    published = {(a.expert_id, a.shift_id) for a in problem.published.assignments} if problem.published else set()

    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for e in problem.experts:
        nodes = sorted((g, e.agency) for g in e.groups)
        for node in nodes[1:]:
            a, b = root(nodes[0]), root(node)
            if a != b:
                parent[a] = b

    def may(e: Expert, s: Shift) -> bool:
        rs = reqs.get((s.id, e.agency), [])
        if s.group not in e.groups or sum(r.count for r in rs) <= 0:
            return False
        if s.hours > min(rules.max_shift_hours, 24 - rules.daily_rest_hours) + 1e-9:
            return False
        if any(lv.start < s.end and s.start < lv.end for lv in e.leave):
            return False
        if not e.night_allowed and is_night_shift(s, rules):
            return False
        if len(rs) == 1 and not rs[0].qualifications <= e.qualifications:
            return False
        return not (pinned_until is not None and s.start < pinned_until and (e.id, s.id) not in published)

    cells: dict[tuple[tuple[str, str], str], set[str]] = defaultdict(set)  # (part, agency) -> shifts
    for sid, agency in reqs:
        if sid in shifts:
            cells[(root((shifts[sid].group, agency)), agency)].add(sid)
    members: dict[tuple[tuple[str, str], str], list[Expert]] = defaultdict(list)
    for e in problem.experts:
        if e.groups:
            members[(root((min(e.groups), e.agency)), e.agency)].append(e)
    worked: dict[str, set[str]] = defaultdict(set)
    for a in roster.assignments:
        worked[a.expert_id].add(a.shift_id)
    kinds = [
        (weights.fairness_nights, lambda s: is_night_shift(s, rules)),
        (weights.fairness_weekends, lambda s: s.is_weekend),
        (weights.fairness_holidays, lambda s: s.is_holiday),
    ]
    total = 0.0
    for key, sids in cells.items():
        part = [shifts[sid] for sid in sids]
        possible = {e.id: {s.id for s in part if may(e, s)} for e in members.get(key, [])}
        for weight, kind in kinds:
            if weight <= 0:
                continue
            of_kind = {s.id for s in part if kind(s)}
            required = sum(r.count for sid in of_kind for r in reqs[(sid, key[1])])
            counts = [len(worked[eid] & ids & of_kind) for eid, ids in possible.items() if ids & of_kind]
            if len(counts) >= 2 and required != 0:
                total += weight * (max(counts) - min(counts))
    experts = {e.id: e for e in problem.experts}
    for a in roster.assignments:
        e, s = experts.get(a.expert_id), shifts.get(a.shift_id)
        if e is None or s is None or not may(e, s):
            continue
        penalty = (s.code in e.avoided_shift_codes) + (s.start.weekday() in e.avoided_weekdays)
        penalty += bool(e.wanted_shift_codes) and s.code not in e.wanted_shift_codes
        total += weights.preference * penalty
    return float(total)


def run_instance(name: str, *, seed: int, quick: bool, early: bool = False) -> dict[str, Any]:
    """One solve of ``name`` with the long limit (60 s, ``--quick`` 10 s) or, ``early``, the
    short one (10 s, ``--quick`` 3 s)."""
    from samverkan.rostering.engine.solver.bounds import fairness_spreads, gap
    from samverkan.rostering.engine.solver.run import solve
    from samverkan.rostering.engine.validator import validate

    limit = (3.0 if quick else 10.0) if early else (10.0 if quick else 60.0)
    problem = instance(name, seed=seed, quick=quick)
    result = solve(problem, time_limit_s=limit)
    violations = validate(problem, result.roster) if result.roster is not None else None
    out: dict[str, Any] = {
        "first_feasible_s": result.stats.get("first_feasible_s"),
        "objective": result.objective,
        "objective_recomputed": None if result.roster is None else recompute_objective(problem, result.roster),
        "bound": result.bound,
        "gap": None
        if result.objective is None or result.bound is None
        else round(gap(result.objective, result.bound), 6),
        "violations": None if violations is None else len(violations),
        "fairness_spread": None if result.roster is None else fairness_spreads(problem, result.roster)["max"],
        "peak_rss_mb": peak_rss_mb(),
    }
    meta = {
        "limit_s": limit,
        "status": result.status,
        "wall_s": result.stats.get("wall_s"),
        "components": result.stats.get("components"),
        "assignments": None if result.roster is None else len(result.roster.assignments),
        "experts": len(problem.experts),
        "shifts": len(problem.shifts),
        "explanation": result.explanation[:5],
    }
    return {"result": out, "meta": meta}


def run_replan(*, seed: int, quick: bool) -> dict[str, Any]:
    from samverkan.rostering.engine.solver.run import replan, solve
    from samverkan.rostering.engine.validator import validate

    problem = instance("stockholm", seed=seed, quick=quick)
    base = solve(problem, time_limit_s=10.0 if quick else 30.0)
    if base.roster is None:
        return {
            "result": {
                "seconds": None,
                "changes": None,
                "changes_lower_bound": None,
                "violations": None,
            },
            "meta": {"status": base.status, "explanation": base.explanation[:5]},
        }
    p0 = datetime.combine(START, datetime.min.time())
    week2 = (p0 + timedelta(days=7), p0 + timedelta(days=14))
    # Sick from Monday 06:00 of week 2 (after Sunday's pinned night shift has ended).
    sick_from = week2[0] + timedelta(hours=6)
    working = sorted(
        {a.expert_id for a in base.roster.assignments}
        & {
            a.expert_id
            for a in base.roster.assignments
            if sick_from <= datetime.strptime(a.shift_id.rsplit(":", 1)[1], "%Y%m%dT%H%M") < week2[1]
        }
    )
    rng = random.Random(seed + 1000)
    sick = set(rng.sample(working, 5))
    experts = [
        Expert(
            id=e.id,
            agency=e.agency,
            groups=e.groups,
            contract_hours_per_week=e.contract_hours_per_week,
            night_allowed=e.night_allowed,
            qualifications=e.qualifications,
            leave=(*e.leave, Leave(sick_from, week2[1], "sick")) if e.id in sick else e.leave,
        )
        for e in problem.experts
    ]
    repaired = Problem(
        period_start=problem.period_start,
        days=problem.days,
        shifts=problem.shifts,
        requirements=problem.requirements,
        experts=experts,
        rules=problem.rules,
        weights=problem.weights,
        published=Roster(list(base.roster.assignments)),
        pinned_until=week2[0],
        # A sickness repair changes shifts within the two weeks' notice (ATL 12 §), and
        # says so: the validator checks the notice rule unless a reason is given.
        replanned_at=week2[0],
        notice_override="five experts sick in week 2",
    )
    t0 = time.monotonic()
    # The target is a repaired roster within 10 s of wall time: give the solver 8 s of it.
    result = replan(repaired, time_limit_s=8.0)
    seconds = time.monotonic() - t0
    violations = validate(repaired, result.roster) if result.roster is not None else None
    return {
        "result": {
            "seconds": round(seconds, 3),
            "changes": result.stats.get("changes"),
            "changes_lower_bound": result.stats.get("changes_lower_bound"),
            "violations": None if violations is None else len(violations),
        },
        "meta": {
            "status": result.status,
            "first_feasible_s": result.stats.get("first_feasible_s"),
            "sick_experts": sorted(sick),
            "explanation": result.explanation[:5],
        },
    }


def run_national_workers(*, seed: int, quick: bool, areas: int | None = None) -> dict[str, Any]:
    """The national instance solved through 1 and then 2 real ``samverkan worker``
    processes on Redis (REDIS_URL, default redis://127.0.0.1:6379/0): its parts are
    queued (``samverkan.rostering.parallel.run_parts``, the coordinator here only waits
    and combines), the workers solve them, one CP-SAT thread each. ``seconds`` is the wall
    time from queueing to the combined roster; the roster is checked as a whole."""
    import uuid

    from redis import Redis
    from rq import Queue, Worker

    from samverkan.rostering.engine.validator import validate
    from samverkan.rostering.parallel import run_parts

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    connection = Redis.from_url(url)
    try:
        connection.ping()
    except Exception as exc:
        raise SystemExit(
            f"national_workers needs Redis at REDIS_URL ({url}): {type(exc).__name__}; "
            "leave it out with --instances"
        ) from None
    if areas is None:
        problem = instance("national", seed=seed, quick=quick)
    else:
        problem = build([f"Område {i:02d}" for i in range(1, areas + 1)], seed=seed)
    limit = 60.0 if quick else 300.0
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "samverkan.settings.demo"),
        "REDIS_URL": url,
    }
    out: dict[str, Any] = {}
    for n in (1, 2):
        queue = f"samverkan-bench-{uuid.uuid4().hex[:12]}"
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "samverkan", "worker", "--queue", queue, "--verbosity", "0"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(n)
        ]
        try:
            wait_until = time.monotonic() + 120
            while Worker.count(queue=Queue(queue, connection=connection)) < n:
                if time.monotonic() > wait_until or any(w.poll() is not None for w in workers):
                    errors = b"".join(w.stderr.read() if w.stderr and w.poll() is not None else b"" for w in workers)
                    raise SystemExit(f"samverkan worker did not start: {errors.decode()[-2000:]}")
                time.sleep(0.2)
            started = time.monotonic()
            result = run_parts(problem, connection=connection, queue=queue, time_limit_s=limit, help=False, redis_url=url)
            seconds = time.monotonic() - started
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                try:
                    w.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    w.kill()
            Queue(queue, connection=connection).delete(delete_jobs=True)
        violations = validate(problem, result.roster) if result.roster is not None else None
        out[str(n)] = {
            "seconds": round(seconds, 1),
            "status": result.status,
            "objective": result.objective,
            "objective_recomputed": None if result.roster is None else recompute_objective(problem, result.roster),
            "bound": result.bound,
            "violations": None if violations is None else len(violations),
            "parts": result.stats.get("parts"),
            "parts_optimal": result.stats.get("components_optimal"),
            "parts_retried": result.stats.get("parts_retried"),
        }
    out["ratio_2_to_1"] = round(out["2"]["seconds"] / max(out["1"]["seconds"], 1e-9), 3)
    out["limit_s"] = limit
    out["experts"] = len(problem.experts)
    out["areas"] = len({s.group for s in problem.shifts})
    return out


def child(name: str, seed: int, quick: bool) -> None:
    if name == "replan":
        data = run_replan(seed=seed, quick=quick)
    elif name.endswith("@early"):
        data = run_instance(name.removesuffix("@early"), seed=seed, quick=quick, early=True)
    else:
        data = run_instance(name, seed=seed, quick=quick)
    print(json.dumps(data))


def combine(long: dict[str, Any], early: dict[str, Any]) -> dict[str, Any]:
    """One instance's entry: the long solve's figures, with the short solve's objective and
    bound as the 10 s ones."""
    return {
        "first_feasible_s": long["first_feasible_s"],
        "objective_10s": early["objective"],
        "objective_recomputed_10s": early["objective_recomputed"],
        "bound_10s": early["bound"],
        "objective_60s": long["objective"],
        "objective_recomputed_60s": long["objective_recomputed"],
        "bound_60s": long["bound"],
        "gap_60s": long["gap"],
        "violations": long["violations"],
        "fairness_spread": long["fairness_spread"],
        "peak_rss_mb": long["peak_rss_mb"],
    }


def objective_mismatches(report: dict[str, Any]) -> list[str]:
    """Every instance whose reported objective is not its roster's recomputed one, or whose
    bound lies above it."""
    out = []
    for name, r in report["instances"].items():
        for at in ("10s", "60s"):
            reported, recomputed, bound = r[f"objective_{at}"], r[f"objective_recomputed_{at}"], r[f"bound_{at}"]
            differ = (reported is None) != (recomputed is None) or (
                reported is not None and not math.isclose(reported, recomputed, rel_tol=0, abs_tol=1e-6)
            )
            if differ:
                out.append(f"{name} at {at}: objective {reported}, recomputed {recomputed}")
            elif recomputed is not None and bound is not None and bound > recomputed + 1e-6:
                out.append(f"{name} at {at}: bound {bound} above the recomputed objective {recomputed}")
    workers = report.get("national_workers") or {}
    for n in ("1", "2"):
        r = workers.get(n)
        if r is None:
            continue
        reported, recomputed = r["objective"], r["objective_recomputed"]
        if (reported is None) != (recomputed is None) or (
            reported is not None and not math.isclose(reported, recomputed, rel_tol=0, abs_tol=1e-6)
        ):
            out.append(f"national_workers with {n}: objective {reported}, recomputed {recomputed}")
        elif recomputed is not None and r["bound"] is not None and r["bound"] > recomputed + 1e-6:
            out.append(f"national_workers with {n}: bound {r['bound']} above the recomputed objective {recomputed}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--instances",
        default=",".join((*INSTANCES, "replan", "national_workers")),
        help="comma-separated subset of stockholm,stockholm_shared,national,replan,national_workers",
    )
    parser.add_argument(
        "--areas",
        type=int,
        default=None,
        help="national_workers only: this many areas instead of the national 60 (a reduced check)",
    )
    parser.add_argument("--quick", action="store_true", help="short limits (smoke run)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seed, args.quick)
        return
    wanted = [n.strip() for n in args.instances.split(",") if n.strip()]
    report: dict[str, Any] = {"instances": {}}
    meta: dict[str, Any] = {"seed": args.seed, "quick": args.quick, "cpus": os.cpu_count()}

    def run_child(name: str) -> dict[str, Any]:
        if not args.json:
            print(f"running {name} …", file=sys.stderr, flush=True)
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            name,
            "--seed",
            str(args.seed),
        ]
        if args.quick:
            cmd.append("--quick")
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"{name} failed (exit {proc.returncode})")
        data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
        data["meta"]["process_s"] = round(time.monotonic() - started, 1)
        if not args.json:
            print(json.dumps({name: data}, indent=2, ensure_ascii=False), file=sys.stderr)
        return data

    for name in wanted:
        if name == "national_workers":
            if not args.json:
                print("running national_workers …", file=sys.stderr, flush=True)
            report["national_workers"] = run_national_workers(seed=args.seed, quick=args.quick, areas=args.areas)
            continue
        if name == "replan":
            data = run_child(name)
            report["replan"] = data["result"]
            meta[name] = data["meta"]
            continue
        long, early = run_child(name), run_child(f"{name}@early")
        report["instances"][name] = combine(long["result"], early["result"])
        meta[name] = {**long["meta"], "early": early["meta"]}
    meta["load_average"] = [round(x, 2) for x in os.getloadavg()]
    report["meta"] = meta
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))
    mismatches = objective_mismatches(report)
    if mismatches:
        raise SystemExit("reported objectives differ from the returned rosters' own:\n" + "\n".join(mismatches))


if __name__ == "__main__":
    main()

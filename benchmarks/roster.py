#!/usr/bin/env python
"""Roster engine benchmark (issue 4, Acceptance).

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/roster.py --json                 # all instances, ~3-5 min
    .venv/bin/python benchmarks/roster.py --json --quick         # smoke run, short limits
    .venv/bin/python benchmarks/roster.py --json --instances stockholm,replan --seed 7

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

Per instance one solve with a 60 s limit (``--quick``: 10 s) is run in a child process
(so ``peak_rss_mb`` is that instance's own peak); ``objective_10s``/``bound_10s`` are the
progress values at 10 s (``--quick``: 3 s) or the final ones if it finished sooner. The
roster is checked by the independent validator (``violations`` must be 0).
``fairness_spread`` is the largest max - min difference of nights, weekend or holiday
shifts within any agency cohort. ``replan``: the Stockholm roster is published, five
experts (seeded) fall sick for week 2, shifts before week 2 are pinned, and the roster is
repaired with a 10 s limit (sick leave from Monday 06:00, when Sunday's pinned night
shift has ended: a pinned shift overlapping new leave is reported as a conflict); changes count added + removed assignments.

Note: the machine has 2 cores; other processes running at the same time slow this down.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from samverkan.rostering.engine.model import (  # noqa: E402
    Expert,
    Leave,
    Problem,
    Roster,
)
from samverkan.rostering.engine.shifts import (  # noqa: E402
    DEFAULT_AGENCIES,
    generate_shifts,
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


def run_instance(name: str, *, seed: int, quick: bool) -> dict[str, Any]:
    from samverkan.rostering.engine.solver.bounds import fairness_spreads, gap
    from samverkan.rostering.engine.solver.run import solve
    from samverkan.rostering.engine.validator import validate

    limit, early = (10.0, 3.0) if quick else (60.0, 10.0)
    problem = instance(name, seed=seed, quick=quick)
    history: list[dict[str, Any]] = []
    result = solve(problem, time_limit_s=limit, on_progress=history.append)
    at_early = [h for h in history if h["elapsed_s"] <= early and h.get("objective") is not None]
    finished_early = result.stats.get("wall_s", limit) <= early
    obj_early = result.objective if finished_early else (at_early[-1]["objective"] if at_early else None)
    bound_early = result.bound if finished_early else (at_early[-1]["bound"] if at_early else None)
    violations = validate(problem, result.roster) if result.roster is not None else None
    out: dict[str, Any] = {
        "first_feasible_s": result.stats.get("first_feasible_s"),
        "objective_10s": obj_early,
        "bound_10s": bound_early,
        "objective_60s": result.objective,
        "bound_60s": result.bound,
        "gap_60s": None
        if result.objective is None or result.bound is None
        else round(gap(result.objective, result.bound), 6),
        "violations": None if violations is None else len(violations),
        "fairness_spread": None if result.roster is None else fairness_spreads(problem, result.roster)["max"],
        "peak_rss_mb": peak_rss_mb(),
    }
    meta = {
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


def child(name: str, seed: int, quick: bool) -> None:
    data = run_replan(seed=seed, quick=quick) if name == "replan" else run_instance(name, seed=seed, quick=quick)
    print(json.dumps(data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--instances",
        default=",".join((*INSTANCES, "replan")),
        help="comma-separated subset of stockholm,stockholm_shared,national,replan",
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
    for name in wanted:
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
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        data["meta"]["process_s"] = round(time.monotonic() - started, 1)
        if name == "replan":
            report["replan"] = data["result"]
        else:
            report["instances"][name] = data["result"]
        meta[name] = data["meta"]
        if not args.json:
            print(json.dumps({name: data}, indent=2, ensure_ascii=False), file=sys.stderr)
    meta["load_average"] = [round(x, 2) for x in os.getloadavg()]
    report["meta"] = meta
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()

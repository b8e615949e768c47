#!/usr/bin/env python
"""Statistics benchmark: deciding what the follow-up statistics may publish (linked-table
suppression over every year filter) and what a request costs once that is cached.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/suppression.py --json
    .venv/bin/python benchmarks/suppression.py --json --sizes demo,district
    .venv/bin/python benchmarks/suppression.py --json --city-cases 20 --repeat 3

No database: the counts that followup.selectors reads with GROUP BY are generated here
(fictitious, seeded), and the pure modules followup.family and followup.linked do the
rest, exactly as on a request. Sizes (``--sizes``, default all three):

- ``demo``: one organisation's view of the demo data — Järva's two programmes, the
  number of cases per status from samverkan.demo.individual_track.PLAN, received and
  closed over the demo's spread of days before a fixed date (2026-03-15);
- ``district``: one district administration at full scale — 5 programmes, 5 years,
  ``--city-cases`` new cases per programme and year;
- ``city``: one organisation leading every programme of the city — 11 districts by
  5 programmes, 5 years, the same rate (the largest family one manager can reach).

Statuses are the statistics' four columns (awaiting decision, active, declined, closed)
and outcomes the seven closure outcomes. Cases of earlier years are mostly closed, one to
three years after they were received.

Figures per size (``--json``: one JSON line on stdout):
``protect_s`` — deciding the hidden cells of the whole family once (what the first
request after a change of the data pays; median of ``--repeat`` runs); ``request_ms`` —
building the family's tables and cutting out one year's tables from the cached hidden
cells (what every later request pays besides its SQL; median of 20); ``cases``,
``unknowns`` (the solver's variables), ``published`` (cells over all filters, counting a
cell shown by two tables once), ``hidden`` (of those). The machine's load matters: on a
shared machine, report it with the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, and this file's name
# would then hide the standard library's statistics module (which Django imports too).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 3, 15)  # fixed, so that the demo-shaped data is the same every run
SEED = 20260315


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings.test")
    import django

    django.setup()


def _counts(rows: list[tuple[str, str]], cases: list[tuple[int, str, int, int | None, str]]) -> Any:
    from samverkan.cases.models import ClosureOutcome
    from samverkan.followup.family import CaseCounts
    from samverkan.followup.selectors import NO_OUTCOME, STATUS_COLUMNS

    open_counts: Counter = Counter()
    closed_counts: Counter = Counter()
    for row, status, received, closed, outcome in cases:
        if status == "closed":
            closed_counts[(rows[row], received, closed, outcome or NO_OUTCOME)] += 1
        else:
            open_counts[(rows[row], status, received)] += 1
    return CaseCounts(
        keys=tuple(rows),
        listed_keys=frozenset(rows),
        statuses=tuple(str(s) for s in STATUS_COLUMNS),
        closed_status="closed",
        outcomes=tuple(str(o) for o in ClosureOutcome.values),
        open_counts=dict(open_counts),
        closed_counts=dict(closed_counts),
        listed_years=tuple(sorted({c[2] for c in cases})),
        optional_outcomes=frozenset({NO_OUTCOME}),
    )


def demo_counts() -> Any:
    """Järva's cases as the demo loader makes them (statuses and spreads of days)."""
    from samverkan.demo.individual_track import OUTCOMES, PLAN

    rng = random.Random(SEED)
    rows, cases = [], []
    outcomes = iter(OUTCOMES * 3)
    for district, kind, statuses in PLAN:
        if district != "jarva":
            continue
        rows.append((f"sig-unga{'-vuxna' if kind == 'adult' else ''}-jarva", "jarva"))
        for status, n in statuses.items():
            for _ in range(n):
                days = {"intake": (3, 25), "declined": (60, 300), "active": (40, 420), "closed": (300, 640)}[status]
                received = TODAY - timedelta(days=rng.randint(*days))
                closed = received + timedelta(days=rng.randint(90, 260)) if status == "closed" else None
                closed_year = min(closed, TODAY - timedelta(days=1)).year if closed else None
                cases.append((len(rows) - 1, status, received.year, closed_year, next(outcomes) if closed else ""))
    return _counts(rows, cases)


def scaled_counts(districts: int, programmes: int, years: int, per_year: int) -> Any:
    """``per_year`` new cases (on average) per programme, district and year."""
    rng = random.Random(SEED + districts)
    rows = [(f"programme-{p}", f"district-{d}") for d in range(districts) for p in range(programmes)]
    last = TODAY.year
    first = last - years + 1
    outcome_weights = {
        "plan_completed": 10,
        "moved": 3,
        "consent_withdrawn": 2,
        "new_crime_or_custody": 2,
        "transferred": 2,
        "deceased": 0.2,
        "other": 1,
    }
    cases = []
    for row in range(len(rows)):
        for received in range(first, last + 1):
            for _ in range(rng.randint(0, 2 * per_year)):
                age = last - received
                weights = (3, 5, 1, 0.5) if age == 0 else (0.2, 3, 1, 3) if age == 1 else (0, 1, 1, 8)
                status = rng.choices(("intake", "active", "declined", "closed"), weights)[0]
                closed = min(received + rng.choice((0, 1, 1, 2)), last) if status == "closed" else None
                outcome = rng.choices(list(outcome_weights), list(outcome_weights.values()))[0] if closed else ""
                cases.append((row, status, received, closed, outcome))
    return _counts(rows, cases)


def measure(counts: Any, repeat: int) -> dict[str, Any]:
    from samverkan.followup.family import CaseTables
    from samverkan.followup.linked import distinct_cells, protect

    timings, hidden = [], {}
    for _ in range(repeat):
        start = time.perf_counter()
        tables = CaseTables(counts)
        hidden = {ref: s for ref, s in protect(tables.family()).items() if s}
        timings.append(time.perf_counter() - start)
    year = max(counts.listed_years)
    request = []
    for _ in range(20):
        start = time.perf_counter()
        tables = CaseTables(counts)
        tables.intake_table(year, hidden)
        tables.outcome_table(year, hidden)
        request.append(time.perf_counter() - start)
    family = CaseTables(counts).family()
    quantity = distinct_cells(family)
    return {
        "protect_s": round(statistics.median(timings), 3),
        "request_ms": round(1000 * statistics.median(request), 2),
        "cases": sum(counts.open_counts.values()) + sum(counts.closed_counts.values()),
        "rows": len(counts.keys),
        "years": len(set(counts.listed_years)),
        "unknowns": len(family.finest),
        "published": len(set(quantity.values())),
        "hidden": len({quantity[ref] for ref in hidden}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line only")
    parser.add_argument("--sizes", default="demo,district,city", help="comma-separated: demo, district, city")
    parser.add_argument("--city-cases", type=int, default=12, help="new cases per programme, district and year")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the (slow) protection per size")
    args = parser.parse_args()
    _setup()
    makers = {
        "demo": demo_counts,
        "district": lambda: scaled_counts(1, 5, 5, args.city_cases),
        "city": lambda: scaled_counts(11, 5, 5, args.city_cases),
    }
    results: dict[str, Any] = {}
    for size in args.sizes.split(","):
        results[size] = measure(makers[size](), args.repeat)
        if not args.json:
            print(f"{size}: {json.dumps(results[size])}", file=sys.stderr, flush=True)
    output = {"sizes": results, "config": {"city_cases": args.city_cases, "repeat": args.repeat, "cpus": os.cpu_count()}}
    print(json.dumps(output) if args.json else json.dumps(output, indent=2), flush=True)


if __name__ == "__main__":
    main()

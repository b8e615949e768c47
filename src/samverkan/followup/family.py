"""Every statistics table a manager can reach, as one linked family (pure, no Django).

The statistics page and its CSV/XLSX exports take one filter, the year (``?ar=``: any
year from YEAR_MIN to YEAR_MAX, or none for all years); the tables of one organisation
are then:

- intakes: rows (programme, district), columns the case statuses, by the year received;
- outcomes: the same rows, columns the closure outcomes, by the year closed;
- time in the programme: its count column is the outcome table's row totals;
- commitments: rows the committing organisations, done on time / late, by the year due.

Each published cell is a sum of finest cells: open cases by (row, status, year received),
closed cases by (row, year received, year closed, outcome), commitments by (organisation,
year due, on time). ``CaseTables`` and ``CommitmentTables`` describe all tables of all
years at once as a ``linked.LinkedFamily`` and build the suppressed tables of one
filter from the statuses that ``linked.protect`` chose for the whole family.

What the reader knows besides the cells, and is therefore given to the solver:

- which finest cells can be non-zero: a case is closed in or after the year it was
  received (cases that break this in the data are allowed for, cell by cell);
- a row is listed only when it has cases (except the programmes the organisation leads
  in its district), so such a row's total over all years is at least 1; the same for a
  listed year, the "outcome not recorded" column and a committing organisation.

Rows and columns are the same for every year (a row with nothing in a year shows 0),
so that whether a row is shown says nothing about that year.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from samverkan.followup.linked import Constraint, LinkedFamily, Ref
from samverkan.followup.suppression import THRESHOLD, Cell, SuppressedTable, table_lines

YEAR_MIN = 2000
YEAR_MAX = 2100
INTAKES = "intakes"
OUTCOMES = "outcomes"
COMMITMENTS = "commitments"

RowKey = tuple[str, str]  # (programme code, district code)


def requestable_years() -> range:
    """Every year a user can ask for (besides all years, ``None``)."""
    return range(YEAR_MIN, YEAR_MAX + 1)


@dataclass(frozen=True)
class CaseCounts:
    """Counts of one organisation's cases (live and purged), finest grain. Never leaves
    the server: only the suppressed tables built from it do."""

    keys: tuple[RowKey, ...]
    #: rows listed whatever the data (the programmes the organisation leads in its district)
    listed_keys: frozenset[RowKey]
    statuses: tuple[str, ...]  # the intake table's columns
    closed_status: str
    outcomes: tuple[str, ...]  # the outcome table's columns
    #: (row, status, year received) -> count, for statuses other than closed
    open_counts: Mapping[tuple[RowKey, str, int], int]
    #: (row, year received, year closed or None, outcome) -> count of closed cases
    closed_counts: Mapping[tuple[RowKey, int, int | None, str], int]
    #: the years offered in the year choice (each has at least one intake)
    listed_years: tuple[int, ...]
    #: outcome columns shown only when some closed case has that outcome
    optional_outcomes: frozenset[str] = frozenset()

    def canonical(self) -> list[Any]:
        """A deterministic, JSON-able form (for the snapshot fingerprint)."""
        return [
            [list(k) for k in self.keys],
            sorted(list(k) for k in self.listed_keys),
            list(self.statuses),
            self.closed_status,
            list(self.outcomes),
            sorted([[*k, s, y], n] for (k, s, y), n in self.open_counts.items() if n),
            sorted(
                ([[*k, ry, -1 if cy is None else cy, o], n] for (k, ry, cy, o), n in self.closed_counts.items() if n),
            ),
            sorted(self.listed_years),
            sorted(self.optional_outcomes),
        ]


@dataclass(frozen=True)
class CommitmentCounts:
    """Commitments (due or finished, not cancelled) of one organisation's cases."""

    organisations: tuple[int, ...]  # row order
    #: (organisation id, year due, done on time) -> count
    counts: Mapping[tuple[int, int, bool], int]

    def canonical(self) -> list[Any]:
        return [list(self.organisations), sorted([[o, y, t], n] for (o, y, t), n in self.counts.items() if n)]


@dataclass
class _Builder:
    """Finest cells and the published cells of a family of extended tables (totals in
    the last row and column), one table per (name, year)."""

    finest: list[int] = field(default_factory=list)
    published: dict[Ref, list[int]] = field(default_factory=dict)
    lines: list[tuple[Sequence[Ref], Ref]] = field(default_factory=list)
    at_least: dict[Ref, int] = field(default_factory=dict)
    same: list[tuple[Ref, Ref]] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)

    def cell(self, value: int) -> int:
        self.finest.append(value)
        return len(self.finest) - 1

    def table(self, name: str, year: int | None, inner: list[list[list[int]]], cols: int) -> None:
        """Register a table of ``inner[r][c]`` = finest cells, with its totals and lines."""
        rows = len(inner)
        for r in range(rows):
            for c in range(cols):
                self.published[(name, year, r, c)] = inner[r][c]
            self.published[(name, year, r, cols)] = [i for c in range(cols) for i in inner[r][c]]
        for c in range(cols):
            self.published[(name, year, rows, c)] = [i for r in range(rows) for i in inner[r][c]]
        self.published[(name, year, rows, cols)] = [i for r in range(rows) for c in range(cols) for i in inner[r][c]]
        for line in table_lines(rows, cols, row_totals=True, col_totals=True):
            self.lines.append(([(name, year, *p) for p in line.inner], (name, year, *line.total)))

    def across_years(self, name: str, years: Sequence[int], rows: int, cols: int) -> None:
        """All years' cell = the sum of the years' cells (where that is exactly so)."""
        for r, c in itertools.product(range(rows + 1), range(cols + 1)):
            self.lines.append(([(name, y, r, c) for y in years], (name, None, r, c)))

    def family(self, threshold: int) -> LinkedFamily:
        return LinkedFamily(
            finest=self.finest,
            published=self.published,
            lines=self.lines,
            at_least=self.at_least,
            same=self.same,
            constraints=self.constraints,
            threshold=threshold,
        )


def _table_from(
    name: str, year: int | None, rows: int, cols: int, values: Mapping[Ref, int], status: Mapping[Ref, str]
) -> SuppressedTable:
    def cell(r: int, c: int) -> Cell:
        ref = (name, year, r, c)
        return Cell(values.get(ref, 0), status.get(ref, ""))

    return SuppressedTable(
        cells=tuple(tuple(cell(r, c) for c in range(cols)) for r in range(rows)),
        row_totals=tuple(cell(r, cols) for r in range(rows)),
        col_totals=tuple(cell(rows, c) for c in range(cols)),
        grand_total=cell(rows, cols),
    )


class CaseTables:
    """The intake and outcome tables of every year and of all years, as one family.

    The unknowns are the inner cells of the yearly tables: cases by (row, status, year
    received) and closed cases by (row, outcome, year closed), plus closed cases without
    a closing date by (row, outcome) where there are any. All years' cells are their
    sums. Both tables count every closed case once, so all years' "closed" of a row is
    the row total of all years' outcomes (``same``). That a case closes in or after the
    year it was received is, for each row, exactly the condition that, for every year t,
    the cases closed by the end of t are at most the closed cases received by then (the
    "Hall" condition of this transportation problem: whole-number counts by year received
    and year closed exist that give these margins iff it holds), so the reader's
    knowledge needs no finer unknowns than the yearly cells. A row whose data breaks the
    order (a date entered wrongly) gets no such condition.
    """

    def __init__(self, counts: CaseCounts, threshold: int = THRESHOLD) -> None:
        self.counts = counts
        self.threshold = threshold
        statuses, outcomes_ = counts.statuses, counts.outcomes
        outcome_index = {o: i for i, o in enumerate(outcomes_)}
        keys = counts.keys
        row = {k: i for i, k in enumerate(keys)}
        for (k, s, _y), n in counts.open_counts.items():
            if n and (k not in row or s not in statuses or s == counts.closed_status):
                raise ValueError("open cases outside the table's rows or columns")
        for (k, _ry, _cy, o), n in counts.closed_counts.items():
            if n and (k not in row or o not in outcome_index):
                raise ValueError("closed cases outside the table's rows or columns")
        years = sorted(
            {y for (_k, _s, y), n in counts.open_counts.items() if n}
            | {ry for (_k, ry, _cy, _o), n in counts.closed_counts.items() if n}
            | {cy for (_k, _ry, cy, _o), n in counts.closed_counts.items() if n and cy is not None}
            | set(counts.listed_years)
        )
        self.years = tuple(years)
        received: dict[tuple[RowKey, str, int], int] = defaultdict(int)
        closed: dict[tuple[RowKey, str, int | None], int] = defaultdict(int)
        for (k, s, y), n in counts.open_counts.items():
            received[(k, s, y)] += n
        for (k, ry, cy, o), n in counts.closed_counts.items():
            received[(k, counts.closed_status, ry)] += n
            closed[(k, o, cy)] += n
        b = _Builder()
        filters: list[int | None] = [None, *years]
        intakes: dict[int | None, list[list[list[int]]]] = {f: [[[] for _ in statuses] for _ in keys] for f in filters}
        outcomes: dict[int | None, list[list[list[int]]]] = {
            f: [[[] for _ in outcomes_] for _ in keys] for f in filters
        }
        intake_cell: dict[tuple[RowKey, str, int], int] = {}
        outcome_cell: dict[tuple[RowKey, str, int], int] = {}
        for k in keys:
            for y in years:
                for c, s in enumerate(statuses):
                    i = intake_cell[(k, s, y)] = b.cell(received.get((k, s, y), 0))
                    intakes[y][row[k]][c].append(i)
                    intakes[None][row[k]][c].append(i)
                for c, o in enumerate(outcomes_):
                    i = outcome_cell[(k, o, y)] = b.cell(closed.get((k, o, y), 0))
                    outcomes[y][row[k]][c].append(i)
                    outcomes[None][row[k]][c].append(i)
            for c, o in enumerate(outcomes_):
                if closed.get((k, o, None)):
                    outcomes[None][row[k]][c].append(b.cell(closed[(k, o, None)]))
        for f in filters:
            b.table(INTAKES, f, intakes[f], len(statuses))
            b.table(OUTCOMES, f, outcomes[f], len(outcomes_))
        b.across_years(INTAKES, years, len(keys), len(statuses))
        b.across_years(OUTCOMES, years, len(keys), len(outcomes_))
        # Both tables count each closed case once: all years' "closed" = outcomes' total.
        closed_col = statuses.index(counts.closed_status)
        for r in range(len(keys) + 1):
            b.same.append(((INTAKES, None, r, closed_col), (OUTCOMES, None, r, len(outcomes_))))
        # A case closes in or after the year it was received (per row, see above).
        in_order = {k for k in keys} - {
            k for (k, ry, cy, _o), n in counts.closed_counts.items() if n and cy is not None and cy < ry
        }
        for k in keys:
            if k not in in_order:
                continue
            for t in years[:-1]:
                coeffs: dict[int, int] = {}
                for y in years:
                    if y <= t:
                        coeffs[intake_cell[(k, counts.closed_status, y)]] = -1
                        for o in outcomes_:
                            coeffs[outcome_cell[(k, o, y)]] = 1
                b.constraints.append((coeffs, -math.inf, 0.0))
        # What the page itself tells (see the module docstring).
        n_status = len(statuses)
        for r, k in enumerate(keys):
            if k not in counts.listed_keys:
                b.at_least[(INTAKES, None, r, n_status)] = 1
        for y in counts.listed_years:
            b.at_least[(INTAKES, y, len(keys), n_status)] = 1
        for o in counts.optional_outcomes:
            if o in outcome_index:
                b.at_least[(OUTCOMES, None, len(keys), outcome_index[o])] = 1
        self._builder = b
        self.values = {ref: sum(b.finest[i] for i in cells) for ref, cells in b.published.items()}

    def family(self) -> LinkedFamily:
        return self._builder.family(self.threshold)

    def intake_table(self, year: int | None, status: Mapping[Ref, str]) -> SuppressedTable:
        """The suppressed intake table of one filter (a year without any cases: zeros)."""
        return _table_from(INTAKES, year, len(self.counts.keys), len(self.counts.statuses), self.values, status)

    def outcome_table(self, year: int | None, status: Mapping[Ref, str]) -> SuppressedTable:
        return _table_from(OUTCOMES, year, len(self.counts.keys), len(self.counts.outcomes), self.values, status)


class CommitmentTables:
    """The commitment tables (done on time / late per organisation) of every year due
    and of all years, as one family."""

    def __init__(self, counts: CommitmentCounts, threshold: int = THRESHOLD) -> None:
        self.counts = counts
        self.threshold = threshold
        orgs = counts.organisations
        row = {o: i for i, o in enumerate(orgs)}
        years = sorted({y for (_o, y, _t), n in counts.counts.items() if n})
        self.years = tuple(years)
        b = _Builder()
        filters: list[int | None] = [None, *years]
        inner: dict[int | None, list[list[list[int]]]] = {f: [[[], []] for _ in orgs] for f in filters}
        for o in orgs:
            for y, on_time in itertools.product(years, (True, False)):
                i = b.cell(counts.counts.get((o, y, on_time), 0))
                inner[y][row[o]][0 if on_time else 1].append(i)
                inner[None][row[o]][0 if on_time else 1].append(i)
        for (o, _y, _t), n in counts.counts.items():
            if n and o not in row:
                raise ValueError("commitments of an organisation that has no row")
        for f in filters:
            b.table(COMMITMENTS, f, inner[f], 2)
        b.across_years(COMMITMENTS, years, len(orgs), 2)
        for r in range(len(orgs)):
            b.at_least[(COMMITMENTS, None, r, 2)] = 1
        self._builder = b
        self.values = {ref: sum(b.finest[i] for i in cells) for ref, cells in b.published.items()}

    def family(self) -> LinkedFamily:
        return self._builder.family(self.threshold)

    def table(self, year: int | None, status: Mapping[Ref, str]) -> SuppressedTable:
        return _table_from(COMMITMENTS, year, len(self.counts.organisations), 2, self.values, status)

    def raw(self, year: int | None) -> list[tuple[int, int]]:
        """(done on time, due) per organisation row (for the share on time)."""
        rows = len(self.counts.organisations)
        return [
            (self.values.get((COMMITMENTS, year, r, 0), 0), self.values.get((COMMITMENTS, year, r, 2), 0))
            for r in range(rows)
        ]


def hidden_only(status: Mapping[Ref, str]) -> dict[Ref, str]:
    """The statuses worth keeping (hidden cells): what the cache holds."""
    return {ref: s for ref, s in status.items() if s}


@dataclass(frozen=True)
class GridCounts:
    """Counts of one table shown with no filter (e.g. a Trefas forum's months by rating):
    ``counts[(row, col)]``; every row and column listed whatever the data. Row totals and
    column totals are published when the flags say so (a stock such as the list's size
    per month has no meaningful column total). Never leaves the server."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    counts: Mapping[tuple[str, str], int]
    row_totals: bool = True
    col_totals: bool = True

    def canonical(self) -> list[Any]:
        return [list(self.rows), list(self.cols), self.row_totals, self.col_totals,
                sorted([[r, c], n] for (r, c), n in self.counts.items() if n)]


GRID = "grid"


class GridTables:
    """One ``GridCounts`` table as a family for ``linked.protect``: each inner cell is an
    unknown, its totals the published sums (the same rules as every other table)."""

    def __init__(self, counts: GridCounts, threshold: int = THRESHOLD) -> None:
        self.counts = counts
        self.threshold = threshold
        rows, cols = len(counts.rows), len(counts.cols)
        for (row_key, col_key), n in counts.counts.items():
            if n and (row_key not in counts.rows or col_key not in counts.cols):
                raise ValueError("counts outside the table's rows or columns")
        b = _Builder()
        inner = [[b.cell(counts.counts.get((r, c), 0)) for c in counts.cols] for r in counts.rows]
        for r in range(rows):
            for c in range(cols):
                b.published[(GRID, None, r, c)] = [inner[r][c]]
            if counts.row_totals:
                b.published[(GRID, None, r, cols)] = list(inner[r])
        if counts.col_totals:
            for c in range(cols):
                b.published[(GRID, None, rows, c)] = [inner[r][c] for r in range(rows)]
        if counts.row_totals and counts.col_totals:
            b.published[(GRID, None, rows, cols)] = [i for row in inner for i in row]
        for line in table_lines(rows, cols, row_totals=counts.row_totals, col_totals=counts.col_totals):
            b.lines.append(([(GRID, None, *p) for p in line.inner], (GRID, None, *line.total)))
        self._builder = b
        self.values = {ref: sum(b.finest[i] for i in cells) for ref, cells in b.published.items()}

    def family(self) -> LinkedFamily:
        return self._builder.family(self.threshold)

    def table(self, status: Mapping[Ref, str]) -> SuppressedTable:
        rows, cols = len(self.counts.rows), len(self.counts.cols)

        def cell(r: int, c: int) -> Cell:
            ref = (GRID, None, r, c)
            return Cell(self.values.get(ref, 0), status.get(ref, ""))

        return SuppressedTable(
            cells=tuple(tuple(cell(r, c) for c in range(cols)) for r in range(rows)),
            row_totals=tuple(cell(r, cols) for r in range(rows)) if self.counts.row_totals else None,
            col_totals=tuple(cell(rows, c) for c in range(cols)) if self.counts.col_totals else None,
            grand_total=cell(rows, cols) if self.counts.row_totals and self.counts.col_totals else None,
        )

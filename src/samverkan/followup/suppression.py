"""Small-number suppression for statistics tables (pure functions, no Django).

Primary suppression: every count from 1 to ``threshold - 1`` (default 1-4) — inner
cells and totals alike — is shown as "<5". Zero is normally shown: it says nothing about
anyone; where hiding a zero is the only way to protect a neighbour it is shown as "<5"
too (which is true of 0), so a reader can only know that a "<5" lies between 0 and 4.

Complementary (secondary) suppression: a table with row and/or column totals is a set
of equations (each row's cells add up to its total, each column's likewise, and the
totals add up to the grand total). Whoever reads the table knows those equations, that a
"<5" lies between 0 and 4, and — since the code is public — that a complementarily
suppressed cell is at least ``threshold``. We therefore keep suppressing more cells until

1. no equation (line) holds exactly one suppressed cell (else the rest of the line
   gives it away), and
2. no suppressed cell is pinned to a single value by the equations taken together
   (e.g. two "<5" in a row whose known remainder is 8 must both be 4; a "<5" next to a
   hidden cell of at least 5 whose sum is 5 must be 0; or a "<5" that only a sum of
   several rows and columns gives away).

Condition 2 is checked in two steps: cheap bound propagation until a fixpoint (catches
most cases), then, when that finds nothing, the exact range of every suppressed cell by
linear programming (OR-Tools GLOP: minimise and maximise the cell subject to every
equation and what the reader knows of each cell). A table's equations form a flow
network, whose constraint matrix is totally unimodular, so the LP's optimum is an
integer count and a cell whose minimum equals its maximum is exactly a derivable one.
tests/followup/test_suppression.py additionally checks by exhaustive search on small
tables that no suppressed value can be derived at all. The complementary cell chosen is
the smallest visible non-zero cell of the line (inner cells before totals), so as little
as possible is hidden; failing that, a zero of the line is hidden as "<5"; failing that
(every cell of its lines already hidden), the same choice over the whole table.

This protects one table. The statistics pages show many tables that count the same
cases (every year and all years); followup.linked protects such a family together,
using the same labels, the same line rule and the same notion of "pinned".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5
PRIMARY = "primary"
SECONDARY = "secondary"
SMALL_LABEL = "<5"
HIDDEN_LABEL = "×"

Pos = tuple[int, int]


@dataclass(frozen=True)
class Cell:
    value: int
    suppressed: str = ""  # "", PRIMARY or SECONDARY

    @property
    def hidden(self) -> bool:
        return bool(self.suppressed)

    @property
    def display(self) -> str:
        """What may be shown or exported: the number, "<5" or HIDDEN_LABEL; never the
        hidden value."""
        if self.suppressed == PRIMARY:
            return SMALL_LABEL
        if self.suppressed == SECONDARY:
            return HIDDEN_LABEL
        return str(self.value)

    @property
    def shown_value(self) -> int | None:
        """The number when it may be shown (for charts), else None."""
        return None if self.suppressed else self.value


@dataclass(frozen=True)
class SuppressedTable:
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    col_totals: tuple[Cell, ...] | None
    grand_total: Cell | None

    def displays(self) -> list[list[str]]:
        """The inner cells as display strings (row by row)."""
        return [[c.display for c in row] for row in self.cells]

    def cell_at(self, pos: Pos) -> Cell:
        """A cell by its position in the extended table (totals in the last row/column)."""
        rows = len(self.cells)
        cols = len(self.cells[0]) if self.cells else len(self.col_totals or ())
        r, c = pos
        if r < rows and c < cols:
            return self.cells[r][c]
        if r < rows and c == cols and self.row_totals is not None:
            return self.row_totals[r]
        if r == rows and c < cols and self.col_totals is not None:
            return self.col_totals[c]
        if (r, c) == (rows, cols) and self.grand_total is not None:
            return self.grand_total
        raise IndexError(pos)


@dataclass(frozen=True)
class Line:
    """One equation: the inner positions add up to the total position."""

    inner: tuple[Pos, ...]
    total: Pos


def table_lines(rows: int, cols: int, *, row_totals: bool, col_totals: bool) -> list[Line]:
    """The equations of an extended table whose totals sit in row ``rows`` / column ``cols``."""
    lines: list[Line] = []
    if row_totals:
        lines += [Line(tuple((r, c) for c in range(cols)), (r, cols)) for r in range(rows)]
    if col_totals:
        lines += [Line(tuple((r, c) for r in range(rows)), (rows, c)) for c in range(cols)]
    if row_totals and col_totals:
        lines.append(Line(tuple((rows, c) for c in range(cols)), (rows, cols)))
        lines.append(Line(tuple((r, cols) for r in range(rows)), (rows, cols)))
    return lines


def bounds_for(value: int, status: str, threshold: int) -> tuple[float, float]:
    """What a reader knows about a cell: its value, 0..threshold-1, or >= threshold."""
    if status == PRIMARY:
        return 0.0, float(threshold - 1)
    if status == SECONDARY:
        return float(threshold), math.inf
    return float(value), float(value)


def propagate(
    values: dict[Pos, int],
    status: dict[Pos, str],
    lines: list[Line],
    threshold: int = THRESHOLD,
    max_rounds: int = 200,
) -> dict[Pos, tuple[float, float]]:
    """Interval bounds of every cell from the reader's knowledge and the equations,
    tightened until nothing changes. A hidden cell whose bounds meet is pinned."""
    bounds = {p: bounds_for(v, status.get(p, ""), threshold) for p, v in values.items()}
    for _round in range(max_rounds):
        changed = False
        for line in lines:
            # sum(inner) - total = 0; coefficient +1 for inner, -1 for the total.
            terms = [(p, 1) for p in line.inner] + [(line.total, -1)]
            for p, coef in terms:
                lo_rest = hi_rest = 0.0
                for q, k in terms:
                    if q == p:
                        continue
                    lo, hi = bounds[q]
                    if k > 0:
                        lo_rest += lo
                        hi_rest += hi
                    else:
                        lo_rest -= hi
                        hi_rest -= lo
                # coef * x = -(rest)  =>  x in [-hi_rest, -lo_rest] * coef
                if coef > 0:
                    new_lo, new_hi = -hi_rest, -lo_rest
                else:
                    new_lo, new_hi = lo_rest, hi_rest
                lo, hi = bounds[p]
                lo2 = max(lo, new_lo) if not math.isnan(new_lo) else lo
                hi2 = min(hi, new_hi) if not math.isnan(new_hi) else hi
                if lo2 > lo or hi2 < hi:
                    bounds[p] = (lo2, hi2)
                    changed = True
        if not changed:
            break
    return bounds


def pinned_cells(
    values: dict[Pos, int], status: dict[Pos, str], lines: list[Line], threshold: int = THRESHOLD
) -> list[Pos]:
    """Suppressed cells whose value the displayed table gives away (see the module doc)."""
    bounds = propagate(values, status, lines, threshold)
    pinned = sorted(p for p, s in status.items() if s and bounds[p][0] >= bounds[p][1])
    return pinned or exactly_pinned_cells(values, status, lines, threshold)


def exactly_pinned_cells(
    values: dict[Pos, int], status: dict[Pos, str], lines: list[Line], threshold: int = THRESHOLD
) -> list[Pos]:
    """Suppressed cells whose least and greatest value consistent with the displayed table
    are equal, found by linear programming (exact for these flow-shaped equations)."""
    hidden = sorted(p for p, s in status.items() if s)
    if not hidden or not lines:
        return []
    from ortools.linear_solver import pywraplp  # deferred: OR-Tools (~0.1 s import), only when suppressing

    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with every OR-Tools wheel
        raise RuntimeError("OR-Tools GLOP is not available")
    variables = {}
    for p, v in values.items():
        lo, hi = bounds_for(v, status.get(p, ""), threshold)
        variables[p] = solver.NumVar(lo, solver.infinity() if math.isinf(hi) else hi, "")
    for line in lines:
        solver.Add(sum(variables[p] for p in line.inner) == variables[line.total])
    objective = solver.Objective()
    pinned = []
    for p in hidden:
        objective.Clear()
        objective.SetCoefficient(variables[p], 1)
        objective.SetMinimization()
        if solver.Solve() != pywraplp.Solver.OPTIMAL:
            raise RuntimeError("the displayed table has no consistent reading")  # cannot happen
        least = variables[p].solution_value()
        objective.SetMaximization()
        if solver.Solve() == pywraplp.Solver.OPTIMAL and variables[p].solution_value() - least < 0.5:
            pinned.append(p)
    return pinned


def candidate(line: Line, values: Mapping[Pos, int], status: Mapping[Pos, str]) -> tuple[Pos, str] | None:
    """What to hide next in the line: its smallest visible non-zero cell (inner cells
    before the total), shown as HIDDEN_LABEL; failing that, a visible zero, shown as "<5"."""
    options = [(values[p], p) for p in line.inner if not status.get(p) and values[p] > 0]
    if options:
        return min(options)[1], SECONDARY
    if not status.get(line.total) and values[line.total] > 0:
        return line.total, SECONDARY
    zeros = [p for p in (*line.inner, line.total) if not status.get(p) and values[p] == 0]
    return (zeros[0], PRIMARY) if zeros else None


def hide_lone_cells(values: Mapping[Pos, int], status: dict[Pos, str], lines: Iterable[Line]) -> bool:
    """One pass of rule 1 (module doc): in every line that holds exactly one hidden cell,
    hide one more (``candidate``). Changes ``status``; True when it hid anything."""
    changed = False
    for line in lines:
        members = (*line.inner, line.total)
        if sum(1 for p in members if status[p]) == 1:
            pick = candidate(line, values, status)
            if pick is not None:
                status[pick[0]] = pick[1]
                changed = True
    return changed


def suppress_positions(
    values: dict[Pos, int],
    lines: list[Line],
    threshold: int = THRESHOLD,
    force: Iterable[Pos] = (),
) -> dict[Pos, str]:
    """The suppression status of every position ("" shown, PRIMARY, SECONDARY).
    ``force``: positions that must be hidden too (e.g. because the same quantity is
    hidden in another table on the page)."""
    status = {p: (PRIMARY if 0 < v < threshold else "") for p, v in values.items()}
    for p in force:
        if not status[p]:
            status[p] = SECONDARY if values[p] >= threshold else PRIMARY
    lines_of: dict[Pos, list[Line]] = {}
    for line in lines:
        for p in (*line.inner, line.total):
            lines_of.setdefault(p, []).append(line)
    for _guard in range(len(values) + 1):
        if hide_lone_cells(values, status, lines):
            continue
        changed = False
        for p in pinned_cells(values, status, lines, threshold):
            # Hide more in the pinned cell's own lines; when those are all hidden, elsewhere.
            for line in [*lines_of.get(p, []), *lines]:
                pick = candidate(line, values, status)
                if pick is not None:
                    status[pick[0]] = pick[1]
                    changed = True
                    break
            if changed:
                break
        if not changed:
            break
    return status


def suppress(
    table: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    threshold: int = THRESHOLD,
    force: Iterable[Pos] = (),
) -> SuppressedTable:
    """Suppress ``table`` (rows of non-negative counts); totals are computed here.

    Returns every cell (and total) with its value and suppression status; only
    ``Cell.display`` / ``Cell.shown_value`` may leave the server.
    """
    rows = len(table)
    cols = len(table[0]) if rows else 0
    if any(len(r) != cols for r in table):
        raise ValueError("every row needs the same number of columns")
    if any(v < 0 for r in table for v in r):
        raise ValueError("counts cannot be negative")
    values: dict[Pos, int] = {(r, c): int(table[r][c]) for r in range(rows) for c in range(cols)}
    if row_totals:
        for r in range(rows):
            values[(r, cols)] = sum(table[r])
    if col_totals:
        for c in range(cols):
            values[(rows, c)] = sum(table[r][c] for r in range(rows))
    if row_totals and col_totals:
        values[(rows, cols)] = sum(sum(r) for r in table)
    lines = table_lines(rows, cols, row_totals=row_totals, col_totals=col_totals)
    status = suppress_positions(values, lines, threshold, force)

    def cell(p: Pos) -> Cell:
        return Cell(values[p], status[p])

    return SuppressedTable(
        cells=tuple(tuple(cell((r, c)) for c in range(cols)) for r in range(rows)),
        row_totals=tuple(cell((r, cols)) for r in range(rows)) if row_totals else None,
        col_totals=tuple(cell((rows, c)) for c in range(cols)) if col_totals else None,
        grand_total=cell((rows, cols)) if row_totals and col_totals else None,
    )


def suppress_count(value: int, threshold: int = THRESHOLD) -> Cell:
    """A single stand-alone count (no totals around it)."""
    return Cell(value, PRIMARY if 0 < value < threshold else "")

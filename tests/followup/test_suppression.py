"""Small-number suppression: cells 1-4 never shown, and no hidden value can be derived
from what is shown (decided exactly over the integers by a constraint solver for every
hidden cell, not by the production code's own reasoning)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samverkan.followup.suppression import (
    HIDDEN_LABEL,
    PRIMARY,
    SECONDARY,
    SMALL_LABEL,
    THRESHOLD,
    suppress,
    suppress_count,
    table_lines,
)


def _extended(table, result, *, row_totals=True, col_totals=True):
    """Positions -> (true value, status) for inner cells and totals."""
    rows, cols = len(table), len(table[0])
    cells = {}
    for r in range(rows):
        for c in range(cols):
            cells[(r, c)] = result.cells[r][c]
    if row_totals:
        for r in range(rows):
            cells[(r, cols)] = result.row_totals[r]
    if col_totals:
        for c in range(cols):
            cells[(rows, c)] = result.col_totals[c]
    if row_totals and col_totals:
        cells[(rows, cols)] = result.grand_total
    return cells


def _domain(cell, cap):
    if cell.suppressed == PRIMARY:
        return 0, THRESHOLD - 1
    if cell.suppressed == SECONDARY:
        return THRESHOLD, cap
    return cell.value, cell.value


def _feasible_alternative(cells, lines, target, cap) -> bool:
    """Is there an assignment consistent with everything displayed (and with what a
    reader knows of "<5" and the hidden mark) in which ``target`` differs from its true value?

    Decided exactly over the integers by a constraint solver (OR-Tools CP-SAT), which
    shares nothing with the production code's interval and linear-programming reasoning."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {p: model.NewIntVar(*_domain(c, cap), f"x{p}") for p, c in cells.items()}
    for ln in lines:
        model.Add(sum(x[p] for p in ln.inner) == x[ln.total])
    model.Add(x[target] != cells[target].value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    status = solver.Solve(model)
    assert status != cp_model.UNKNOWN, "the checker ran out of time"
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _check_table(table, *, row_totals=True, col_totals=True):
    result = suppress(table, row_totals=row_totals, col_totals=col_totals)
    cells = _extended(table, result, row_totals=row_totals, col_totals=col_totals)
    # 1. counts 1–4 are never displayed, and what is displayed is true.
    for cell in cells.values():
        if 0 < cell.value < THRESHOLD:
            assert cell.suppressed == PRIMARY and cell.display == SMALL_LABEL
        if not cell.suppressed:
            assert cell.display == str(cell.value)
        else:
            assert cell.display in (SMALL_LABEL, HIDDEN_LABEL)
            assert cell.display == SMALL_LABEL or cell.value >= THRESHOLD  # labels are true
            assert cell.shown_value is None
    lines = table_lines(len(table), len(table[0]), row_totals=row_totals, col_totals=col_totals)
    # 2. no equation holds exactly one hidden cell.
    for ln in lines:
        hidden = [p for p in (*ln.inner, ln.total) if cells[p].suppressed]
        assert len(hidden) != 1, (table, ln)
    # 3. no hidden value can be derived: each has another consistent value.
    cap = 2 * max([c.value for c in cells.values()] + [THRESHOLD]) + THRESHOLD
    for p, cell in cells.items():
        if cell.suppressed:
            assert _feasible_alternative(cells, lines, p, cap), (table, p, result)
    return result


small_counts = st.one_of(st.integers(0, 6), st.integers(0, 14))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 3).flatmap(
        lambda c: st.lists(st.lists(small_counts, min_size=c, max_size=c), min_size=1, max_size=3)
    )
)
def test_no_hidden_value_derivable_with_row_and_column_totals(table):
    _check_table(table)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda c: st.lists(st.lists(small_counts, min_size=c, max_size=c), min_size=1, max_size=3)
    )
)
def test_no_hidden_value_derivable_with_row_totals_only(table):
    _check_table(table, col_totals=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 200), min_size=4, max_size=4), min_size=1, max_size=8))
def test_larger_tables_never_show_small_counts_or_single_hidden_cells(table):
    result = suppress(table)
    rows = [[*list(r), t] for r, t in zip(result.cells, result.row_totals, strict=True)]
    rows.append([*list(result.col_totals), result.grand_total])
    for row in rows:
        for cell in row:
            assert not (0 < cell.value < THRESHOLD and not cell.suppressed)
        assert sum(1 for cell in row if cell.suppressed) != 1
    for c in range(5):
        assert sum(1 for row in rows if row[c].suppressed) != 1


def test_known_examples():
    # A row with one small cell: the smallest other cell is hidden too.
    result = _check_table([[3, 10, 20], [7, 8, 30]])
    assert result.cells[0][0].display == "<5"
    assert [c.display for c in result.cells[0]].count("×") >= 1
    # Nothing small: nothing hidden.
    result = suppress([[5, 10], [7, 0]])
    assert result.displays() == [["5", "10"], ["7", "0"]]
    assert result.grand_total.display == "22"
    # Two "<5" in one row whose remainder is 8 would both be 4: a further cell is hidden.
    result = _check_table([[4, 4, 10]], col_totals=False)
    assert (
        sum(1 for c in result.cells[0] if c.suppressed) + int(bool(result.row_totals[0].suppressed))
        >= 3
    )


def test_single_counts_and_input_checks():
    assert suppress_count(0).display == "0"
    assert suppress_count(4).display == "<5"
    assert suppress_count(5).display == "5"
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])


def test_checker_detects_a_derivable_value():
    """The exhaustive checker itself must be able to fail: hiding only one cell of a
    row with a visible total is caught."""
    from samverkan.followup.suppression import Cell, SuppressedTable

    table = [[3, 10]]
    leaky = SuppressedTable(
        cells=((Cell(3, PRIMARY), Cell(10)),),
        row_totals=(Cell(13),),
        col_totals=None,
        grand_total=None,
    )
    cells = _extended(table, leaky, col_totals=False)
    lines = table_lines(1, 2, row_totals=True, col_totals=False)
    assert not _feasible_alternative(cells, lines, (0, 0), cap=40)
    assert math.isfinite(40)


def test_a_value_given_away_only_by_combining_rows_and_columns_stays_hidden():
    """Found by the property test above: the grand total minus the middle column, minus the
    bottom row, gives away the "<5" at row 1, column 2, though no single line does and
    interval reasoning does not either. The exact (LP) check catches it."""
    from samverkan.followup.suppression import exactly_pinned_cells, propagate

    table = [[0, 1, 0], [0, 1, 1], [1, 5, 1]]
    result = _check_table(table)
    # Without the exact check, the hiding found by lines and intervals alone leaks (1, 2).
    values = {(r, c): result.cell_at((r, c)).value for r in range(4) for c in range(4)}
    lines = table_lines(3, 3, row_totals=True, col_totals=True)
    leaky = {p: (PRIMARY if 0 < v < THRESHOLD else "") for p, v in values.items()}
    bounds = propagate(values, leaky, lines)
    assert all(bounds[p][0] < bounds[p][1] for p, s in leaky.items() if s)  # intervals miss it
    assert exactly_pinned_cells(values, leaky, lines) == [(1, 2)]
    from samverkan.followup.suppression import Cell

    leaky_cells = {p: Cell(v, leaky[p]) for p, v in values.items()}
    assert not _feasible_alternative(leaky_cells, lines, (1, 2), cap=40)  # the checker agrees
    assert result.cell_at((1, 2)).suppressed and result.cell_at((1, 0)).suppressed

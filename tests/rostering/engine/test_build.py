"""The model builder's shared structure: what one part computes, another part with the same
shift times reuses, and the rosters stay valid."""

from __future__ import annotations

from samverkan.rostering.engine.model import Expert, Leave, PriorWork, Problem
from samverkan.rostering.engine.shifts import generate_shifts, requirements_for
from samverkan.rostering.engine.solver.build import _Context, _Model
from samverkan.rostering.engine.solver.decompose import components, sub_problem, sub_problems
from samverkan.rostering.engine.solver.run import solve
from samverkan.rostering.engine.validator import validate

from .helpers import MONDAY, at


def _two_areas() -> Problem:
    shifts = generate_shifts("north", MONDAY, 14, "3x8") + generate_shifts("south", MONDAY, 14, "3x8")
    experts = [
        Expert(id=f"{g}/{i}", agency="police", groups=frozenset({g})) for g in ("north", "south") for i in range(5)
    ]
    # One expert on leave: a list of possible shifts of their own.
    experts[0] = Expert(id="north/0", agency="police", groups=frozenset({"north"}), leave=(Leave(at(2, 0), at(5, 0)),))
    return Problem(
        period_start=MONDAY,
        days=14,
        shifts=shifts,
        requirements=requirements_for(shifts, ("police",), 1),
        experts=experts,
    )


def test_parts_with_the_same_shift_times_share_one_rest_structure() -> None:
    problem = _two_areas()
    ctx = _Context(problem)
    parts = components(problem)
    assert len(parts) == 2
    models = [_Model(problem, part, replan=False, ctx=ctx) for part in parts]
    # Nine experts with every shift of their area (two areas, the same times) and one on
    # leave: two distinct lists of shift times, so two entries - not one per area or expert.
    assert len(ctx._cliques) == 2
    assert len(ctx._windows) == 2
    # What a part reuses is what it would compute alone.
    for model in models:
        alone = _Context(problem)
        for mine in model.expert_shifts.values():
            assert ctx.cliques(mine, problem.rules.daily_rest_hours) == alone.cliques(
                mine, problem.rules.daily_rest_hours
            )
            assert ctx.windows(mine) == alone.windows(mine)


def test_shared_structure_gives_valid_rosters_in_both_areas() -> None:
    problem = _two_areas()
    result = solve(problem, time_limit_s=20)
    assert result.status in ("optimal", "feasible")
    assert result.roster is not None
    assert validate(problem, result.roster) == []
    worked = {a.expert_id.split("/")[0] for a in result.roster.assignments}
    assert worked == {"north", "south"}
    on_leave = [a for a in result.roster.assignments if a.expert_id == "north/0"]
    shifts = {s.id: s for s in problem.shifts}
    assert all(not (shifts[a.shift_id].start < at(5, 0) and shifts[a.shift_id].end > at(2, 0)) for a in on_leave)


def test_sub_problems_in_one_pass_match_each_part_taken_alone() -> None:
    """``sub_problems`` (one pass, re-planning checks every part with it) gives each part
    exactly what filtering the whole problem for that part gives: shifts, requirements,
    experts, the published roster and the work before the period, in the problem's order."""
    base = _two_areas()
    # A shift shared by two agencies' parts, a published roster and earlier work.
    shifts = base.shifts
    requirements = [*base.requirements, *requirements_for(shifts[:6], ("customs",), 1)]
    experts = [*base.experts, Expert(id="north/customs", agency="customs", groups=frozenset({"north"}))]
    first = solve(base, time_limit_s=20)
    assert first.roster is not None
    history = [
        PriorWork(expert_id="south/1", start=at(-1, 6), end=at(-1, 14)),
        PriorWork(expert_id="north/2", start=at(-1, 22), end=at(0, 6)),
    ]
    problem = Problem(
        period_start=base.period_start,
        days=base.days,
        shifts=shifts,
        requirements=requirements,
        experts=experts,
        published=first.roster,
        pinned_until=at(3, 0),
        history=history,
    )
    parts = components(problem)
    assert len(parts) == 3
    for part, sub in zip(parts, sub_problems(problem, parts), strict=True):
        cells = set(part.cells)
        ids = {e.id for e in part.experts}
        assert sub.shifts == [s for s in problem.shifts if any((s.id, a) in cells for _s, a in part.cells)]
        assert sub.requirements == [r for r in problem.requirements if (r.shift_id, r.agency) in cells]
        assert sub.experts == part.experts
        assert sub.published is not None and problem.published is not None
        assert sub.published.assignments == [a for a in problem.published.assignments if a.expert_id in ids]
        assert sub.history == [w for w in history if w.expert_id in ids]
        assert sub.pinned_until == problem.pinned_until
        assert sub_problem(problem, part) == sub

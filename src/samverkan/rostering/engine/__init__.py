"""The roster engine: pure Python, no Django. See model.py for the data it works on.

- shifts.generate_shifts(group, period_start, days, pattern, breaks=None) -> list[Shift]
  (every shift with its breaks, ATL 15 §)
- validator.validate(problem, roster) -> list[Violation]     (never uses the solver; checks
  across the period boundary with problem.history, the previous periods' work)
- solver.run.solve(problem, *, time_limit_s, on_progress, should_stop, hint) -> SolveResult
- solver.run.replan(problem, *, time_limit_s, on_progress, should_stop) -> SolveResult
  (problem.published and problem.pinned_until set; fewest changes)
  (solver/: decompose, eligibility, build (the CP-SAT model), repair, passes, run (the loop),
  bounds, objective, feasibility, explain)
- solver.objective.objective(problem, roster, *, replan=False) -> float   (no OR-Tools; what
  solve/replan report as SolveResult.objective for the roster they return)
- solver.feasibility.feasible(problem, *, relax, time_limit_s) -> bool | None
- solver.explain.explain_infeasible(problem) -> list[str];
  solver.explain.explain(problem) -> list[Explanation]
- capacity.plan(...) -> CapacityPlan; capacity.prove_minimum(...) -> MinimumProof
- csvio.read_roster(text, shifts=None) -> Roster; csvio.write_roster(roster, shifts=None) -> str
"""

"""The roster engine: pure Python, no Django. See model.py for the data it works on.

- validator.validate(problem, roster) -> list[Violation]   (never uses the solver)
- solver.solve(problem, ...) -> SolveResult                 (OR-Tools CP-SAT)
- solver.replan(problem, published, ...) -> SolveResult     (fewest changes)
- explain.explain_infeasible(problem) -> list[str]          (reasons in words)
- capacity.plan(...) -> CapacityPlan                        (the capacity planner)
"""

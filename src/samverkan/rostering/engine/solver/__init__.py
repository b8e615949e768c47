"""Roster solver on OR-Tools CP-SAT.

Formulation (one boolean x[e, s] per expert and shift the expert may work at all):

* Eligibility removes variables instead of adding constraints: the expert's agency has a
  requirement on the shift, the shift's group is one of the expert's groups, the shift does
  not overlap leave, is not a night shift for an expert without night work, is not longer
  than ``max_shift_hours`` nor than 24 - daily rest (the validator's 24-hour window rule),
  and the expert holds the qualifications of a sole requirement.
* Coverage: sum of x over the (shift, agency) cell == required count (plus, with several
  requirements on one cell, enough qualified experts for each).
* Daily rest and overlaps: two shifts conflict when the later one starts less than
  ``daily_rest_hours`` after the earlier one ends. Conflicts are covered by cliques
  (for 3x8: {D, E, N} of a day, {E, N, D+1}, {N, D+1, E+1}) posted as at-most-one, the rest
  as pairs.
* Weekly rest: per expert and 7-day block, a boolean per candidate free window of
  ``weekly_rest_hours`` starting at the block's start or at the end of one of the expert's
  possible shifts; a chosen window forbids every shift overlapping it; at least one window
  per block. (A maximal free stretch always starts at one of those points, so this is
  exact.)
* Hours: sum of shift minutes <= min(average, contract) cap in minutes (validator.hours_caps:
  leave lowers the cap pro rata, never below the expert's pinned hours).
* Night workers: a literal "works a night" implied by every night shift enforces the
  night-average cap (posted only where it can bind).

Soft (minimised, weighted by ``problem.weights``): per (group, agency) cohort the spread
(max - min) of nights, weekend shifts and holiday shifts; preference penalties (an avoided
shift code or weekday, or a shift outside the wanted codes); and in re-planning the number
of changed assignments (added + removed, each counts one).

Independent components (experts linked through the (group, agency) cells they may fill)
are solved one after the other, sharing the time budget; small components usually prove
optimality long before their share runs out.

Modules, one subject each:

* ``decompose``: splitting the instance into independent components (``components``,
  ``sub_problem``).
* ``eligibility``: who may work a shift at all and which shifts conflict (``eligible``,
  ``conflicts``, ``KINDS``).
* ``build``: the CP-SAT model of one component (``_Context``, ``_Model``).
* ``repair``: re-planning's constructive repair and its lower bound on the changes
  (``Repairer``), and the neighbourhood search for the fewest changes on a component's
  elastic model (``NeighbourhoodSearch``).
* ``patterns``: re-planning's strong lower bound on the changes, column generation over
  whole per-expert rosters (``PatternBound``: the Lagrangian bound, valid at any prices,
  with an exact pricing over the rules it keeps), and the nearly complete roster its
  last linear program suggests.
* ``passes``: solving one component (pass 1, pass 2, re-planning repair) with progress
  reporting and cancellation (``_Passes``, ``_State``).
* ``feasibility``: whether any roster exists under the rules, less some (``feasible``).
* ``explain``: why no roster exists, in words (``explain``, ``explain_infeasible``); asks
  ``feasibility`` for the binding rule.
* ``run``: the entry points, the run loop over all components and the combined result,
  with the explanation of any part that has no roster (``solve``, ``replan``).
* ``bounds``: values and bounds computed without the solver (``gap``,
  ``static_changes_lower_bound``, ``fairness_spreads``).
* ``objective``: the objective of a roster computed from the roster and the problem alone,
  without OR-Tools (``objective``, ``objective_parts``, ``ObjectiveTerms``): what ``solve``
  and ``replan`` report as ``SolveResult.objective`` for the roster they return. CP-SAT's
  value of a solution found before optimality can be larger (a spread variable is only
  bounded below by max - min), so it is never reported.

Imports go one way: eligibility, decompose < build < bounds, repair, patterns < passes;
eligibility, decompose < objective < run; build < feasibility < explain < run.
"""

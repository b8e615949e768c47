"""How good a roster is, in a coordinator's words instead of the solver's numbers.

Two things are said about a roster:

* how fair it is, from the roster's own fairness spreads (engine.solver.bounds.
  fairness_spreads: per agency, the difference between the expert with the most and the
  one with the fewest nights, weekend shifts and public-holiday shifts, among the experts
  who may work such shifts at all): "Nights differ by at most 2 between experts of the
  same agency";
* whether it is the best possible roster under the rules, or how close to it: the
  solver's objective (lower is better: the weighted spreads and preference penalties)
  against its proven lower bound. A roster whose objective equals the bound, or is 0, is
  proven best; otherwise the relative gap is the most it can be from the best possible.

Numbers are written in the active language's style (a decimal comma in Swedish).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samverkan.rostering.engine import model as em

KINDS = ("nights", "weekends", "holidays")
STATS_PREFIX = "spread_"


def fairness_stats(problem: em.Problem, roster: em.Roster) -> dict[str, int]:
    """The largest spread per kind of shift over every agency the solver balances, as
    version stats: ``{"spread_nights": 2, ...}``; a kind no cohort has is left out."""
    from samverkan.rostering.engine.solver.bounds import (  # deferred: OR-Tools (~0.7 s import)
        fairness_spreads,
    )

    out: dict[str, int] = {}
    for key, spread in fairness_spreads(problem, roster).items():
        if key == "max":
            continue
        kind = key.rsplit("|", 1)[-1]
        name = STATS_PREFIX + kind
        out[name] = max(out.get(name, 0), round(spread))
    return out


def _spreads(stats: Mapping[str, Any] | None) -> dict[str, int]:
    stats = stats or {}
    return {
        kind: int(stats[STATS_PREFIX + kind])
        for kind in KINDS
        if isinstance(stats.get(STATS_PREFIX + kind), int | float)
    }


def fairness_words(stats: Mapping[str, Any] | None) -> list[str]:
    """One sentence per kind of shift the roster balances, e.g. "Nights differ by at
    most 2 between experts of the same agency." Empty when nothing is known (a roster
    made before this was recorded, or no kind to balance)."""
    lines = []
    for kind, spread in _spreads(stats).items():
        if kind == "nights":
            line = (
                _("Every expert of an agency has the same number of nights.")
                if spread == 0
                else _("Nights differ by at most %(n)s between experts of the same agency.")
            )
        elif kind == "weekends":
            line = (
                _("Every expert of an agency has the same number of weekend shifts.")
                if spread == 0
                else _("Weekend shifts differ by at most %(n)s between experts of the same agency.")
            )
        else:
            line = (
                _("Every expert of an agency has the same number of public-holiday shifts.")
                if spread == 0
                else _("Public-holiday shifts differ by at most %(n)s between experts of the same agency.")
            )
        lines.append(line % {"n": number_format(spread)} if spread else line)
    return lines


def gap_percent(objective: float | None, bound: float | None) -> float | None:
    """How far, at most, a roster with ``objective`` is from the best possible one, in
    per cent of its objective (0 when proven best); None when nothing can be said."""
    if objective is None:
        return None
    if objective <= 1e-9:
        return 0.0
    if bound is None or bound <= 1e-9:
        return None
    return max(0.0, 100 * (objective - bound) / objective)


def _percent(value: float) -> str:
    """Rounded up (the gap is "at most"): one decimal below 10 %, whole numbers above."""
    if value < 10:
        return number_format(math.ceil(value * 10) / 10, decimal_pos=1)
    return number_format(math.ceil(value))


def closeness_words(status: str, objective: float | None, bound: float | None, *, running: bool = False) -> str:
    """Whether the roster is the best possible under the rules, or how close to it.
    ``running``: the best roster found so far, while the planner still works."""
    if objective is None:
        if running:
            return _("No roster found yet.")
        if status == "infeasible":
            return _("No roster keeps every rule.")
        if status in ("optimal", "feasible"):
            return ""
        return _("No roster was found in the time given.")
    gap = gap_percent(objective, bound)
    if status == "optimal" or gap == 0.0 or (gap is not None and gap < 0.05):
        if running:
            return _("The best roster so far is the best possible one.")
        return _("Proven to be the best possible roster under the rules.")
    if gap is None:
        if running:
            return _("A roster has been found; how close it is to the best possible is not known yet.")
        return _("Keeps every rule; the planner could not show how close it is to the best possible roster.")
    if running:
        return _("The best roster so far is within %(pct)s %% of the best possible.") % {"pct": _percent(gap)}
    return _("Within %(pct)s %% of the best possible roster (not proven best).") % {"pct": _percent(gap)}

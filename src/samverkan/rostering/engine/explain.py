"""stub"""

from __future__ import annotations

from .model import Problem


def explain_infeasible(problem: Problem) -> list[str]:
    return ["stub"]

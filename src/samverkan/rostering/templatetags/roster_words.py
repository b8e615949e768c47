"""A roster's quality in words (rostering.quality) for templates: the planner's progress
page and a version's page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from samverkan.rostering import quality

register = template.Library()


@register.simple_tag
def roster_closeness(status: str, objective: Any, bound: Any, running: bool = False) -> str:
    """``{% roster_closeness result.status result.objective result.bound running=result.running %}``."""
    return quality.closeness_words(
        str(status or ""),
        float(objective) if objective is not None and objective != "" else None,
        float(bound) if bound is not None and bound != "" else None,
        running=bool(running),
    )


@register.simple_tag
def roster_fairness(stats: Mapping[str, Any] | None) -> list[str]:
    """``{% roster_fairness version.stats as lines %}``: one sentence per kind of shift."""
    return quality.fairness_words(stats)

"""Background job ``logreview.sample``: draw a month's log review.

params: {"month": "YYYY-MM"} and optionally {"organisation": id} (one organisation, as
started from the review page); without it, every organisation with a log reviewer.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from samverkan.jobs.context import JobContext
from samverkan.jobs.registry import handler
from samverkan.logreview import rules, services


@handler("logreview.sample")
def sample_job(ctx: JobContext, month: str = "", organisation: int | None = None) -> dict[str, Any]:
    month_text = month or rules.previous_month(timezone.localdate()).strftime("%Y-%m")
    first_day = rules.parse_month(month_text)
    actor = ctx.job.created_by
    ctx.progress(0, 1, force=True)
    if organisation is not None:
        review = services.review_sample(
            organisation_id=int(organisation), month=first_day, actor=actor
        )
        result = {"reviews": 1, "items": review.items.count()}
    else:
        result = services.review_sample_all(month=first_day, actor=actor)
    ctx.progress(1, 1, force=True)
    return {"month": month_text, **result}

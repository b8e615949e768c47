"""What residents write through the public pages: the anonymous safety poll.

An answer keeps the area, the ISO week (its Monday) and the two scores, nothing else:
no account, no address, no browser detail, no time finer than the week, no audit row
(an audit event's exact time would say when someone answered). The view takes nothing
from the request but the form's scores. The residents' page cache is cleared by
samverkan.public.signals when an answer is stored (the results shown may change)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from samverkan.directory.models import Area
from samverkan.public.models import SafetyPollAnswer


class UnknownArea(Exception):
    """The poll was sent for an area code we do not know."""


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def poll_answer(*, area_code: str, day_score: int, evening_score: int) -> SafetyPollAnswer:
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise UnknownArea
    answer = SafetyPollAnswer(
        area=area,
        week_start=week_start(timezone.localdate()),
        day_score=day_score,
        evening_score=evening_score,
    )
    answer.full_clean()
    answer.save()
    return answer

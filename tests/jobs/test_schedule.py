"""The periodic scheduler starts each due job once per period, even with several
schedulers running."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from samverkan.jobs import schedule
from samverkan.jobs.models import Job, ScheduledRun
from samverkan.jobs.registry import handler

pytestmark = pytest.mark.django_db

STHLM = ZoneInfo("Europe/Stockholm")
CALLS: list[dict] = []


@handler("tests.scheduled")
def _scheduled(ctx, **params):
    CALLS.append(params)
    return {"ok": True}


ENTRIES = [
    schedule.Periodic("t-daily", "tests.scheduled", hour=5, period="daily"),
    schedule.Periodic("t-monthly", "tests.scheduled", hour=4, period="monthly",
                      params=schedule._previous_month),
    schedule.Periodic("t-missing", "no.such.kind", hour=0, period="daily"),
]


def test_not_due_before_its_hour():
    assert schedule.run_due(now=datetime(2026, 11, 27, 4, 59, tzinfo=STHLM), schedule=ENTRIES[:1]) == []
    assert not Job.objects.exists()


def test_runs_once_per_period_even_when_called_twice():
    CALLS.clear()
    now = datetime(2026, 12, 1, 6, 0, tzinfo=STHLM)
    assert schedule.run_due(now=now, schedule=ENTRIES) == ["t-daily", "t-monthly"]
    assert schedule.run_due(now=now, schedule=ENTRIES) == []
    assert ScheduledRun.objects.count() == 2
    assert Job.objects.filter(kind="tests.scheduled", status="succeeded").count() == 2
    assert {"month": "2026-11"} in CALLS
    # The next day the daily job is due again; the monthly one is not.
    assert schedule.run_due(now=datetime(2026, 12, 2, 6, 0, tzinfo=STHLM), schedule=ENTRIES) == ["t-daily"]


def test_weekly_runs_on_mondays_only():
    weekly = schedule.Periodic("t-weekly", "tests.scheduled", hour=3, period="weekly")
    assert weekly.key(datetime(2026, 11, 30, 3, 0, tzinfo=STHLM)) == "2026-W49"
    assert weekly.key(datetime(2026, 12, 1, 3, 0, tzinfo=STHLM)) is None


def test_shipped_schedule_names_registered_kinds():
    from samverkan.jobs import registry

    for entry in schedule.SCHEDULE:
        registry.get(entry.kind)

"""The working-time rules of issue 14 on the Django side: the settings an administrator
changes, custom shifts with their breaks, the previous published period as input to the
next one, and a sickness re-plan that overrides the two-week notice (ATL 12 §)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.jobs.models import Job
from samverkan.rostering import problem as pb
from samverkan.rostering.engine import model as em
from samverkan.rostering.engine import validator
from samverkan.rostering.forms import RulesForm
from samverkan.rostering.models import RosterAssignment, RosterVersion, VersionStatus
from samverkan.rostering.services import experts as expert_services
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import monday

from .test_solve import _published, _solve, small  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_the_new_rules_are_settings_that_reach_the_engine(small):  # noqa: F811
    rules = rule_services.rules_get(group=small["group"])
    assert (rules.break_after_hours, rules.total_week_average_hours) == (5, 48)
    assert (rules.total_reference_weeks, rules.weekly_rest_rolling) == (16, False)
    form = RulesForm(instance=rules, prefix="r")
    for name in ("break_after_hours", "total_week_average_hours", "total_reference_weeks", "weekly_rest_rolling"):
        assert name in form.fields
    rules.break_after_hours = Decimal("4.5")
    rules.total_week_average_hours = Decimal("45")
    rules.total_reference_weeks = 8
    rules.weekly_rest_rolling = True
    rule_services.rules_save(actor=small["coord"], rules=rules, expected_version=rules.version)
    engine_rules, _weights = pb.rules_for(small["group"])
    assert engine_rules.break_after_hours == 4.5
    assert engine_rules.total_week_average_hours == 45.0
    assert engine_rules.total_reference_weeks == 8
    assert engine_rules.weekly_rest_rolling is True


def test_the_rules_page_shows_the_new_settings(small, personas, logged_in):  # noqa: F811
    client = logged_in(personas["city_coord"])
    page = client.get(reverse("rostering:group_settings", args=[small["group"].pk]))
    assert page.status_code == 200
    for name in ("r-break_after_hours", "r-total_week_average_hours", "r-total_reference_weeks", "r-weekly_rest_rolling"):
        assert f'name="{name}"' in page.content.decode()


def test_custom_shifts_name_their_breaks(small):  # noqa: F811
    text = "D 07:00 12 11:00-11:30 15:00-15:30\nN 19:00 12"
    custom = rule_services.parse_custom_pattern(text)
    assert custom[0]["breaks"] == [{"start": "11:00", "minutes": 30}, {"start": "15:00", "minutes": 30}]
    assert "breaks" not in custom[1]
    assert rule_services.pattern_text(custom) == text
    rule_services.pattern_set(
        actor=small["coord"],
        group=small["group"],
        kind="custom",
        custom=custom,
        expected_version=rule_services.ShiftPattern.objects.get(group=small["group"]).version,
    )
    problem = pb.build_problem(small["plan"])
    day = next(s for s in problem.shifts if s.code == "D")
    assert [(b.strftime("%H:%M"), e.strftime("%H:%M")) for b, e in day.breaks or ()] == [
        ("11:00", "11:30"),
        ("15:00", "15:30"),
    ]
    night = next(s for s in problem.shifts if s.code == "N")
    assert night.breaks and len(night.breaks) == 2  # the standard placement
    with pytest.raises(Exception):
        rule_services.parse_custom_pattern("D 07:00 8 16:00-16:30")  # after the shift's end
    with pytest.raises(Exception):
        rule_services.parse_custom_pattern("D 07:00 8 lunch")


def test_the_next_period_is_checked_together_with_the_end_of_the_previous_one(small):  # noqa: F811
    first = _published(small)
    # The 2 x 12 h pattern: the previous period's last night shift ends at 07:00 on the
    # next period's first day.
    last_night = first.assignments.order_by("-starts_at").first()
    following = roster_services.plan_get_or_create(
        actor=small["coord"], group=small["group"], period_start=monday(2), weeks=1
    )
    problem = pb.build_problem(following)
    assert problem.history_from == dt.datetime.combine(small["plan"].period_start, dt.time())
    mine = [w for w in problem.history if w.expert_id == pb.expert_engine_id(last_night.expert_id)]
    assert mine and max(w.end for w in mine) == pb.to_local_naive(last_night.ends_at)
    # Putting that expert on the first day shift breaks daily rest across the boundary.
    first_day = next(s for s in problem.shifts if s.code == "D")
    agency = problem.experts[0].agency
    broken = em.Roster([em.Assignment(first_day.id, pb.expert_engine_id(last_night.expert_id), agency)])
    found = [v for v in validator.validate(problem, broken) if v.rule == "daily_rest"]
    assert found and "previous period" in found[0].message
    # The solver keeps it: the next period's roster validates with the history.
    version = _solve({**small, "plan": following})
    assert version.violations == []
    assert not version.assignments.filter(expert_id=last_night.expert_id, shift_id=first_day.id).exists()
    assert validator.validate(pb.build_problem(following), pb.roster_of(version)) == []


def _sick_on_day_one(small, version: RosterVersion) -> RosterAssignment:  # noqa: F811
    start = pb.to_aware(dt.datetime.combine(small["plan"].period_start, dt.time()))
    shift = version.assignments.filter(starts_at__gte=start + dt.timedelta(days=1)).order_by("starts_at").first()
    expert_services.leave_record(
        actor=small["coord"], expert=shift.expert, kind="sick", starts_at=shift.starts_at, ends_at=shift.ends_at
    )
    return shift


def test_a_sickness_repair_may_change_shifts_inside_the_notice_period(small):  # noqa: F811
    version = _published(small)
    sick = _sick_on_day_one(small, version)
    # By default the next two weeks keep their people (ATL 12 §): the sick shift stays
    # pinned and the re-plan explains why no roster keeps every rule.
    kept = roster_services.solve_plan(plan=small["plan"], time_limit_s=4, mode="replan")
    assert kept.notice_override_reason == "" and kept.pinned_until is not None
    assert kept.pinned_until > timezone.now() + dt.timedelta(days=13)
    assert kept.solver_status == "infeasible" and kept.explanation
    before = timezone.now()
    job = roster_services.solve_start(
        actor=small["coord"],
        plan=small["plan"],
        time_limit_s=4,
        mode="replan",
        notice_override_reason="Sickness in week 1",
    )
    job.refresh_from_db()
    repaired = RosterVersion.objects.get(pk=job.result["version_id"])
    assert repaired.notice_override_reason == "Sickness in week 1"
    assert before <= repaired.pinned_until <= timezone.now()
    assert repaired.solver_status in ("optimal", "feasible") and repaired.violations == []
    assert not repaired.assignments.filter(expert=sick.expert, shift_id=sick.shift_id).exists()
    event = AuditEvent.objects.filter(action="roster.solved", subject_id=str(repaired.pk)).get()
    assert json.loads(event.detail)["notice_overridden"] is True


def test_the_sickness_repair_needs_a_reason_on_the_page(small, personas, logged_in):  # noqa: F811
    version = _published(small)
    client = logged_in(personas["city_coord"])
    page = client.get(reverse("rostering:version_detail", args=[version.pk])).content.decode()
    assert 'name="s-reason"' in page and 'data-testid="replan-sickness"' in page
    url = reverse("rostering:plan_replan", args=[small["plan"].pk])
    assert client.post(url, {"s-reason": "  "}).status_code == 302
    assert not Job.objects.filter(kind=roster_services.SOLVE_JOB, params__mode="replan").exists()
    assert client.post(url, {"s-reason": "Sickness in week 1"}).status_code == 302
    job = Job.objects.filter(kind=roster_services.SOLVE_JOB, params__mode="replan").get()
    assert job.params["notice_override_reason"] == "Sickness in week 1"
    assert RosterVersion.objects.filter(plan=small["plan"], status=VersionStatus.PUBLISHED).count() == 1

"""Building the engine's Problem from the tables, and the engine's Roster back into
rows. Engine ids: a group is its ``code``, an agency its ``short_code``, an expert
``e<pk>``; times are naive local times (Europe/Stockholm) in the engine and aware in the
database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from samverkan.actiongroups.models import ActionGroup, PositionRequirement
from samverkan.rostering.engine import model as em
from samverkan.rostering.engine.shifts import generate_shifts
from samverkan.rostering.models import (
    Expert,
    ExpertLeave,
    PatternKind,
    RosterAssignment,
    RosterPlan,
    RosterRules,
    RosterVersion,
    ShiftPattern,
    VersionStatus,
)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_local_naive(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, local_zone()).replace(tzinfo=None)


def to_aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value, local_zone())


def expert_engine_id(pk: int) -> str:
    return f"e{pk}"


def expert_pk(engine_id: str) -> int | None:
    if engine_id.startswith("e") and engine_id[1:].isdigit():
        return int(engine_id[1:])
    return None


def pattern_for(group: ActionGroup) -> str | list[tuple[str, dt.time, float]]:
    """The group's shift pattern in the engine's terms (3x8 when none is stored)."""
    return pattern_and_breaks_for(group)[0]


def pattern_and_breaks_for(
    group: ActionGroup,
) -> tuple[str | list[tuple[str, dt.time, float]], dict[str, list[tuple[float, float]]]]:
    """The group's shift pattern and the breaks its custom shifts name (per code: hours
    after the shift's start, length in hours; a code without breaks gets the engine's
    standard placement, the built-in patterns their own)."""
    pattern = ShiftPattern.objects.filter(group=group).first()
    if pattern is None or pattern.kind != PatternKind.CUSTOM:
        return (pattern.kind if pattern else PatternKind.THREE_BY_EIGHT.value), {}
    templates = []
    breaks: dict[str, list[tuple[float, float]]] = {}
    for s in pattern.custom:
        start = dt.time.fromisoformat(str(s["start"]))
        templates.append((str(s["code"]), start, float(s["hours"])))
        if s.get("breaks"):
            breaks[str(s["code"])] = [
                (break_offset_hours(start, str(b["start"])), int(b["minutes"]) / 60) for b in s["breaks"]
            ]
    return templates, breaks


def break_offset_hours(shift_start: dt.time, break_start: str) -> float:
    """Hours from a shift's start to a break's start (the break may fall after midnight)."""
    b = dt.time.fromisoformat(break_start)
    minutes = (b.hour * 60 + b.minute) - (shift_start.hour * 60 + shift_start.minute)
    return (minutes % (24 * 60)) / 60


def rules_for(group: ActionGroup) -> tuple[em.Rules, em.Weights]:
    row = RosterRules.objects.filter(group=group).first() or RosterRules(group=group)
    rules = em.Rules(
        daily_rest_hours=float(row.daily_rest_hours),
        weekly_rest_hours=float(row.weekly_rest_hours),
        max_week_average_hours=float(row.max_week_average_hours),
        night_average_hours_per_24h=float(row.night_average_hours_per_24h),
        max_shift_hours=float(row.max_shift_hours),
        schedule_notice_days=int(row.schedule_notice_days),
        break_after_hours=float(row.break_after_hours),
        total_week_average_hours=float(row.total_week_average_hours),
        total_reference_weeks=int(row.total_reference_weeks),
        weekly_rest_rolling=bool(row.weekly_rest_rolling),
    )
    weights = em.Weights(**{name: int(getattr(row, name)) for name in RosterRules.WEIGHT_FIELDS})
    return rules, weights


def _open(group: ActionGroup, shift: em.Shift) -> bool:
    """Whether a shift falls in the group's opening hours (always, around the clock)."""
    if group.around_the_clock or group.opens_at is None or group.closes_at is None:
        return True
    start = shift.start.time()
    if group.opens_at <= group.closes_at:
        return group.opens_at <= start < group.closes_at
    return start >= group.opens_at or start < group.closes_at


def group_experts(group: ActionGroup) -> list[Expert]:
    """Active experts whose home or extra groups include ``group``."""
    return list(
        Expert.objects.filter(Q(home_groups=group) | Q(extra_groups=group), active=True)
        .select_related("agency")
        .prefetch_related("home_groups", "extra_groups")
        .distinct()
        .order_by("pk")
    )


def build_problem(
    plan: RosterPlan, *, with_published: bool = False, pinned_until: dt.datetime | None = None
) -> em.Problem:
    """The engine problem for ``plan``: shifts from the group's pattern and opening
    hours, requirements from its positions, its experts with their leave, its rules.

    Time an expert is rostered in another group's published roster is passed as leave
    of kind "other", so that the groups never double-book a person."""
    group = plan.group
    days = plan.days
    rules, weights = rules_for(group)
    pattern, breaks = pattern_and_breaks_for(group)
    shifts = [
        s
        for s in generate_shifts(
            group.code,
            plan.period_start,
            days,
            pattern,
            breaks=breaks,
            break_after_hours=rules.break_after_hours,
        )
        if _open(group, s)
    ]
    positions = list(
        PositionRequirement.objects.filter(group=group, positions__gt=0).select_related("agency")
    )
    requirements = [
        em.Requirement(
            shift_id=s.id,
            agency=p.agency.short_code,
            count=p.positions,
            qualifications=frozenset(p.qualifications or []),
        )
        for s in shifts
        for p in positions
    ]
    experts = group_experts(group)
    p0 = to_aware(dt.datetime.combine(plan.period_start, dt.time()))
    p1 = p0 + dt.timedelta(days=days + 1)
    leave: dict[int, list[em.Leave]] = {}
    for lv in ExpertLeave.objects.filter(
        expert__in=experts, starts_at__lt=p1, ends_at__gt=p0 - dt.timedelta(days=1)
    ):
        leave.setdefault(lv.expert_id, []).append(
            em.Leave(
                start=to_local_naive(lv.starts_at), end=to_local_naive(lv.ends_at), kind=lv.kind
            )
        )
    for a in _busy_elsewhere(plan, experts, p0, p1):
        leave.setdefault(a.expert_id, []).append(
            em.Leave(start=to_local_naive(a.starts_at), end=to_local_naive(a.ends_at), kind="other")
        )
    engine_experts = [
        em.Expert(
            id=expert_engine_id(e.pk),
            agency=e.agency.short_code,
            groups=frozenset(g.code for g in [*e.home_groups.all(), *e.extra_groups.all()]),
            contract_hours_per_week=float(e.contract_hours_per_week),
            night_allowed=e.night_allowed,
            qualifications=frozenset(e.qualifications or []),
            leave=tuple(leave.get(e.pk, [])),
            wanted_shift_codes=frozenset(e.wanted_shift_codes or []),
            avoided_shift_codes=frozenset(e.avoided_shift_codes or []),
            avoided_weekdays=frozenset(int(d) for d in (e.avoided_weekdays or [])),
        )
        for e in experts
    ]
    history, history_from = _history(plan, experts, p0, rules)
    published = None
    if with_published:
        version = current_published(plan)
        if version is not None:
            published = roster_of(version)
    return em.Problem(
        period_start=plan.period_start,
        days=days,
        shifts=shifts,
        requirements=requirements,
        experts=engine_experts,
        rules=rules,
        weights=weights,
        published=published,
        pinned_until=to_local_naive(pinned_until) if pinned_until else None,
        history=history,
        history_from=history_from,
    )


def _history(
    plan: RosterPlan, experts: list[Expert], p0: dt.datetime, rules: em.Rules
) -> tuple[list[em.PriorWork], dt.datetime | None]:
    """The experts' work before the period, from the published rosters in force of the
    periods before it (every group's: a person's rest does not depend on where they
    worked), back to the start of the total-time calculation period (ATL 10 b §), and the
    moment from which that record is complete: the first day of the earliest such period,
    at most the calculation period back. None when no earlier period of the group is
    published (the period stands alone)."""
    reach = dt.timedelta(weeks=max(1, rules.total_reference_weeks))
    earlier = (
        RosterVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            plan__period_start__lt=p0.date(),
            plan__period_start__gte=p0.date() - reach - dt.timedelta(weeks=8),
        )
        .order_by("plan_id", "-number")
        .values("pk", "plan_id", "plan__group_id", "plan__period_start")
    )
    latest: dict[int, int] = {}
    own_starts: list[dt.date] = []
    for v in earlier:
        if v["plan_id"] in latest:
            continue
        latest[v["plan_id"]] = v["pk"]
        if v["plan__group_id"] == plan.group_id:
            own_starts.append(v["plan__period_start"])
    if not own_starts:
        return [], None
    start = max(to_aware(dt.datetime.combine(min(own_starts), dt.time())), p0 - reach)
    rows = RosterAssignment.objects.filter(
        version_id__in=latest.values(),
        expert_id__in=[e.pk for e in experts],
        starts_at__lt=p0,
        ends_at__gt=start,
    ).values_list("expert_id", "shift_id", "starts_at", "ends_at")
    history = [
        em.PriorWork(
            expert_id=expert_engine_id(e),
            start=to_local_naive(s),
            end=to_local_naive(t),
            shift_id=sid,
        )
        for e, sid, s, t in rows
    ]
    return history, to_local_naive(start)


def _busy_elsewhere(
    plan: RosterPlan, experts: Iterable[Expert], p0: dt.datetime, p1: dt.datetime
) -> list[RosterAssignment]:
    """Assignments of these experts in other groups' current published versions."""
    ids = [e.pk for e in experts]
    others = (
        RosterVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .exclude(plan__group=plan.group)
        .filter(
            plan__period_start__lt=p1.date(),
            plan__period_start__gte=p0.date() - dt.timedelta(days=56),
        )
        .order_by("plan_id", "-number")
    )
    latest: dict[int, int] = {}
    for v in others.values("pk", "plan_id"):
        latest.setdefault(v["plan_id"], v["pk"])
    return list(
        RosterAssignment.objects.filter(
            version_id__in=latest.values(), expert_id__in=ids, starts_at__lt=p1, ends_at__gt=p0
        )
    )


def current_published(plan: RosterPlan) -> RosterVersion | None:
    return plan.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def roster_of(version: RosterVersion) -> em.Roster:
    rows = version.assignments.select_related("agency").values_list(
        "shift_id", "expert_id", "agency__short_code"
    )
    return em.Roster(
        [em.Assignment(shift_id=s, expert_id=expert_engine_id(e), agency=a) for s, e, a in rows]
    )


def assignment_rows(
    version: RosterVersion, problem: em.Problem, roster: em.Roster
) -> list[RosterAssignment]:
    """Unsaved RosterAssignment rows for ``roster`` (unknown shifts or experts skipped:
    the validator reports them)."""
    shifts = {s.id: s for s in problem.shifts}
    agency_of = dict(
        Expert.objects.filter(
            pk__in={expert_pk(a.expert_id) for a in roster.assignments}
        ).values_list("pk", "agency_id")
    )
    rows = []
    for a in roster.assignments:
        pk = expert_pk(a.expert_id)
        shift = shifts.get(a.shift_id)
        if pk is None or shift is None or pk not in agency_of:
            continue
        rows.append(
            RosterAssignment(
                version=version,
                shift_id=shift.id,
                shift_code=shift.code,
                starts_at=to_aware(shift.start),
                ends_at=to_aware(shift.end),
                expert_id=pk,
                agency_id=agency_of[pk],
            )
        )
    return rows

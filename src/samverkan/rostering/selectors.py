"""Reading experts and rosters, scoped by access.policy.

- Experts: the municipal side sees all; agency staff only their own agency's experts
  (others answer 404); an expert always sees their own record and calendar.
- Rosters: holders of area:roster:view see a group's roster; the names of another
  agency's experts are shown only to the municipal side (``can_see_expert_names_of``);
  agency staff see counts for other agencies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts.models import User
from samverkan.accounts.selectors import users_visible_to
from samverkan.actiongroups.models import ActionGroup, PositionRequirement
from samverkan.actiongroups.selectors import outreach_needing_contact
from samverkan.directory.models import Organisation
from samverkan.rostering import problem as pb
from samverkan.rostering.models import (
    Expert,
    ExpertLeave,
    RosterAssignment,
    RosterPlan,
    RosterVersion,
    ShiftPattern,
    SwapRequest,
    SwapStatus,
    VersionStatus,
)

# --- experts ----------------------------------------------------------------------------


def experts_visible_to(*, actor: User) -> QuerySet[Expert]:
    """Experts the actor may see (policy.scope_experts), with agency, account and groups
    loaded in a constant number of queries."""
    qs = Expert.objects.select_related("agency", "user").prefetch_related(
        "home_groups", "extra_groups"
    )
    return policy.scope_experts(actor=actor, queryset=qs)


def get_expert(*, actor: User, pk: int) -> Expert:
    """One expert the actor may see, with leave; 404 otherwise."""
    qs = experts_visible_to(actor=actor).prefetch_related(
        Prefetch("leave", queryset=ExpertLeave.objects.order_by("-starts_at"))
    )
    return policy.get_or_404(qs, pk=pk)


def own_expert(*, actor: User) -> Expert | None:
    """The actor's own expert record, if they are one."""
    if not getattr(actor, "is_authenticated", False):
        return None
    return Expert.objects.filter(user_id=actor.pk).select_related("agency").first()


def manageable_agencies(*, actor: User) -> QuerySet[Organisation]:
    """Agencies whose experts the actor may create and change."""
    qs = Organisation.objects.filter(kind="agency", active=True).order_by("name")
    if policy.can_manage_rosters(actor=actor):
        return qs
    agency = policy.area_agency_id(actor)
    if agency and policy.can_manage_experts_of(actor=actor, agency_id=agency):
        return qs.filter(pk=agency)
    return qs.none()


def linkable_users(*, actor: User, expert: Expert) -> QuerySet[Any]:
    """User accounts the actor may link to an expert: active accounts the actor
    administers (accounts.selectors.users_visible_to); without user administration,
    only the account already linked (the link is kept as it is)."""
    if policy.has_permission(actor, Permission.ORG_USERS_MANAGE) or policy.has_permission(
        actor, Permission.ALL_USERS_MANAGE
    ):
        return users_visible_to(actor=actor).filter(is_active=True)
    return User.objects.filter(pk=expert.user_id) if expert.user_id else User.objects.none()


def get_leave(*, actor: User, expert: Expert, pk: int) -> ExpertLeave:
    return policy.get_or_404(
        ExpertLeave.objects.filter(expert=expert).select_related("expert"),
        pk=pk,
    )


# --- plans and versions ----------------------------------------------------------------


def pattern_version(*, group: ActionGroup) -> int | None:
    """The version of the group's stored shift pattern (None before one is chosen)."""
    return ShiftPattern.objects.filter(group=group).values_list("version", flat=True).first()


def schedule_notice_days(*, group: ActionGroup) -> int:
    """Days ahead the group's schedule changes are announced (ATL 12 §; its rules)."""
    rules, _weights = pb.rules_for(group)
    return rules.schedule_notice_days


def plans_for_group(*, actor: User, group: ActionGroup) -> list[RosterPlan]:
    if not policy.can_view_rosters(actor=actor):
        return []
    return list(
        RosterPlan.objects.filter(group=group)
        .prefetch_related(Prefetch("versions", queryset=RosterVersion.objects.order_by("-number")))
        .order_by("-period_start")
    )


def get_plan(*, actor: User, pk: int) -> RosterPlan:
    """A plan the actor may see (every holder of area:roster:view); 404 otherwise."""
    if not policy.can_view_rosters(actor=actor):
        raise Http404
    return policy.get_or_404(RosterPlan.objects.select_related("group"), pk=pk)


def get_version(*, actor: User, pk: int) -> RosterVersion:
    """A roster version the actor may see. Drafts are for roster managers only."""
    if not policy.can_view_rosters(actor=actor):
        raise Http404
    version: RosterVersion = policy.get_or_404(
        RosterVersion.objects.select_related("plan", "plan__group"), pk=pk
    )
    if version.status == VersionStatus.DRAFT and not policy.can_manage_rosters(actor=actor):
        raise Http404
    return version


def plan_in_force(*, group: ActionGroup, at: dt.datetime | None = None) -> RosterPlan | None:
    """The newest plan of the group whose period covers ``at`` (default now)."""
    day = timezone.localdate(at) if at else timezone.localdate()
    for plan in RosterPlan.objects.filter(group=group, period_start__lte=day).order_by(
        "-period_start"
    )[:8]:
        if plan.period_start + dt.timedelta(days=plan.days) > day:
            return plan
    return None


def version_in_force(*, plan: RosterPlan) -> RosterVersion | None:
    return pb.current_published(plan)


# --- roster grid --------------------------------------------------------------------------


@dataclass
class Cell:
    entries: list[tuple[str, list[str], int]] = field(
        default_factory=list
    )  # (shift code, names, count)


@dataclass
class Grid:
    version: RosterVersion
    days: list[dt.date]
    agencies: list[Organisation]
    cells: dict[tuple[int, dt.date], Cell]
    shift_codes: list[str]
    names_visible: dict[int, bool]

    def rows(self) -> list[tuple[Organisation, bool, list[Cell]]]:
        return [
            (a, self.names_visible[a.pk], [self.cells.get((a.pk, d), Cell()) for d in self.days])
            for a in self.agencies
        ]


def roster_grid(*, actor: User, version: RosterVersion, first_day: dt.date, days: int = 7) -> Grid:
    """Agencies x days for ``days`` days from ``first_day``: per cell the shifts with
    the experts' names where the actor may see them, otherwise the count. Three queries
    whatever the roster's size."""
    start = pb.to_aware(dt.datetime.combine(first_day, dt.time()))
    end = start + dt.timedelta(days=days)
    rows = list(
        RosterAssignment.objects.filter(version=version, starts_at__gte=start, starts_at__lt=end)
        .select_related("expert")
        .order_by("starts_at", "expert__last_name")
    )
    agencies = list(
        Organisation.objects.filter(
            pk__in=PositionRequirement.objects.filter(
                group_id=version.plan.group_id, positions__gt=0
            ).values("agency_id")
        ).order_by("name")
    )
    visible = {a.pk: policy.can_see_expert_names_of(actor=actor, agency_id=a.pk) for a in agencies}
    cells: dict[tuple[int, dt.date], Cell] = {}
    codes: list[str] = []
    for a in rows:
        day = timezone.localtime(a.starts_at).date()
        cell = cells.setdefault((a.agency_id, day), Cell())
        if a.shift_code not in codes:
            codes.append(a.shift_code)
        if not cell.entries or cell.entries[-1][0] != a.shift_code:
            cell.entries.append((a.shift_code, [], 0))
        code, names, count = cell.entries[-1]
        if visible.get(a.agency_id):
            names.append(a.expert.display_name)
        cell.entries[-1] = (code, names, count + 1)
    return Grid(
        version=version,
        days=[first_day + dt.timedelta(days=i) for i in range(days)],
        agencies=agencies,
        cells=cells,
        shift_codes=codes,
        names_visible=visible,
    )


def version_assignments(*, actor: User, version: RosterVersion) -> list[RosterAssignment]:
    """Every assignment of a version for export, names only where visible (others get
    an empty expert name in the caller's rendering)."""
    return list(
        RosterAssignment.objects.filter(version=version)
        .select_related("expert", "agency")
        .order_by("starts_at", "agency__name", "expert__last_name")
    )


def expert_calendar(
    *, expert: Expert, start: dt.date | None = None, days: int = 35
) -> list[RosterAssignment]:
    """The expert's shifts in the versions in force, from ``start`` for ``days`` days
    (the caller got ``expert`` from get_expert or own_expert)."""
    start = start or timezone.localdate() - dt.timedelta(days=7)
    p0 = pb.to_aware(dt.datetime.combine(start, dt.time()))
    p1 = p0 + dt.timedelta(days=days)
    in_force = _versions_in_force(p0, p1)
    return list(
        RosterAssignment.objects.filter(
            version_id__in=in_force, expert=expert, starts_at__lt=p1, ends_at__gt=p0
        )
        .select_related("version__plan__group")
        .order_by("starts_at")
    )


def _versions_in_force(p0: dt.datetime, p1: dt.datetime) -> list[int]:
    latest: dict[int, int] = {}
    for row in (
        RosterVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            plan__period_start__lt=p1.date(),
            plan__period_start__gte=p0.date() - dt.timedelta(days=56),
        )
        .order_by("plan_id", "-number")
        .values("pk", "plan_id")
    ):
        latest.setdefault(row["plan_id"], row["pk"])
    return list(latest.values())


@dataclass
class OnDuty:
    agency: Organisation
    names_visible: bool
    people: list[RosterAssignment]
    required: int


def on_duty_now(*, actor: User, group: ActionGroup, now: dt.datetime | None = None) -> list[OnDuty]:
    """Who is on duty in the group right now, per agency, from the version in force;
    names only for those the actor may see."""
    now = now or timezone.now()
    plan = plan_in_force(group=group, at=now)
    version = version_in_force(plan=plan) if plan else None
    rows = (
        list(
            RosterAssignment.objects.filter(
                version=version, starts_at__lte=now, ends_at__gt=now
            ).select_related("expert", "agency")
        )
        if version
        else []
    )
    out = []
    for req in (
        PositionRequirement.objects.filter(group=group, positions__gt=0)
        .select_related("agency")
        .order_by("agency__name")
    ):
        out.append(
            OnDuty(
                agency=req.agency,
                names_visible=policy.can_see_expert_names_of(actor=actor, agency_id=req.agency_id),
                people=[r for r in rows if r.agency_id == req.agency_id],
                required=req.positions,
            )
        )
    return out


# --- swaps -------------------------------------------------------------------------------------


def swaps_visible_to(*, actor: User) -> QuerySet[SwapRequest]:
    """Swap requests concerning experts the actor may see."""
    experts = policy.scope_experts(actor=actor, queryset=Expert.objects.all())
    return (
        SwapRequest.objects.filter(from_expert__in=experts)
        .select_related("from_expert", "to_expert", "from_expert__agency", "version__plan__group")
        .order_by("-requested_at")
    )


def pending_swaps(*, actor: User) -> QuerySet[SwapRequest]:
    return swaps_visible_to(actor=actor).filter(status=SwapStatus.REQUESTED)


def get_swap(*, actor: User, pk: int) -> SwapRequest:
    return policy.get_or_404(swaps_visible_to(actor=actor), pk=pk)


def colleagues(*, expert: Expert) -> list[Expert]:
    """Experts of the same agency (swap partners), the expert excluded."""
    return list(
        Expert.objects.filter(agency_id=expert.agency_id, active=True)
        .exclude(pk=expert.pk)
        .order_by("last_name", "first_name")
    )


def area_track_tasks(*, user: Any) -> list[tuple[str, str, int | None]]:
    """Today's area-track tasks for the home page: (text, url, count). An expert's own
    roster; swaps waiting for the actor's decision; agencies not yet contacted."""
    tasks: list[tuple[str, str, int | None]] = []
    if own_expert(actor=user) is not None:
        tasks.append(
            (
                _("See your roster and download it to your calendar."),
                reverse("rostering:my_calendar"),
                None,
            )
        )
    if policy.has_permission(user, Permission.ROSTER_MANAGE) or policy.has_permission(
        user, Permission.EXPERT_MANAGE_OWN
    ):
        waiting = [
            s
            for s in pending_swaps(actor=user)[:200]
            if policy.can_manage_experts_of(actor=user, agency_id=s.from_expert.agency_id)
        ]
        if waiting:
            n = len(waiting)
            tasks.append(
                (
                    ngettext(
                        "%(n)d shift swap waits for your decision.",
                        "%(n)d shift swaps wait for your decision.",
                        n,
                    )
                    % {"n": n},
                    reverse("rostering:swap_list"),
                    n,
                )
            )
    if policy.can_manage_action_groups(actor=user):
        n = outreach_needing_contact(actor=user)
        if n:
            tasks.append(
                (
                    ngettext(
                        "%(n)d agency has not been contacted about an action group yet.",
                        "%(n)d agencies have not been contacted about an action group yet.",
                        n,
                    )
                    % {"n": n},
                    reverse("actiongroups:outreach_board"),
                    n,
                )
            )
    return tasks

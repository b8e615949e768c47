"""The access policy: the one place that decides who may see and do what.

Selectors in every app scope their querysets through the functions here; views never
query sensitive models directly (tests/access/test_no_direct_queries.py enforces it).
Outside a user's compartment the answer is 404, the same as "does not exist"; inside it,
a role too weak for the action gets 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.access.roles import SYSTEM_ONLY_ROLES, RoleCode

if TYPE_CHECKING:
    from samverkan.audit.models import AuditEvent

_CACHE_ATTR = "_samverkan_permissions"


def permissions_of(user: Any) -> frozenset[Permission]:
    """All permissions the user's roles grant; empty for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return,unused-ignore]
    granted: set[Permission] = set()
    known = Permission.values()
    for role in user.roles.all():
        granted.update(Permission(p) for p in role.permissions if p in known)
    result = frozenset(granted)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_cached_permissions(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_permission(user: Any, permission: Permission) -> bool:
    return permission in permissions_of(user)


# --- Staff accounts ----------------------------------------------------------------


def scope_users(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Users the actor may administer: all for system admins, own organisation for
    organisation admins, nobody otherwise."""
    if has_permission(actor, Permission.ALL_USERS_MANAGE):
        return queryset
    if has_permission(actor, Permission.ORG_USERS_MANAGE):
        return queryset.filter(organisation_id=actor.organisation_id)
    return queryset.none()


def scope_case_team_eligible(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The users of ``queryset`` (users) who may be on a case's team: those whose roles
    grant CASE_VIEW (caseworkers, coordinators, managers). Never a data-protection
    officer, a log reviewer, an auditor or a system administrator as such: they reach
    cases through their own duties, not a team. The roles' grants are read from the
    database (an installation may change them)."""
    role_model = queryset.model._meta.get_field("roles").related_model
    role_ids = [
        pk
        for pk, granted in role_model.objects.values_list("pk", "permissions")
        if Permission.CASE_VIEW.value in (granted or [])
    ]
    eligible = queryset.model.objects.filter(roles__in=role_ids).values("pk")
    return queryset.filter(pk__in=eligible)


def may_be_on_case_team(user: Any) -> bool:
    """The same rule as ``scope_case_team_eligible`` for one user (the service's check)."""
    return has_permission(user, Permission.CASE_VIEW)


def can_manage_organisation_users(*, actor: Actor, organisation_id: int) -> bool:
    if has_permission(actor, Permission.ALL_USERS_MANAGE):
        return True
    return has_permission(actor, Permission.ORG_USERS_MANAGE) and actor.organisation_id == organisation_id


def assignable_role_codes(*, actor: Actor) -> set[str] | None:
    """Role codes the actor may grant; None means every role (system admin)."""
    if has_permission(actor, Permission.ALL_USERS_MANAGE):
        return None
    if has_permission(actor, Permission.ORG_USERS_MANAGE):
        return {code.value for code in RoleCode} - {c.value for c in SYSTEM_ONLY_ROLES}
    return set()


# --- Audit trail -----------------------------------------------------------------


def scope_audit_events(*, actor: Actor, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """Audit events the actor may review.

    System-wide reviewers see everything; organisation log reviewers see events done
    by their organisation's users or concerning their organisation's records.
    """
    if has_permission(actor, Permission.AUDIT_VIEW_ALL):
        return queryset
    if has_permission(actor, Permission.AUDIT_VIEW_OWN_ORG):
        org = actor.organisation_id
        return queryset.filter(Q(actor_organisation_id=org) | Q(subject_organisation_id=org))
    return queryset.none()


def scope_access_review_events(
    *, organisation_id: int, queryset: QuerySet[AuditEvent]
) -> QuerySet[AuditEvent]:
    """The compartment of an organisation's monthly log review (logreview app): events
    done by the organisation's users or concerning its records — the same compartment
    scope_audit_events gives that organisation's log reviewers. Used by the sampling job,
    which runs without a user; the review pages also pass scope_audit_events."""
    org = organisation_id
    return queryset.filter(Q(actor_organisation_id=org) | Q(subject_organisation_id=org))


def can_review_accesses(*, actor: Actor) -> bool:
    """Log review (logguppföljning) of the actor's own organisation: ACCESS_REVIEW and an
    organisation-wide audit view (a reviewer must be able to read the events)."""
    return (
        has_permission(actor, Permission.ACCESS_REVIEW)
        and (
            has_permission(actor, Permission.AUDIT_VIEW_OWN_ORG)
            or has_permission(actor, Permission.AUDIT_VIEW_ALL)
        )
        and actor.organisation_id is not None
    )


# --- Follow-up statistics -------------------------------------------------------------
# Managers see counts (never rows) of the cases their own organisation leads; small
# numbers are suppressed by followup.suppression before anything is shown or exported.


def scope_statistics_cases(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Cases the actor's statistics may count: those led by the actor's organisation,
    for users with STATISTICS_VIEW; none otherwise."""
    if not has_permission(actor, Permission.STATISTICS_VIEW) or actor.organisation_id is None:
        return queryset.none()
    return queryset.filter(lead_organisation_id=actor.organisation_id)


def scope_statistics_purged(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Anonymous rows left by the retention purge (dataprotection.PurgedCaseStat) that the
    actor's statistics may count: those of the actor's organisation as lead."""
    if not has_permission(actor, Permission.STATISTICS_VIEW) or actor.organisation_id is None:
        return queryset.none()
    return queryset.filter(lead_organisation_code=actor.organisation.short_code)


def get_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """Fetch one object from an already scoped queryset; 404 when absent or not visible."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# --- Area track: action groups, outreach, experts, rosters ---------------------------
# Roles are global, so the same role code (e.g. coordinator) is held both by the city's
# staff and by agency staff. Which side a user is on follows from their organisation:
# the municipal side runs the action groups and the outreach; an agency sees and manages
# only its own experts and its own outreach rows (others: 404).

MUNICIPAL_KINDS = frozenset({"municipal", "district_administration"})
_AGENCY_ATTR = "_samverkan_area_agency"


def area_agency_id(user: Any) -> int | None:
    """The agency (Organisation kind="agency") the user works for: their organisation
    or its nearest ancestor of that kind (e.g. a local police area → Polismyndigheten);
    None for municipal staff and everyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, _AGENCY_ATTR):
        return getattr(user, _AGENCY_ATTR)
    # The user's organisation is loaded with the user (accounts/backends.py); only its
    # ancestors, when it is not an agency itself, cost a query each.
    found: int | None = None
    if user.organisation_id is not None:
        found = user.organisation.nearest_agency_id()
    setattr(user, _AGENCY_ATTR, found)
    return found


def is_municipal_staff(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.organisation.kind in MUNICIPAL_KINDS)


def can_manage_action_groups(*, actor: Actor) -> bool:
    """Create and change action groups, premises and the outreach to agencies: the
    municipal side with area:action_group:manage."""
    return has_permission(actor, Permission.AREA_MANAGE) and is_municipal_staff(actor)


def can_manage_rosters(*, actor: Actor) -> bool:
    """Solve, publish and re-plan a group's roster and change its rules: the municipal
    side with area:roster:manage (a roster spans every agency of the group)."""
    return has_permission(actor, Permission.ROSTER_MANAGE) and is_municipal_staff(actor)


def scope_outreach(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Outreach rows (agency x group) the actor may read: all for the municipal side,
    the own agency's rows for agency staff, none otherwise."""
    if not has_permission(actor, Permission.AREA_VIEW):
        return queryset.none()
    if is_municipal_staff(actor):
        return queryset
    agency = area_agency_id(actor)
    return queryset.filter(agency_id=agency) if agency else queryset.none()


def scope_experts(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Experts the actor may see: all for the municipal side with a roster permission,
    the own agency's experts for agency staff with a roster or expert permission, and
    always the actor's own expert record."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return queryset.none()
    perms = permissions_of(actor)
    own = Q(user_id=actor.pk)
    roster_perm = bool(perms & {Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE})
    if roster_perm and is_municipal_staff(actor):
        return queryset
    agency = area_agency_id(actor)
    if agency and (roster_perm or Permission.EXPERT_MANAGE_OWN in perms):
        return queryset.filter(Q(agency_id=agency) | own)
    return queryset.filter(own)


def can_manage_experts_of(*, actor: Actor, agency_id: int) -> bool:
    """Create or change experts of ``agency_id``: the municipal side with
    area:roster:manage for every agency; agency staff with area:roster:manage or
    organisation:expert:manage for their own agency only."""
    if can_manage_rosters(actor=actor):
        return True
    perms = permissions_of(actor)
    if not perms & {Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN}:
        return False
    return area_agency_id(actor) == agency_id


def can_see_expert_names_of(*, actor: Actor, agency_id: int) -> bool:
    """Whether roster pages may show the names of ``agency_id``'s experts to the actor
    (otherwise they show counts only)."""
    perms = permissions_of(actor)
    if not perms & {Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE}:
        return False
    return is_municipal_staff(actor) or area_agency_id(actor) == agency_id


def can_view_rosters(*, actor: Actor) -> bool:
    """Read rosters (plans and published versions): area:roster:view or :manage."""
    return has_permission(actor, Permission.ROSTER_VIEW) or has_permission(actor, Permission.ROSTER_MANAGE)


def can_request_swap(*, actor: Actor, expert_user_id: int | None, expert_agency_id: int) -> bool:
    """Ask for a shift swap of an expert: the expert themself (their own account), or
    whoever may manage that agency's experts (can_manage_experts_of)."""
    if expert_user_id is not None and expert_user_id == actor.pk:
        return True
    return can_manage_experts_of(actor=actor, agency_id=expert_agency_id)


def scope_action_groups(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Action groups the actor may see or choose (e.g. in the roster checker's form):
    every group for holders of area:action_group:view, none otherwise."""
    if not has_permission(actor, Permission.AREA_VIEW):
        return queryset.none()
    return queryset


# --- Retention (dataprotection) ------------------------------------------------------


def scope_retention_cases(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Cases whose retention a retention manager reviews: those led by the actor's own
    organisation, for holders of RETENTION_MANAGE; none otherwise."""
    if not has_permission(actor, Permission.RETENTION_MANAGE) or actor.organisation_id is None:
        return queryset.none()
    return queryset.filter(lead_organisation_id=actor.organisation_id)


# --- Individual track: cases and everything recorded in them -----------------------
# The case decision (who may see and do what in one case) is samverkan.caseaccess,
# above cases and consent, which it is computed from (docs/adr/0011-case-access-object.md).


# --- Anonymous tips ----------------------------------------------------------------------
# A tip is visible only to users holding organisation:tip:view whose organisation it was
# routed or forwarded to; everyone else gets 404, as for a tip that does not exist.


def scope_tips(*, actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Tips the actor may read: those with a recipient row for the actor's organisation."""
    if not has_permission(actor, Permission.TIPS_VIEW) or actor.organisation_id is None:
        return queryset.none()
    # One recipient row per (tip, organisation) (tips.TipRecipient's unique constraint),
    # so the join yields each tip at most once.
    return queryset.filter(recipients__organisation_id=actor.organisation_id)


def can_handle_tips(*, actor: Actor) -> bool:
    """Triage, reply and forward (on a tip already fetched through scope_tips)."""
    return has_permission(actor, Permission.TIPS_HANDLE)


def can_manage_tip_routing(*, actor: Actor) -> bool:
    return has_permission(actor, Permission.TIPS_ROUTING_MANAGE)

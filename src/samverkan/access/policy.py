"""The access policy: the one place that decides who may see and do what.

Selectors in every app scope their querysets through the functions here; views never
query sensitive models directly (tests/access/test_no_direct_queries.py enforces it).
Outside a user's compartment the answer is 404, the same as "does not exist"; inside it,
a role too weak for the action gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.access.roles import SYSTEM_ONLY_ROLES, RoleCode

if TYPE_CHECKING:
    from samverkan.audit.models import AuditEvent
    from samverkan.consent.rules import EffectiveConsent

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


def can_review_accesses(*, actor: Any) -> bool:
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


def scope_statistics_cases(*, actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Cases the actor's statistics may count: those led by the actor's organisation,
    for users with STATISTICS_VIEW; none otherwise."""
    if not has_permission(actor, Permission.STATISTICS_VIEW) or actor.organisation_id is None:
        return queryset.none()
    return queryset.filter(lead_organisation_id=actor.organisation_id)


def scope_statistics_purged(*, actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
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


def can_manage_action_groups(*, actor: Any) -> bool:
    """Create and change action groups, premises and the outreach to agencies: the
    municipal side with area:action_group:manage."""
    return has_permission(actor, Permission.AREA_MANAGE) and is_municipal_staff(actor)


def can_manage_rosters(*, actor: Any) -> bool:
    """Solve, publish and re-plan a group's roster and change its rules: the municipal
    side with area:roster:manage (a roster spans every agency of the group)."""
    return has_permission(actor, Permission.ROSTER_MANAGE) and is_municipal_staff(actor)


def scope_outreach(*, actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Outreach rows (agency x group) the actor may read: all for the municipal side,
    the own agency's rows for agency staff, none otherwise."""
    if not has_permission(actor, Permission.AREA_VIEW):
        return queryset.none()
    if is_municipal_staff(actor):
        return queryset
    agency = area_agency_id(actor)
    return queryset.filter(agency_id=agency) if agency else queryset.none()


def scope_experts(*, actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
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


def can_manage_experts_of(*, actor: Any, agency_id: int) -> bool:
    """Create or change experts of ``agency_id``: the municipal side with
    area:roster:manage for every agency; agency staff with area:roster:manage or
    organisation:expert:manage for their own agency only."""
    if can_manage_rosters(actor=actor):
        return True
    perms = permissions_of(actor)
    if not perms & {Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN}:
        return False
    return area_agency_id(actor) == agency_id


def can_see_expert_names_of(*, actor: Any, agency_id: int) -> bool:
    """Whether roster pages may show the names of ``agency_id``'s experts to the actor
    (otherwise they show counts only)."""
    perms = permissions_of(actor)
    if not perms & {Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE}:
        return False
    return is_municipal_staff(actor) or area_agency_id(actor) == agency_id


# --- Individual track: cases and everything recorded in them -----------------------
#
# A case is visible only to its active team members and to users holding a current
# emergency (break-the-glass) access; everyone else gets 404. Inside the case, an entry
# (note, plan item, minutes, document) recorded by organisation R in category C at time T
# is visible to a viewer from organisation V when
#   V == R, or
#   a valid consent set covers R and V and C (consent.rules.effective_consent), or
#   a statutory disclosure R → V covers C and was decided at or after T.
# Protected identities are shown only to the lead organisation's case team.


@dataclass(frozen=True)
class CaseAccess:
    """What one viewer may see of one case, computed once per request."""

    case_id: int
    viewer_id: int
    viewer_org_id: int
    lead_org_id: int
    team_role: str | None
    emergency: bool
    consent_active: bool
    consent_org_ids: frozenset[int]
    consent_categories: frozenset[str]
    # (from organisation, categories, decided_at) of disclosures to the viewer's organisation
    disclosures: tuple[tuple[int, frozenset[str], datetime], ...]
    # The consent evaluation the fields above came from (for the case page's summary).
    consent: EffectiveConsent | None = field(default=None, compare=False, repr=False)

    @property
    def is_lead_team(self) -> bool:
        return self.viewer_org_id == self.lead_org_id

    def _consent_covers(self, recording_org_id: int, category: str) -> bool:
        return (
            self.consent_active
            and recording_org_id in self.consent_org_ids
            and self.viewer_org_id in self.consent_org_ids
            and category in self.consent_categories
        )

    def can_see(self, *, recording_org_id: int, category: str, created_at: datetime) -> bool:
        if recording_org_id == self.viewer_org_id:
            return True
        if self._consent_covers(recording_org_id, category):
            return True
        return any(
            org == recording_org_id and category in cats and created_at <= until
            for org, cats, until in self.disclosures
        )

    def items_q(
        self,
        *,
        org_field: str = "recorded_by_organisation_id",
        category_field: str = "category",
        created_field: str = "created_at",
    ) -> Q:
        """The same rule as can_see, as a filter for a queryset of entries of this case."""
        q = Q(**{org_field: self.viewer_org_id})
        if self.consent_active and self.viewer_org_id in self.consent_org_ids:
            q |= Q(**{f"{org_field}__in": self.consent_org_ids, f"{category_field}__in": self.consent_categories})
        for org, cats, until in self.disclosures:
            q |= Q(**{org_field: org, f"{category_field}__in": cats, f"{created_field}__lte": until})
        return q

    def sees_identity(self, *, protected: bool, opened_at: datetime) -> bool:
        """Name and identity number of the participant (category 'basic', recorded by
        the lead organisation). Protected identities: lead organisation's team only."""
        if self.is_lead_team:
            return True
        if protected:
            return False
        return self.can_see(recording_org_id=self.lead_org_id, category="basic", created_at=opened_at)


def cases_visible_to(*, actor: Any) -> QuerySet[Any]:
    """Cases where the actor is an active team member or holds an unexpired emergency
    access. Cost follows the actor's own memberships (indexed), not the case count."""
    from django.utils import timezone

    from samverkan.cases.models import Case, EmergencyAccess, TeamMember

    if not has_permission(actor, Permission.CASE_VIEW):
        return Case.objects.none()
    now = timezone.now()
    team = TeamMember.objects.filter(user_id=actor.pk, active=True).values("case_id")
    emergency = EmergencyAccess.objects.filter(user_id=actor.pk, expires_at__gt=now).values("case_id")
    # One IN over the UNION of the two (indexed) id lists: "pk IN (a) OR pk IN (b)" makes
    # PostgreSQL test every case row against both lists, which grows with all cases.
    return Case.objects.filter(pk__in=team.union(emergency))


def case_access_for(*, actor: Any, case: Any, today: date | None = None) -> CaseAccess:
    """Compute the viewer's CaseAccess; raises 404 when the actor may not see the case."""
    from django.utils import timezone

    from samverkan.cases.models import EmergencyAccess, TeamMember
    from samverkan.consent.models import Disclosure
    from samverkan.consent.selectors import effective_consent_for_case

    if not has_permission(actor, Permission.CASE_VIEW):
        raise Http404
    now = timezone.now()
    membership = (
        TeamMember.objects.filter(case_id=case.pk, user_id=actor.pk, active=True)
        .values_list("team_role", flat=True).first()
    )
    emergency = False
    if membership is None:
        emergency = EmergencyAccess.objects.filter(case_id=case.pk, user_id=actor.pk, expires_at__gt=now).exists()
        if not emergency:
            raise Http404
    consent = effective_consent_for_case(case=case, today=today or timezone.localdate())
    disclosures = tuple(
        (from_org, frozenset(categories), decided_at)
        for from_org, categories, decided_at in Disclosure.objects.filter(
            case_id=case.pk, to_organisation_id=actor.organisation_id
        ).values_list("from_organisation_id", "categories", "decided_at")
    )
    return CaseAccess(
        case_id=case.pk,
        viewer_id=actor.pk,
        viewer_org_id=actor.organisation_id,
        lead_org_id=case.lead_organisation_id,
        team_role=membership,
        emergency=emergency,
        consent_active=consent.active,
        consent_org_ids=consent.organisation_ids,
        consent_categories=consent.categories,
        disclosures=disclosures,
        consent=consent,
    )


def case_access_batch(*, actor: Any, cases: list[Any], today: date | None = None) -> dict[int, CaseAccess]:
    """CaseAccess for each of ``cases`` (already scoped by cases_visible_to) with a fixed
    number of queries, for list pages."""
    from django.utils import timezone

    from samverkan.cases.models import EmergencyAccess, TeamMember
    from samverkan.consent.models import Disclosure
    from samverkan.consent.selectors import effective_consents_for_cases

    if not cases:
        return {}
    today = today or timezone.localdate()
    now = timezone.now()
    ids = [c.pk for c in cases]
    roles = dict(TeamMember.objects.filter(case_id__in=ids, user_id=actor.pk, active=True)
                 .values_list("case_id", "team_role"))
    others = [i for i in ids if i not in roles]  # usually none: emergency access is rare
    emergency = set(EmergencyAccess.objects.filter(case_id__in=others, user_id=actor.pk, expires_at__gt=now)
                    .values_list("case_id", flat=True)) if others else set()
    visible = [c for c in cases if c.pk in roles or c.pk in emergency]
    consents = effective_consents_for_cases(cases=visible, today=today)
    disclosures: dict[int, list[tuple[int, frozenset[str], datetime]]] = {}
    for case_id, org, cats, until in Disclosure.objects.filter(
        case_id__in=ids, to_organisation_id=actor.organisation_id
    ).values_list("case_id", "from_organisation_id", "categories", "decided_at"):
        disclosures.setdefault(case_id, []).append((org, frozenset(cats), until))
    result = {}
    for case in visible:
        consent = consents[case.pk]
        result[case.pk] = CaseAccess(
            case_id=case.pk, viewer_id=actor.pk, viewer_org_id=actor.organisation_id,
            lead_org_id=case.lead_organisation_id, team_role=roles.get(case.pk),
            emergency=case.pk not in roles, consent_active=consent.active,
            consent_org_ids=consent.organisation_ids, consent_categories=consent.categories,
            disclosures=tuple(disclosures.get(case.pk, [])), consent=consent,
        )
    return result


def require_case_permission(*, actor: Any, access: CaseAccess, permission: Permission) -> None:
    """Inside a visible case: 403 unless the role allows the action. Observers and
    emergency access read only."""
    if not has_permission(actor, permission):
        raise PermissionDenied
    if permission != Permission.CASE_VIEW and (access.emergency or access.team_role == "observer"):
        raise PermissionDenied


def is_lead_coordinator(access: CaseAccess) -> bool:
    return access.is_lead_team and access.team_role == "lead_coordinator"


# --- Anonymous tips ----------------------------------------------------------------------
# A tip is visible only to users holding organisation:tip:view whose organisation it was
# routed or forwarded to; everyone else gets 404, as for a tip that does not exist.


def scope_tips(*, actor: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Tips the actor may read: those with a recipient row for the actor's organisation."""
    if not has_permission(actor, Permission.TIPS_VIEW) or actor.organisation_id is None:
        return queryset.none()
    # One recipient row per (tip, organisation) (tips.TipRecipient's unique constraint),
    # so the join yields each tip at most once.
    return queryset.filter(recipients__organisation_id=actor.organisation_id)


def can_handle_tips(*, actor: Any) -> bool:
    """Triage, reply and forward (on a tip already fetched through scope_tips)."""
    return has_permission(actor, Permission.TIPS_HANDLE)


def can_manage_tip_routing(*, actor: Any) -> bool:
    return has_permission(actor, Permission.TIPS_ROUTING_MANAGE)

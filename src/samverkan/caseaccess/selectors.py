"""Which cases a person may open, and their CaseAccess in each.

Outside the team the case does not exist (404, the same answer as for a case that does
not exist); inside it, CaseAccess.may/require decide the actions (403)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, EmergencyAccess, TeamMember
from samverkan.consent.models import Disclosure
from samverkan.consent.selectors import effective_consent_for_case, effective_consents_for_cases

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def cases_visible_to(*, actor: User) -> QuerySet[Case]:
    """Cases where the actor is an active team member or holds an unexpired emergency
    access. Cost follows the actor's own memberships (indexed), not the case count."""
    if not policy.has_permission(actor, Permission.CASE_VIEW):
        return Case.objects.none()
    now = timezone.now()
    team = TeamMember.objects.filter(user_id=actor.pk, active=True).values("case_id")
    emergency = EmergencyAccess.objects.filter(user_id=actor.pk, expires_at__gt=now).values("case_id")
    # One IN over the UNION of the two (indexed) id lists: "pk IN (a) OR pk IN (b)" makes
    # PostgreSQL test every case row against both lists, which grows with all cases.
    return Case.objects.filter(pk__in=team.union(emergency))


def case_access_for(*, actor: User, case: Any, today: date | None = None) -> CaseAccess:
    """Compute the viewer's CaseAccess; raises 404 when the actor may not see the case."""
    if not policy.has_permission(actor, Permission.CASE_VIEW):
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
        permissions=policy.permissions_of(actor),
        consent=consent,
    )


def case_access_batch(*, actor: User, cases: list[Any], today: date | None = None) -> dict[int, CaseAccess]:
    """CaseAccess for each of ``cases`` (already scoped by cases_visible_to) with a fixed
    number of queries, for list pages."""
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
    permissions = policy.permissions_of(actor)
    result = {}
    for case in visible:
        consent = consents[case.pk]
        result[case.pk] = CaseAccess(
            case_id=case.pk, viewer_id=actor.pk, viewer_org_id=actor.organisation_id,
            lead_org_id=case.lead_organisation_id, team_role=roles.get(case.pk),
            emergency=case.pk not in roles, consent_active=consent.active,
            consent_org_ids=consent.organisation_ids, consent_categories=consent.categories,
            disclosures=tuple(disclosures.get(case.pk, [])), permissions=permissions, consent=consent,
        )
    return result


def case_for_actor(*, actor: User, public_id: UUID, purpose: str = "") -> tuple[Case, CaseAccess]:
    """One case and the actor's access to it; 404 outside the team. Every call is audited
    (protected identities and emergency access are flagged for log review)."""
    case = policy.get_or_404(
        Case.objects.select_related("programme", "person", "lead_organisation", "district", "programme__successor"),
        public_id=public_id,
    )
    access = case_access_for(actor=actor, case=case)
    detail: dict[str, Any] = {}
    if case.person.protected_identity:
        detail["protected"] = True
    if access.emergency:
        detail["emergency"] = True
    audit.record(
        action=Action.CASE_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        purpose=purpose,
        detail=detail or None,
    )
    return case, access


# --- Across cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class VisibleCases:
    """Cases a viewer may open and their CaseAccess in each, for reading entries across
    cases (reminders, the home page) with a fixed number of queries."""

    cases: dict[int, Any]
    accesses: dict[int, CaseAccess]

    @classmethod
    def one(cls, case: Any, access: CaseAccess) -> VisibleCases:
        """A single case the caller has already opened (case_for_actor)."""
        return cls(cases={case.pk: case}, accesses={case.pk: access})


def visible_cases(*, actor: User, case_ids: set[int] | None = None) -> VisibleCases:
    """Every case the actor may open (cases_visible_to; only ``case_ids`` when given),
    with the actor's CaseAccess in each."""
    qs = cases_visible_to(actor=actor)
    if case_ids is not None:
        qs = qs.filter(pk__in=case_ids)
    case_list = list(qs.select_related("programme", "person"))
    return VisibleCases(
        cases={c.pk: c for c in case_list}, accesses=case_access_batch(actor=actor, cases=case_list)
    )


def entries_visible(
    actor: User | None,
    queryset: QuerySet[Any],
    *,
    within: VisibleCases | None = None,
    prefix: str = "",
    created_field: str = "updated_at",
) -> QuerySet[Any]:
    """The entries of ``queryset`` (rows with ``case_id``, ``recorded_by_organisation_id``,
    ``category`` and ``created_field``) that the actor may see, across every case the
    actor may open (``within``, computed when not given): each case's rows filtered by
    the actor's CaseAccess in that case. Editable entries compare a disclosure with their
    last change (``updated_at``)."""
    if within is None:
        if actor is None:
            raise ValueError("entries_visible needs an actor or the visible cases")
        within = visible_cases(actor=actor)
    if not within.accesses:
        return queryset.none()
    q = Q()
    for case_id, access in within.accesses.items():
        q |= Q(**{f"{prefix}case_id": case_id}) & access.items_q(
            org_field=f"{prefix}recorded_by_organisation_id",
            category_field=f"{prefix}category",
            created_field=f"{prefix}{created_field}",
        )
    return queryset.filter(q)

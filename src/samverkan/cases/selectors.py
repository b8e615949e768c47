"""Reading a case its caller has opened (caseaccess.selectors.case_for_actor: 404
outside the team), through the viewer's CaseAccess (typed here as cases.actions.CaseGate:
the decision is made above this app). Names and identity numbers are replaced by
placeholders where the viewer's organisation has no basis to see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseGate
from samverkan.cases.models import Case, CaseStatus, Closure, FollowUp, Programme, TeamMember
from samverkan.directory.models import Organisation
from samverkan.lib.identity_numbers import parse as parse_identity
from samverkan.people.selectors import guardianships_for_case


@dataclass(frozen=True)
class PersonView:
    """The participant as this viewer may see them."""

    name: str
    identity: str
    age: int
    visible: bool
    protected: bool
    address: str = ""
    phone: str = ""


def person_view(
    *, case: Case, access: CaseGate, today: date | None = None, with_identity: bool = True
) -> PersonView:
    """``with_identity=False`` (lists, which show names only) leaves identity, address
    and phone empty."""
    person = case.person
    today = today or timezone.localdate()
    age = person.age_on(today)
    if access.sees_identity(protected=person.protected_identity, opened_at=case.opened_at):
        if not with_identity:
            return PersonView(name=person.full_name, identity="", age=age, visible=True,
                              protected=person.protected_identity)
        identity = parse_identity(person.identity_number, today=today).display(today)
        return PersonView(
            name=person.full_name,
            identity=identity,
            age=age,
            visible=True,
            protected=person.protected_identity,
            address=person.address,
            phone=person.phone,
        )
    label = _("Protected identity") if person.protected_identity else _("Not shared with your organisation")
    return PersonView(name=label, identity="", age=age, visible=False, protected=person.protected_identity)


def team_for_case(*, case: Case) -> QuerySet[TeamMember]:
    return (
        TeamMember.objects.filter(case=case, active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name")
    )


@dataclass(frozen=True)
class TeamEntry:
    name: str
    organisation: str


def team_summary(*, case: Case) -> list[TeamEntry]:
    """Who is on the team (names and organisations), for the case overview."""
    return [
        TeamEntry(name=f"{first} {last}".strip(), organisation=org)
        for first, last, org in team_for_case(case=case).values_list(
            "user__first_name", "user__last_name", "organisation__name"
        )
    ]


def programmes_for_intake(*, actor: User) -> QuerySet[Programme]:
    """Programmes in which the actor's organisation may register intakes."""
    if actor.organisation_id is None:
        return Programme.objects.none()
    # The districts whose administration is the actor's organisation (one query).
    return (
        Programme.objects.filter(
            active=True, lead_organisation_kind=actor.organisation.kind,
            districts__administration_id=actor.organisation_id,
        )
        .distinct()
        .order_by("min_age")
    )


TEAM_CANDIDATES_SHOWN = 50


def team_candidates(*, case: Case, search: str = "") -> QuerySet[Any]:
    """Active staff of organisations that take part in the case's programme who may be
    on a case team (access.policy.scope_case_team_eligible), not yet on the team,
    narrowed by ``search`` (words of the name, username or organisation), at most
    TEAM_CANDIDATES_SHOWN (staff directory data, not the participant's)."""
    kinds = set(case.programme.participating_kinds) | {case.programme.lead_organisation_kind}
    on_team = TeamMember.objects.filter(case=case, active=True).values("user_id")
    qs = policy.scope_case_team_eligible(
        User.objects.filter(is_active=True, organisation__kind__in=kinds, organisation__active=True)
    ).exclude(pk__in=on_team)
    for word in search.split()[:3]:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    # Unsliced (the form field filters it again to find the chosen one), at most N.
    order = ("organisation__name", "last_name", "first_name", "pk")
    ids = list(qs.order_by(*order).values_list("pk", flat=True)[:TEAM_CANDIDATES_SHOWN])
    return User.objects.filter(pk__in=ids).select_related("organisation").order_by(*order)


def referring_organisations() -> QuerySet[Any]:
    return Organisation.objects.filter(active=True).order_by("name")


def successor_offer(*, case: Case, today: date | None = None) -> Programme | None:
    """The programme the participant may move to now (e.g. turned 19 in SIG unga)."""
    successor = case.programme.successor
    if successor is None or case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        return None
    today = today or timezone.localdate()
    return successor if case.person.age_on(today) >= successor.min_age else None


def case_for_emergency(*, actor: User, public_id: UUID) -> Case:
    """A case led by the actor's own organisation (the only ones emergency access may
    open); 404 for any other."""
    return policy.get_or_404(  # type: ignore[no-any-return,unused-ignore]
        Case.objects.filter(lead_organisation_id=actor.organisation_id).select_related("person"),
        public_id=public_id,
    )


# --- Closure and follow-ups (read through the case's sharing rules) ------------------


def closure_visible(*, case: Case, access: CaseGate) -> Any:
    """The case's closure record if the viewer's organisation may see it, else None.
    (That the case is closed is visible to the whole team through its status.)"""
    return (
        Closure.objects.filter(case_id=case.pk)
        .filter(access.items_q())
        .select_related("recorded_by_organisation", "closed_by")
        .first()
    )


def follow_ups_visible(*, case: Case, access: CaseGate) -> QuerySet[Any]:
    """Follow-ups the viewer's organisation may see (a disclosure covers a follow-up only
    while it was last changed at or before the disclosure: ``updated_at``)."""
    return (
        FollowUp.objects.filter(case_id=case.pk)
        .filter(access.items_q(created_field="updated_at"))
        .select_related("recorded_by", "recorded_by_organisation")
        .order_by("due_on", "pk")
    )


def follow_up_for_actor(*, case: Case, access: CaseGate, pk: int) -> Any:
    return policy.get_or_404(follow_ups_visible(case=case, access=access), pk=pk)


# --- Programme administration ---------------------------------------------------------


def programmes_for_admin(*, actor: User) -> QuerySet[Programme]:
    """Every programme, for users with PROGRAMME_MANAGE (configuration, no personal
    data); nothing for anyone else."""
    if not policy.has_permission(actor, Permission.PROGRAMME_MANAGE):
        return Programme.objects.none()
    return Programme.objects.select_related("successor").prefetch_related("districts").order_by("name")


def programme_for_admin(*, actor: User, pk: int) -> Programme:
    programme: Programme = policy.get_or_404(programmes_for_admin(actor=actor), pk=pk)
    return programme


# --- The participant's guardians (read by the lead organisation's team) ----------------


def guardians_for_lead_team(*, actor: User, case: Case, access: CaseGate) -> list[Any]:
    """The participant's guardians, for the lead organisation's team only (403 for
    other team members). Audited as PERSON_VIEWED with the guardianship ids."""
    if not access.is_lead_team:
        raise PermissionDenied
    rows = list(guardianships_for_case(case=case))
    audit.record(
        action=Action.PERSON_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"guardianships": [g.pk for g in rows]},
    )
    return rows

"""Reading cases, always through access.policy.

Lists cost a fixed number of queries per page (policy.case_access_batch), and a case
page computes the viewer's CaseAccess once; names and identity numbers are replaced by
placeholders where the viewer's organisation has no basis to see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.models import Case, CaseStatus, Programme, TeamMember
from samverkan.lib.identity_numbers import parse as parse_identity


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
    *, case: Case, access: policy.CaseAccess, today: date | None = None, with_identity: bool = True
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


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list, with its text ready for the template (a page shows up
    to 50, so nothing per row is left to template look-ups)."""

    case: Case
    person: PersonView
    access: policy.CaseAccess
    url: str
    programme: str
    lead_organisation: str
    status: str


def _detail_url_maker() -> Any:
    """reverse() once per list; each row's URL differs only in the case's public id."""
    marker = str(UUID(int=0))
    pattern = reverse("cases:detail", kwargs={"public_id": marker})
    return lambda public_id: pattern.replace(marker, str(public_id))


# What the case list, its access computation and person_view read: only these columns
# are loaded (a page holds up to 50 cases, each with three related rows).
_LIST_FIELDS = (
    "public_id", "status", "opened_at", "person_id", "programme_id", "lead_organisation_id",
    "person__first_name", "person__last_name", "person__birth_date", "person__protected_identity",
    "programme__name", "programme__own_consent_from_age", "programme__guardian_consent_until_age",
    "lead_organisation__name",
)


@dataclass(frozen=True)
class ListPage:
    """Where a page of a list is, for the pager (previous / next; no total is shown, so
    none is counted)."""

    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def my_cases(*, actor: Any, status: str = "", page: int = 1, per_page: int = 25) -> tuple[ListPage, list[CaseRow]]:
    """The actor's cases (team member or emergency access), newest first, one page.

    Audited as one list event with the count (not the ids) of cases shown."""
    qs = policy.cases_visible_to(actor=actor).select_related("programme", "person", "lead_organisation").only(
        *_LIST_FIELDS
    )
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("-opened_at", "-pk")
    page = max(page, 1)
    # One row more than a page tells whether there is a next page, without a COUNT.
    cases = list(qs[(page - 1) * per_page : page * per_page + 1])
    if not cases and page > 1:  # past the end (e.g. an old link): the first page
        page, cases = 1, list(qs[: per_page + 1])
    pager = ListPage(number=page, has_next=len(cases) > per_page)
    cases = cases[:per_page]
    accesses = policy.case_access_batch(actor=actor, cases=cases)
    today = timezone.localdate()
    url = _detail_url_maker()
    statuses = dict(CaseStatus.choices)
    rows = [
        CaseRow(case=c, person=person_view(case=c, access=accesses[c.pk], today=today, with_identity=False),
                access=accesses[c.pk], url=url(c.public_id), programme=c.programme.name,
                lead_organisation=c.lead_organisation.name, status=str(statuses.get(c.status, c.status)))
        for c in cases
        if c.pk in accesses
    ]
    audit.record(action=Action.CASE_LISTED, actor=actor, subject_type="case_list", detail={"shown": len(rows)})
    return pager, rows


def case_for_actor(*, actor: Any, public_id: UUID, purpose: str = "") -> tuple[Case, policy.CaseAccess]:
    """One case and the actor's access to it; 404 outside the team. Every call is audited
    (protected identities and emergency access are flagged for log review)."""
    case = policy.get_or_404(
        Case.objects.select_related("programme", "person", "lead_organisation", "district", "programme__successor"),
        public_id=public_id,
    )
    access = policy.case_access_for(actor=actor, case=case)
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


def programmes_for_intake(*, actor: Any) -> QuerySet[Programme]:
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


def person_lookup(*, actor: Any, identity_text: str, purpose: str) -> dict[str, Any]:
    """Exact look-up by identity number, with a stated purpose, audited.

    Returns the actor's visible cases for that person, and — for users who may break
    the glass — cases led by their own organisation that they are not on. Nothing about
    other organisations' cases, and no fuzzy matching.
    """
    from samverkan.access.permissions import Permission
    from samverkan.people.models import Person

    identity = parse_identity(identity_text)
    visible = list(
        policy.cases_visible_to(actor=actor).filter(person__identity_number=identity.digits).select_related("programme")
    )
    own_org_other: list[Case] = []
    if policy.has_permission(actor, Permission.CASE_BREAK_GLASS):
        # Only the actor's own organisation's records (its own compartment).
        own_org_other = list(
            Case.objects.filter(person__identity_number=identity.digits, lead_organisation_id=actor.organisation_id)
            .exclude(pk__in=[c.pk for c in visible])
            .select_related("programme")
        )
    own_record = (
        Person.objects.filter(identity_number=identity.digits, organisation_id=actor.organisation_id)
        .values_list("pk", flat=True)
        .first()
    )
    audit.record(
        action=Action.PERSON_LOOKUP,
        actor=actor,
        subject_type="person",
        subject_id=own_record or "",
        purpose=purpose,
        detail={"found": bool(visible or own_org_other)},
    )
    return {"identity": identity, "visible": visible, "own_org_other": own_org_other}


def team_candidates(*, case: Case) -> QuerySet[Any]:
    """Active staff of organisations that take part in the case's programme, not yet on
    the team (staff directory data, not the participant's)."""
    from samverkan.accounts.models import User

    kinds = set(case.programme.participating_kinds) | {case.programme.lead_organisation_kind}
    on_team = TeamMember.objects.filter(case=case, active=True).values("user_id")
    return (
        User.objects.filter(is_active=True, organisation__kind__in=kinds, organisation__active=True)
        .exclude(pk__in=on_team)
        .select_related("organisation")
        .order_by("organisation__name", "last_name")
    )


def referring_organisations() -> QuerySet[Any]:
    from samverkan.directory.models import Organisation

    return Organisation.objects.filter(active=True).order_by("name")


def successor_offer(*, case: Case, today: date | None = None) -> Programme | None:
    """The programme the participant may move to now (e.g. turned 19 in SIG unga)."""
    successor = case.programme.successor
    if successor is None or case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        return None
    today = today or timezone.localdate()
    return successor if case.person.age_on(today) >= successor.min_age else None


def case_for_emergency(*, actor: Any, public_id: UUID) -> Case:
    """A case led by the actor's own organisation (the only ones emergency access may
    open); 404 for any other."""
    return policy.get_or_404(  # type: ignore[no-any-return,unused-ignore]
        Case.objects.filter(lead_organisation_id=actor.organisation_id).select_related("person"),
        public_id=public_id,
    )


# --- Closure and follow-ups (read through the case's sharing rules) ------------------


def closure_visible(*, case: Case, access: policy.CaseAccess) -> Any:
    """The case's closure record if the viewer's organisation may see it, else None.
    (That the case is closed is visible to the whole team through its status.)"""
    from samverkan.cases.models import Closure

    return (
        Closure.objects.filter(case_id=case.pk)
        .filter(access.items_q())
        .select_related("recorded_by_organisation", "closed_by")
        .first()
    )


def follow_ups_visible(*, case: Case, access: policy.CaseAccess) -> QuerySet[Any]:
    """Follow-ups the viewer's organisation may see (a disclosure covers a follow-up only
    while it was last changed at or before the disclosure: ``updated_at``)."""
    from samverkan.cases.models import FollowUp

    return (
        FollowUp.objects.filter(case_id=case.pk)
        .filter(access.items_q(created_field="updated_at"))
        .select_related("recorded_by", "recorded_by_organisation")
        .order_by("due_on", "pk")
    )


def follow_up_for_actor(*, case: Case, access: policy.CaseAccess, pk: int) -> Any:
    return policy.get_or_404(follow_ups_visible(case=case, access=access), pk=pk)


# --- Programme administration ---------------------------------------------------------


def programmes_for_admin(*, actor: Any) -> QuerySet[Programme]:
    """Every programme, for users with PROGRAMME_MANAGE (configuration, no personal
    data); nothing for anyone else."""
    from samverkan.access.permissions import Permission

    if not policy.has_permission(actor, Permission.PROGRAMME_MANAGE):
        return Programme.objects.none()
    return Programme.objects.select_related("successor").prefetch_related("districts").order_by("name")


def programme_for_admin(*, actor: Any, pk: int) -> Programme:
    programme: Programme = policy.get_or_404(programmes_for_admin(actor=actor), pk=pk)
    return programme

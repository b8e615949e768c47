"""Selectors of the case pages: my cases (one page of the list) and the look-up by
identity number. Both read through caseaccess (cases_visible_to, case_access_batch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.urls import reverse
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_batch, cases_visible_to
from samverkan.cases.models import Case, CaseStatus
from samverkan.cases.selectors import PersonView, person_view
from samverkan.lib.identity_numbers import parse as parse_identity
from samverkan.people.models import Person

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list, with its text ready for the template (a page shows up
    to 50, so nothing per row is left to template look-ups)."""

    case: Case
    person: PersonView
    access: CaseAccess
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


def my_cases(*, actor: User, status: str = "", page: int = 1, per_page: int = 25) -> tuple[ListPage, list[CaseRow]]:
    """The actor's cases (team member or emergency access), newest first, one page.

    Audited as one list event with the count (not the ids) of cases shown."""
    qs = cases_visible_to(actor=actor).select_related("programme", "person", "lead_organisation").only(
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
    accesses = case_access_batch(actor=actor, cases=cases)
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


def person_lookup(*, actor: User, identity_text: str, purpose: str) -> dict[str, Any]:
    """Exact look-up by identity number, with a stated purpose, audited.

    Returns the actor's visible cases for that person, and — for users who may break
    the glass — cases led by their own organisation that they are not on. Nothing about
    other organisations' cases, and no fuzzy matching.
    """
    identity = parse_identity(identity_text)
    visible = list(
        cases_visible_to(actor=actor).filter(person__identity_number=identity.digits).select_related("programme")
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

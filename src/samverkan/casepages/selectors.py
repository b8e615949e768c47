"""Selectors of the case pages: my cases (one page of the list, filtered, sorted or
searched by name) and the look-up by identity number. Both read through caseaccess
(cases_visible_to, case_access_batch): which cases a viewer has, and what of each they
may see, is decided there and only there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_batch, cases_visible_to
from samverkan.cases.models import Case, CaseStatus, Programme, TeamMember, TeamRole
from samverkan.cases.selectors import PersonView, person_view
from samverkan.lib.identity_numbers import parse as parse_identity
from samverkan.lib.text import search_words
from samverkan.meetings.models import Meeting, MeetingStatus
from samverkan.people.models import Person
from samverkan.plans.models import OPEN_COMMITMENT_STATUSES, Commitment

if TYPE_CHECKING:
    from samverkan.accounts.models import User


# --- My cases: filters, sorting, name search ---------------------------------------------

SORT_OPENED = "opened"
SORT_RECEIVED = "received"
SORT_ACTIVITY = "activity"
SORT_MEETING = "meeting"
SORT_NAME = "name"
CONSENT_VALID = "valid"
CONSENT_MISSING = "missing"
# Sorted by the database: the page is cut there (LIMIT), whatever the caseload.
_SQL_ORDER: dict[str, tuple[str, ...]] = {
    SORT_OPENED: ("-opened_at", "-pk"),
    SORT_RECEIVED: ("-received_on", "-opened_at", "-pk"),
    SORT_ACTIVITY: ("-last_entry_at", "-pk"),
}


@dataclass(frozen=True)
class CaseListQuery:
    """What the viewer asked the list for (already validated: casepages.forms).
    ``name`` is a search by name or part of one; it never comes from a URL."""

    programme: int | None = None
    status: str = ""
    consent: str = ""  # "", CONSENT_VALID or CONSENT_MISSING
    role: str = ""  # the viewer's team role in the case
    overdue: bool = False  # only cases with overdue plan commitments the viewer may see
    sort: str = SORT_OPENED
    name: str = ""

    @property
    def per_case(self) -> bool:
        """Whether the list needs the viewer's CaseAccess (or an entry read through it) in
        every case before it can be cut into pages: the name search (only names the viewer
        may see), the consent and overdue filters, and the sorts by next meeting or name.
        Then every matching case of the viewer's caseload is read (a fixed number of
        queries; cost follows the caseload, as cases_visible_to does)."""
        return bool(self.name or self.consent or self.overdue or self.sort not in _SQL_ORDER)


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
    reference: str = ""
    received_on: date | None = None
    last_activity: datetime | None = None
    next_meeting: datetime | None = None  # only a meeting the viewer's organisation may see
    overdue: int = 0  # overdue plan commitments the viewer's organisation may see
    responsible: str = ""  # the lead coordinator (staff, shown to the whole team)


def _detail_url_maker() -> Any:
    """reverse() once per list; each row's URL differs only in the case's public id."""
    marker = str(UUID(int=0))
    pattern = reverse("cases:detail", kwargs={"public_id": marker})
    return lambda public_id: pattern.replace(marker, str(public_id))


# What the case list, its access computation and person_view read: only these columns
# are loaded (a page holds up to 50 cases, each with three related rows).
_LIST_FIELDS = (
    "public_id", "status", "opened_at", "received_on", "last_entry_at",
    "person_id", "programme_id", "lead_organisation_id",
    "person__first_name", "person__last_name", "person__birth_date", "person__protected_identity",
    "programme__name", "programme__own_consent_from_age", "programme__guardian_consent_until_age",
    "lead_organisation__name",
)


@dataclass(frozen=True)
class ListPage:
    """Where a page of a list is, for the pager: previous / next and the rows' position
    ("26-50"). ``total`` is known only when the whole list was read anyway (filters that
    ask every case's access) or on the last page; no COUNT is run for it."""

    number: int
    has_next: bool
    per_page: int = 25
    shown: int = 0
    total: int | None = None

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

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.shown else 0

    @property
    def end(self) -> int:
        return self.start + self.shown - 1 if self.shown else 0

    @property
    def known_total(self) -> int | None:
        if self.total is not None:
            return self.total
        return None if self.has_next else self.end


def programmes_in_caseload(*, actor: User) -> list[tuple[int, str]]:
    """(id, name) of the programmes of the actor's visible cases, for the list's filter."""
    return list(
        Programme.objects.filter(pk__in=cases_visible_to(actor=actor).values("programme_id"))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def _candidates(*, actor: User, query: CaseListQuery) -> QuerySet[Case]:
    qs = cases_visible_to(actor=actor)
    if query.programme is not None:
        qs = qs.filter(programme_id=query.programme)
    if query.status in CaseStatus.values:
        qs = qs.filter(status=query.status)
    if query.role in TeamRole.values:
        qs = qs.filter(pk__in=TeamMember.objects.filter(user_id=actor.pk, active=True, team_role=query.role)
                       .values("case_id"))
    # Every word of the search in the name key (people.Person.name_search; a trigram
    # index on PostgreSQL). Which of these names the viewer may see is decided below,
    # per case, before anything about the matches is shown or counted.
    for word in search_words(query.name):
        qs = qs.filter(person__name_search__contains=word)
    return qs.select_related("programme", "person", "lead_organisation").only(*_LIST_FIELDS)


def _next_meetings(*, ids: list[int], accesses: dict[int, CaseAccess], now: datetime) -> dict[int, datetime]:
    """The next planned meeting of each case that the viewer's organisation may see
    (a meeting is an entry: CaseAccess.can_see, compared with its last change)."""
    result: dict[int, datetime] = {}
    rows = (
        Meeting.objects.filter(case_id__in=ids, status=MeetingStatus.PLANNED, starts_at__gte=now)
        .order_by("starts_at", "pk")
        .values_list("case_id", "starts_at", "recorded_by_organisation_id", "category", "updated_at")
    )
    for case_id, starts_at, org, category, updated_at in rows:
        if case_id not in result and accesses[case_id].can_see(
            recording_org_id=org, category=category, created_at=updated_at
        ):
            result[case_id] = starts_at
    return result


def _overdue_commitments(*, ids: list[int], accesses: dict[int, CaseAccess], today: date) -> dict[int, int]:
    """How many open plan commitments of each case are past their due date, counting
    only those the viewer's organisation may see (as plans.selectors.due does)."""
    result: dict[int, int] = {}
    rows = Commitment.objects.filter(
        case_id__in=ids, status__in=OPEN_COMMITMENT_STATUSES, due_on__lt=today
    ).values_list("case_id", "recorded_by_organisation_id", "category", "updated_at")
    for case_id, org, category, updated_at in rows:
        if accesses[case_id].can_see(recording_org_id=org, category=category, created_at=updated_at):
            result[case_id] = result.get(case_id, 0) + 1
    return result


def _lead_coordinators(*, ids: list[int]) -> dict[int, str]:
    rows = TeamMember.objects.filter(
        case_id__in=ids, active=True, team_role=TeamRole.LEAD_COORDINATOR
    ).order_by("pk").values_list("case_id", "user__first_name", "user__last_name")
    result: dict[int, str] = {}
    for case_id, first, last in rows:
        result.setdefault(case_id, f"{first} {last}".strip())
    return result


def my_cases(
    *, actor: User, query: CaseListQuery | None = None, status: str = "", page: int = 1, per_page: int = 25
) -> tuple[ListPage, list[CaseRow]]:
    """The actor's cases (team member or emergency access), filtered and sorted as
    ``query`` asks, one page, with a fixed number of queries whatever the caseload.

    A search by name (``query.name``) finds only cases whose participant's name the
    actor may see (CaseAccess.sees_identity, through person_view): a case whose identity
    is not shared with the actor is left out before anything is counted or shown, so a
    search tells nothing about it. Rows without a shared identity show the case's
    reference and what the actor may see (programme, status, next meeting).

    Audited as one list event with the number of cases shown; a name search as a
    person look-up (PERSON_LOOKUP, by name) with the public ids of the cases shown —
    never the search term, which is personal data."""
    query = query or CaseListQuery(status=status)
    qs = _candidates(actor=actor, query=query)
    page = max(page, 1)
    today = timezone.localdate()
    now = timezone.now()
    total: int | None = None
    meetings: dict[int, datetime] | None = None
    overdue: dict[int, int] | None = None
    if query.per_case:
        cases = list(qs.order_by(*_SQL_ORDER.get(query.sort, _SQL_ORDER[SORT_OPENED])))
        accesses = case_access_batch(actor=actor, cases=cases, today=today)
        cases = [c for c in cases if c.pk in accesses]
        people = {c.pk: person_view(case=c, access=accesses[c.pk], today=today, with_identity=False)
                  for c in cases}
        if query.name:
            cases = [c for c in cases if people[c.pk].visible]
        if query.consent:
            cases = [c for c in cases if accesses[c.pk].consent_active == (query.consent == CONSENT_VALID)]
        if query.overdue:
            overdue = _overdue_commitments(ids=[c.pk for c in cases], accesses=accesses, today=today)
            cases = [c for c in cases if overdue.get(c.pk)]
        if query.sort == SORT_MEETING:
            upcoming = _next_meetings(ids=[c.pk for c in cases], accesses=accesses, now=now)
            cases.sort(key=lambda c: (c.pk not in upcoming, upcoming.get(c.pk, now)))
            meetings = upcoming
        elif query.sort == SORT_NAME:
            # Names the viewer may see, alphabetically; the others after them by
            # reference, so a hidden name never decides where its row stands.
            cases.sort(key=lambda c: (0, c.person.last_name.casefold(), c.person.first_name.casefold(), c.reference)
                       if people[c.pk].visible else (1, "", "", c.reference))
        total = len(cases)
        if (page - 1) * per_page >= total:  # past the end (e.g. an old link): the first page
            page = 1
        shown = cases[(page - 1) * per_page : page * per_page]
        has_next = page * per_page < total
    else:
        qs = qs.order_by(*_SQL_ORDER[query.sort])
        # One row more than a page tells whether there is a next page, without a COUNT.
        cases = list(qs[(page - 1) * per_page : page * per_page + 1])
        if not cases and page > 1:  # past the end (e.g. an old link): the first page
            page, cases = 1, list(qs[: per_page + 1])
        has_next = len(cases) > per_page
        accesses = case_access_batch(actor=actor, cases=cases[:per_page], today=today)
        shown = [c for c in cases[:per_page] if c.pk in accesses]
        people = {c.pk: person_view(case=c, access=accesses[c.pk], today=today, with_identity=False)
                  for c in shown}
    ids = [c.pk for c in shown]
    if meetings is None:
        meetings = _next_meetings(ids=ids, accesses=accesses, now=now)
    if overdue is None:
        overdue = _overdue_commitments(ids=ids, accesses=accesses, today=today)
    coordinators = _lead_coordinators(ids=ids)
    url = _detail_url_maker()
    statuses = dict(CaseStatus.choices)
    rows = [
        CaseRow(case=c, person=people[c.pk], access=accesses[c.pk], url=url(c.public_id),
                programme=c.programme.name, lead_organisation=c.lead_organisation.name,
                status=str(statuses.get(c.status, c.status)), reference=c.reference,
                received_on=c.received_on, last_activity=c.last_entry_at, next_meeting=meetings.get(c.pk),
                overdue=overdue.get(c.pk, 0), responsible=coordinators.get(c.pk, ""))
        for c in shown
    ]
    pager = ListPage(number=page, has_next=has_next, per_page=per_page, shown=len(rows), total=total)
    if query.name:
        audit.record(action=Action.PERSON_LOOKUP, actor=actor, subject_type="case_list",
                     detail={"by": "name", "found": total, "cases": [str(c.public_id) for c in shown]})
    else:
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

"""Reading reminders, always through access.policy, and the sources the refresh job
turns into reminders.

What a user is shown is filtered at read time, not only when the reminder was made:
a reminder appears only while its user may still open the case
(caseaccess.visible_cases) and, for commitments and meetings, only while the source
entry is still visible to the user's organisation (a withdrawn consent hides it on the
next request). Retention reminders are the exception: they go to the lead
organisation's retention managers (RETENTION_MANAGE), who are not on the team, and
show the case's public id only — never the participant.

Crime-prevention cycle steps (``ReminderKind.CYCLE_STEP``) are the one kind without a
case: a step of a municipality's or district's yearly cycle (prevention.CycleStep) that
is overdue or due within settings.PREVENTION_CYCLE_REMIND_DAYS, for the scope's active
coordinators. Read through prevention's selectors (reminders sits above prevention): a
step's reminder shows only while the step is open and the user is still an active
coordinator who sees the scope (prevention.selectors.coordination.steps_still_reminding).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import READ_ONLY_TEAM_ROLES
from samverkan.caseaccess.selectors import VisibleCases, entries_visible, visible_cases
from samverkan.cases.models import Case, CaseStatus, FollowUp, FollowUpStatus, Programme, TeamMember
from samverkan.cases.selectors import person_view
from samverkan.consent.selectors import consents_expiring
from samverkan.meetings.models import Attendee, Meeting, MeetingStatus
from samverkan.meetings.selectors import meetings_upcoming
from samverkan.plans.models import OPEN_COMMITMENT_STATUSES, Commitment
from samverkan.plans.selectors import commitments_due
from samverkan.prevention.models import CycleStep
from samverkan.prevention.selectors.coordination import steps_reminding, steps_still_reminding
from samverkan.reminders.models import Reminder, ReminderKind

COMMITMENT_SOURCE = "plans.commitment"
MEETING_SOURCE = "meetings.meeting"
CONSENT_SOURCE = "consent.consent"
RETENTION_SOURCE = "cases.case"
FOLLOW_UP_SOURCE = "cases.followup"
CYCLE_STEP_SOURCE = "prevention.cyclestep"

# Lead-team kinds: only members of the lead organisation's team see them.
_LEAD_TEAM_KINDS = {ReminderKind.CONSENT_EXPIRING, ReminderKind.FOLLOW_UP_DUE}


@dataclass(frozen=True)
class ReminderRow:
    reminder: Reminder
    case: Case | None  # None for a crime-prevention cycle step
    person: Any  # cases.selectors.PersonView, or None for retention reminders and cycle steps
    url: str
    about: str = ""  # a cycle step: its scope, year and step (no case to name)

    @property
    def overdue(self) -> bool:
        return self.reminder.due_on < timezone.localdate()


def _url(reminder: Reminder, case: Case | None) -> str:
    kind = reminder.kind
    if kind == ReminderKind.CYCLE_STEP or case is None:
        return reverse("prevention:index")
    pid = case.public_id
    if kind == ReminderKind.COMMITMENT_DUE:
        return reverse("plans:plan", kwargs={"public_id": pid})
    if kind == ReminderKind.MEETING:
        return reverse("meetings:list", kwargs={"public_id": pid})
    if kind == ReminderKind.CONSENT_EXPIRING:
        return reverse("consent:list", kwargs={"public_id": pid})
    if kind == ReminderKind.RETENTION_DATE:
        return reverse("dataprotection:retention")
    if kind == ReminderKind.FOLLOW_UP_DUE:
        return reverse("cases:closure", kwargs={"public_id": pid})
    return reverse("reminders:case", kwargs={"public_id": pid})


def _visible(*, actor: User, reminders: list[Reminder]) -> list[tuple[Reminder, Any]]:
    """(reminder, CaseAccess or None) for the reminders ``actor`` may still see; a fixed
    number of queries whatever the number of cases."""
    if not reminders:
        return []
    steps = steps_still_reminding(
        actor=actor,
        step_ids=[int(r.source_id) for r in reminders if r.kind == ReminderKind.CYCLE_STEP and r.source_id.isdigit()],
    ) if any(r.kind == ReminderKind.CYCLE_STEP for r in reminders) else set()
    case_ids = {r.case_id for r in reminders if r.case_id is not None}
    accesses = visible_cases(actor=actor, case_ids=case_ids).accesses
    retention_ok = policy.has_permission(actor, Permission.RETENTION_MANAGE)

    def sources_still_visible(model: Any, source_type: str) -> set[str]:
        wanted = [r for r in reminders if r.source_type == source_type and r.case_id in accesses]
        if not wanted:
            return set()
        case_ids = {r.case_id for r in wanted if r.case_id is not None}
        within = VisibleCases(cases={}, accesses={cid: accesses[cid] for cid in case_ids})
        ids = [int(r.source_id) for r in wanted if r.source_id.isdigit()]
        rows = entries_visible(actor, model.objects.filter(pk__in=ids), within=within)
        return {str(pk) for pk in rows.values_list("pk", flat=True)}

    commitments = sources_still_visible(Commitment, COMMITMENT_SOURCE)
    meetings = sources_still_visible(Meeting, MEETING_SOURCE)
    result: list[tuple[Reminder, Any]] = []
    for r in reminders:
        if r.kind == ReminderKind.CYCLE_STEP:
            if r.source_id.isdigit() and int(r.source_id) in steps:
                result.append((r, None))
            continue
        if r.case_id is None:
            continue  # only cycle steps are without a case (a database constraint)
        if r.kind == ReminderKind.RETENTION_DATE:
            if retention_ok and r.case is not None and r.case.lead_organisation_id == actor.organisation_id:
                result.append((r, None))
            continue
        access = accesses.get(r.case_id)
        if access is None or not access.may(CaseAction.REMIND):
            continue
        if r.kind in _LEAD_TEAM_KINDS and not access.is_lead_team:
            continue
        if r.kind == ReminderKind.COMMITMENT_DUE and r.source_id not in commitments:
            continue
        if r.kind == ReminderKind.MEETING and r.source_id not in meetings:
            continue
        result.append((r, access))
    return result


def _open_reminders(
    *,
    actor: User,
    until: date | None = None,
    case: Case | None = None,
    include_done: bool = False,
    limit: int = 500,
) -> list[Reminder]:
    qs = Reminder.objects.filter(user_id=actor.pk).select_related(
        "case", "case__programme", "case__person"
    )
    if not include_done:
        qs = qs.filter(done=False)
    if until is not None:
        qs = qs.filter(due_on__lte=until)
    if case is not None:
        qs = qs.filter(case_id=case.pk)
    return list(qs.order_by("done", "due_on", "pk")[:limit])


def reminders_visible(
    *, actor: User, until: date | None = None, case: Case | None = None, include_done: bool = False
) -> list[ReminderRow]:
    """The actor's own reminders they may still see (not audited: callers that show
    them audit, see ``my_reminders``). Names only through cases.selectors.person_view."""
    rows = []
    visible = _visible(
        actor=actor,
        reminders=_open_reminders(actor=actor, until=until, case=case, include_done=include_done),
    )
    about = _steps_about([int(r.source_id) for r, _a in visible if r.kind == ReminderKind.CYCLE_STEP])
    for reminder, access in visible:
        person = (
            person_view(case=reminder.case, access=access)
            if access is not None and reminder.case is not None
            else None
        )
        rows.append(
            ReminderRow(
                reminder=reminder,
                case=reminder.case,
                person=person,
                url=_url(reminder, reminder.case),
                about=about.get(reminder.source_id, ""),
            )
        )
    return rows


def _steps_about(step_ids: list[int]) -> dict[str, str]:
    """source_id -> "Järva 2026: Decide the prevention plan (åtgärdsplan)" (one query)."""
    if not step_ids:
        return {}
    return {
        str(s.pk): f"{s.district.name if s.district else s.municipality} {s.year}: {s.get_kind_display()}"
        for s in CycleStep.objects.filter(pk__in=step_ids).select_related("district")
    }


def my_reminders(
    *, actor: User, include_done: bool = False, case: Case | None = None
) -> list[ReminderRow]:
    """The "my reminders" page: audited as one list event with the count shown."""
    rows = reminders_visible(actor=actor, include_done=include_done, case=case)
    audit.record(
        action=Action.REMINDERS_VIEWED,
        actor=actor,
        subject_type="reminder_list",
        subject_id=case.public_id if case else "",
        detail={"shown": len(rows)},
    )
    return rows


def reminder_for_actor(*, actor: User, pk: int) -> Reminder:
    """One of the actor's own reminders that they may still see; 404 otherwise."""
    reminder = policy.get_or_404(
        Reminder.objects.filter(user_id=actor.pk).select_related("case"), pk=pk
    )
    if not _visible(actor=actor, reminders=[reminder]):
        raise Http404
    return reminder


def due_counts(*, actor: User, within_days: int = 0, today: date | None = None) -> Counter[str]:
    """Open reminders the actor may see, due up to ``today + within_days`` (overdue
    included), counted by kind. Counts only — for the home page and the e-mail digest."""
    today = today or timezone.localdate()
    rows = _visible(
        actor=actor,
        reminders=_open_reminders(actor=actor, until=today + timedelta(days=within_days)),
    )
    return Counter(r.kind for r, _access in rows)


# --- Sources for the refresh (system-level reads; every reminder they produce is
# --- filtered again through the policy when shown). Each takes ``case`` to compute
# --- only that case's reminders (services.refresh_for_case) ------------------------------


@dataclass(frozen=True)
class Wanted:
    user_id: int
    organisation_id: int
    case_id: int | None  # None for a crime-prevention cycle step
    kind: str
    due_on: date
    source_type: str
    source_id: str


def _lead_team(case_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Active, writing members of each case's lead organisation: case -> [(user, org)]."""
    team: dict[int, list[tuple[int, int]]] = {}
    rows = (
        TeamMember.objects.filter(
            case_id__in=case_ids,
            active=True,
            user__is_active=True,
            organisation_id=F("case__lead_organisation_id"),
        )
        .exclude(team_role__in=READ_ONLY_TEAM_ROLES)
        .values_list("case_id", "user_id", "organisation_id")
    )
    for case_id, user_id, org_id in rows:
        team.setdefault(case_id, []).append((user_id, org_id))
    return team


def _in_case(user: User, case: Case) -> tuple[Case, Any] | None:
    """(the case, the user's CaseAccess in it), or None if the user may not open it."""
    within = visible_cases(actor=user, case_ids={case.pk})
    if case.pk not in within.accesses:
        return None
    return within.cases[case.pk], within.accesses[case.pk]


def _rows_for(user: User, case: Case | None, selector: Callable[..., list[Any]], **kwargs: Any) -> list[Any]:
    """What ``selector`` (a selector with the person as ``actor`` that takes ``case`` and
    ``access`` for one case: commitments_due, meetings_upcoming) gives ``user``: over the
    cases they may see, or in ``case`` only (the refresh of one case) — nothing if they
    may not open it."""
    if case is None:
        return selector(actor=user, **kwargs)
    opened = _in_case(user, case)
    if opened is None:
        return []
    return selector(actor=user, case=opened[0], access=opened[1], **kwargs)


def commitment_sources(
    *, today: date, within_days: int = 14, case: Case | None = None
) -> list[Wanted]:
    """Open commitments due within ``within_days`` (overdue included), for their
    responsible person — only those the person's organisation may see
    (plans.selectors.commitments_due with the person as actor). Only ``case``'s when
    given (the refresh of one case)."""
    base = Commitment.objects.filter(
        status__in=OPEN_COMMITMENT_STATUSES,
        due_on__lte=today + timedelta(days=within_days),
        case__status__in=[CaseStatus.INTAKE, CaseStatus.ACTIVE],
    )
    if case is not None:
        base = base.filter(case_id=case.pk)
    user_ids = set(base.values_list("responsible_id", flat=True))
    wanted = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).prefetch_related("roles"):
        rows = _rows_for(
            user, case, commitments_due, within_days=within_days, today=today, responsible_only=True
        )
        for row in rows:
            if row.case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
                continue
            wanted.append(
                Wanted(
                    user.pk,
                    user.organisation_id,
                    row.case.pk,
                    ReminderKind.COMMITMENT_DUE,
                    row.commitment.due_on,
                    COMMITMENT_SOURCE,
                    str(row.commitment.pk),
                )
            )
    return wanted


def meeting_sources(
    *, today: date, within_days: int = 7, case: Case | None = None
) -> list[Wanted]:
    """Planned meetings in the next ``within_days`` days, for each invited attendee who
    may see the meeting (meetings.selectors.meetings_upcoming with the attendee as
    actor). Only ``case``'s when given."""
    now = timezone.now()
    base = Attendee.objects.filter(
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__gte=now,
        meeting__starts_at__lte=now + timedelta(days=within_days),
    )
    if case is not None:
        base = base.filter(meeting__case_id=case.pk)
    user_ids = set(base.values_list("user_id", flat=True))
    wanted = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).prefetch_related("roles"):
        rows = _rows_for(
            user, case, meetings_upcoming, within_days=within_days, now=now, attending_only=True
        )
        for row in rows:
            wanted.append(
                Wanted(
                    user.pk,
                    user.organisation_id,
                    row.case.pk,
                    ReminderKind.MEETING,
                    timezone.localdate(row.meeting.starts_at),
                    MEETING_SOURCE,
                    str(row.meeting.pk),
                )
            )
    return wanted


def consent_sources(
    *, today: date, within_days: int = 30, case: Case | None = None
) -> list[Wanted]:
    """Consents in force that end within ``within_days``, for the case's lead team."""
    case_ids = None if case is None else [case.pk]
    consents = [
        c
        for c in consents_expiring(within_days=within_days, today=today, case_ids=case_ids)
        if c.case.status in (CaseStatus.INTAKE, CaseStatus.ACTIVE)
    ]
    team = _lead_team({c.case_id for c in consents})
    return [
        Wanted(
            user_id,
            org_id,
            c.case_id,
            ReminderKind.CONSENT_EXPIRING,
            c.valid_to,
            CONSENT_SOURCE,
            str(c.pk),
        )
        for c in consents
        for user_id, org_id in team.get(c.case_id, [])
    ]


def retention_due_on(case: Case) -> date:
    """The date the case's data is to be deleted: last entry + the programme's years."""
    return timezone.localdate(case.last_entry_at) + relativedelta(
        years=case.programme.retention_years
    )


def retention_managers(organisation_ids: set[int]) -> dict[int, list[int]]:
    """Active users with RETENTION_MANAGE, by organisation."""
    result: dict[int, list[int]] = {}
    for user in User.objects.filter(
        organisation_id__in=organisation_ids, is_active=True
    ).prefetch_related("roles"):
        if policy.has_permission(user, Permission.RETENTION_MANAGE):
            result.setdefault(user.organisation_id, []).append(user.pk)
    return result


def retention_sources(
    *, today: date, within_days: int = 60, case: Case | None = None
) -> list[Wanted]:
    """Cases (not on legal hold) whose retention date falls within ``within_days`` (or
    has passed), for the lead organisation's retention managers."""
    until = today + timedelta(days=within_days)
    q = Q()
    for programme_id, years in Programme.objects.values_list("pk", "retention_years"):
        cutoff = until - relativedelta(years=years)
        q |= Q(programme_id=programme_id, last_entry_at__date__lte=cutoff)
    if not q:
        return []
    cases_qs = Case.objects.filter(q, legal_hold=False)
    if case is not None:
        cases_qs = cases_qs.filter(pk=case.pk)
    cases = list(cases_qs.select_related("programme"))
    managers = retention_managers({c.lead_organisation_id for c in cases})
    return [
        Wanted(
            user_id,
            c.lead_organisation_id,
            c.pk,
            ReminderKind.RETENTION_DATE,
            retention_due_on(c),
            RETENTION_SOURCE,
            str(c.pk),
        )
        for c in cases
        for user_id in managers.get(c.lead_organisation_id, [])
    ]


def follow_up_sources(
    *, today: date, within_days: int = 14, case: Case | None = None
) -> list[Wanted]:
    """Planned 6- and 12-month follow-ups due within ``within_days``, for the lead team."""
    qs = FollowUp.objects.filter(
        status=FollowUpStatus.PLANNED,
        due_on__lte=today + timedelta(days=within_days),
        case__status=CaseStatus.CLOSED,
    )
    if case is not None:
        qs = qs.filter(case_id=case.pk)
    rows = list(qs)
    team = _lead_team({f.case_id for f in rows})
    return [
        Wanted(
            user_id,
            org_id,
            f.case_id,
            ReminderKind.FOLLOW_UP_DUE,
            f.due_on,
            FOLLOW_UP_SOURCE,
            str(f.pk),
        )
        for f in rows
        for user_id, org_id in team.get(f.case_id, [])
    ]


def cycle_step_sources(*, today: date, within_days: int | None = None) -> list[Wanted]:
    """Open crime-prevention cycle steps due within ``within_days`` (default
    settings.PREVENTION_CYCLE_REMIND_DAYS; overdue included), for each active coordinator
    of the step's municipality or district who still sees its documents."""
    days = settings.PREVENTION_CYCLE_REMIND_DAYS if within_days is None else within_days
    return [
        Wanted(
            row.user_id,
            row.organisation_id,
            None,
            ReminderKind.CYCLE_STEP,
            row.step.due_on,
            CYCLE_STEP_SOURCE,
            str(row.step.pk),
        )
        for row in steps_reminding(today=today, within_days=days)
    ]


# --- The "my reminders" page: filters, order and groups ---------------------------------

ORDER_SOONEST = "soonest"
ORDER_LATEST = "latest"
ORDER_KIND = "kind"
ORDERS = (ORDER_SOONEST, ORDER_LATEST, ORDER_KIND)


@dataclass(frozen=True)
class ReminderGroup:
    key: str  # "overdue", "week", "later" or "done"
    rows: list[ReminderRow]


@dataclass(frozen=True)
class ReminderPage:
    groups: list[ReminderGroup]
    kinds: list[tuple[str, str]]  # (value, label) of the kinds among the user's reminders
    cases: list[tuple[str, str]]  # (public id, name or short id) among the user's reminders
    shown: int
    total: int


def case_label(row: ReminderRow) -> str:
    """How a row's case is named on the page: the participant's name when the user may
    see it, otherwise the case's short id."""
    if row.case is None:
        return row.about
    name = str(row.person.name) if row.person is not None else ""
    if name:
        return name
    return str(row.case.public_id)[:8]


def _sort_key(order: str) -> Any:
    if order == ORDER_KIND:
        return lambda r: (str(r.reminder.get_kind_display()), r.reminder.due_on, r.reminder.pk)
    return lambda r: (r.reminder.due_on, r.reminder.pk)


def group_rows(rows: list[ReminderRow], *, today: date, order: str = ORDER_SOONEST) -> list[ReminderGroup]:
    """Open reminders in three groups — overdue, due this week (to Sunday), later — and
    the done ones last; each group in ``order``. Empty groups are left out."""
    week_end = today + timedelta(days=6 - today.weekday())
    buckets: dict[str, list[ReminderRow]] = {"overdue": [], "week": [], "later": [], "done": []}
    for row in rows:
        r = row.reminder
        if r.done:
            buckets["done"].append(row)
        elif r.due_on < today:
            buckets["overdue"].append(row)
        elif r.due_on <= week_end:
            buckets["week"].append(row)
        else:
            buckets["later"].append(row)
    key = _sort_key(order)
    return [
        ReminderGroup(name, sorted(items, key=key, reverse=order == ORDER_LATEST))
        for name, items in buckets.items()
        if items
    ]


def reminder_page(
    *,
    actor: User,
    include_done: bool = False,
    kind: str = "",
    case_public_id: str = "",
    order: str = ORDER_SOONEST,
    today: date | None = None,
) -> ReminderPage:
    """The actor's reminders for the "my reminders" page, filtered by kind and case,
    grouped and ordered. A kind or case that is not among the actor's reminders is
    ignored (the page's choices are those). Audited as one list event with the count
    shown."""
    today = today or timezone.localdate()
    rows = reminders_visible(actor=actor, include_done=include_done)
    kinds = sorted(
        {(r.reminder.kind, str(r.reminder.get_kind_display())) for r in rows}, key=lambda k: k[1]
    )
    cases = sorted(
        {(str(r.case.public_id), case_label(r)) for r in rows if r.case is not None},
        key=lambda c: c[1].lower(),
    )
    kind = kind if kind in {k for k, _label in kinds} else ""
    case_public_id = case_public_id if case_public_id in {c for c, _label in cases} else ""
    shown = [
        r
        for r in rows
        if (not kind or r.reminder.kind == kind)
        and (not case_public_id or (r.case is not None and str(r.case.public_id) == case_public_id))
    ]
    audit.record(
        action=Action.REMINDERS_VIEWED,
        actor=actor,
        subject_type="reminder_list",
        subject_id=case_public_id,
        detail={"shown": len(shown), "kind": kind},
    )
    return ReminderPage(
        groups=group_rows(shown, today=today, order=order if order in ORDERS else ORDER_SOONEST),
        kinds=kinds,
        cases=cases,
        shown=len(shown),
        total=len(rows),
    )

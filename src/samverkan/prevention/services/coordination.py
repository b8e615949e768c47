"""The coordinating function (lag 2023:196): naming coordinators of a municipality or a
district with their tasks, and the yearly cycle picture → plan → follow-up (generating a
year's steps with the configured default dates, moving a step's date, marking it done).

Managed by those who may manage the scope's documents (LocalAction.MANAGE_DOCUMENT).
Every change is audited in its transaction. Open steps due soon or overdue are reminders
for the scope's active coordinators: the reminders app builds them (it sits above
prevention, so prevention never imports it); a change here starts its refresh job by
name so that the reminders follow at once, not only at the nightly run.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.jobs.services import job_start
from samverkan.lib.concurrency import update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.prevention.models import Coordinator, CycleStep, CycleStepKind
from samverkan.prevention.selectors.coordination import is_candidate
from samverkan.prevention.selectors.scopes import ScopeRef

# The reminders app's refresh job (reminders/jobs.py); started by name, see the docstring.
REMINDERS_REFRESH_JOB = "reminders.refresh"
TASKS_MAX = 2000


def _refresh_reminders(actor: User) -> None:
    transaction.on_commit(lambda: job_start(actor=actor, kind=REMINDERS_REFRESH_JOB))


def _scope_q(scope: ScopeRef) -> Q:
    """Q over a model with ``municipality`` and ``district``: the rows of ``scope``."""
    if scope.district is None:
        return Q(municipality=scope.municipality, district__isnull=True)
    return Q(district_id=scope.district.pk)


def _subject_org(actor: User, scope: ScopeRef) -> int | None:
    if scope.district is not None and scope.district.administration_id:
        return scope.district.administration_id
    return actor.organisation_id


def _clean_tasks(tasks: str) -> str:
    tasks = tasks.strip()
    if not tasks:
        raise ValidationError({"tasks": _("Write the coordinator's tasks.")})
    if len(tasks) > TASKS_MAX:
        raise ValidationError({"tasks": _("Write at most %(n)d characters.") % {"n": TASKS_MAX}})
    return tasks


@transaction.atomic
def coordinator_add(
    *, actor: User, access: LocalAccess, scope: ScopeRef, user: User, tasks: str, since: date
) -> Coordinator:
    """Name ``user`` coordinator of ``scope``: staff of the scope's organisations who see
    its documents (prevention.selectors.coordination.is_candidate), once per scope."""
    access.require(LocalAction.MANAGE_DOCUMENT, scope)
    if not is_candidate(scope=scope, user=user):
        raise ValidationError({"user": _("Choose a member of staff of the municipality or the district.")})
    if Coordinator.objects.filter(_scope_q(scope), user=user, active=True).exists():
        raise ValidationError({"user": _("This person is already a coordinator here.")})
    row = Coordinator.objects.create(
        municipality=scope.municipality, district=scope.district, user=user, tasks=_clean_tasks(tasks), since=since,
    )
    audit.record(
        action=Action.PREVENTION_COORDINATOR_ADDED, actor=actor, subject_type="prevention_coordinator",
        subject_id=row.pk, subject_organisation_id=_subject_org(actor, scope),
        detail={"scope": scope.key, "user": user.pk},
    )
    _refresh_reminders(actor)
    return row


@transaction.atomic
def coordinator_update(
    *, actor: User, access: LocalAccess, coordinator: Coordinator, tasks: str, since: date, active: bool,
    expected_version: int | None,
) -> Coordinator:
    """Change a coordinator's tasks or start date, or end (``active`` False) or resume
    the assignment. StaleEdit when someone saved in between."""
    access.require(LocalAction.MANAGE_DOCUMENT, coordinator)
    tasks = _clean_tasks(tasks)
    if active and not coordinator.active and Coordinator.objects.filter(
        _scope_q(ScopeRef(coordinator.municipality, coordinator.district)), user_id=coordinator.user_id, active=True,
    ).exclude(pk=coordinator.pk).exists():
        raise ValidationError({"active": _("This person is already a coordinator here.")})
    changed = [name for name, new in (("tasks", tasks), ("since", since), ("active", active))
               if getattr(coordinator, name) != new]
    update_versioned(Coordinator, pk=coordinator.pk, version=expected_version, tasks=tasks, since=since,
                     active=active)
    scope = ScopeRef(coordinator.municipality, coordinator.district)
    audit.record(
        action=Action.PREVENTION_COORDINATOR_UPDATED, actor=actor, subject_type="prevention_coordinator",
        subject_id=coordinator.pk, subject_organisation_id=_subject_org(actor, scope),
        detail={"scope": scope.key, "changed": changed, "active": active},
    )
    if "active" in changed:
        _refresh_reminders(actor)
    coordinator.refresh_from_db()
    return coordinator


def default_due_on(kind: str, year: int) -> date:
    """The configured default date of a step (settings.PREVENTION_CYCLE_DEFAULTS)."""
    month, day = settings.PREVENTION_CYCLE_DEFAULTS[kind]
    return date(year, month, day)


@transaction.atomic
def cycle_generate(*, actor: User, access: LocalAccess, scope: ScopeRef, year: int) -> list[CycleStep]:
    """Create the year's three steps (picture, plan, follow-up) for ``scope`` with the
    default dates; steps that exist already are left as they are. Returns the created."""
    access.require(LocalAction.MANAGE_DOCUMENT, scope)
    this_year = timezone.localdate().year
    if not this_year - 1 <= year <= this_year + 2:
        raise ValidationError({"year": _("Choose a year from last year to two years ahead.")})
    have = set(
        CycleStep.objects.filter(_scope_q(scope), year=year)
        .values_list("kind", flat=True)
    )
    created = [
        CycleStep.objects.create(
            municipality=scope.municipality, district=scope.district, year=year, kind=kind,
            due_on=default_due_on(kind, year),
        )
        for kind in CycleStepKind.values if kind not in have
    ]
    audit.record(
        action=Action.PREVENTION_CYCLE_GENERATED, actor=actor, subject_type="prevention_scope",
        subject_id=scope.key, subject_organisation_id=_subject_org(actor, scope),
        detail={"year": year, "created": [s.pk for s in created]},
    )
    if created:
        _refresh_reminders(actor)
    return created


@transaction.atomic
def step_update(
    *, actor: User, access: LocalAccess, step: CycleStep, due_on: date, note: str, expected_version: int | None
) -> CycleStep:
    """Move an open step's due date (the scope's own rhythm) or change its note."""
    access.require(LocalAction.MANAGE_DOCUMENT, step)
    if step.done_on is not None:
        raise ValidationError(_("The step is done; it can no longer be changed."))
    if due_on.year != step.year:
        raise ValidationError({"due_on": _("Choose a date in %(year)d.") % {"year": step.year}})
    update_versioned(CycleStep.objects.filter(done_on__isnull=True), pk=step.pk, version=expected_version,
                     due_on=due_on, note=note.strip()[:300])
    scope = ScopeRef(step.municipality, step.district)
    audit.record(
        action=Action.PREVENTION_CYCLE_STEP_UPDATED, actor=actor, subject_type="prevention_cycle_step",
        subject_id=step.pk, subject_organisation_id=_subject_org(actor, scope),
        detail={"scope": scope.key, "kind": step.kind, "due_on": due_on.isoformat(),
                "moved": due_on != step.due_on},
    )
    if due_on != step.due_on:
        _refresh_reminders(actor)
    step.refresh_from_db()
    return step


@transaction.atomic
def step_mark_done(
    *, actor: User, access: LocalAccess, step: CycleStep, done_on: date, expected_version: int | None
) -> CycleStep:
    """Mark a step done on ``done_on`` (today or earlier, in or after its year). Its
    reminders disappear at once (they are filtered when read) and are removed by the
    refresh."""
    access.require(LocalAction.MANAGE_DOCUMENT, step)
    if step.done_on is not None:
        raise ValidationError(_("The step is already done."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    if done_on.year < step.year:
        raise ValidationError({"done_on": _("Choose a date in %(year)d or later.") % {"year": step.year}})
    update_versioned(CycleStep.objects.filter(done_on__isnull=True), pk=step.pk, version=expected_version,
                     done_on=done_on)
    scope = ScopeRef(step.municipality, step.district)
    audit.record(
        action=Action.PREVENTION_CYCLE_STEP_DONE, actor=actor, subject_type="prevention_cycle_step",
        subject_id=step.pk, subject_organisation_id=_subject_org(actor, scope),
        detail={"scope": scope.key, "kind": step.kind, "year": step.year, "done_on": done_on.isoformat()},
    )
    _refresh_reminders(actor)
    step.refresh_from_db()
    return step


def default_dates(year: int) -> list[tuple[str, date]]:
    """(step name, default date) of each step for ``year``, for the generate page."""
    return [(str(label), default_due_on(kind, year)) for kind, label in CycleStepKind.choices]

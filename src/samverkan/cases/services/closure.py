"""Closure (avslut) of a case and its structured follow-ups at 6 and 12 months."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.changes import case_changed
from samverkan.cases.models import (
    FOLLOW_UP_MONTHS,
    Case,
    CaseStatus,
    Closure,
    ClosureOutcome,
    FollowUp,
    FollowUpAnswer,
    FollowUpStatus,
)
from samverkan.cases.services.common import _audit_case, case_touch
from samverkan.lib.concurrency import ANY_VERSION, update_versioned
from samverkan.lib.workdays import next_working_day

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    result: date = day + relativedelta(months=months)
    return result


def follow_up_due(closed_on: date, months: int) -> date:
    """When the follow-up ``months`` after a closure on ``closed_on`` is due: that day, or
    the first working day after it when it falls on a weekend or a Swedish public or de
    facto holiday (Christmas Eve, Midsummer Eve; lib.workdays), so nobody is asked to
    follow up on a day the office is closed."""
    return next_working_day(add_months(closed_on, months))


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    access: CaseGate,
    outcome: str,
    note: str = "",
    expected_version: int | None = None,
) -> Any:
    """Close an active case (lead team with CASE_DECIDE) with an outcome code and a note,
    and plan the structured follow-ups at 6 and 12 months, each on a working day
    (follow_up_due). Audited (codes only)."""
    access.require(CaseAction.DECIDE)
    if outcome not in ClosureOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if case.status != CaseStatus.ACTIVE:
        raise ValidationError(_("Only an active case can be closed."))
    now = timezone.now()
    update_versioned(
        Case.objects.filter(status=CaseStatus.ACTIVE),
        pk=case.pk,
        version=ANY_VERSION if expected_version is None else expected_version,
        status=CaseStatus.CLOSED,
        closed_at=now,
        last_entry_at=now,
    )
    closure = Closure.objects.create(
        case=case,
        outcome=outcome,
        note=note.strip(),
        closed_by=actor,
        recorded_by_organisation_id=case.lead_organisation_id,
    )
    closed_on = timezone.localdate(now)
    for months in FOLLOW_UP_MONTHS:
        FollowUp.objects.create(
            case=case,
            closure=closure,
            months_after=months,
            due_on=follow_up_due(closed_on, months),
            recorded_by_organisation_id=case.lead_organisation_id,
        )
    _audit_case(Action.CASE_CLOSED, actor, case, {"outcome": outcome, "follow_ups": len(FOLLOW_UP_MONTHS)})
    case.refresh_from_db()
    case_changed(case)
    return closure


FOLLOW_UP_ANSWER_FIELDS = (
    "in_education_or_work",
    "housing_stable",
    "new_crime_known",
    "network_contact",
)


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    case: Case,
    access: CaseGate,
    follow_up: Any,
    expected_version: int,
    status: str,
    answers: dict[str, str],
    comment: str = "",
    recorded_on: date | None = None,
) -> Any:
    """Record a 6- or 12-month follow-up of a closed case (the lead organisation's team,
    with CASE_NOTE_WRITE or CASE_DECIDE). Optimistic locking on ``expected_version``."""
    access.require(CaseAction.RECORD_FOLLOW_UP)
    if follow_up.case_id != case.pk:
        raise PermissionDenied
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Follow-ups are recorded after the case is closed."))
    if status not in (FollowUpStatus.DONE, FollowUpStatus.NOT_REACHED):
        raise ValidationError({"status": _("Choose whether the follow-up was done.")})
    values: dict[str, Any] = {}
    for field in FOLLOW_UP_ANSWER_FIELDS:
        answer = answers.get(field, "") if status == FollowUpStatus.DONE else ""
        if answer not in FollowUpAnswer.values and answer != "":
            raise ValidationError({field: _("Choose an answer.")})
        if status == FollowUpStatus.DONE and not answer:
            raise ValidationError({field: _("Choose an answer.")})
        values[field] = answer
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("The date is in the future.")})
    update_versioned(
        FollowUp,
        pk=follow_up.pk,
        version=expected_version,
        status=status,
        comment=comment.strip(),
        recorded_on=recorded_on,
        recorded_by=actor,
        updated_at=timezone.now(),
        **values,
    )
    case_touch(case=case)
    _audit_case(
        Action.FOLLOW_UP_RECORDED,
        actor,
        case,
        {"follow_up": follow_up.pk, "months": follow_up.months_after, "status": status},
    )
    follow_up.refresh_from_db()
    return follow_up

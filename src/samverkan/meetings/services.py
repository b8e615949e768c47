"""Writing meetings, minutes and decisions.

Every function checks the access policy (CASE_MEETING_MANAGE inside a case the actor may
open; observers and emergency access read only; turning a decision into a commitment
also needs CASE_PLAN_EDIT), uses optimistic locking where a record can be edited
(``expected_version``; StaleEdit writes nothing), audits in the same transaction (ids
only) and touches the case. Objects passed in must have been fetched through
meetings.selectors, i.e. be visible to the actor.

A meeting belongs to the organisation that called it: only its members change it.
Minutes belong to their author's organisation; drafts change only by their author and
signed minutes never change — a correction is new minutes referencing the old.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, InformationCategory, TeamMember
from samverkan.cases.services import case_touch
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.meetings.models import (
    Attendee,
    Decision,
    DecisionCommitment,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    ParticipantAttendance,
)
from samverkan.plans.services import commitment_create, require_writable

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["StaleEdit"]


_audit = audit.record_case_event  # subject: the case and its lead organisation


def _require_manage(actor: User, case: Case, access: CaseAccess) -> None:
    access.require(CaseAction.MANAGE_MEETING)
    require_writable(case)


def _require_own_meeting(case: Case, access: CaseAccess, meeting: Meeting) -> None:
    """A meeting of this case recorded by the actor's organisation."""
    if meeting.case_id != case.pk:
        raise PermissionDenied
    access.require(CaseAction.MANAGE_MEETING, meeting)


def _clean_meeting(
    kind: str,
    starts_at: datetime,
    place: str,
    attendees: list[TeamMember],
    case: Case,
    participant_attendance: str,
) -> None:
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    if not place.strip():
        errors["place"] = _("Write where the meeting is.")
    if participant_attendance not in ParticipantAttendance.values:
        errors["participant_attendance"] = _("Choose whether the participant is invited.")
    if any(m.case_id != case.pk or not m.active for m in attendees):
        errors["attendees"] = _("Attendees must be on the case team.")
    if timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the date and time.")
    if errors:
        raise ValidationError(errors)


def _set_attendees(meeting: Meeting, attendees: Iterable[TeamMember]) -> None:
    wanted = {m.user_id: m.organisation_id for m in attendees}
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=wanted).delete()
    existing = set(Attendee.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    Attendee.objects.bulk_create(
        [
            Attendee(meeting=meeting, user_id=u, organisation_id=o)
            for u, o in wanted.items()
            if u not in existing
        ]
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    starts_at: datetime,
    place: str,
    attendees: list[TeamMember],
    agenda: str = "",
    kind: str = MeetingKind.FOLLOW_UP,
    participant_attendance: str = ParticipantAttendance.INVITED,
) -> Meeting:
    """Call a meeting, recorded by the actor's organisation in category "meeting"."""
    _require_manage(actor, case, access)
    _clean_meeting(kind, starts_at, place, attendees, case, participant_attendance)
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        participant_attendance=participant_attendance,
        recorded_by_organisation_id=actor.organisation_id,
        category=InformationCategory.MEETING,
        created_by=actor,
    )
    _set_attendees(meeting, attendees)
    case_touch(case=case)
    _audit(
        Action.MEETING_CREATED,
        actor,
        case,
        {"meeting": str(meeting.public_id), "attendees": len(attendees)},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    meeting: Meeting,
    expected_version: int,
    starts_at: datetime,
    place: str,
    attendees: list[TeamMember],
    agenda: str,
    kind: str,
    participant_attendance: str,
) -> Meeting:
    """Change a meeting the actor's organisation called; StaleEdit if it changed."""
    _require_manage(actor, case, access)
    _require_own_meeting(case, access, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    _clean_meeting(kind, starts_at, place, attendees, case, participant_attendance)
    update_versioned(
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED),
        pk=meeting.pk,
        version=expected_version,
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        kind=kind,
        participant_attendance=participant_attendance,
        updated_at=timezone.now(),
    )
    _set_attendees(meeting, attendees)
    meeting.refresh_from_db()
    case_touch(case=case)
    _audit(
        Action.MEETING_UPDATED,
        actor,
        case,
        {"meeting": str(meeting.public_id), "version": meeting.version},
    )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: User, case: Case, access: CaseAccess, meeting: Meeting, expected_version: int
) -> Meeting:
    _require_manage(actor, case, access)
    _require_own_meeting(case, access, meeting)
    update_versioned(
        Meeting.objects.filter(status=MeetingStatus.PLANNED),
        pk=meeting.pk,
        version=expected_version,
        status=MeetingStatus.CANCELLED,
        updated_at=timezone.now(),
    )
    meeting.refresh_from_db()
    case_touch(case=case)
    _audit(Action.MEETING_CANCELLED, actor, case, {"meeting": str(meeting.public_id)})
    return meeting


@transaction.atomic
def meeting_record_attendance(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    meeting: Meeting,
    expected_version: int,
    attended_user_ids: Iterable[int],
    participant_attendance: str,
) -> Meeting:
    """Record who attended (invited team members and the participant); the meeting is
    then held. Only after it has started."""
    _require_manage(actor, case, access)
    _require_own_meeting(case, access, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("The meeting has not taken place yet."))
    if (
        participant_attendance not in ParticipantAttendance.values
        or participant_attendance == "invited"
    ):
        raise ValidationError(
            {"participant_attendance": _("Choose whether the participant attended.")}
        )
    attended = set(attended_user_ids)
    update_versioned(
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED),
        pk=meeting.pk,
        version=expected_version,
        status=MeetingStatus.HELD,
        participant_attendance=participant_attendance,
        updated_at=timezone.now(),
    )
    Attendee.objects.filter(meeting=meeting, user_id__in=attended).update(attended=True)
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=attended).update(attended=False)
    meeting.refresh_from_db()
    case_touch(case=case)
    _audit(
        Action.MEETING_ATTENDANCE_RECORDED,
        actor,
        case,
        {
            "meeting": str(meeting.public_id),
            "attended": len(attended),
            "participant": participant_attendance,
        },
    )
    return meeting


# --- Minutes and decisions ------------------------------------------------------------


@transaction.atomic
def minutes_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    meeting: Meeting,
    text: str,
    sign: bool = False,
    corrects: Minutes | None = None,
) -> Minutes:
    """Minutes recorded by the actor's organisation (a draft, or signed at once); with
    ``corrects``, a correction of the organisation's signed minutes."""
    _require_manage(actor, case, access)
    if meeting.case_id != case.pk:
        raise PermissionDenied
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if not text.strip():
        raise ValidationError({"text": _("Write the minutes.")})
    if corrects is not None:
        if corrects.meeting_id != meeting.pk or corrects.signed_at is None:
            raise ValidationError(_("Only signed minutes of this meeting can be corrected."))
        access.require(CaseAction.MANAGE_MEETING, corrects)  # one's own organisation's
    minutes = Minutes.objects.create(
        meeting=meeting,
        case=case,
        recorded_by_organisation_id=actor.organisation_id,
        category=InformationCategory.MEETING,
        author=actor,
        text=text.strip(),
        corrects=corrects,
        signed_at=timezone.now() if sign else None,
    )
    case_touch(case=case)
    _audit(
        Action.MINUTES_CORRECTED if corrects else Action.MINUTES_CREATED,
        actor,
        case,
        {"meeting": str(meeting.public_id), "minutes": str(minutes.public_id)},
    )
    if sign:
        _audit(Action.MINUTES_SIGNED, actor, case, {"minutes": str(minutes.public_id)})
    return minutes


def _require_own_draft(actor: User, case: Case, minutes: Minutes) -> None:
    if minutes.case_id != case.pk or minutes.author_id != actor.pk:
        raise PermissionDenied
    if minutes.signed_at is not None:
        raise ValidationError(_("Signed minutes cannot be changed; write a correction instead."))


@transaction.atomic
def minutes_update_draft(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    minutes: Minutes,
    expected_version: int,
    text: str,
) -> Minutes:
    """Change the actor's own draft; StaleEdit if it changed or was signed meanwhile."""
    _require_manage(actor, case, access)
    _require_own_draft(actor, case, minutes)
    if not text.strip():
        raise ValidationError({"text": _("Write the minutes.")})
    update_versioned(
        Minutes.objects.filter(signed_at__isnull=True),
        pk=minutes.pk,
        version=expected_version,
        text=text.strip(),
        updated_at=timezone.now(),
    )
    minutes.refresh_from_db()
    case_touch(case=case)
    _audit(
        Action.MINUTES_UPDATED,
        actor,
        case,
        {"minutes": str(minutes.public_id), "version": minutes.version},
    )
    return minutes


@transaction.atomic
def minutes_sign(
    *, actor: User, case: Case, access: CaseAccess, minutes: Minutes, expected_version: int
) -> Minutes:
    """Sign the actor's own draft (as last seen: StaleEdit if it changed). Final."""
    _require_manage(actor, case, access)
    _require_own_draft(actor, case, minutes)
    update_versioned(
        Minutes.objects.filter(signed_at__isnull=True),
        pk=minutes.pk,
        version=expected_version,
        signed_at=timezone.now(),
        updated_at=timezone.now(),
    )
    minutes.refresh_from_db()
    case_touch(case=case)
    _audit(Action.MINUTES_SIGNED, actor, case, {"minutes": str(minutes.public_id)})
    return minutes


@transaction.atomic
def decision_add(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    minutes: Minutes,
    text: str,
    responsible: Any = None,
    due_on: date | None = None,
) -> Decision:
    """A decision in the actor's own draft minutes."""
    _require_manage(actor, case, access)
    _require_own_draft(actor, case, minutes)
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    organisation_id = None
    if responsible is not None:
        member = TeamMember.objects.filter(case=case, user=responsible, active=True).first()
        if member is None:
            raise ValidationError(
                {"responsible": _("The responsible person must be on the case team.")}
            )
        organisation_id = member.organisation_id
    decision = Decision.objects.create(
        minutes=minutes,
        case=case,
        text=text.strip(),
        responsible=responsible,
        organisation_id=organisation_id,
        due_on=due_on,
    )
    # A new decision changes the minutes: an editor holding the old version must reload.
    Minutes.objects.filter(pk=minutes.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    case_touch(case=case)
    _audit(
        Action.MEETING_DECISION_ADDED,
        actor,
        case,
        {"minutes": str(minutes.public_id), "decision": str(decision.public_id)},
    )
    return decision


@transaction.atomic
def decision_to_commitment(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    decision: Decision,
    description: str,
    responsible: Any,
    due_on: date,
    goal: Any = None,
    category: str = InformationCategory.PLAN,
    status: str = "planned",
    follow_up_note: str = "",
) -> Any:
    """Turn a meeting decision into a commitment in the plan (recorded by the actor's
    organisation; plans.services checks CASE_PLAN_EDIT). Once per decision."""
    _require_manage(actor, case, access)
    if decision.case_id != case.pk:
        raise PermissionDenied
    if DecisionCommitment.objects.select_for_update().filter(decision=decision).exists():
        raise ValidationError(_("This decision is already a commitment in the plan."))
    commitment = commitment_create(
        actor=actor,
        case=case,
        access=access,
        description=description,
        responsible=responsible,
        due_on=due_on,
        goal=goal,
        category=category,
        status=status,
        follow_up_note=follow_up_note,
        source={"decision": str(decision.public_id)},
    )
    DecisionCommitment.objects.create(decision=decision, commitment=commitment)
    _audit(
        Action.MEETING_DECISION_COMMITTED,
        actor,
        case,
        {"decision": str(decision.public_id), "commitment": str(commitment.public_id)},
    )
    return commitment

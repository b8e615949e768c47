"""Writing cases: intake, decision, team, emergency access, programme transfer.

Every function checks the access policy for the actor and audits in the same
transaction. What a team member may read and do is asked of the caller's CaseAccess
(samverkan.caseaccess, typed here as cases.actions.CaseGate).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.models import Case, CaseStatus, EmergencyAccess, Programme, TeamMember, TeamRole
from samverkan.directory.models import District, Organisation
from samverkan.lib.concurrency import StaleEdit as StaleEdit  # re-exported: services.StaleEdit
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.services import guardian_add, person_get_or_create

EMERGENCY_ACCESS_HOURS = 4


_audit_case = audit.record_case_event  # subject: the case and its lead organisation


def case_touch(*, case: Case) -> None:
    """Record that the case got a new entry (drives retention: N years after this)."""
    Case.objects.filter(pk=case.pk).update(last_entry_at=timezone.now())


def eligibility_problems(*, programme: Programme, identity: IdentityNumber, district: District, on: date) -> list[str]:
    problems = []
    age = identity.age_on(on)
    if not programme.min_age <= age <= programme.max_age:
        problems.append(
            _("The person is %(age)d; %(programme)s is for ages %(min)d–%(max)d.")
            % {"age": age, "programme": programme.name, "min": programme.min_age, "max": programme.max_age}
        )
    if not programme.districts.filter(pk=district.pk).exists():
        problems.append(
            _("%(programme)s does not serve %(district)s.") % {"programme": programme.name, "district": district.name}
        )
    return problems


@transaction.atomic
def case_intake(
    *,
    actor: Any,
    programme: Programme,
    identity: IdentityNumber,
    first_name: str,
    last_name: str,
    intake_source: str,
    received_on: date,
    referred_by: Organisation | None = None,
    intake_summary: str = "",
    protected_identity: bool = False,
    address: str = "",
    phone: str = "",
    is_fictitious: bool = False,
) -> Case:
    """Register an intake (aktualisering) in the actor's organisation, which must be the
    programme's lead kind and administer a district the programme serves. The actor
    becomes the case's lead coordinator until the team is set.

    Raises ValidationError when the person is not eligible or already has an open case in
    this programme in the actor's organisation (duplicate detection).
    """
    if not policy.has_permission(actor, Permission.CASE_INTAKE):
        raise PermissionDenied
    organisation = actor.organisation
    if organisation.kind != programme.lead_organisation_kind or not programme.active:
        raise PermissionDenied
    district = District.objects.filter(administration=organisation).first()
    if district is None:
        raise ValidationError(_("Your organisation does not administer a district."))
    problems = eligibility_problems(programme=programme, identity=identity, district=district, on=received_on)
    if problems:
        raise ValidationError(problems)
    person, _created = person_get_or_create(
        actor=actor,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        address=address,
        phone=phone,
        protected_identity=protected_identity,
        is_fictitious=is_fictitious,
    )
    duplicate = Case.objects.filter(
        person=person,
        programme=programme,
        lead_organisation=organisation,
        status__in=[CaseStatus.INTAKE, CaseStatus.ACTIVE],
    ).first()
    if duplicate is not None:
        raise ValidationError(
            _("This person already has an open case in %(programme)s in your organisation.")
            % {"programme": programme.name},
            code="duplicate",
        )
    case = Case.objects.create(
        programme=programme,
        person=person,
        lead_organisation=organisation,
        district=district,
        intake_source=intake_source,
        referred_by=referred_by,
        received_on=received_on,
        intake_summary=intake_summary,
        last_entry_at=timezone.now(),
    )
    TeamMember.objects.create(case=case, user=actor, organisation=organisation, team_role=TeamRole.LEAD_COORDINATOR)
    _audit_case(Action.CASE_INTAKE, actor, case, {"source": intake_source, "programme": programme.code})
    return case


@transaction.atomic
def case_decide(*, actor: Any, case: Case, access: CaseGate, accepted: bool, reason: str) -> Case:
    """Accept or decline an intake (lead organisation only)."""
    access.require(CaseAction.DECIDE)
    if case.status != CaseStatus.INTAKE:
        raise ValidationError(_("The intake has already been decided."))
    if not accepted and not reason.strip():
        raise ValidationError(_("Give the reason for declining."))
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.ACTIVE if accepted else CaseStatus.DECLINED,
        decision_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
        last_entry_at=timezone.now(),
        version=F("version") + 1,
    )
    _audit_case(Action.CASE_DECIDED, actor, case, {"accepted": accepted})
    case.refresh_from_db()
    return case


@transaction.atomic
def team_add(*, actor: Any, case: Case, access: CaseGate, user: Any, team_role: str) -> TeamMember:
    """Add a member from a participating organisation (lead coordinator only)."""
    access.require(CaseAction.MANAGE_TEAM)
    require_case_open(case)
    if team_role not in TeamRole.values:
        raise ValidationError(_("Unknown team role."))
    org = user.organisation
    allowed_kinds = set(case.programme.participating_kinds) | {case.programme.lead_organisation_kind}
    if org.kind not in allowed_kinds or not user.is_active:
        raise ValidationError(
            _("%(org)s does not take part in %(programme)s.") % {"org": org.name, "programme": case.programme.name}
        )
    if team_role == TeamRole.LEAD_COORDINATOR and org.pk != case.lead_organisation_id:
        raise ValidationError(_("The lead coordinator must belong to the lead organisation."))
    if TeamMember.objects.filter(case=case, user=user, active=True).exists():
        raise ValidationError(_("That person is already on the team."))
    member = TeamMember.objects.create(case=case, user=user, organisation=org, team_role=team_role)
    _audit_case(Action.TEAM_MEMBER_ADDED, actor, case, {"user": user.pk, "organisation": org.pk, "role": team_role})
    return member


@transaction.atomic
def team_remove(*, actor: Any, case: Case, access: CaseGate, member: TeamMember) -> None:
    access.require(CaseAction.MANAGE_TEAM)
    if member.case_id != case.pk or not member.active:
        raise ValidationError(_("Not an active member of this team."))
    if (
        member.team_role == TeamRole.LEAD_COORDINATOR
        and not TeamMember.objects.filter(case=case, active=True, team_role=TeamRole.LEAD_COORDINATOR)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(_("A case needs a lead coordinator: appoint another one first."))
    TeamMember.objects.filter(pk=member.pk).update(active=False, removed_at=timezone.now())
    _audit_case(
        Action.TEAM_MEMBER_REMOVED, actor, case, {"user": member.user_id, "organisation": member.organisation_id}
    )


@transaction.atomic
def emergency_access_grant(*, actor: Any, case: Case, reason: str) -> EmergencyAccess:
    """Break the glass: read access to a case led by the actor's own organisation,
    for EMERGENCY_ACCESS_HOURS, with a written reason. Flagged for log review."""
    if not policy.has_permission(actor, Permission.CASE_BREAK_GLASS):
        raise PermissionDenied
    if case.lead_organisation_id != actor.organisation_id:
        raise PermissionDenied
    if len(reason.strip()) < 20:
        raise ValidationError(_("Describe the emergency in at least 20 characters."))
    grant = EmergencyAccess.objects.create(
        case=case,
        user=actor,
        reason=reason.strip(),
        expires_at=timezone.now() + timedelta(hours=EMERGENCY_ACCESS_HOURS),
    )
    _audit_case(
        Action.EMERGENCY_ACCESS,
        actor,
        case,
        {"hours": EMERGENCY_ACCESS_HOURS, "flagged": True},
        purpose=_("Emergency access"),
    )
    return grant


@transaction.atomic
def case_transfer_programme(*, actor: Any, case: Case, access: CaseGate) -> Case:
    """Move the case to the programme's successor (SIG unga → SIG unga vuxna when the
    participant has reached its minimum age), keeping team, plan and notes."""
    access.require(CaseAction.MANAGE_TEAM)
    require_case_open(case)
    successor = case.programme.successor
    if successor is None:
        raise ValidationError(_("This programme has no programme to continue in."))
    from samverkan.people.services import age_on

    age = age_on(case.person, timezone.localdate())
    if age < successor.min_age:
        raise ValidationError(
            _("The participant is not old enough for %(programme)s yet.") % {"programme": successor.name}
        )
    old = case.programme.code
    Case.objects.filter(pk=case.pk).update(programme=successor, version=F("version") + 1, last_entry_at=timezone.now())
    _audit_case(Action.CASE_TRANSFERRED, actor, case, {"from": old, "to": successor.code})
    case.refresh_from_db()
    return case


# --- Closure (avslut), follow-ups and legal hold ------------------------------------


def require_case_open(case: Case) -> None:
    """Closed and declined cases are read-only (except their follow-ups and legal hold).
    Services that add or change entries of a case call this first."""
    if case.status not in (CaseStatus.INTAKE, CaseStatus.ACTIVE):
        raise ValidationError(_("The case is closed and can no longer change."), code="closed")


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month)."""
    from dateutil.relativedelta import relativedelta

    result: date = day + relativedelta(months=months)
    return result


@transaction.atomic
def case_close(
    *,
    actor: Any,
    case: Case,
    access: CaseGate,
    outcome: str,
    note: str = "",
    expected_version: int | None = None,
) -> Any:
    """Close an active case (lead team with CASE_DECIDE) with an outcome code and a note,
    and plan the structured follow-ups at 6 and 12 months. Audited (codes only)."""
    from samverkan.cases.models import FOLLOW_UP_MONTHS, Closure, ClosureOutcome, FollowUp

    access.require(CaseAction.DECIDE)
    if outcome not in ClosureOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if case.status != CaseStatus.ACTIVE:
        raise ValidationError(_("Only an active case can be closed."))
    now = timezone.now()
    lookup: dict[str, Any] = {"pk": case.pk, "status": CaseStatus.ACTIVE}
    if expected_version is not None:
        lookup["version"] = expected_version
    if not Case.objects.filter(**lookup).update(
        status=CaseStatus.CLOSED, closed_at=now, last_entry_at=now, version=F("version") + 1
    ):
        raise StaleEdit
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
            due_on=add_months(closed_on, months),
            recorded_by_organisation_id=case.lead_organisation_id,
        )
    _audit_case(Action.CASE_CLOSED, actor, case, {"outcome": outcome, "follow_ups": len(FOLLOW_UP_MONTHS)})
    case.refresh_from_db()
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
    actor: Any,
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
    from samverkan.cases.models import FollowUp, FollowUpAnswer, FollowUpStatus

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
    updated = FollowUp.objects.filter(pk=follow_up.pk, version=expected_version).update(
        status=status,
        comment=comment.strip(),
        recorded_on=recorded_on,
        recorded_by=actor,
        updated_at=timezone.now(),
        version=F("version") + 1,
        **values,
    )
    if not updated:
        raise StaleEdit
    case_touch(case=case)
    _audit_case(
        Action.FOLLOW_UP_RECORDED,
        actor,
        case,
        {"follow_up": follow_up.pk, "months": follow_up.months_after, "status": status},
    )
    follow_up.refresh_from_db()
    return follow_up


@transaction.atomic
def case_legal_hold(*, actor: Any, case: Case, access: CaseGate, hold: bool, reason: str) -> Case:
    """Set or clear a legal hold (stops the retention purge), by the lead team with
    CASE_DECIDE, with a reason. Audited (the reason is stored on the case, not in the log)."""
    access.require(CaseAction.DECIDE)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("Give the reason in at least 10 characters.")})
    if case.legal_hold == hold:
        raise ValidationError(_("The legal hold is already set.") if hold else _("There is no legal hold."))
    Case.objects.filter(pk=case.pk).update(legal_hold=hold, legal_hold_reason=reason[:300], version=F("version") + 1)
    _audit_case(Action.CASE_LEGAL_HOLD, actor, case, {"hold": hold})
    case.refresh_from_db()
    return case


# --- Programme administration (no code change needed for a new programme) -------------


@transaction.atomic
def programme_save(
    *, actor: Any, instance: Programme, districts: Any, expected_version: int | None = None
) -> Programme:
    """Create (``instance.pk`` is None) or update a programme (PROGRAMME_MANAGE).

    Updates succeed only while the stored version equals ``expected_version``; otherwise
    StaleEdit and nothing is written. Audited with the programme's id and code."""
    if not policy.has_permission(actor, Permission.PROGRAMME_MANAGE):
        raise PermissionDenied
    instance.full_clean()
    problems: dict[str, str] = {}
    if instance.min_age > instance.max_age:
        problems["max_age"] = _("The maximum age must be at least the minimum age.")
    if instance.pk is not None and instance.successor_id == instance.pk:
        problems["successor"] = _("A programme cannot continue in itself.")
    if instance.own_consent_from_age > instance.guardian_consent_until_age:
        problems["own_consent_from_age"] = _(
            "Own consent must be recorded from an age at or below the age when the guardians' consent ends."
        )
    if instance.retention_years < 1:
        problems["retention_years"] = _("Keep data at least one year.")
    if instance.consent_max_months < 1:
        problems["consent_max_months"] = _("A consent must be valid at least one month.")
    if problems:
        raise ValidationError(problems)
    created = instance.pk is None
    if created:
        instance.version = 1
        instance.save()
    else:
        fields = [f.attname for f in Programme._meta.concrete_fields if not f.primary_key and f.attname != "version"]
        values = {name: getattr(instance, name) for name in fields}
        if expected_version is None:
            raise StaleEdit
        if not Programme.objects.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1, **values
        ):
            raise StaleEdit
    instance.districts.set(districts)
    instance.refresh_from_db()
    audit.record(
        action=Action.PROGRAMME_SAVED,
        actor=actor,
        subject_type="programme",
        subject_id=instance.pk,
        detail={
            "code": instance.code,
            "created": created,
            "districts": len(instance.districts.all()),
        },
    )
    return instance


# --- The participant's guardians, registered through the case ----------------------


@transaction.atomic
def case_guardian_add(
    *,
    actor: Any,
    case: Case,
    access: CaseGate,
    identity: IdentityNumber,
    first_name: str,
    last_name: str,
    phone: str = "",
) -> Any:
    """Register a guardian of the case's participant (the lead organisation's team,
    with a role that may manage consent). Audited by people.services.guardian_add."""
    access.require(CaseAction.MANAGE_CONSENT)
    if identity.digits == case.person.identity_number:
        raise ValidationError(_("That is the participant's own identity number."))
    guardianship = guardian_add(
        actor=actor,
        child=case.person,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        subject_organisation_id=case.lead_organisation_id,
        is_fictitious=case.person.is_fictitious,
    )
    case_touch(case=case)
    return guardianship

"""Intake (aktualisering) and the decision to accept or decline it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.changes import case_changed
from samverkan.cases.models import Case, CaseStatus, Programme, TeamMember, TeamRole
from samverkan.cases.services.common import _audit_case
from samverkan.directory.models import District, Organisation
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.services import person_get_or_create

if TYPE_CHECKING:
    from samverkan.accounts.models import User


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
    actor: User,
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
def case_decide_check(*, case: Case, access: CaseGate, accepted: bool, reason: str) -> None:
    """Refuse what ``case_decide`` would refuse, changing nothing (the page asks before it
    records the decision)."""
    access.require(CaseAction.DECIDE)
    if case.status != CaseStatus.INTAKE:
        raise ValidationError(_("The intake has already been decided."))
    if not accepted and not reason.strip():
        raise ValidationError(_("Give the reason for declining."))


def case_decide(*, actor: User, case: Case, access: CaseGate, accepted: bool, reason: str) -> Case:
    """Accept or decline an intake (lead organisation only)."""
    case_decide_check(case=case, access=access, accepted=accepted, reason=reason)
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
    case_changed(case)
    return case

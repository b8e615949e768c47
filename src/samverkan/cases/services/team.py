"""The case team: adding and removing members (the lead coordinator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseAction, CaseGate
from samverkan.cases.changes import case_changed
from samverkan.cases.models import Case, TeamMember, TeamRole
from samverkan.cases.services.common import _audit_case, require_case_open

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def team_add(*, actor: User, case: Case, access: CaseGate, user: User, team_role: str) -> TeamMember:
    """Add a member from a participating organisation (lead coordinator only)."""
    access.require(CaseAction.MANAGE_TEAM)
    require_case_open(case)
    if team_role not in TeamRole.values:
        raise ValidationError(_("Unknown team role."))
    org = user.organisation
    allowed_kinds = set(case.programme.participating_kinds) | {case.programme.lead_organisation_kind}
    if not policy.may_be_on_case_team(user):
        raise ValidationError(
            _("%(name)s does not work with cases and cannot be on a team.") % {"name": user.get_full_name()}
        )
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
    case_changed(case)
    return member


@transaction.atomic
def team_remove(*, actor: User, case: Case, access: CaseGate, member: TeamMember) -> None:
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
    case_changed(case)

"""The case decision: what one person may see and do in one case.

A case is visible only to its active team members and to users holding a current
emergency (break-the-glass) access; everyone else gets 404 (caseaccess.selectors).
Inside the case, an entry (note, plan item, minutes, document) recorded by organisation
R in category C at time T is visible to a viewer from organisation V when
  V == R, or
  a valid consent set covers R and V and C (consent.rules.effective_consent), or
  a statutory disclosure R → V covers C and was decided at or after T.
Protected identities are shown only to the lead organisation's case team.

Actions: observers and emergency access read only; some actions are the lead
organisation's, team management the lead coordinator's; entries of another
organisation are changed only by it. These rules are written here once; views,
templates ({% case_may %}) and services all ask ``may``/``require``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from samverkan.access.permissions import Permission
from samverkan.cases.actions import CaseAction
from samverkan.cases.models import TeamRole

if TYPE_CHECKING:
    from samverkan.consent.rules import EffectiveConsent


# Team roles that read only (with emergency access, which has no team role). Queries
# over team members that must leave them out use this too (e.g. reminders).
READ_ONLY_TEAM_ROLES: frozenset[str] = frozenset({TeamRole.OBSERVER})


@dataclass(frozen=True)
class _Rule:
    permissions: frozenset[Permission]  # any one of them
    read_only_ok: bool = False  # read-only team roles (observers) may do it
    emergency_ok: bool = False  # emergency (break-the-glass) access may do it
    lead_team: bool = False  # the lead organisation's team only
    lead_coordinator: bool = False  # the lead organisation's lead coordinator only
    entry: str = ""  # "" (no entry rule), "own" (recorded by the viewer's organisation),
    #                  "own_or_responsible" (… or the viewer is the responsible person)


def _rule(*perms: Permission, **kw: Any) -> _Rule:
    return _Rule(permissions=frozenset(perms), **kw)


_RULES: dict[CaseAction, _Rule] = {
    CaseAction.VIEW: _rule(Permission.CASE_VIEW, read_only_ok=True, emergency_ok=True),
    CaseAction.REMIND: _rule(Permission.CASE_VIEW, read_only_ok=True),
    CaseAction.DECIDE: _rule(Permission.CASE_DECIDE, lead_team=True),
    CaseAction.MANAGE_TEAM: _rule(Permission.CASE_TEAM_MANAGE, lead_coordinator=True),
    CaseAction.RECORD_FOLLOW_UP: _rule(Permission.CASE_NOTE_WRITE, Permission.CASE_DECIDE, lead_team=True),
    CaseAction.WRITE_NOTE: _rule(Permission.CASE_NOTE_WRITE, entry="own"),
    CaseAction.EDIT_PLAN: _rule(Permission.CASE_PLAN_EDIT, entry="own"),
    CaseAction.ESTABLISH_PLAN: _rule(Permission.CASE_PLAN_EDIT, lead_team=True),
    CaseAction.FOLLOW_UP: _rule(Permission.CASE_PLAN_EDIT, entry="own_or_responsible"),
    CaseAction.MANAGE_MEETING: _rule(Permission.CASE_MEETING_MANAGE, entry="own"),
    CaseAction.MANAGE_CONSENT: _rule(Permission.CASE_CONSENT_MANAGE, lead_team=True),
    CaseAction.DISCLOSE: _rule(Permission.CASE_DISCLOSE),
}


@dataclass(frozen=True)
class CaseAccess:
    """What one viewer may see and do in one case, computed once per request (never
    cached across requests: a withdrawn consent or a removal from the team takes effect
    on the next one). Built by caseaccess.selectors (case_access_for, case_access_batch)."""

    case_id: int
    viewer_id: int
    viewer_org_id: int
    lead_org_id: int
    team_role: str | None
    emergency: bool
    consent_active: bool
    consent_org_ids: frozenset[int]
    consent_categories: frozenset[str]
    # (from organisation, categories, decided_at) of disclosures to the viewer's organisation
    disclosures: tuple[tuple[int, frozenset[str], datetime], ...]
    # The viewer's permissions (access.policy.permissions_of), for the actions.
    permissions: frozenset[Permission] = frozenset()
    # The consent evaluation the fields above came from (for the case page's summary).
    consent: EffectiveConsent | None = field(default=None, compare=False, repr=False)

    # --- Who the viewer is in the case ------------------------------------------------

    @property
    def is_lead_team(self) -> bool:
        return self.viewer_org_id == self.lead_org_id

    @property
    def is_lead_coordinator(self) -> bool:
        return self.is_lead_team and self.team_role == TeamRole.LEAD_COORDINATOR

    @property
    def read_only(self) -> bool:
        """Observers and emergency access read only."""
        return self.emergency or self.team_role in READ_ONLY_TEAM_ROLES

    # --- Actions ------------------------------------------------------------------------

    def may(self, action: CaseAction | str, entry: Any = None) -> bool:
        """Whether the viewer may do ``action`` in this case (on ``entry``, an entry of
        this case already fetched through the sharing rule, when the action has an
        entry rule)."""
        rule = _RULES[CaseAction(action)]
        if not rule.permissions & self.permissions:
            return False
        if self.emergency and not rule.emergency_ok:
            return False
        if self.team_role in READ_ONLY_TEAM_ROLES and not rule.read_only_ok:
            return False
        if rule.lead_team and not self.is_lead_team:
            return False
        if rule.lead_coordinator and not self.is_lead_coordinator:
            return False
        if entry is not None and rule.entry:
            own = entry.recorded_by_organisation_id == self.viewer_org_id
            if rule.entry == "own_or_responsible":
                return own or getattr(entry, "responsible_id", None) == self.viewer_id
            return bool(own)
        return True

    def require(self, action: CaseAction | str, entry: Any = None) -> None:
        """``may`` or 403 (the case itself is visible, so its existence is no secret)."""
        if not self.may(action, entry):
            raise PermissionDenied

    # --- The sharing rule ---------------------------------------------------------------

    def _consent_covers(self, recording_org_id: int, category: str) -> bool:
        return (
            self.consent_active
            and recording_org_id in self.consent_org_ids
            and self.viewer_org_id in self.consent_org_ids
            and category in self.consent_categories
        )

    def can_see(self, *, recording_org_id: int, category: str, created_at: datetime) -> bool:
        if recording_org_id == self.viewer_org_id:
            return True
        if self._consent_covers(recording_org_id, category):
            return True
        return any(
            org == recording_org_id and category in cats and created_at <= until
            for org, cats, until in self.disclosures
        )

    def items_q(
        self,
        *,
        org_field: str = "recorded_by_organisation_id",
        category_field: str = "category",
        created_field: str = "created_at",
    ) -> Q:
        """The same rule as can_see, as a filter for a queryset of entries of this case."""
        q = Q(**{org_field: self.viewer_org_id})
        if self.consent_active and self.viewer_org_id in self.consent_org_ids:
            q |= Q(**{f"{org_field}__in": self.consent_org_ids, f"{category_field}__in": self.consent_categories})
        for org, cats, until in self.disclosures:
            q |= Q(**{org_field: org, f"{category_field}__in": cats, f"{created_field}__lte": until})
        return q

    def sees_identity(self, *, protected: bool, opened_at: datetime) -> bool:
        """Name and identity number of the participant (category 'basic', recorded by
        the lead organisation). Protected identities: lead organisation's team only."""
        if self.is_lead_team:
            return True
        if protected:
            return False
        return self.can_see(recording_org_id=self.lead_org_id, category="basic", created_at=opened_at)

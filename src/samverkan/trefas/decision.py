"""The forum decision: what one person may see and do in one Trefas forum.

A forum exists for a user only while they are an active named member of it, their own
organisation is an active member organisation of it, and a role grants
``trefas:forum:view``; everyone else gets 404 (trefas.selectors.forums). Inside the forum:

- The list (who is listed, their rating and its reason, the rating history) is the forum's
  common picture and visible to every member. The nominating organisation's reference to
  its own records is shown only to that organisation; a protected identity's name only to
  the organisation whose record it is.
- A share is visible to its own organisation (the proposer's) always, and to a receiving
  organisation only while it is approved by the owning organisation's jurist or made under
  a basis that needs no review (``VISIBLE_STATES``) — never proposed, refused or withdrawn.
- A group is visible to its owner (the police) and to an organisation that received an
  approved share about it; a conflict only when both its groups are visible.
- A person linked to an incident who is not on the list (e.g. a younger sibling) is
  named only to the organisation whose record it is.

Actions need a role permission and, for some, a forum role: meetings are run by the
forum's coordinators, shares reviewed by the owning organisation's jurist, releases
registered by Kriminalvården's member organisations. These rules are written here once;
views, templates ({% trefas_may %}) and services all ask ``may``/``require``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from samverkan.access.permissions import Permission
from samverkan.trefas.models import VISIBLE_STATES, ForumRole, MemberKind


class TrefasAction(StrEnum):
    VIEW = "view"
    NOMINATE = "nominate"  # put a person on the list
    RATE = "rate"  # set or confirm a rating
    REMOVE = "remove"  # take a person off the list (the nominating organisation or a coordinator)
    PROPOSE_SHARE = "propose_share"
    REVIEW_SHARE = "review_share"  # approve or refuse (entry: a share of the jurist's organisation)
    WITHDRAW_SHARE = "withdraw_share"  # entry: a share of the viewer's organisation
    RUN_MEETINGS = "run_meetings"  # plan, record attendance, minutes, sign
    DECIDE_ACTIONS = "decide_actions"  # add actions for any organisation (coordinators)
    UPDATE_ACTION = "update_action"  # entry: an action of the viewer's organisation
    MANAGE_GROUPS = "manage_groups"  # the police: groups, memberships, conflicts
    REGISTER_INCIDENT = "register_incident"
    REGISTER_RELEASE = "register_release"  # Kriminalvården's member organisations
    START_EXIT = "start_exit"
    CANCEL_RELEASE = "cancel_release"  # entry: a release of the viewer's organisation (Kriminalvården)
    PLAN_RELEASE = "plan_release"  # release-plan actions: the forum's coordinators or Kriminalvården


KRIMINALVARDEN_KINDS = frozenset({MemberKind.PROBATION, MemberKind.PRISON})


@dataclass(frozen=True)
class _Rule:
    permission: Permission | None
    forum_roles: frozenset[str] = frozenset({ForumRole.COORDINATOR, ForumRole.MEMBER})
    member_kinds: frozenset[str] = frozenset()  # empty: any
    entry: str = ""  # "own": the entry's organisation is the viewer's


_COORDINATORS = frozenset({ForumRole.COORDINATOR})
_RULES: dict[TrefasAction, _Rule] = {
    TrefasAction.VIEW: _Rule(Permission.TREFAS_VIEW, forum_roles=frozenset(ForumRole.values)),
    TrefasAction.NOMINATE: _Rule(Permission.TREFAS_LIST_MANAGE),
    TrefasAction.RATE: _Rule(Permission.TREFAS_LIST_MANAGE),
    TrefasAction.REMOVE: _Rule(Permission.TREFAS_LIST_MANAGE, entry="own_or_coordinator"),
    TrefasAction.PROPOSE_SHARE: _Rule(Permission.TREFAS_SHARE_PROPOSE),
    TrefasAction.REVIEW_SHARE: _Rule(
        Permission.TREFAS_SHARE_REVIEW, forum_roles=frozenset({ForumRole.JURIST}), entry="own"
    ),
    TrefasAction.WITHDRAW_SHARE: _Rule(Permission.TREFAS_SHARE_PROPOSE, entry="own"),
    TrefasAction.RUN_MEETINGS: _Rule(Permission.TREFAS_MEETING_MANAGE, forum_roles=_COORDINATORS),
    TrefasAction.DECIDE_ACTIONS: _Rule(Permission.TREFAS_MEETING_MANAGE, forum_roles=_COORDINATORS),
    TrefasAction.UPDATE_ACTION: _Rule(Permission.TREFAS_VIEW, entry="own"),
    TrefasAction.MANAGE_GROUPS: _Rule(
        Permission.TREFAS_LIST_MANAGE, member_kinds=frozenset({MemberKind.POLICE}), entry="own"
    ),
    TrefasAction.REGISTER_INCIDENT: _Rule(Permission.TREFAS_INCIDENT_MANAGE),
    TrefasAction.REGISTER_RELEASE: _Rule(Permission.TREFAS_RELEASE_MANAGE, member_kinds=KRIMINALVARDEN_KINDS),
    TrefasAction.START_EXIT: _Rule(Permission.TREFAS_LIST_MANAGE),
    TrefasAction.CANCEL_RELEASE: _Rule(
        Permission.TREFAS_RELEASE_MANAGE, member_kinds=KRIMINALVARDEN_KINDS, entry="own"
    ),
}
# Actions allowed when any one of these is (no single rule states "coordinator or KV").
_ANY_OF: dict[TrefasAction, tuple[TrefasAction, ...]] = {
    TrefasAction.PLAN_RELEASE: (TrefasAction.DECIDE_ACTIONS, TrefasAction.REGISTER_RELEASE),
}


def _entry_org(entry: Any) -> int | None:
    """The organisation an entry belongs to (share, action, listing, group, release...)."""
    for name in ("from_organisation_id", "organisation_id", "nominated_by_organisation_id",
                 "owner_organisation_id", "registered_by_organisation_id", "recorded_by_organisation_id"):
        value = getattr(entry, name, None)
        if value is not None:
            return int(value)
    return None


@dataclass(frozen=True)
class TrefasAccess:
    """One member's standing in one forum (built by trefas.selectors.forums)."""

    forum_id: int
    viewer_id: int
    viewer_org_id: int
    forum_role: str  # ForumRole
    member_kind: str  # MemberKind of the viewer's organisation in this forum
    permissions: frozenset[str]

    @property
    def forum_role_label(self) -> str:
        return str(ForumRole(self.forum_role).label)

    @property
    def is_coordinator(self) -> bool:
        return self.forum_role == ForumRole.COORDINATOR

    def may(self, action: TrefasAction | str, entry: Any = None) -> bool:
        action = TrefasAction(action)
        if action in _ANY_OF:
            return any(self.may(one, entry) for one in _ANY_OF[action])
        if action not in _RULES:
            return False  # not a forum action (fail closed)
        rule = _RULES[action]
        if rule.permission is not None and rule.permission not in self.permissions:
            return False
        if self.forum_role not in rule.forum_roles:
            return False
        if rule.member_kinds and self.member_kind not in rule.member_kinds:
            return False
        if entry is not None and rule.entry:
            own = _entry_org(entry) == self.viewer_org_id
            if rule.entry == "own" and not own:
                return False
            if rule.entry == "own_or_coordinator" and not (own or self.is_coordinator):
                return False
        return True

    def require(self, action: TrefasAction | str, entry: Any = None) -> None:
        if not self.may(action, entry):
            raise PermissionDenied

    def owns(self, entry: Any) -> bool:
        """The entry is the viewer's own organisation's record (a share, a group, ...)."""
        return _entry_org(entry) == self.viewer_org_id

    # --- What one sees --------------------------------------------------------------

    def shares_q(self, prefix: str = "") -> Q:
        """Shares this member may read, as a filter (``prefix`` for a related lookup)."""
        return Q(**{f"{prefix}from_organisation_id": self.viewer_org_id}) | Q(
            **{f"{prefix}state__in": list(VISIBLE_STATES), f"{prefix}recipients": self.viewer_org_id}
        )

    def groups_q(self, prefix: str = "") -> Q:
        """Groups this member may see: its own organisation's, and those an approved (or
        no-review) share about the group went to its organisation."""
        return Q(**{f"{prefix}owner_organisation_id": self.viewer_org_id}) | Q(
            **{f"{prefix}shares__state__in": list(VISIBLE_STATES), f"{prefix}shares__recipients": self.viewer_org_id}
        )

    def sees_source_reference(self, listing: Any) -> bool:
        return listing.nominated_by_organisation_id == self.viewer_org_id

    def sees_identity(self, listing: Any, person: Any) -> bool:
        """A protected identity's name only to the organisation whose record it is."""
        return not person.protected_identity or listing.nominated_by_organisation_id == self.viewer_org_id

    def sees_linked_person(self, link: Any) -> bool:
        """An incident link to someone not on the list is named only to its organisation."""
        return link.listing_id is not None or link.recorded_by_organisation_id == self.viewer_org_id

    def sees_exit_case(self, exit_link: Any) -> bool:
        """An exit's SIG case is the individual track's record: its link is offered only to
        the organisation that started it (the case itself answers to the case decision)."""
        return exit_link.case_id is not None and exit_link.created_by_organisation_id == self.viewer_org_id


def may_view_statistics(*, access: TrefasAccess | None, permissions: frozenset[str],
                        organisation_takes_part: bool) -> bool:
    """A forum's follow-up statistics (counts only, small numbers suppressed: followup):
    every member of the forum, and a manager (``organisation:statistics:view``) of an
    organisation that takes part in it. Nobody else, not even a system administrator."""
    if access is not None and access.may(TrefasAction.VIEW):
        return True
    return organisation_takes_part and Permission.STATISTICS_VIEW in permissions

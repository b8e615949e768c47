"""What can be done in a case, by name, and the shape of the object that decides it.

The decision itself (who may do which action in which case) is made by
``samverkan.caseaccess.CaseAccess``, which sits above this app because it is computed
from the team, emergency access, consent and disclosures. The services of this app and
of consent (both below that layer) receive the caller's CaseAccess and ask it through
the ``CaseGate`` protocol; they never restate the rule (docs/adr/0011-case-access-object.md).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from django.db.models import Q


class CaseAction(StrEnum):
    """Everything a team member may try in a case. ``caseaccess.CaseAccess.may`` holds
    the rule for each (permission, read-only roles, lead team, own entries)."""

    VIEW = "view"  # open the case and read what the sharing rule shows
    REMIND = "remind"  # own reminders on the case (team members; not emergency access)
    DECIDE = "decide"  # accept/decline the intake, close, legal hold (lead team)
    MANAGE_TEAM = "manage_team"  # add/remove members, change programme (lead coordinator)
    RECORD_FOLLOW_UP = "record_follow_up"  # 6- and 12-month follow-ups after closure (lead team)
    WRITE_NOTE = "write_note"  # journal notes; with an entry: correct an own organisation's note
    EDIT_PLAN = "edit_plan"  # goals and commitments; with an entry: the own organisation's
    ESTABLISH_PLAN = "establish_plan"  # the plan's summary and established versions (lead team)
    FOLLOW_UP = "follow_up"  # a commitment's status and note: recording organisation or responsible
    MANAGE_MEETING = "manage_meeting"  # meetings and minutes; with an entry: the own organisation's
    MANAGE_CONSENT = "manage_consent"  # consents and guardians (lead team)
    DISCLOSE = "disclose"  # record a statutory disclosure from the own organisation


class CaseGate(Protocol):
    """What the services and selectors below ``caseaccess`` may ask of the CaseAccess
    their caller hands them (structural: ``caseaccess.CaseAccess`` satisfies it)."""

    @property
    def case_id(self) -> int: ...

    @property
    def viewer_id(self) -> int: ...

    @property
    def viewer_org_id(self) -> int: ...

    @property
    def lead_org_id(self) -> int: ...

    @property
    def emergency(self) -> bool: ...

    @property
    def is_lead_team(self) -> bool: ...

    def may(self, action: CaseAction, entry: Any = None) -> bool: ...

    def require(self, action: CaseAction, entry: Any = None) -> None: ...

    def can_see(self, *, recording_org_id: int, category: str, created_at: datetime) -> bool: ...

    def items_q(
        self, *, org_field: str = ..., category_field: str = ..., created_field: str = ...
    ) -> Q: ...

    def sees_identity(self, *, protected: bool, opened_at: datetime) -> bool: ...

"""What every rostering service shares: the refusal exception and the permission checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from samverkan.access import policy
from samverkan.directory.services import StaleEdit
from samverkan.rostering.engine import model as em

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["RosterRefused", "StaleEdit"]


class RosterRefused(Exception):
    """A roster operation is not allowed in the roster's state; ``str()`` says why."""

    def __init__(self, message: str, violations: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


def _require_rosters(actor: User) -> None:
    if not policy.can_manage_rosters(actor=actor):
        raise PermissionDenied


def _require_experts_of(actor: User, agency_id: int) -> None:
    if not policy.can_manage_experts_of(actor=actor, agency_id=agency_id):
        raise PermissionDenied


def _violation_dicts(violations: Iterable[em.Violation]) -> list[dict[str, str]]:
    return [asdict(v) for v in violations]


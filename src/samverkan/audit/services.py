"""Writing the audit trail. Call ``record`` from services, inside their transaction.

``record`` joins the caller's transaction (atomic, savepoint-free when one is open), so
the audit row commits or rolls back together with the change it describes.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from django.db import transaction

from samverkan.audit.actions import Action
from samverkan.audit.chain import GENESIS_HASH, entry_hash
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.lib.request_context import current_request_id

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(value: str, limit: int) -> str:
    return _CONTROL.sub(" ", value)[:limit]


def _canonical_detail(detail: dict[str, Any] | None) -> str:
    if not detail:
        return ""
    for key, value in detail.items():
        if not isinstance(value, int | float | bool | type(None)) and not (
            isinstance(value, str) and len(value) <= 64
        ) and not isinstance(value, list):
            raise ValueError(f"audit detail {key!r} must be an identifier, count or short code")
    return _clean(json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=True), 4000)


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(id=1)
    return head


def record(
    *,
    action: Action | str,
    actor: Any = None,
    actor_id: int | None = None,
    actor_organisation_id: int | None = None,
    subject_type: str = "",
    subject_id: object = "",
    subject_organisation_id: int | None = None,
    purpose: str = "",
    legal_basis: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    ``actor`` is a User (or None for the system / anonymous); its id and organisation
    are stored, never its name. ``subject_*`` name the record concerned by type and id.
    ``detail`` carries identifiers and counts only — never personal data.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id = actor.pk
        actor_organisation_id = actor.organisation_id
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        seq = head.last_seq + 1
        fields = {
            "seq": seq,
            "ts": time.time_ns() // 1000,
            "actor_id": actor_id,
            "actor_organisation_id": actor_organisation_id,
            "action": _clean(str(action), 64),
            "subject_type": _clean(subject_type, 64),
            "subject_id": _clean(str(subject_id), 64),
            "subject_organisation_id": subject_organisation_id,
            "purpose": _clean(purpose, 500),
            "legal_basis": _clean(legal_basis, 100),
            "request_id": _clean(current_request_id() or "", 32),
            "detail": _canonical_detail(detail),
            "prev_hash": head.last_hash,
        }
        digest = entry_hash(**fields)  # type: ignore[arg-type]
        event = AuditEvent.objects.create(hash=digest, **fields)
        AuditChainHead.objects.filter(id=1).update(last_seq=seq, last_hash=digest)
    return event

"""Pure hash-chain arithmetic, shared by append and verify (no database access)."""

from __future__ import annotations

import hashlib

GENESIS_HASH = "0" * 64

# Field order is part of the format; changing it invalidates every existing chain.
FIELDS = (
    "seq",
    "ts",
    "actor_id",
    "actor_organisation_id",
    "action",
    "subject_type",
    "subject_id",
    "subject_organisation_id",
    "purpose",
    "legal_basis",
    "request_id",
    "detail",
    "prev_hash",
)


def _s(value: object) -> str:
    return "" if value is None else str(value)


def payload(
    seq: int,
    ts: int,
    actor_id: int | None,
    actor_organisation_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str,
    subject_organisation_id: int | None,
    purpose: str,
    legal_basis: str,
    request_id: str,
    detail: str,
    prev_hash: str,
) -> bytes:
    """The hashed bytes of one entry: the fields in FIELDS order, integers in decimal,
    NULL as the empty string, joined by the unit separator U+001F (services strip
    control characters from every text field, so it cannot occur inside one), UTF-8.

    verify.payload_sql builds the same bytes in SQL; tests/audit keep the two equal.
    """
    return "\x1f".join(
        (
            str(seq),
            str(ts),
            _s(actor_id),
            _s(actor_organisation_id),
            action,
            subject_type,
            subject_id,
            _s(subject_organisation_id),
            purpose,
            legal_basis,
            request_id,
            detail,
            prev_hash,
        )
    ).encode("utf-8")


def entry_hash(
    seq: int,
    ts: int,
    actor_id: int | None,
    actor_organisation_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str,
    subject_organisation_id: int | None,
    purpose: str,
    legal_basis: str,
    request_id: str,
    detail: str,
    prev_hash: str,
) -> str:
    """Hex SHA-256 of ``payload`` (the entry's ``hash`` column)."""
    return hashlib.sha256(
        payload(
            seq, ts, actor_id, actor_organisation_id, action, subject_type, subject_id,
            subject_organisation_id, purpose, legal_basis, request_id, detail, prev_hash,
        )
    ).hexdigest()

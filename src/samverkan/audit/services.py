"""Writing the audit trail. Call ``record`` from services, inside their transaction.

``record`` joins the caller's transaction (atomic, savepoint-free when one is open), so
the audit row commits or rolls back together with the change it describes.

Concurrency: every append locks the chain head row (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite the connection opens its transactions with ``BEGIN IMMEDIATE``,
which takes the database write lock up front), so sequence numbers are gap-free and
appends commit in sequence order.

Sealing: every entry and the head are sealed with the current AUDIT_KEYS key
(seal.py): one HMAC each, about a microsecond, so the database role alone cannot
produce an entry or head that verifies.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, transaction

from samverkan.audit import seal
from samverkan.audit.actions import Action
from samverkan.audit.chain import FIELDS, GENESIS_HASH, entry_hash
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.lib.request_context import current_request_id

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Values that look like a Swedish personal identity number (personnummer or
# samordningsnummer: 10 or 12 digits, optional separator, standing alone, so that UUIDs
# do not match) or an e-mail address.
_PERSONAL = re.compile(r"(?<![\w-])(\d{2})?\d{6}[-+]?\d{4}(?![\w-])|@")
MAX_DETAIL_STRING = 64
MAX_DETAIL_LIST = 1000  # e.g. the ids of the records a listing showed
MAX_DETAIL_CHARS = 16000


def _clean(value: str, limit: int) -> str:
    return _CONTROL.sub(" ", value)[:limit]


def looks_personal(text: str) -> bool:
    """Whether ``text`` holds something shaped like an identity number or an e-mail
    address (forms use it to refuse such text before it reaches the audit trail)."""
    return bool(_PERSONAL_ANYWHERE.search(text))


# Within free text (a stated purpose) an identity number may touch letters or
# punctuation, unlike in detail values, which are identifiers.
_PERSONAL_ANYWHERE = re.compile(r"(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)|[^\s@]+@[^\s@]+")


def _redact_free_text(value: str) -> str:
    """A stated purpose is free text; whatever in it is shaped like an identity number or
    an e-mail address is replaced before it is stored (forms refuse it first)."""
    return _PERSONAL_ANYWHERE.sub("[...]", value)


def _check_scalar(key: str, value: object) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"audit detail {key!r} must be a finite number")
        return
    if isinstance(value, str):
        if len(value) > MAX_DETAIL_STRING:
            raise ValueError(f"audit detail {key!r} is too long for an identifier or code")
        if _PERSONAL.search(value):
            raise ValueError(f"audit detail {key!r} looks like personal data")
        return
    raise ValueError(f"audit detail {key!r} must be an identifier, count or short code")


def _canonical_detail(detail: Mapping[str, Any] | None) -> str:
    """Canonical JSON of a flat mapping of identifiers, counts and short codes.

    Refuses (ValueError) anything that could carry personal data: nested objects, long
    strings, strings shaped like identity numbers or e-mail addresses, long lists.
    Never truncates, so stored detail is always valid JSON.
    """
    if not detail:
        return ""
    for key, value in detail.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise ValueError("audit detail keys must be short snake_case names")
        if isinstance(value, list | tuple):
            if len(value) > MAX_DETAIL_LIST:
                raise ValueError(f"audit detail {key!r} has too many items")
            for item in value:
                _check_scalar(key, item)
        else:
            _check_scalar(key, value)
    text = json.dumps(dict(detail), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    if len(text) > MAX_DETAIL_CHARS:
        raise ValueError("audit detail is too large")
    return text


def _int_or_none(value: int | None) -> int | None:
    return None if value is None else int(value)


def _fields(
    *,
    action: Action | str,
    actor_id: int | None,
    actor_organisation_id: int | None,
    subject_type: str,
    subject_id: object,
    subject_organisation_id: int | None,
    purpose: str,
    legal_basis: str,
    request_id: str,
    detail: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The stored, cleaned column values of one event (without seq, ts and the chain)."""
    return {
        "actor_id": _int_or_none(actor_id),
        "actor_organisation_id": _int_or_none(actor_organisation_id),
        "action": _clean(str(action), 64),
        "subject_type": _clean(subject_type, 64),
        "subject_id": _clean(str(subject_id), 64),
        "subject_organisation_id": _int_or_none(subject_organisation_id),
        "purpose": _clean(_redact_free_text(purpose), 500),
        "legal_basis": _clean(legal_basis, 100),
        "request_id": _clean(request_id, 32),
        "detail": _canonical_detail(detail),
    }


def _now_micros() -> int:
    return time.time_ns() // 1000


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the surrounding transaction ends."""
    head = AuditChainHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    # Only after a table flush (tests) or a fresh manual install: migration 0002 creates
    # the head. Concurrent callers serialise on the head's primary key: one inserts it,
    # the others wait for that insert and then read it (get_or_create), so a missing head
    # is created exactly once. Creating it at the genesis while events exist would fork
    # the chain, so refuse instead.
    key_id, mac = seal.keyring().seal(seal.head_message(0, GENESIS_HASH))
    head, created = AuditChainHead.objects.get_or_create(
        id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH, "key_id": key_id, "mac": mac}
    )
    if created and AuditEvent.objects.exists():
        raise RuntimeError("audit chain head is missing; run `samverkan audit verify`")
    return AuditChainHead.objects.select_for_update().get(id=1)


_qn = connection.ops.quote_name
_HEAD_TABLE = _qn(AuditChainHead._meta.db_table)
_COLUMNS = (*FIELDS, "hash", "key_id", "mac")
_INSERT_SQL = (
    f"INSERT INTO {_qn(AuditEvent._meta.db_table)} ({', '.join(_qn(c) for c in _COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
)
_HEAD_UPDATE_SQL = (
    f"UPDATE {_HEAD_TABLE} SET {_qn('last_seq')} = %s, {_qn('last_hash')} = %s, "  # noqa: S608
    f"{_qn('key_id')} = %s, {_qn('mac')} = %s WHERE {_qn('id')} = 1"
)


def _lock_head_row(cursor: Any) -> tuple[int, str]:
    """(last_seq, last_hash) of the chain head, locked until the transaction ends."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT {_qn('last_seq')}, {_qn('last_hash')} FROM {_HEAD_TABLE} WHERE {_qn('id')} = 1{lock}")  # noqa: S608
    row = cursor.fetchone()
    if row is None:
        head = _lock_head()  # re-creates a missing head (tests' table flushes) or refuses
        return head.last_seq, head.last_hash
    return int(row[0]), str(row[1])


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
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    ``actor`` is a User (or None for the system / anonymous); its id and organisation
    are stored, never its name. ``subject_*`` name the record concerned by type and id.
    ``detail`` carries identifiers and counts only — never personal data (ValueError).
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id = actor.pk
        actor_organisation_id = actor.organisation_id
    fields = _fields(
        action=action, actor_id=actor_id, actor_organisation_id=actor_organisation_id,
        subject_type=subject_type, subject_id=subject_id,
        subject_organisation_id=subject_organisation_id, purpose=purpose,
        legal_basis=legal_basis, request_id=current_request_id() or "", detail=detail,
    )
    ring = seal.keyring()  # before any write: no keys, no unsealed entry
    # Plain SQL: this runs on every page that shows personal data, and three
    # statements without the ORM's query building cost a fraction of the CPU.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        last_seq, last_hash = _lock_head_row(cursor)
        seq = last_seq + 1
        fields.update(seq=seq, ts=_now_micros(), prev_hash=last_hash)
        digest = entry_hash(**fields)
        key_id, mac = ring.seal(seal.entry_message(seq, digest))
        cursor.execute(_INSERT_SQL, [*(fields[name] for name in FIELDS), digest, key_id, mac])
        cursor.execute(_HEAD_UPDATE_SQL, [seq, digest, *ring.seal(seal.head_message(seq, digest))])
    event = AuditEvent(hash=digest, key_id=key_id, mac=mac, **fields)  # the stored row
    event._state.adding = False
    event._state.db = connection.alias
    return event


def record_case_event(
    action: Action | str,
    actor: Any,
    case: Any,
    detail: Mapping[str, Any] | None = None,
    *,
    purpose: str = "",
    legal_basis: str = "",
    subject_organisation_id: int | None = None,
) -> AuditEvent:
    """``record`` for something done in a case: the subject is the case (by its public
    id) and the organisation that holds the record concerned: the case's lead
    organisation unless ``subject_organisation_id`` names another (e.g. a journal note's
    recording organisation)."""
    return record(
        action=action,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=subject_organisation_id or case.lead_organisation_id,
        detail=detail,
        purpose=purpose,
        legal_basis=legal_basis,
    )


def bulk_append(events: Iterable[Mapping[str, Any]], *, batch_size: int = 10_000) -> int:
    """Append many events in one transaction; for maintenance and imports only.

    Meant for importing an older log or filling a benchmark database, never for
    request paths. Each mapping takes ``record``'s keyword arguments by their column
    names (``action`` required; ``actor_id``, ``actor_organisation_id``,
    ``subject_type``, ``subject_id``, ``subject_organisation_id``, ``purpose``,
    ``legal_basis``, ``request_id``, ``detail`` optional) plus an optional ``ts`` in
    microseconds since the epoch (default: now). Values are cleaned and checked exactly
    as in ``record`` and the rows extend the same hash chain, sealed like any other, so
    they verify like any other. The head stays locked until the transaction commits: ordinary appends wait.
    Rows go in with executemany (SQLite) or COPY (PostgreSQL), ``batch_size`` at a time.
    Returns the number of events appended.
    """
    columns = _COLUMNS
    ring = seal.keyring()
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    insert_sql = (
        f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    )
    copy_sql = f"COPY {table} ({column_sql}) FROM STDIN"
    count = 0
    # A savepoint: a refused event rolls back the whole import, not the caller's work.
    with transaction.atomic(), connection.cursor() as cursor:
        head = _lock_head()
        seq, prev = head.last_seq, head.last_hash
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            if not batch:
                return
            if connection.vendor == "postgresql":
                with cursor.copy(copy_sql) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cursor.executemany(insert_sql, batch)
            batch.clear()

        for event in events:
            fields = _fields(
                action=event["action"],
                actor_id=event.get("actor_id"),
                actor_organisation_id=event.get("actor_organisation_id"),
                subject_type=event.get("subject_type", ""),
                subject_id=event.get("subject_id", ""),
                subject_organisation_id=event.get("subject_organisation_id"),
                purpose=event.get("purpose", ""),
                legal_basis=event.get("legal_basis", ""),
                request_id=event.get("request_id", ""),
                detail=event.get("detail"),
            )
            seq += 1
            ts = event.get("ts")
            fields.update(seq=seq, ts=_now_micros() if ts is None else int(ts), prev_hash=prev)
            prev = entry_hash(**fields)
            batch.append((*(fields[name] for name in FIELDS), prev,
                          *ring.seal(seal.entry_message(seq, prev))))
            count += 1
            if len(batch) >= batch_size:
                flush()
        flush()
        if count:
            key_id, mac = ring.seal(seal.head_message(seq, prev))
            AuditChainHead.objects.filter(id=1).update(
                last_seq=seq, last_hash=prev, key_id=key_id, mac=mac
            )
            if connection.vendor == "postgresql":
                # Fresh planner statistics, so that verify's ordered batches use the
                # primary-key index right away instead of waiting for autovacuum.
                cursor.execute(f"ANALYZE {table}")
    return count

"""Appending to the audit chain: record(), bulk_append(), detail rules, transactions."""

from __future__ import annotations

import itertools
import json

import pytest
from django.db import connection, transaction

from samverkan.audit import services
from samverkan.audit.actions import Action
from samverkan.audit.chain import GENESIS_HASH, entry_hash, payload
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.audit.verify import payload_sql, verify_chain
from samverkan.lib.request_context import set_request_id
from tests.audit.conftest import TABLE, append, raw

pytestmark = pytest.mark.django_db


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.get(id=1)
    return head.last_seq, head.last_hash


def _stored_fields(event: AuditEvent) -> dict:
    return {
        name: getattr(event, name)
        for name in (
            "seq", "ts", "actor_id", "actor_organisation_id", "action", "subject_type",
            "subject_id", "subject_organisation_id", "purpose", "legal_basis", "request_id",
            "detail", "prev_hash",
        )
    }


def test_append_builds_a_valid_chain():
    start_seq, start_hash = _head()
    events = append(5)
    assert [e.seq for e in events] == list(range(start_seq + 1, start_seq + 6))
    assert events[0].prev_hash == start_hash
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    for event in events:
        stored = AuditEvent.objects.get(seq=event.seq)
        assert stored.hash == entry_hash(**_stored_fields(stored))
    assert _head() == (events[-1].seq, events[-1].hash)
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked == AuditEvent.objects.count()
    assert result.last_seq == events[-1].seq


def test_empty_chain_verifies_and_head_starts_at_genesis():
    if AuditEvent.objects.exists():
        pytest.skip("migrations recorded events")
    assert _head() == (0, GENESIS_HASH)
    result = verify_chain()
    assert result.ok and result.checked == 0


def test_record_stores_actor_ids_and_request_id_not_names(user_factory):
    user = user_factory(roles=["caseworker"])
    token = set_request_id("a" * 32)
    try:
        event = services.record(action=Action.USER_UPDATED, actor=user, subject_type="user",
                                subject_id=user.pk, subject_organisation_id=user.organisation_id)
    finally:
        set_request_id(None, token=token)
    assert (event.actor_id, event.actor_organisation_id) == (user.pk, user.organisation_id)
    assert event.request_id == "a" * 32
    row = " ".join(str(v) for v in AuditEvent.objects.filter(seq=event.seq).values().get().values())
    assert user.username not in row and user.last_name not in row


def test_record_in_a_rolled_back_transaction_leaves_no_row_and_head_unchanged():
    append(2)
    head_before = _head()
    count_before = AuditEvent.objects.count()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        event = services.record(action=Action.USER_CREATED, subject_type="user", subject_id=1)
        assert AuditEvent.objects.filter(seq=event.seq).exists()
        raise Boom
    assert AuditEvent.objects.count() == count_before
    assert _head() == head_before
    # The next append continues the chain where it was.
    nxt = services.record(action=Action.USER_CREATED, subject_type="user", subject_id=1)
    assert (nxt.seq, nxt.prev_hash) == (head_before[0] + 1, head_before[1])
    assert verify_chain().ok


def test_record_inside_callers_transaction_commits_with_it():
    head_before = _head()
    with transaction.atomic():
        event = services.record(action=Action.USER_CREATED, subject_type="user", subject_id=7)
    assert _head() == (event.seq, event.hash)
    assert event.seq == head_before[0] + 1


@pytest.mark.parametrize(
    "detail",
    [
        {"note": "x" * 65},  # long free text
        {"name": "Anna Andersson lives at Storgatan 1, 123 45 Stockholm, phone 070-1234567"},
        {"pnr": "19800101-1234"},  # identity-number shaped
        {"pnr": "800101-1234"},
        {"pnr": "198001011234"},
        {"email": "anna@example.se"},
        {"nested": {"a": 1}},  # objects could carry anything
        {"items": ["ok", "y" * 100]},  # long strings hidden in a list
        {"items": list(range(1001))},  # too many
        {"items": [f"{i:040d}" for i in range(500)]},  # too large in all
        {"Bad Key": 1},
        {"k" * 41: 1},
        {"ratio": float("nan")},
        {"blob": b"bytes"},
    ],
)
def test_detail_refuses_personal_data_like_values(detail):
    head_before = _head()
    with pytest.raises(ValueError):
        services.record(action=Action.USER_UPDATED, detail=detail)
    assert _head() == head_before


def test_detail_accepts_identifiers_counts_and_short_codes():
    detail = {"checked": 10, "problems": 0, "kind": "audit.verify", "roles": ["caseworker", "dpo"],
              "ratio": 0.5, "flag": True, "none": None, "list_year": 2023, "big_id": 198001011234,
              "meeting": "12345678-1234-5678-9012-123456789012", "notes": list(range(1000)),
              "date": "2025-03-01", "when": "2025-03-01T10:00:00"}
    event = services.record(action=Action.USER_UPDATED, detail=detail)
    assert json.loads(event.detail) == detail
    assert event.detail == json.dumps(detail, sort_keys=True, separators=(",", ":"))


def test_control_characters_and_overlong_fields_are_cleaned():
    event = services.record(action=Action.USER_UPDATED, subject_type="us\x1fer\n",
                            subject_id="1\x002", purpose="p" * 600, legal_basis="OSL\t10:2")
    assert event.subject_type == "us er "
    assert event.subject_id == "1 2"
    assert len(event.purpose) == 500
    assert event.legal_basis == "OSL 10:2"
    assert verify_chain().ok


def test_payload_sql_equals_chain_payload_for_edge_values():
    """verify.py builds the hashed text in SQL; it must equal chain.payload byte for byte."""
    events = [
        services.record(action=Action.USER_UPDATED),  # NULL ids, empty strings
        services.record(action=Action.USER_UPDATED, actor_id=2**62, actor_organisation_id=0,
                        subject_type="åäö", subject_id="ÅÄÖ-ü-€-𝄞-日本", subject_organisation_id=9,
                        purpose="Utredning enligt SoL 11 kap. 1 § — 'citat' \"dubbel\" 100% %s %%",
                        legal_basis="OSL 26:1", detail={"roles": ["a", "b"], "n": -3}),
    ]
    sql = f"SELECT {payload_sql(connection.vendor)} FROM {TABLE} WHERE seq = %s"
    for event in events:
        (text,), = raw(sql, [event.seq])
        assert text.encode() == payload(**_stored_fields(event))
    assert verify_chain().ok


def test_bulk_append_extends_the_same_chain():
    append(3)
    n = services.bulk_append(
        [{"action": Action.USER_UPDATED, "actor_id": i, "subject_type": "user", "subject_id": i,
          "detail": {"rows": i}, "ts": 1_700_000_000_000_000 + i} for i in range(25)],
        batch_size=10,
    )
    assert n == 25
    after = append(2)
    result = verify_chain()
    assert result.ok, result.problems
    assert _head() == (after[-1].seq, after[-1].hash)
    assert AuditEvent.objects.filter(action=Action.USER_UPDATED, ts=1_700_000_000_000_024).exists()


def test_bulk_append_validates_like_record():
    head_before = _head()
    with pytest.raises(ValueError):
        services.bulk_append([{"action": Action.USER_UPDATED, "detail": {"email": "a@b.se"}}])
    assert _head() == head_before
    assert services.bulk_append([]) == 0
    assert _head() == head_before


def test_record_refuses_to_restart_a_chain_whose_head_is_missing(unguarded):
    append(1)
    raw("DELETE FROM audit_auditchainhead")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record(action=Action.USER_UPDATED)
    assert not AuditChainHead.objects.exists()


def test_record_recreates_the_head_of_an_empty_table(unguarded):
    raw(f"DELETE FROM {TABLE}")
    raw("DELETE FROM audit_auditchainhead")
    event = services.record(action=Action.USER_UPDATED)
    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
    assert verify_chain().ok


def test_sqlite_connections_begin_immediate():
    """On SQLite the head lock is the database write lock taken at BEGIN IMMEDIATE."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"


def test_head_is_locked_for_update_on_postgresql():
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        services.record(action=Action.USER_UPDATED)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in sql
    assert len([q for q in ctx.captured_queries if "audit_" in q["sql"]]) == 3

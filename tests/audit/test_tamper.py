"""Tampering with the audit trail by raw SQL, and what verification reports.

Runs on whichever database DATABASE_URL names (SQLite in memory by default, PostgreSQL
in CI). Each test lifts the append-only triggers first (as a database owner could) and
puts them back afterwards; the hash chain must still reveal the change.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from samverkan.audit import guard, services
from samverkan.audit.actions import Action
from samverkan.audit.chain import entry_hash
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.audit.verify import verify_chain
from tests.audit.conftest import HEAD, TABLE, raw, row_of

pytestmark = pytest.mark.django_db

COLUMNS = (
    "ts", "actor_id", "actor_organisation_id", "action", "subject_type", "subject_id",
    "subject_organisation_id", "purpose", "legal_basis", "request_id", "detail", "prev_hash", "hash",
)


def kinds(result) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in result.problems]


def insert_row(values: dict) -> None:
    names = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    raw(f"INSERT INTO {TABLE} ({names}) VALUES ({marks})", list(values.values()))


def rehash(values: dict) -> str:
    return entry_hash(**{k: v for k, v in values.items() if k not in ("hash", "key_id", "mac")})


def test_intact_chain_has_no_problems(chain):
    result = verify_chain()
    assert result.ok and result.complete
    assert result.checked == len(chain)
    assert (result.head_seq, result.head_hash) == (chain[-1].seq, chain[-1].hash)


def test_modified_entry(chain, unguarded):
    target = chain[3].seq
    raw(f"UPDATE {TABLE} SET subject_id = %s WHERE seq = %s", ["999999", target])
    result = verify_chain()
    assert kinds(result) == [(target, "modified")]
    assert str(target) in result.problems[0].message


@pytest.mark.parametrize("column, value", [
    ("ts", 1), ("actor_id", None), ("actor_organisation_id", 77), ("action", "auth.login"),
    ("purpose", "x"), ("detail", "{}"), ("request_id", "f" * 32), ("prev_hash", "0" * 64),
])
def test_every_field_is_covered_by_the_hash(chain, unguarded, column, value):
    target = chain[2].seq
    raw(f"UPDATE {TABLE} SET {column} = %s WHERE seq = %s", [value, target])
    assert (target, "modified") in kinds(verify_chain())


def test_modified_entry_with_recomputed_hash_breaks_the_link_to_the_next(chain, unguarded):
    target = chain[3].seq
    values = row_of(target)
    values["subject_id"] = "999999"
    values["hash"] = rehash(values)
    raw(f"UPDATE {TABLE} SET subject_id = %s, hash = %s WHERE seq = %s",
        [values["subject_id"], values["hash"], target])
    # The recomputed hash carries no seal under the key; the next entry no longer links.
    assert kinds(verify_chain()) == [(target, "seal_mismatch"), (target + 1, "inserted")]


def test_deleted_entry_in_the_middle(chain, unguarded):
    target = chain[4].seq
    raw(f"DELETE FROM {TABLE} WHERE seq = %s", [target])
    result = verify_chain()
    assert kinds(result) == [(target, "deleted")]
    assert str(target) in result.problems[0].message


def test_several_deleted_entries_are_one_gap(chain, unguarded):
    raw(f"DELETE FROM {TABLE} WHERE seq IN (%s, %s, %s)", [chain[2].seq, chain[3].seq, chain[4].seq])
    result = verify_chain()
    assert kinds(result) == [(chain[2].seq, "deleted")]
    assert f"{chain[2].seq}–{chain[4].seq}" in result.problems[0].message


def test_deleted_tail_is_truncation(chain, unguarded):
    raw(f"DELETE FROM {TABLE} WHERE seq >= %s", [chain[-2].seq])
    result = verify_chain()
    assert kinds(result) == [(chain[-2].seq, "truncated")]


def test_everything_deleted_is_truncation(chain, unguarded):
    raw(f"DELETE FROM {TABLE}")
    assert kinds(verify_chain()) == [(1, "truncated")]


def test_inserted_entry_at_the_end_outside_the_service(chain, unguarded):
    last = row_of(chain[-1].seq)
    forged = dict(last, seq=last["seq"] + 1, subject_id="forged", prev_hash=last["hash"])
    forged["hash"] = rehash(forged)
    insert_row(forged)
    result = verify_chain()
    assert kinds(result) == [(forged["seq"], "seal_mismatch"), (forged["seq"], "inserted")]


def test_inserted_entry_in_place_of_a_deleted_one(chain, unguarded):
    target = chain[4].seq
    original = row_of(target)
    raw(f"DELETE FROM {TABLE} WHERE seq = %s", [target])
    forged = dict(original, subject_id="forged", prev_hash="a" * 64)
    forged["hash"] = rehash(forged)
    insert_row(forged)
    result = verify_chain()
    assert (target, "inserted") in kinds(result) and (target, "seal_mismatch") in kinds(result)
    assert {kind for _, kind in kinds(result)} == {"inserted", "seal_mismatch"}


def test_inserted_entry_before_the_start(chain, unguarded):
    first = row_of(chain[0].seq)
    forged = dict(first, seq=0, subject_id="forged")
    forged["hash"] = rehash(forged)
    insert_row(forged)
    assert kinds(verify_chain()) == [(0, "inserted")]  # outside the chain: not walked further


def test_reordered_entries_swapped_contents(chain, unguarded):
    a, b = chain[2].seq, chain[5].seq
    row_a, row_b = row_of(a), row_of(b)
    assignments = ", ".join(f"{c} = %s" for c in COLUMNS)
    raw(f"UPDATE {TABLE} SET {assignments} WHERE seq = %s", [row_b[c] for c in COLUMNS] + [a])
    raw(f"UPDATE {TABLE} SET {assignments} WHERE seq = %s", [row_a[c] for c in COLUMNS] + [b])
    result = verify_chain()
    assert kinds(result) == [(a, "reordered"), (b, "reordered")]
    assert f"entry {a} holds the contents of entry {b}" in result.problems[0].message


def test_reordered_entries_swapped_sequence_numbers(chain, unguarded):
    a, b = chain[1].seq, chain[2].seq
    raw(f"UPDATE {TABLE} SET seq = -1 WHERE seq = %s", [a])
    raw(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [a, b])
    raw(f"UPDATE {TABLE} SET seq = %s WHERE seq = -1", [b])
    assert kinds(verify_chain()) == [(a, "reordered"), (b, "reordered")]


def test_head_mismatch(chain, unguarded):
    raw(f"UPDATE {HEAD} SET last_hash = %s", ["f" * 64])
    assert kinds(verify_chain()) == [(chain[-1].seq, "head_mismatch")]


def test_head_moved_back_reveals_entries_after_it(chain, unguarded):
    raw(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s", [chain[-3].seq, chain[-3].hash])
    # Moved without the key: the head's seal is for another position.
    assert kinds(verify_chain()) == [(chain[-3].seq, "head_mismatch"), (chain[-2].seq, "inserted")]


def test_head_moved_back_with_a_saved_head_row_reveals_entries_after_it(chain, unguarded):
    saved = raw(f"SELECT last_seq, last_hash, key_id, mac FROM {HEAD}")[0]
    services.record(action=Action.USER_UPDATED)
    raw(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s, key_id = %s, mac = %s", list(saved))
    assert kinds(verify_chain()) == [(chain[-1].seq + 1, "inserted")]


def test_head_missing(chain, unguarded):
    raw(f"DELETE FROM {HEAD}")
    assert kinds(verify_chain()) == [(chain[-1].seq, "head_mismatch")]


def test_full_rewrite_is_caught_by_the_seals_and_an_external_anchor(chain, unguarded):
    """Someone who rewrites an entry, every later entry and the head leaves a chain
    that is consistent in itself, but cannot seal it without the key; the head stored
    outside (``audit head``) shows it too."""
    anchor = (chain[-1].seq, chain[-1].hash)
    assert verify_chain(anchors=[anchor]).ok
    prev = None
    for event in chain[3:]:
        values = row_of(event.seq)
        if prev is None:
            values["subject_id"] = "rewritten"
        else:
            values["prev_hash"] = prev
        values["hash"] = prev = rehash(values)
        raw(f"UPDATE {TABLE} SET subject_id = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [values["subject_id"], values["prev_hash"], values["hash"], event.seq])
    raw(f"UPDATE {HEAD} SET last_hash = %s", [prev])
    rewritten = [(event.seq, "seal_mismatch") for event in chain[3:]]
    head = [(chain[-1].seq, "head_mismatch")]
    assert kinds(verify_chain()) == rewritten + head
    result = verify_chain(anchors=[anchor])
    assert kinds(result) == rewritten + head + [(anchor[0], "anchor_mismatch")]


def test_verification_stops_at_max_problems(chain, unguarded):
    raw(f"UPDATE {TABLE} SET subject_id = 'x' WHERE seq >= %s", [chain[1].seq])
    result = verify_chain(max_problems=3, batch_size=2)
    assert len(result.problems) == 3 and not result.complete
    assert result.checked == 4  # rows 1..4 walked, the 3rd modified one stopped it


def test_small_batches_find_the_same_problems(chain, unguarded):
    raw(f"DELETE FROM {TABLE} WHERE seq = %s", [chain[2].seq])
    raw(f"UPDATE {TABLE} SET action = 'x' WHERE seq = %s", [chain[5].seq])
    assert kinds(verify_chain(batch_size=1)) == kinds(verify_chain()) == [
        (chain[2].seq, "deleted"), (chain[5].seq, "modified")]


def test_entries_appended_during_verification_are_not_reported(chain):
    """The head is read before the walk; entries appended meanwhile are legitimate."""
    appended = []

    def progress(done: int, total: int) -> None:
        if len(appended) < 3:
            appended.append(services.record(action=Action.USER_UPDATED, subject_id=done))

    result = verify_chain(progress=progress, batch_size=3)
    assert appended and result.ok, result.problems
    assert result.checked == AuditEvent.objects.count()


def test_guard_refuses_update_and_delete(chain):
    target = chain[2].seq
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"UPDATE {TABLE} SET action = 'x' WHERE seq = %s", [target])
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE seq = %s", [target])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=target).update(action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=target).delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            raw(f"TRUNCATE {TABLE}")
    assert row_of(target)["action"] == chain[2].action
    assert verify_chain().ok


def test_guard_can_be_lifted_and_reinstalled(chain):
    target = chain[2].seq
    guard.remove(connection)
    guard.remove(connection)  # idempotent
    raw(f"UPDATE {TABLE} SET action = 'x' WHERE seq = %s", [target])
    guard.install(connection)
    guard.install(connection)  # idempotent
    with pytest.raises(DatabaseError), transaction.atomic():
        raw(f"DELETE FROM {TABLE} WHERE seq = %s", [target])
    assert kinds(verify_chain()) == [(target, "modified")]


def test_head_record_is_the_only_writable_audit_state(chain):
    # Appends must update the head even with the guard in place.
    services.record(action=Action.USER_UPDATED)
    assert AuditChainHead.objects.get(id=1).last_seq == chain[-1].seq + 1

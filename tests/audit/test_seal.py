"""Keyed seals on the audit chain: what someone with write access to the database but
without AUDIT_KEYS cannot fake (docs/adr/0009). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from samverkan.audit import guard, seal, services
from samverkan.audit.actions import Action
from samverkan.audit.chain import entry_hash
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.audit.verify import verify_chain
from tests.audit.conftest import HEAD, TABLE, append, raw, row_of
from tests.audit.test_command import run

pytestmark = pytest.mark.django_db

OLD = ("old", b"o" * 32)
NEW = ("new", b"n" * 32)


def kinds(result) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in result.problems]


def rehash(values: dict) -> str:
    return entry_hash(**{k: v for k, v in values.items() if k not in ("hash", "key_id", "mac")})


def disable_triggers() -> None:
    """What the tester did as the table's owner (SQLite has no DISABLE: drop them)."""
    if connection.vendor == "postgresql":
        raw(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
    else:
        guard.remove(connection)


def enable_triggers() -> None:
    if connection.vendor == "postgresql":
        raw(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
    else:
        guard.install(connection)


def rewrite_tail(first: int, *, subject_id: str = "rewritten") -> list[int]:
    """The attack from the issue, done exactly as someone without the key would: change
    an entry, recompute its hash, every later hash and link, and the chain head."""
    seqs = [seq for (seq,) in raw(f"SELECT seq FROM {TABLE} WHERE seq >= %s ORDER BY seq", [first])]
    prev = None
    for seq in seqs:
        values = row_of(seq)
        if prev is None:
            values["subject_id"] = subject_id
        else:
            values["prev_hash"] = prev
        values["hash"] = prev = rehash(values)
        raw(f"UPDATE {TABLE} SET subject_id = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [values["subject_id"], values["prev_hash"], values["hash"], seq])
    raw(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s", [seqs[-1], prev])
    return seqs


def test_every_entry_and_the_head_are_sealed_with_the_current_key(chain):
    ring = seal.keyring()
    for event in AuditEvent.objects.all():
        assert event.key_id == "test"
        assert ring.valid(event.key_id, event.mac, seal.entry_message(event.seq, event.hash))
    head = AuditChainHead.objects.get()
    assert ring.valid(head.key_id, head.mac, seal.head_message(head.last_seq, head.last_hash))
    assert chain[-1].mac == row_of(chain[-1].seq)["mac"]  # record() returns the stored seal


def test_bulk_append_seals_like_record(db):
    services.bulk_append([{"action": Action.USER_UPDATED, "subject_id": n} for n in range(5)])
    assert AuditEvent.objects.filter(key_id="test").exclude(mac="").count() == AuditEvent.objects.count()
    assert verify_chain().ok


@pytest.mark.parametrize("length", [32, 48, 63, 64, 65, 200])
def test_the_precomputed_hmac_is_hmac_sha256(length):
    import hmac
    import os

    key = os.urandom(length)
    for message in (b"", seal.entry_message(7, "f" * 64), os.urandom(300)):
        assert seal.SealKey(key).mac(message) == hmac.digest(key, message, "sha256").hex() == seal.mac(key, message)


def test_seals_are_domain_separated():
    """An entry's seal is no head's or checkpoint's seal for the same values."""
    messages = {seal.entry_message(5, "a" * 64), seal.head_message(5, "a" * 64),
                seal.checkpoint_message(5, "a" * 64, "2026-01-01T00:00:00Z")}
    assert len({seal.mac(b"k" * 32, m) for m in messages}) == 3


def test_tail_rewrite_with_recomputed_hashes_and_head_makes_verify_exit_1(chain):
    """The tester's attack: triggers off, the newest rows rewritten with recomputed hashes,
    links and chain head, triggers on. Without the key the seals give it away."""
    disable_triggers()
    rewritten = rewrite_tail(chain[-3].seq)
    enable_triggers()
    code, out, _err = run("verify")
    assert code == 1
    lines = out.splitlines()
    for seq in rewritten:
        assert f"#{seq}\tseal_mismatch\tentry {seq} does not match its seal (written or rewritten without the key)" in lines
    assert f"#{rewritten[-1]}\thead_mismatch\tthe chain head (entry {rewritten[-1]}) carries no valid seal: it was written without the key" in lines


def test_copying_a_seal_from_another_entry_does_not_help(chain, unguarded):
    target = chain[4].seq
    other = row_of(chain[5].seq)
    raw(f"UPDATE {TABLE} SET key_id = %s, mac = %s WHERE seq = %s", [other["key_id"], other["mac"], target])
    assert kinds(verify_chain()) == [(target, "seal_mismatch")]


def test_an_entry_without_a_seal_is_reported(chain, unguarded):
    target = chain[2].seq
    raw(f"UPDATE {TABLE} SET key_id = '', mac = '' WHERE seq = %s", [target])
    result = verify_chain()
    assert kinds(result) == [(target, "unsealed")]
    assert result.problems[0].message == f"entry {target} carries no seal"


def test_a_forged_head_is_reported(chain, unguarded):
    raw(f"UPDATE {HEAD} SET mac = %s", ["0" * 64])
    assert kinds(verify_chain()) == [(chain[-1].seq, "head_mismatch")]


def test_rotation_old_entries_verify_while_their_key_is_listed(db, settings):
    test_key = settings.AUDIT_KEYS[0]  # rows written before this test (if any)
    settings.AUDIT_KEYS = [OLD, test_key]
    before = append(3)
    assert {e.key_id for e in before} == {"old"}
    settings.AUDIT_KEYS = [NEW, OLD, test_key]  # rotated: new entries under "new"
    after = append(3)
    assert {e.key_id for e in after} == {"new"}
    assert AuditChainHead.objects.get().key_id == "new"
    assert verify_chain().ok
    settings.AUDIT_KEYS = [NEW, test_key]  # "old" dropped too early
    result = verify_chain()
    assert kinds(result) == [(e.seq, "seal_mismatch") for e in before]
    assert result.problems[0].message == f"entry {before[0].seq} is sealed with key old, which is not in AUDIT_KEYS"


def test_another_key_with_the_same_id_does_not_verify(chain, settings):
    settings.AUDIT_KEYS = [("test", b"x" * 32)]
    result = verify_chain()
    assert {kind for _seq, kind in kinds(result)} == {"seal_mismatch", "head_mismatch"}


def test_no_keys_means_no_append(db, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_KEYS = []
    count = AuditEvent.objects.count()
    with pytest.raises(ImproperlyConfigured):
        services.record(action=Action.USER_UPDATED)
    assert AuditEvent.objects.count() == count


def test_the_migration_seals_rows_written_before_seals_existed(chain, unguarded):
    """Rows from before the upgrade (no key id, no mac) verify after migration 0003."""
    raw(f"UPDATE {TABLE} SET key_id = '', mac = ''")
    raw(f"UPDATE {HEAD} SET key_id = '', mac = ''")
    assert {kind for _seq, kind in kinds(verify_chain())} == {"unsealed", "head_mismatch"}
    migration = importlib.import_module("samverkan.audit.migrations.0003_seals")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.seal_existing(None, editor)
    assert verify_chain().ok

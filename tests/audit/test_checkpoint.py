"""Signed checkpoints of the chain head outside the database: written by `audit
checkpoint`, `audit head`, the scheduler and the verification job; checked by `audit
verify` (docs/adr/0009)."""

from __future__ import annotations

import json
import logging
import os
import stat
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from samverkan.audit import checkpoint, seal, services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditChainHead
from samverkan.audit.verify import verify_chain
from tests.audit.conftest import HEAD, TABLE, raw
from tests.audit.test_command import run

pytestmark = pytest.mark.django_db


def kinds(result) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in result.problems]


def lines(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def test_checkpoint_command_appends_a_sealed_line_and_logs_it(chain, settings, caplog):
    with caplog.at_level(logging.INFO, logger="samverkan.audit.checkpoint"):
        code, out, _err = run("checkpoint")
        assert code == 0
        services.record(action=Action.USER_UPDATED)
        run("checkpoint")
    written = lines(settings.AUDIT_CHECKPOINT_FILE)
    assert [c["seq"] for c in written] == [chain[-1].seq, chain[-1].seq + 1]
    assert written[0]["hash"] == chain[-1].hash and written[0]["key_id"] == "test"
    assert json.loads(out) == written[0]
    assert set(written[0]) == {"seq", "hash", "ts", "key_id", "mac"}
    assert stat.S_IMODE(os.stat(settings.AUDIT_CHECKPOINT_FILE).st_mode) == 0o600
    logged = [r.getMessage() for r in caplog.records if r.name == "samverkan.audit.checkpoint"]
    assert len(logged) == 2 and json.dumps(written[0], separators=(",", ":")) in logged[0]
    code, out, _err = run("verify")
    assert code == 0, out


def test_head_command_also_checkpoints(chain, settings):
    code, out, _err = run("head")
    assert code == 0 and out.strip() == f"{chain[-1].seq} {chain[-1].hash}"
    assert lines(settings.AUDIT_CHECKPOINT_FILE)[0]["seq"] == chain[-1].seq


def test_unwritable_checkpoint_file_exits_1(chain, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "missing-dir" / "checkpoints.log")
    code, _out, _err = run("checkpoint")
    assert code == 1


def test_truncation_with_a_restored_old_head_is_caught_by_a_checkpoint(chain, settings, unguarded):
    """Someone who kept a copy of an older head row deletes the newer entries and puts the
    old head back: every remaining entry and the head carry valid seals. Only the
    checkpoint written outside the database shows that entries existed after it."""
    kept = chain[3].seq
    raw(f"DELETE FROM {TABLE} WHERE seq > %s", [kept])
    # The head row as the audit service wrote it when entry `kept` was the newest: a
    # copy the attacker saved then (the runtime role may read the head).
    key_id, mac = seal.keyring().seal(seal.head_message(kept, chain[3].hash))
    raw(f"UPDATE {HEAD} SET last_seq = %s, last_hash = %s, key_id = %s, mac = %s",
        [kept, chain[3].hash, key_id, mac])
    assert verify_chain().ok  # consistent in itself, seals included
    # ... but an hour earlier the scheduler had checkpointed the head at chain[-1]:
    checkpoint.append(checkpoint.make(seq=chain[-1].seq, digest=chain[-1].hash))
    code, out, _err = run("verify")
    assert code == 1
    assert f"#{chain[-1].seq}\tcheckpoint_mismatch\tentry {chain[-1].seq} no longer matches the checkpoint of " in out
    assert f"#{kept + 1}\ttruncated\tthe chain head #{kept} is behind the checkpoint of " in out


def test_a_changed_hash_of_a_checkpointed_entry_is_caught(chain, settings, unguarded):
    run("checkpoint")
    raw(f"UPDATE {TABLE} SET hash = %s WHERE seq = %s", ["a" * 64, chain[-1].seq])
    result = verify_chain(checkpoints=checkpoint.load(settings.AUDIT_CHECKPOINT_FILE))
    assert (chain[-1].seq, "checkpoint_mismatch") in kinds(result)


def test_a_forged_checkpoint_line_is_reported(chain, settings):
    run("checkpoint")
    good = lines(settings.AUDIT_CHECKPOINT_FILE)[0]
    forged = dict(good, seq=good["seq"] + 100)  # someone claiming a longer chain
    unknown = dict(good, key_id="nosuchkey")
    with open(settings.AUDIT_CHECKPOINT_FILE, "a") as handle:
        handle.write(json.dumps(forged) + "\n")
        handle.write(json.dumps(unknown) + "\n")
        handle.write("not json\n")
        handle.write(json.dumps(dict(good, hash="xyz")) + "\n")
    result = verify_chain(checkpoints=checkpoint.load(settings.AUDIT_CHECKPOINT_FILE))
    assert kinds(result) == [(0, "checkpoint_forged"), (0, "checkpoint_forged"),
                             (forged["seq"], "checkpoint_forged"), (good["seq"], "checkpoint_forged")]
    messages = [p.message for p in result.problems]
    assert messages[0] == "checkpoint line 4 is malformed"
    assert messages[2] == f"checkpoint line 2 (entry {forged['seq']}) carries no valid seal"
    code, _out, _err = run("verify")
    assert code == 1


def test_checkpoints_under_a_rotated_key_still_verify(chain, settings):
    test_key = settings.AUDIT_KEYS[0]
    settings.AUDIT_KEYS = [("old", b"o" * 32), test_key]
    run("checkpoint")
    settings.AUDIT_KEYS = [("new", b"n" * 32), ("old", b"o" * 32), test_key]
    run("checkpoint")
    assert [c["key_id"] for c in lines(settings.AUDIT_CHECKPOINT_FILE)] == ["old", "new"]
    assert run("verify")[0] == 0
    settings.AUDIT_KEYS = [("new", b"n" * 32), test_key]
    result = verify_chain(checkpoints=checkpoint.load(settings.AUDIT_CHECKPOINT_FILE))
    assert kinds(result) == [(chain[-1].seq, "checkpoint_forged")]


def test_verify_reads_a_copy_given_on_the_command_line(chain, settings, tmp_path):
    run("checkpoint")
    copy = tmp_path / "copy.log"
    copy.write_text(Path(settings.AUDIT_CHECKPOINT_FILE).read_text())
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "elsewhere.log")
    code, out, _err = run("verify", "--checkpoints", str(copy))
    assert code == 0, out
    assert run("verify", "--checkpoints", str(tmp_path / "nope.log"))[0] == 2


def test_missing_default_file_is_noted_not_failed(chain, settings):
    code, out, _err = run("verify")
    assert code == 0 and "No checkpoint file yet at" in out


def test_the_verification_job_checks_and_writes_a_checkpoint(user_factory, chain, settings):
    from samverkan.jobs import services as jobs

    run("checkpoint")
    user = user_factory(roles=["system_auditor"])
    job = jobs.job_start(actor=user, kind="audit.verify")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["ok"] is True and job.result["checkpoints_checked"] == 1
    written = lines(settings.AUDIT_CHECKPOINT_FILE)
    assert len(written) == 2 and job.result["checkpoint"]["seq"] == written[1]["seq"]
    assert written[1]["seq"] == AuditChainHead.objects.get().last_seq


def test_the_verification_job_reports_a_forged_checkpoint(user_factory, chain, settings):
    from samverkan.jobs import services as jobs

    Path(settings.AUDIT_CHECKPOINT_FILE).write_text("garbage\n")
    job = jobs.job_start(actor=user_factory(roles=["system_auditor"]), kind="audit.verify")
    job.refresh_from_db()
    assert job.result["ok"] is False
    assert job.result["problems"][0]["kind"] == "checkpoint_forged"


def test_the_scheduler_checkpoints_hourly(chain, settings):
    from samverkan.jobs import schedule

    entry = next(e for e in schedule.SCHEDULE if e.kind == "audit.checkpoint")
    sthlm = ZoneInfo("Europe/Stockholm")
    assert entry.key(datetime(2026, 12, 1, 0, 5, tzinfo=sthlm)) == "2026-12-01T00"
    assert entry.key(datetime(2026, 12, 1, 13, 59, tzinfo=sthlm)) == "2026-12-01T13"
    now = datetime(2026, 12, 1, 13, 0, tzinfo=sthlm)
    assert schedule.run_due(now=now, schedule=[entry]) == ["audit-checkpoint"]
    assert schedule.run_due(now=now, schedule=[entry]) == []
    assert lines(settings.AUDIT_CHECKPOINT_FILE)[0]["seq"] == AuditChainHead.objects.get().last_seq


def test_parse_skips_blank_lines_and_keeps_line_numbers():
    made = checkpoint.make(seq=3, digest="b" * 64)
    log = checkpoint.parse(["", made.to_json(), "{}", json.dumps({**json.loads(made.to_json()), "seq": True})])
    assert [c.line for c in log.entries] == [2] and log.malformed == [3, 4]


def test_append_only_ever_appends(tmp_path):
    path = tmp_path / "c.log"
    for n in range(3):
        checkpoint.append(checkpoint.make(seq=n, digest="c" * 64), str(path))
    assert [c.seq for c in checkpoint.load(str(path)).entries] == [0, 1, 2]

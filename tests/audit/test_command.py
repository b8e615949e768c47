"""`samverkan audit verify` / `samverkan audit head`: output, exit codes, progress."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samverkan.audit.actions import Action
from samverkan.audit.management.commands import audit as audit_command
from samverkan.audit.models import AuditChainHead, AuditEvent
from samverkan.audit.verify import verify_chain
from tests.audit.conftest import TABLE, raw

ROOT = Path(__file__).resolve().parents[2]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def last_verified() -> AuditEvent:
    return AuditEvent.objects.filter(action=Action.AUDIT_VERIFIED).order_by("-seq").first()


@pytest.mark.django_db
def test_verify_intact_exits_0_and_records_counts(chain):
    code, out, _err = run("verify")
    assert code == 0
    assert f"Audit trail intact: {len(chain)} entries checked, head #{chain[-1].seq} {chain[-1].hash}." in out
    event = last_verified()
    assert event is not None and event.seq == chain[-1].seq + 1
    assert json.loads(event.detail) == {"anchors": 0, "checked": len(chain), "checkpoints": 0, "problems": 0,
                                        "source": "cli"}
    assert event.actor_id is None
    assert verify_chain().ok  # recording the verification kept the chain intact


@pytest.mark.django_db
def test_verify_tampered_exits_1_and_prints_each_problem(chain, unguarded):
    raw(f"UPDATE {TABLE} SET action = 'auth.login' WHERE seq = %s", [chain[2].seq])
    raw(f"DELETE FROM {TABLE} WHERE seq = %s", [chain[5].seq])
    code, out, _err = run("verify")
    assert code == 1
    lines = out.splitlines()
    assert f"#{chain[2].seq}\tmodified\tentry {chain[2].seq} does not match its hash" in lines
    assert f"#{chain[5].seq}\tdeleted\tentry {chain[5].seq} is missing" in lines
    assert "Audit trail NOT intact: 2 problems found in 7 entries checked." in out
    event = last_verified()
    assert json.loads(event.detail)["problems"] == 2


@pytest.mark.django_db
def test_verify_still_exits_1_when_the_verification_cannot_be_recorded(chain, unguarded):
    raw("DELETE FROM audit_auditchainhead")
    code, out, err = run("verify")
    assert code == 1
    assert "head_mismatch" in out
    assert "Could not record" in err
    assert last_verified() is None


@pytest.mark.django_db
def test_head_prints_seq_and_hash_for_anchoring(chain):
    code, out, _err = run("head")
    assert code == 0
    assert out.strip() == f"{chain[-1].seq} {chain[-1].hash}"
    seq, digest = out.split()
    code, out, _err = run("verify", "--anchor", f"{seq}:{digest}")
    assert code == 0
    code, out, _err = run("verify", "--anchor", f"{seq}:{'0' * 64}")
    assert code == 1 and "anchor_mismatch" in out


@pytest.mark.django_db
def test_head_missing_exits_1(unguarded):
    raw("DELETE FROM audit_auditchainhead")
    code, _out, _err = run("head")
    assert code == 1


@pytest.mark.django_db
@pytest.mark.parametrize("anchor", ["12", "x:abc", f"1:{'g' * 64}"])
def test_malformed_anchor_is_a_usage_error(anchor):
    code, _out, _err = run("verify", "--anchor", anchor)
    assert code == 2


def test_a_subcommand_is_required():
    with pytest.raises(CommandError):
        call_command("audit")


@pytest.mark.django_db
def test_progress_bar_on_a_terminal(chain):
    err = _Tty()
    code, _out, _ = run("verify", "--batch-size", "3", stderr=err)
    assert code == 0
    text = err.getvalue()
    assert text.count("\r[") == 3  # one redraw per batch of 3 (8 entries)
    assert f"100% {len(chain)}/{len(chain)}" in text
    assert "\x1b[" not in text  # no colour codes around the bar


@pytest.mark.django_db
def test_plain_progress_lines_when_not_a_terminal(chain, monkeypatch):
    code, _out, err = run("verify", "--batch-size", "3")
    assert code == 0 and "\r" not in err and err == ""  # quick runs print no progress
    monkeypatch.setattr(audit_command, "PLAIN_INTERVAL_S", 0.0)
    n = AuditEvent.objects.count()
    code, _out, err = run("verify", "--batch-size", "3")
    lines = err.splitlines()
    assert lines[-1] == f"verifying: {n} of {n} entries (100%)"
    assert len(lines) == 3 and "\r" not in err
    code, _out, err = run("verify", "--batch-size", "3", "--no-progress")
    assert err == ""


@pytest.mark.slow
def test_command_line_exit_codes(tmp_path, migrated_sqlite):
    """The real command line on a SQLite file: 0 when intact, 1 after tampering. (The file
    starts migrated — tests/conftest.py's migrated_sqlite — so `migrate` finds it current.)"""
    db = migrated_sqlite(tmp_path / "cli.sqlite3")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="samverkan.settings.test",
               DATABASE_URL=f"sqlite:///{db}", SAMVERKAN_HOME=str(tmp_path))

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    intact = manage("audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert f"#0 {'0' * 64}" in intact.stdout  # the empty chain's head (any language)
    head = manage("audit", "head")
    assert head.returncode == 0 and head.stdout.split()[0] == "1"  # the verification itself
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute(f"UPDATE {TABLE} SET detail = '{{}}' WHERE seq = 1")
    tampered = manage("audit", "verify")
    assert tampered.returncode == 1
    assert "#1\tmodified\t" in tampered.stdout
    assert tampered.stderr.strip()


@pytest.mark.django_db
def test_verify_job_records_the_starter_and_organisation(user_factory, chain):
    from samverkan.jobs import services as jobs

    user = user_factory(roles=["system_auditor"])
    job = jobs.job_start(actor=user, kind="audit.verify")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["ok"] is True and job.result["checked"] >= len(chain)
    event = last_verified()
    assert (event.actor_id, event.actor_organisation_id) == (user.pk, user.organisation_id)
    assert AuditChainHead.objects.get().last_seq == event.seq

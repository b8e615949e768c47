"""Signed checkpoints of the chain head, kept outside the database.

A checkpoint is one JSON line ``{"seq", "hash", "ts", "key_id", "mac"}``: the head's
sequence number and hash at time ``ts`` (UTC), sealed with the current AUDIT_KEYS key
(seal.checkpoint_message). Lines are appended to settings.AUDIT_CHECKPOINT_FILE (opened
with O_APPEND, fsynced, never rewritten) and logged to ``samverkan.audit.checkpoint``,
so that the operator can route them to syslog or a log host the database role cannot
reach.

``samverkan audit verify`` reads the file back: a line that is malformed or carries no
valid seal is reported, every checkpointed entry must still hold its hash, and the head
must not be behind the newest checkpoint. Together with the entry seals this catches a
rewrite of the tail *and* a truncation back to an older head, even by someone who kept a
copy of that older head row.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings

from samverkan.audit import seal
from samverkan.audit.models import AuditChainHead

log = logging.getLogger("samverkan.audit.checkpoint")

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    ts: str  # ISO 8601, UTC, seconds
    key_id: str
    mac: str
    line: int = 0  # line number in the file it was read from (0: not read from a file)

    def sealed_by(self, ring: seal.Keyring) -> bool:
        return ring.valid(self.key_id, self.mac, seal.checkpoint_message(self.seq, self.hash, self.ts))

    def to_json(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "ts": self.ts, "key_id": self.key_id, "mac": self.mac},
            separators=(",", ":"),
        )


@dataclass
class CheckpointLog:
    entries: list[Checkpoint] = field(default_factory=list)
    malformed: list[int] = field(default_factory=list)  # line numbers


def make(*, seq: int, digest: str, now: datetime | None = None) -> Checkpoint:
    """A checkpoint of (seq, digest), sealed with the current key."""
    ts = (now or datetime.now(tz=UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    key_id, mac = seal.keyring().seal(seal.checkpoint_message(seq, digest, ts))
    return Checkpoint(seq=seq, hash=digest, ts=ts, key_id=key_id, mac=mac)


def append(checkpoint: Checkpoint, path: str | None = None) -> None:
    """Append one line to the checkpoint file (created 0600 when missing) and make it
    durable before returning; also log it. Raises OSError when the file cannot be
    written: a checkpoint that was not kept must not look as if it had been."""
    line = checkpoint.to_json()
    target = settings.AUDIT_CHECKPOINT_FILE if path is None else path
    if target:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
            os.fsync(fd)
        finally:
            os.close(fd)
    log.info("audit checkpoint %s", line)


def write_head(*, path: str | None = None) -> Checkpoint:
    """Checkpoint the current chain head (as committed now). Raises RuntimeError when
    the head is missing."""
    row = AuditChainHead.objects.filter(id=1).values_list("last_seq", "last_hash").first()
    if row is None:
        raise RuntimeError("audit chain head is missing; run `samverkan audit verify`")
    checkpoint = make(seq=int(row[0]), digest=str(row[1]))
    append(checkpoint, path)
    return checkpoint


def parse(lines: Iterable[str]) -> CheckpointLog:
    """Checkpoints from JSON lines (blank lines skipped); seals are checked by the
    verifier, not here. Lines that are not well-formed checkpoints are listed by number."""
    result = CheckpointLog()
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            data = json.loads(text)
            checkpoint = Checkpoint(
                seq=data["seq"], hash=data["hash"], ts=data["ts"], key_id=data["key_id"],
                mac=data["mac"], line=number,
            )
        except (ValueError, TypeError, KeyError):
            result.malformed.append(number)
            continue
        if (
            not isinstance(checkpoint.seq, int) or isinstance(checkpoint.seq, bool)
            or checkpoint.seq < 0
            or not all(isinstance(v, str) for v in (checkpoint.hash, checkpoint.ts,
                                                    checkpoint.key_id, checkpoint.mac))
            or not _HEX64.match(checkpoint.hash)
        ):
            result.malformed.append(number)
            continue
        result.entries.append(checkpoint)
    return result


def load(path: str) -> CheckpointLog:
    """The checkpoints in ``path``; raises FileNotFoundError when it does not exist."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return parse(handle)

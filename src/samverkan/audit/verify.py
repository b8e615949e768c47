"""Verification of the audit hash chain.

Reads the rows in sequence order in batches with a raw cursor (no model instances).
The database joins each row's fields into the hash payload (the same text as
``chain.payload``; a test keeps the two equal), so Python only hashes and compares:
a million rows take a few seconds. Every break found is reported:

- ``modified``: a row whose hash does not match its contents;
- ``deleted``: a gap in the sequence numbers;
- ``inserted``: a row that is consistent in itself but does not follow the row before
  it (a forged or substituted entry), a row before the start of the chain, or rows
  after the chain head (appended outside the audit service);
- ``reordered``: a row whose contents are a valid entry for another position;
- ``truncated``: the chain head names entries that no longer exist (cut off the end);
- ``head_mismatch``: the chain head's hash does not match the entry it names, its seal
  is not valid, or the head record is missing;
- ``unsealed``: an entry without a seal (key id and mac);
- ``seal_mismatch``: an entry whose seal is wrong or made with a key not in AUDIT_KEYS:
  it was written or rewritten by someone without the key, even if its hash and links
  were recomputed (seal.py);
- ``anchor_mismatch``: an externally stored (seq, hash) anchor no longer matches;
- ``checkpoint_forged``: a line of the checkpoint file that is malformed or carries no
  valid seal;
- ``checkpoint_mismatch``: a sealed checkpoint names an entry that no longer holds its
  hash (rewritten or cut off); the chain head behind the newest checkpoint is reported
  as ``truncated``.

Verification is safe while the application appends: the head is read first, every
entry up to it is already committed, and entries appended meanwhile are checked as far
as they were read (appends commit in sequence order, see services.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from samverkan.audit import seal
from samverkan.audit.chain import FIELDS, GENESIS_HASH
from samverkan.audit.checkpoint import CheckpointLog
from samverkan.audit.models import AuditChainHead, AuditEvent

BATCH = 20_000
_NULLABLE_INT_FIELDS = {"actor_id", "actor_organisation_id", "subject_organisation_id"}
_MIN_SEQ = -(2**63)
# Modified rows kept for the reordering analysis (pairwise, so keep it small).
_REORDER_CANDIDATES = 200


@dataclass
class Problem:
    seq: int
    # modified | deleted | inserted | reordered | truncated | head_mismatch | unsealed |
    # seal_mismatch | anchor_mismatch | checkpoint_forged | checkpoint_mismatch
    kind: str
    message: str


@dataclass
class VerifyResult:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    last_seq: int = 0
    head_seq: int = 0
    head_hash: str = ""
    complete: bool = True  # False when verification stopped at max_problems

    @property
    def ok(self) -> bool:
        return not self.problems


def payload_sql(vendor: str) -> str:
    """SQL expression for the text of ``chain.payload`` of a row (``%`` doubled: for
    queries that take parameters).

    Integers are written in decimal and NULL as the empty string, exactly as in
    chain.py; the fields are joined by the unit separator (U+001F).
    """
    qn = connection.ops.quote_name
    if vendor == "postgresql":
        # concat_ws() writes integers through their decimal output function; it would
        # skip NULLs (dropping a separator), hence the COALESCE. About twice as fast on
        # the server as concat() with separator arguments.
        args = ", ".join(
            f"COALESCE({qn(name)}::text, '')" if name in _NULLABLE_INT_FIELDS else qn(name)
            for name in FIELDS
        )
        return f"concat_ws(chr(31), {args})"
    # printf('%s') writes integers in decimal (and any non-integer smuggled into an
    # integer column as itself, so such a change still breaks the hash).
    fmt = "\x1f".join(["%%s"] * len(FIELDS))  # %% because the query takes parameters
    args = ", ".join(
        f"COALESCE({qn(name)}, '')" if name in _NULLABLE_INT_FIELDS else qn(name) for name in FIELDS
    )
    return f"printf('{fmt}', {args})"


def _head() -> tuple[int, str, str, str] | None:
    """(last_seq, last_hash, key_id, mac) of the chain head, or None when it is missing."""
    row = (
        AuditChainHead.objects.filter(id=1)
        .values_list("last_seq", "last_hash", "key_id", "mac")
        .first()
    )
    return (row[0], row[1], row[2], row[3]) if row else None


def _stored_hashes(table: str, seqs: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(seqs), 500):
            chunk = seqs[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT seq, hash FROM {table} WHERE seq IN ({marks})", chunk)  # noqa: S608
            found.update((int(seq), str(digest)) for seq, digest in cursor.fetchall())
    return found


def _stored_hash(table: str, seq: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT hash FROM {table} WHERE seq = %s", [seq])  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _payload_hash(payload: Any) -> str:
    if payload is None:  # a NULL smuggled into a NOT NULL column
        return ""
    return hashlib.sha256(payload.encode()).hexdigest()


def _find_reordered(problems: list[Problem], candidates: dict[int, tuple[bytes, str]]) -> None:
    """Turn ``modified`` problems into ``reordered`` where a row's contents are a valid
    entry for the position of another modified row (rows swapped or moved)."""
    moved: dict[int, int] = {}
    for seq, (payload, stored) in candidates.items():
        prefix = str(seq).encode() + b"\x1f"
        if not payload.startswith(prefix):
            continue
        rest = payload[len(prefix) - 1 :]
        for other in candidates:
            if other != seq and hashlib.sha256(str(other).encode() + rest).hexdigest() == stored:
                moved[seq] = other
                break
    for problem in problems:
        if problem.kind == "modified" and problem.seq in moved:
            problem.kind = "reordered"
            problem.message = _("entry %(seq)s holds the contents of entry %(other)s") % {
                "seq": problem.seq, "other": moved[problem.seq]}


def verify_chain(
    *,
    progress: Callable[[int, int], None] | None = None,
    max_problems: int = 1000,
    anchors: Iterable[tuple[int, str]] = (),
    checkpoints: CheckpointLog | None = None,
    batch_size: int = BATCH,
) -> VerifyResult:
    """Walk the whole chain; never raises on tampering, returns every problem found
    (up to ``max_problems``). ``progress(done, total)`` is called after each batch.
    Every entry and the head must carry a valid seal under a key in AUDIT_KEYS.
    ``anchors`` are (seq, hash) pairs stored outside the database (``audit head``);
    each must still match the entry it names. ``checkpoints`` are the signed
    checkpoints read from outside the database (checkpoint.py), loaded by the caller
    *before* this call, so that none can be newer than the head read here."""
    result = VerifyResult()
    problems = result.problems
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    keys = seal.keyring().by_id
    head_before = _head()
    total = head_before[0] if head_before else 0
    select = (
        f"SELECT seq, {payload_sql(connection.vendor)}, prev_hash, hash, key_id, mac "  # noqa: S608
        f"FROM {table}"
    )
    first_sql = f"{select} WHERE seq >= %s ORDER BY seq LIMIT {int(batch_size)}"
    next_sql = f"{select} WHERE seq > %s ORDER BY seq LIMIT {int(batch_size)}"
    sha256 = hashlib.sha256
    entry_domain = seal.ENTRY_DOMAIN
    expected = 1  # the next sequence number of an intact chain
    # The hash the next entry must link to; None right after a row already reported
    # as modified, whose stored hash says nothing about what its successor linked to.
    prev: str | None = GENESIS_HASH
    checked = 0
    last_seq = _MIN_SEQ
    candidates: dict[int, tuple[bytes, str]] = {}

    with connection.cursor() as cursor:
        sql = first_sql
        while result.complete:
            cursor.execute(sql, [last_seq])
            sql = next_sql
            rows = cursor.fetchall()
            if not rows:
                break
            done = len(rows)
            for index, (seq, text, link, stored, key_id, mac) in enumerate(rows):
                # Fast path: the next entry, linked to the one before, hash intact, sealed
                # (seal.entry_message inlined; a plain comparison is fine here: verification
                # answers no one who could time it).
                if (
                    seq == expected
                    and link == prev
                    and sha256(text.encode()).hexdigest() == stored
                    and (key := keys.get(key_id)) is not None
                    and key.mac(f"{entry_domain}\x1f{seq}\x1f{stored}".encode()) == mac
                ):
                    prev = stored
                    expected = seq + 1
                    continue
                intact = _classify(seq, text, link, stored, key_id, mac, expected, prev, problems,
                                   candidates)
                if intact is not None:
                    prev = stored if intact else None
                    expected = seq + 1
                if len(problems) >= max_problems:
                    result.complete = False
                    done = index + 1
                    break
            checked += done
            last_seq = rows[done - 1][0]
            if progress and result.complete:
                progress(checked, max(total, checked))

    result.checked = checked
    result.last_seq = last_seq if checked else 0
    if candidates:
        _find_reordered(problems, candidates)
    if result.complete:
        _check_head(result, table, head_before, chain_end=expected - 1, end_hash=prev)
        for anchor_seq, anchor_hash in anchors:
            if _stored_hash(table, anchor_seq) != anchor_hash:
                message = _("entry %(seq)s no longer matches the anchor stored outside")
                message %= {"seq": anchor_seq}
                problems.append(Problem(anchor_seq, "anchor_mismatch", message))
        if checkpoints is not None:
            _check_checkpoints(result, table, checkpoints)
    return result


def _check_checkpoints(result: VerifyResult, table: str, log: CheckpointLog) -> None:
    """Each line of the checkpoint file must carry a valid seal; each sealed checkpoint's
    entry must still hold its hash; the head must not be behind the newest checkpoint."""
    problems = result.problems
    ring = seal.keyring()
    for line in log.malformed:
        message = _("checkpoint line %(line)s is malformed") % {"line": line}
        problems.append(Problem(0, "checkpoint_forged", message))
    valid = []
    for checkpoint in log.entries:
        if checkpoint.sealed_by(ring):
            valid.append(checkpoint)
            continue
        message = _("checkpoint line %(line)s (entry %(seq)s) carries no valid seal")
        problems.append(Problem(checkpoint.seq, "checkpoint_forged",
                                message % {"line": checkpoint.line, "seq": checkpoint.seq}))
    if not valid:
        return
    stored = _stored_hashes(table, sorted({c.seq for c in valid if c.seq > 0}))
    reported: set[tuple[int, str]] = set()
    for checkpoint in valid:
        if checkpoint.seq == 0 or (checkpoint.seq, checkpoint.hash) in reported:
            continue
        if stored.get(checkpoint.seq) != checkpoint.hash:
            reported.add((checkpoint.seq, checkpoint.hash))
            message = _("entry %(seq)s no longer matches the checkpoint of %(ts)s")
            problems.append(Problem(checkpoint.seq, "checkpoint_mismatch",
                                    message % {"seq": checkpoint.seq, "ts": checkpoint.ts}))
    newest = max(valid, key=lambda c: c.seq)
    if result.head_seq < newest.seq:
        message = _("the chain head #%(head)s is behind the checkpoint of %(ts)s (entry %(seq)s): "
                    "entries were cut off the end")
        problems.append(Problem(result.head_seq + 1, "truncated", message % {
            "head": result.head_seq, "ts": newest.ts, "seq": newest.seq}))


def _check_head(
    result: VerifyResult,
    table: str,
    head_before: tuple[int, str, str, str] | None,
    *,
    chain_end: int,
    end_hash: str | None,
) -> None:
    """Compare the chain head, read before the walk and again after it, with the
    entries walked. ``chain_end`` is the last sequence number walked (0: none)."""
    problems = result.problems
    if head_before is None:
        if result.checked:
            message = _("the chain head record is missing")
            problems.append(Problem(result.last_seq, "head_mismatch", message))
        return
    head_seq, head_hash, head_key_id, head_mac = head_before
    result.head_seq, result.head_hash = head_seq, head_hash
    mismatch = _("the chain head does not match entry %(seq)s")
    head_problem = False
    if chain_end < head_seq:
        # Every entry up to the head read before the walk was committed by then.
        message = _("entries %(first)s–%(last)s were cut off the end")
        problems.append(Problem(chain_end + 1, "truncated",
                                message % {"first": chain_end + 1, "last": head_seq}))
    elif head_seq == 0:
        if head_hash != GENESIS_HASH:
            problems.append(Problem(0, "head_mismatch", mismatch % {"seq": 0}))
            head_problem = True
    else:
        at_head = end_hash if chain_end == head_seq and end_hash else _stored_hash(table, head_seq)
        if at_head is not None and at_head != head_hash:
            problems.append(Problem(head_seq, "head_mismatch", mismatch % {"seq": head_seq}))
            head_problem = True
    # A head that agrees with its entry but was written without the key (moved back, or
    # set to a recomputed hash) is reported once, as its own problem.
    if not head_problem and not seal.keyring().valid(
        head_key_id, head_mac, seal.head_message(head_seq, head_hash)
    ):
        message = _("the chain head (entry %(seq)s) carries no valid seal: it was written "
                    "without the key")
        problems.append(Problem(head_seq, "head_mismatch", message % {"seq": head_seq}))
    # Entries appended while we walked are legitimate only if the head covers them.
    head_after = _head()
    if head_after is None:
        return
    if chain_end > head_after[0]:
        message = _("entries %(first)s–%(last)s were appended outside the audit service")
        problems.append(Problem(head_after[0] + 1, "inserted",
                                message % {"first": head_after[0] + 1, "last": chain_end}))
    elif (head_after[:2] != head_before[:2] and chain_end == head_after[0] and end_hash is not None
          and end_hash != head_after[1]):
        problems.append(Problem(chain_end, "head_mismatch", mismatch % {"seq": chain_end}))


def _classify(
    seq: int,
    payload: Any,
    prev_hash: str,
    stored: str,
    key_id: str,
    mac: str,
    expected: int,
    prev: str | None,
    problems: list[Problem],
    candidates: dict[int, tuple[bytes, str]],
) -> bool | None:
    """Record what is wrong with one row off the fast path. Returns None when the row
    stands outside the chain (before its start) and must not advance it, False when its
    own hash is broken, True otherwise."""
    if seq < expected:
        # Only possible for the first rows (ORDER BY seq): a number below 1.
        message = _("entry %(seq)s lies before the start of the chain")
        problems.append(Problem(seq, "inserted", message % {"seq": seq}))
        return None
    if seq > expected:
        if seq - 1 == expected:
            message = _("entry %(seq)s is missing") % {"seq": expected}
        else:
            message = _("entries %(first)s–%(last)s are missing") % {
                "first": expected, "last": seq - 1}
        problems.append(Problem(expected, "deleted", message))
    if _payload_hash(payload) != stored:
        message = _("entry %(seq)s does not match its hash")
        problems.append(Problem(seq, "modified", message % {"seq": seq}))
        if len(candidates) < _REORDER_CANDIDATES and payload is not None:
            candidates[seq] = (payload.encode(), stored)
        return False
    # The row agrees with its hash; only a seal under the key shows it was written by
    # the audit service (a rewrite recomputes the hash, never the seal).
    ring = seal.keyring()
    if not key_id or not mac:
        message = _("entry %(seq)s carries no seal")
        problems.append(Problem(seq, "unsealed", message % {"seq": seq}))
    elif key_id not in ring.by_id:
        message = _("entry %(seq)s is sealed with key %(key)s, which is not in AUDIT_KEYS")
        problems.append(Problem(seq, "seal_mismatch", message % {"seq": seq, "key": key_id}))
    elif not ring.valid(key_id, mac, seal.entry_message(seq, stored)):
        message = _("entry %(seq)s does not match its seal (written or rewritten without the key)")
        problems.append(Problem(seq, "seal_mismatch", message % {"seq": seq}))
    if seq == expected and prev is not None and prev_hash != prev:
        message = _("entry %(seq)s does not follow entry %(prev)s (one of them was replaced or "
                    "inserted)")
        problems.append(Problem(seq, "inserted", message % {"seq": seq, "prev": seq - 1}))
    return True

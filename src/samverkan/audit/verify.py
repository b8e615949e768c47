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
- ``head_mismatch``: the chain head's hash does not match the entry it names, or the
  head record is missing;
- ``anchor_mismatch``: an externally stored (seq, hash) anchor no longer matches.

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

from samverkan.audit.chain import FIELDS, GENESIS_HASH
from samverkan.audit.models import AuditChainHead, AuditEvent

BATCH = 20_000
_NULLABLE_INT_FIELDS = {"actor_id", "actor_organisation_id", "subject_organisation_id"}
_MIN_SEQ = -(2**63)
# Modified rows kept for the reordering analysis (pairwise, so keep it small).
_REORDER_CANDIDATES = 200


@dataclass
class Problem:
    seq: int
    # modified | deleted | inserted | reordered | truncated | head_mismatch | anchor_mismatch
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


def _head() -> tuple[int, str] | None:
    row = AuditChainHead.objects.filter(id=1).values_list("last_seq", "last_hash").first()
    return (row[0], row[1]) if row else None


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
    batch_size: int = BATCH,
) -> VerifyResult:
    """Walk the whole chain; never raises on tampering, returns every problem found
    (up to ``max_problems``). ``progress(done, total)`` is called after each batch.
    ``anchors`` are (seq, hash) pairs stored outside the database (``audit head``);
    each must still match the entry it names."""
    result = VerifyResult()
    problems = result.problems
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    head_before = _head()
    total = head_before[0] if head_before else 0
    select = f"SELECT seq, {payload_sql(connection.vendor)}, prev_hash, hash FROM {table}"  # noqa: S608
    first_sql = f"{select} WHERE seq >= %s ORDER BY seq LIMIT {int(batch_size)}"
    next_sql = f"{select} WHERE seq > %s ORDER BY seq LIMIT {int(batch_size)}"
    sha256 = hashlib.sha256
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
            for index, (seq, text, link, stored) in enumerate(rows):
                # Fast path: the next entry, linked to the one before, hash intact.
                if seq == expected and link == prev and sha256(text.encode()).hexdigest() == stored:
                    prev = stored
                    expected = seq + 1
                    continue
                intact = _classify(seq, text, link, stored, expected, prev, problems, candidates)
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
    return result


def _check_head(
    result: VerifyResult,
    table: str,
    head_before: tuple[int, str] | None,
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
    head_seq, head_hash = head_before
    result.head_seq, result.head_hash = head_seq, head_hash
    mismatch = _("the chain head does not match entry %(seq)s")
    if chain_end < head_seq:
        # Every entry up to the head read before the walk was committed by then.
        message = _("entries %(first)s–%(last)s were cut off the end")
        problems.append(Problem(chain_end + 1, "truncated",
                                message % {"first": chain_end + 1, "last": head_seq}))
    elif head_seq == 0:
        if head_hash != GENESIS_HASH:
            problems.append(Problem(0, "head_mismatch", mismatch % {"seq": 0}))
    else:
        at_head = end_hash if chain_end == head_seq and end_hash else _stored_hash(table, head_seq)
        if at_head is not None and at_head != head_hash:
            problems.append(Problem(head_seq, "head_mismatch", mismatch % {"seq": head_seq}))
    # Entries appended while we walked are legitimate only if the head covers them.
    head_after = _head()
    if head_after is None:
        return
    if chain_end > head_after[0]:
        message = _("entries %(first)s–%(last)s were appended outside the audit service")
        problems.append(Problem(head_after[0] + 1, "inserted",
                                message % {"first": head_after[0] + 1, "last": chain_end}))
    elif (head_after != head_before and chain_end == head_after[0] and end_hash is not None
          and end_hash != head_after[1]):
        problems.append(Problem(chain_end, "head_mismatch", mismatch % {"seq": chain_end}))


def _classify(
    seq: int,
    payload: Any,
    prev_hash: str,
    stored: str,
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
    if seq == expected and prev is not None and prev_hash != prev:
        message = _("entry %(seq)s does not follow entry %(prev)s (one of them was replaced or "
                    "inserted)")
        problems.append(Problem(seq, "inserted", message % {"seq": seq, "prev": seq - 1}))
    return True

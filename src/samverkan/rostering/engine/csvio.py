"""Roster CSV in and out, so the validator can judge a roster from another system.

Two formats, told apart by the header:

* ``shift_id,expert_id,agency`` — the engine's own (shift ids as ``group:YYYYMMDDTHHMM``).
* ``group,start,end,expert_id,agency`` — a roster from another system; start and end are
  ISO date-times (``2026-12-14T06:00`` or ``2026-12-14 06:00``). Such a row is matched to
  the problem's shift of that group with that start and end; a row that matches no shift
  is kept under a synthetic id (``group:start``) so the validator reports it as unknown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from .model import Assignment, Roster, Shift
from .shifts import shift_id as make_shift_id

SIMPLE_COLUMNS = ("shift_id", "expert_id", "agency")
RICH_COLUMNS = ("group", "start", "end", "expert_id", "agency")


def _parse_dt(text: str) -> datetime:
    return datetime.fromisoformat(text.strip().replace(" ", "T", 1))


def read_roster(text: str, shifts: Iterable[Shift] | None = None) -> Roster:
    """Parse CSV ``text`` in either format. For the rich format, ``shifts`` (the problem's)
    are used to find shift ids; without them, ids are derived from group and start the way
    ``generate_shifts`` makes them. Raises ValueError on a missing column or a bad row."""
    reader = csv.DictReader(io.StringIO(text))
    header = {h.strip().lower() for h in (reader.fieldnames or [])}
    rich = set(RICH_COLUMNS) <= header
    if not rich and not set(SIMPLE_COLUMNS) <= header:
        raise ValueError("a roster CSV needs the columns shift_id,expert_id,agency or group,start,end,expert_id,agency")
    index: dict[tuple[str, datetime, datetime], str] = {}
    if shifts is not None:
        index = {(s.group, s.start, s.end): s.id for s in shifts}
    out: list[Assignment] = []
    for lineno, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        expert_id, agency = row.get("expert_id", ""), row.get("agency", "")
        if not expert_id or not agency:
            raise ValueError(f"line {lineno}: expert_id and agency are required")
        if rich:
            try:
                start, end = _parse_dt(row["start"]), _parse_dt(row["end"])
            except ValueError:
                raise ValueError(f"line {lineno}: start and end must be ISO date-times") from None
            group = row["group"]
            sid = index.get((group, start, end)) or make_shift_id(group, start)
        else:
            sid = row["shift_id"]
            if not sid:
                raise ValueError(f"line {lineno}: shift_id is required")
        out.append(Assignment(shift_id=sid, expert_id=expert_id, agency=agency))
    return Roster(out)


def write_roster(roster: Roster, shifts: Iterable[Shift] | None = None) -> str:
    """CSV text of ``roster``: the simple format, or the rich one when ``shifts`` are given
    (group, start and end written as ISO date-times)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if shifts is None:
        writer.writerow(SIMPLE_COLUMNS)
        for a in roster.assignments:
            writer.writerow([a.shift_id, a.expert_id, a.agency])
        return buf.getvalue()
    by_id = {s.id: s for s in shifts}
    writer.writerow(RICH_COLUMNS)
    for a in roster.assignments:
        s = by_id.get(a.shift_id)
        if s is None:
            raise ValueError(f"unknown shift {a.shift_id}")
        writer.writerow(
            [
                s.group,
                s.start.isoformat(timespec="minutes"),
                s.end.isoformat(timespec="minutes"),
                a.expert_id,
                a.agency,
            ]
        )
    return buf.getvalue()

#!/usr/bin/env python
"""Audit-trail benchmark: append latency and chain-verification throughput.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/audit.py --json                      # SQLite, 1,000,000 events
    .venv/bin/python benchmarks/audit.py --json --events 200000
    .venv/bin/python benchmarks/audit.py --json --database-url postgres://postgres@127.0.0.1:5432/postgres

Database: ``--database-url`` if given, else ``DATABASE_URL`` if set, else SQLite (``--sqlite``
forces SQLite). SQLite runs on a temporary database file (WAL, as the application
configures it), never in memory. On PostgreSQL the script creates its own database
(``--pg-database``, default ``bench_audit``) on the named server, and drops it afterwards.

What it measures, after migrating the empty database:

1. ``--appends`` events (default 2,000) through the real ``audit.services.record()``, each
   in its own transaction (commit included): ``append_per_s`` and the median and 95th
   percentile latency of one append in milliseconds (``append_median_ms``,
   ``append_p95_ms``). ``append_in_txn_*_ms`` time the record() call alone inside the
   open transaction: what auditing adds to a request whose change commits anyway.
2. It then fills the chain up to ``--events`` rows with ``audit.services.bulk_append``
   (the same chain arithmetic, bulk inserts) and times ``verify_chain`` over all rows:
   ``verify_per_s``. The verification must find the chain intact, or the script fails.

``--json`` prints a single JSON line; otherwise progress lines go to stderr first.
Targets on a 2-core machine: verify >= 200,000 events/s, append median <= 2 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _log(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def _pg_admin(url: str) -> Any:
    import psycopg

    parts = urlsplit(url)
    admin_url = urlunsplit((parts.scheme.replace("postgresql", "postgres"), parts.netloc, "/postgres", "", ""))
    return psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1), autocommit=True)


def _pg_prepare(url: str, name: str) -> str:
    """Create a fresh database ``name`` on the server of ``url``; return its URL."""
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _pg_drop(url: str, name: str) -> None:
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _events(count: int, start_ts: int) -> Iterator[dict[str, Any]]:
    from samverkan.audit.actions import Action

    actions = [a.value for a in Action]
    for i in range(count):
        yield {
            "ts": start_ts + i,
            "actor_id": 1 + i % 997,
            "actor_organisation_id": 1 + i % 23,
            "action": actions[i % len(actions)],
            "subject_type": "user",
            "subject_id": str(10_000 + i % 50_000),
            "subject_organisation_id": 1 + i % 19 if i % 3 else None,
            "purpose": "" if i % 5 else "utredning",
            "legal_basis": "",
            "request_id": f"{i:032x}",
            "detail": {"rows": i % 50} if i % 4 == 0 else None,
        }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def run(events: int, appends: int, quiet: bool) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from samverkan.audit import services
    from samverkan.audit.actions import Action
    from samverkan.audit.verify import verify_chain
    from samverkan.lib.request_context import set_request_id

    _log(quiet, f"migrating {connection.vendor} database …")
    call_command("migrate", verbosity=0, interactive=False)

    appends = max(1, min(appends, events))
    latencies: list[float] = []  # record() in its own transaction, commit included
    in_txn: list[float] = []  # record() alone, inside an open transaction (as in a request)
    token = set_request_id("0" * 32)
    try:
        for i in range(appends):
            t0 = time.perf_counter()
            with transaction.atomic():
                t1 = time.perf_counter()
                services.record(action=Action.USER_UPDATED, actor_id=1 + i % 97, actor_organisation_id=1 + i % 7,
                                subject_type="user", subject_id=1000 + i, subject_organisation_id=1 + i % 7,
                                detail={"rows": i % 50})
                in_txn.append(time.perf_counter() - t1)
            latencies.append(time.perf_counter() - t0)
    finally:
        set_request_id(None, token=token)
    append_total = sum(latencies)
    _log(quiet, f"{appends} single appends: median {statistics.median(latencies) * 1000:.3f} ms")

    remaining = events - appends
    t0 = time.perf_counter()
    filled = services.bulk_append(_events(remaining, time.time_ns() // 1000)) if remaining > 0 else 0
    fill_s = time.perf_counter() - t0
    _log(quiet, f"filled {filled} events in {fill_s:.1f} s")

    t0, c0 = time.perf_counter(), time.process_time()
    result = verify_chain()
    verify_s, verify_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    if not result.ok or result.checked != events:
        raise SystemExit(f"verification failed: checked {result.checked}, problems {result.problems[:3]}")
    _log(quiet, f"verified {result.checked} events in {verify_s:.2f} s")
    return {
        "events": result.checked,
        "append_per_s": round(appends / append_total, 1),
        "append_median_ms": _ms(statistics.median(latencies)),
        "append_p95_ms": _ms(_p95(latencies)),
        "append_in_txn_median_ms": _ms(statistics.median(in_txn)),
        "append_in_txn_p95_ms": _ms(_p95(in_txn)),
        "verify_per_s": round(result.checked / verify_s, 1),
        "verify_s": round(verify_s, 3),
        # CPU time of this process alone (SQLite's work included, PostgreSQL's not):
        # shows how much of verify_s was waiting for a busy machine or the server.
        "verify_cpu_s": round(verify_cpu_s, 3),
        "fill_per_s": round(filled / fill_s, 1) if filled else None,
        "database": connection.vendor,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="chain length N (default 1,000,000)")
    parser.add_argument("--appends", type=int, default=2000, help="single record() appends timed (default 2,000)")
    parser.add_argument("--database-url", default=None, help="postgres://… (default: DATABASE_URL, else SQLite)")
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even when DATABASE_URL is set")
    parser.add_argument("--pg-database", default="bench_audit", help="database created and dropped on PostgreSQL")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")

    url = "" if args.sqlite else (args.database_url or os.environ.get("DATABASE_URL", ""))
    tmpdir = None
    pg_server = None
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        pg_server = url
        os.environ["DATABASE_URL"] = _pg_prepare(url, args.pg_database)
    elif url and not url.startswith("sqlite://"):
        parser.error("--database-url must be postgres://… or sqlite://…")
    elif not url:
        tmpdir = tempfile.mkdtemp(prefix="bench-audit-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.settings.test"
    try:
        numbers = run(args.events, args.appends, args.json)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # best effort before dropping the database
            pass
        if pg_server:
            _pg_drop(pg_server, args.pg_database)
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    print(json.dumps(numbers), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

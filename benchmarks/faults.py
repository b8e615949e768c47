#!/usr/bin/env python
"""Fault benchmark: staff reading and writing under load while PostgreSQL and Redis
restart, and while Redis is away for a while. Counts errors, the error window of each
restart, and whether any write was lost or stored although the user was told it failed.

Usage (from the repository root, with the project's virtual environment, as root on a
machine whose PostgreSQL cluster this may restart):

    .venv/bin/python benchmarks/faults.py --json
    .venv/bin/python benchmarks/faults.py --json --duration 200 --clients 50
    .venv/bin/python benchmarks/faults.py --people 2000 --keep-db

What it does:

1. Creates two PostgreSQL roles, as README's production section asks: an owner
   (``bench_faults_owner``) that owns the database and migrates it, and a runtime role
   (``bench_faults_runtime``) that the server uses, with the grants of
   ``samverkan db grants`` (which ``samverkan migrate`` runs as the owner after migrating),
   confirmed by ``samverkan db check``. Creates a fresh
   database ``--pg-database`` owned by the owner, migrates it, and generates fictitious
   people, cases, teams, notes and audit events with ``benchmarks/cases.py``'s generator.
2. Starts a Redis server of its own on a free loopback port (so that stopping it touches
   nothing else on the machine) and gunicorn with the **production settings** and the
   shipped server configuration, using the runtime role, the Redis cache (sessions
   cached in Redis and written through to the database) and the audit key.
3. Logs ``--clients`` (default 50) team members in through the real login and two-factor
   pages. Each then loops for ``--duration`` seconds (default 200, at least 180): 70 % of
   its requests read a case page (the case or its notes, one of its cases), 30 % write a
   journal draft (POST of the note form with a text that carries a unique marker) in one
   of its active cases, with ``--think`` seconds (±50 %) between requests.
4. Meanwhile, on a timetable relative to the start of the measured phase: PostgreSQL
   restarts (``--pg-restart-at``, default 40 s; ``pg_ctlcluster … restart``), Redis
   restarts (``--redis-restart-at``, default 90 s) and Redis stops for
   ``--redis-outage`` seconds (default 10) from ``--redis-outage-at`` (default 140 s).
5. Afterwards it reads which markers were stored. A write is *acknowledged* when it was
   answered with the redirect to the case's notes (what the user sees as "saved");
   *lost* when acknowledged but not stored; *phantom* when answered with anything else
   (an error page, a login redirect) but stored all the same. A write whose connection
   broke without an answer is neither: it is counted as ``unanswered_writes`` with how
   many of those were stored.

A request is an error when its answer is not the expected one (200 for a read, the
redirect for a write) or the connection broke. ``error_window_s`` of a restart is the
time from the start of the first failed request to the end of the last one that started
between 2 s before the restart and the next event; ``redis_outage.errors`` counts the
failed requests that started while Redis was stopped or within 2 s after it was back.

Output (``--json``: one JSON line on stdout)::

    {"requests": …, "errors": …, "acknowledged_writes": …, "lost_writes": 0, "phantom_writes": 0,
     "unanswered_writes": …, "postgres_restart": {"error_window_s": …, "errors": …},
     "redis_restart": {"error_window_s": …, "errors": …}, "redis_outage": {"errors": …},
     "baseline_errors": …, "error_sample": [...], "config": {…}}

Targets: 0 lost and 0 phantom writes; error window ≤ 2 s per restart; 0 errors during the
Redis outage. Both services are running again when the benchmark ends (PostgreSQL is
started if it is found down; the benchmark's own Redis is stopped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import string
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The generator, the login client and the server start of benchmarks/cases.py.
import cases as bench
import runtime_role  # benchmarks/runtime_role.py

ROOT = bench.ROOT
VENV_BIN = bench.VENV_BIN
OWNER, RUNTIME = "bench_faults_owner", "bench_faults_runtime"
EXPECTED = {"read": 200, "write": 302}


def _log(message: str) -> None:
    bench._log(False, message)


# --- services ------------------------------------------------------------------------------------


def _pg_cluster() -> str:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        raise SystemExit("no PostgreSQL cluster under /etc/postgresql; give --pg-restart-command")
    return versions[-1]


def _run(command: str) -> None:
    subprocess.run(command, shell=True, check=True, capture_output=True, timeout=120)  # the operator's own command


def _pg_ready(host: str, port: int) -> bool:
    return subprocess.run(["pg_isready", "-h", host, "-p", str(port), "-q"], check=False).returncode == 0


class OwnRedis:
    """A Redis server of the benchmark's own on a free loopback port, nothing on disk."""

    def __init__(self) -> None:
        self.port = bench._free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="bench-faults-redis-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise SystemExit("the benchmark's Redis did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the database with two roles -------------------------------------------------------------------


def create_database(admin_url: str, name: str) -> tuple[str, str]:
    """(owner URL, runtime URL) of a fresh database ``name`` owned by the owner role."""
    from urllib.parse import urlsplit, urlunsplit

    with bench._pg_admin(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in (OWNER, RUNTIME):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            conn.execute(f'{"ALTER" if exists else "CREATE"} ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE')
        # The owner owns the database and so its public schema (pg_database_owner, PostgreSQL 15).
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{OWNER}"')
    parts = urlsplit(admin_url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 5432

    def url(role: str) -> str:
        return urlunsplit((parts.scheme, f"{role}@{host}:{port}", "/" + name, "", ""))

    return url(OWNER), url(RUNTIME)


def drop_database(admin_url: str, name: str) -> None:
    with bench._pg_admin(admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in (RUNTIME, OWNER):
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


@dataclass
class Writer:
    """One client's cases: where it reads, where it may write, and in which category."""

    read_cases: list[str]
    write_cases: list[str]
    category: str


def writers_for(world: bench.World, users: list[bench.BenchUser]) -> list[Writer]:
    """The active cases of each benchmark user and the information category its
    organisation records in (the generator's categories per organisation)."""
    from samverkan.accounts.models import User
    from samverkan.cases.models import TeamMember

    lead = {d["lead"] for d in world.districts}
    police = {d["police"] for d in world.districts}
    result = []
    for user in users:
        org = User.objects.values_list("organisation_id", flat=True).get(username=user.username)
        if org in lead:
            category = "social"
        elif org in police:
            category = "crime"
        elif org == world.school_id:
            category = "school"
        else:
            category = "work"
        active = [str(p) for p in TeamMember.objects.filter(
            user__username=user.username, active=True, case__status="active").values_list("case__public_id", flat=True)]
        result.append(Writer(read_cases=user.case_ids, write_cases=active or user.case_ids, category=category))
    return result


# --- the load --------------------------------------------------------------------------------------


@dataclass
class Record:
    kind: str  # read | write
    start: float
    end: float
    ok: bool
    status: str
    marker: str = ""


async def _events(redis_server: OwnRedis, args: argparse.Namespace, t0: float, log: dict[str, float]) -> None:
    """The timetable of faults, relative to ``t0`` (the start of the measured phase)."""

    async def at(seconds: float) -> None:
        await asyncio.sleep(max(0.0, t0 + seconds - time.perf_counter()))

    await at(args.pg_restart_at)
    log["postgres_restart"] = time.perf_counter()
    await asyncio.to_thread(_run, args.pg_restart_command)
    log["postgres_restart_done"] = time.perf_counter()
    _log(f"PostgreSQL restarted in {log['postgres_restart_done'] - log['postgres_restart']:.1f} s")

    await at(args.redis_restart_at)
    log["redis_restart"] = time.perf_counter()
    await asyncio.to_thread(redis_server.stop)
    await asyncio.to_thread(redis_server.start)
    log["redis_restart_done"] = time.perf_counter()
    _log(f"Redis restarted in {log['redis_restart_done'] - log['redis_restart']:.1f} s")

    await at(args.redis_outage_at)
    log["redis_outage"] = time.perf_counter()
    await asyncio.to_thread(redis_server.stop)
    await asyncio.sleep(args.redis_outage)
    await asyncio.to_thread(redis_server.start)
    log["redis_outage_done"] = time.perf_counter()
    _log(f"Redis was away for {log['redis_outage_done'] - log['redis_outage']:.1f} s")


async def _load(port: int, clients: list[bench.Client], writers: list[Writer], redis_server: OwnRedis,
                args: argparse.Namespace, run_id: str) -> tuple[list[Record], dict[str, float], float]:
    records: list[Record] = []
    events: dict[str, float] = {}
    today = time.strftime("%Y-%m-%d")
    t0 = time.perf_counter() + args.warmup
    stop = t0 + args.duration

    async def client_loop(n: int, client: bench.Client, writer: Writer) -> None:
        r = random.Random(args.seed + n)
        connection = bench.Connection(port, client.cookies)
        await asyncio.sleep(r.random() * args.think)
        written = 0
        try:
            while time.perf_counter() < stop:
                marker = ""
                if r.random() < args.write_share:
                    kind, case = "write", r.choice(writer.write_cases)
                    written += 1
                    marker = f"faults-{run_id}-{n}-{written}"
                    call: tuple[str, str, dict[str, str] | None] = (
                        "POST", f"/arenden/{case}/anteckningar/ny/",
                        {"csrfmiddlewaretoken": client.lookup_token, "category": writer.category,
                         "occurred_on": today, "text": f"Samtal om skolgång och fritid. {marker}"})
                    expected_location = f"/arenden/{case}/anteckningar/"
                else:
                    kind, case = "read", r.choice(writer.read_cases)
                    page = f"/arenden/{case}/" if r.random() < 0.5 else f"/arenden/{case}/anteckningar/"
                    call, expected_location = ("GET", page, None), ""
                start = time.perf_counter()
                try:
                    code = await asyncio.wait_for(connection.request(*call), timeout=args.timeout)
                    ok = code == EXPECTED[kind] and (not expected_location or connection.location == expected_location)
                    status = str(code) if code != 302 or ok else f"302 {connection.location.split('?')[0]}"
                except Exception as exc:  # a broken or timed-out connection: an error, keep going
                    ok, status = False, type(exc).__name__ or "error"
                    await connection.close()
                end = time.perf_counter()
                if start >= t0 or kind == "write":
                    records.append(Record(kind, start, end, ok, status, marker))
                await asyncio.sleep(args.think * (0.5 + r.random()))
        finally:
            await connection.close()

    timetable = asyncio.create_task(_events(redis_server, args, t0, events))
    await asyncio.gather(*(client_loop(n, c, w) for n, (c, w) in enumerate(zip(clients, writers, strict=True))))
    await timetable
    return records, events, t0


# --- analysis --------------------------------------------------------------------------------------


def _window(errors: list[Record], start: float, end: float) -> dict[str, Any]:
    inside = [e for e in errors if start - 2 <= e.start < end]
    if not inside:
        return {"error_window_s": 0.0, "errors": 0}
    return {"error_window_s": round(max(e.end for e in inside) - min(e.start for e in inside), 2),
            "errors": len(inside), "error_sample": sorted({e.status for e in inside})[:5]}


def analyse(records: list[Record], events: dict[str, float], t0: float, stored: set[str]) -> dict[str, Any]:
    measured = [r for r in records if r.start >= t0]
    errors = [r for r in measured if not r.ok]
    writes = [r for r in records if r.kind == "write"]
    acknowledged = [w for w in writes if w.ok]
    answered_error = [w for w in writes if not w.ok and w.status[:1].isdigit()]
    unanswered = [w for w in writes if not w.ok and not w.status[:1].isdigit()]
    far = float("inf")
    pg = _window(errors, events["postgres_restart"], events.get("redis_restart", far))
    rr = _window(errors, events["redis_restart"], events.get("redis_outage", far))
    outage_errors = [e for e in errors if events["redis_outage"] <= e.start < events["redis_outage_done"] + 2]
    in_events = {id(e) for e in errors if events["postgres_restart"] - 2 <= e.start}
    baseline = [e for e in errors if id(e) not in in_events]
    return {
        "requests": len(measured),
        "errors": len(errors),
        "reads": sum(1 for r in measured if r.kind == "read"),
        "writes": len(writes),
        "acknowledged_writes": len(acknowledged),
        "lost_writes": sum(1 for w in acknowledged if w.marker not in stored),
        "phantom_writes": sum(1 for w in answered_error if w.marker in stored),
        "unanswered_writes": len(unanswered),
        "unanswered_writes_stored": sum(1 for w in unanswered if w.marker in stored),
        "postgres_restart": {**pg, "restart_took_s": round(events["postgres_restart_done"] - events["postgres_restart"], 2)},
        "redis_restart": rr,
        "redis_outage": {"errors": len(outage_errors),
                         "seconds": round(events["redis_outage_done"] - events["redis_outage"], 1),
                         **({"error_sample": sorted({e.status for e in outage_errors})[:5]} if outage_errors else {})},
        "baseline_errors": len(baseline),
        "error_sample": sorted({e.status for e in errors})[:8],
        "read_p50_ms": bench._pct([r.end - r.start for r in measured if r.kind == "read" and r.ok], 0.5),
        "read_p95_ms": bench._pct([r.end - r.start for r in measured if r.kind == "read" and r.ok], 0.95),
        "write_p95_ms": bench._pct([r.end - r.start for r in measured if r.kind == "write" and r.ok], 0.95),
    }


def stored_markers(run_id: str) -> set[str]:
    from django.db import connections

    from samverkan.journal.models import JournalNote

    connections.close_all()  # the in-process connection predates the restart
    prefix = f"faults-{run_id}-"
    texts = JournalNote.objects.filter(text__contains=prefix).values_list("text", flat=True)
    return {word for text in texts for word in text.split() if word.startswith(prefix)}


# --- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=200.0, help="measured seconds (at least 180)")
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--think", type=float, default=1.5, help="mean seconds between a client's requests")
    parser.add_argument("--write-share", type=float, default=0.3)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a request counts as failed")
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) + 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pg-restart-at", type=float, default=40.0)
    parser.add_argument("--redis-restart-at", type=float, default=90.0)
    parser.add_argument("--redis-outage-at", type=float, default=140.0)
    parser.add_argument("--redis-outage", type=float, default=10.0, help="seconds Redis stays stopped")
    parser.add_argument("--pg-restart-command", default="",
                        help="default: pg_ctlcluster --skip-systemctl-redirect <version> main restart -m fast")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres", help="a superuser, to create the roles")
    parser.add_argument("--pg-database", default="bench_faults")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--json", action="store_true", help="print only the JSON line on stdout")
    args = parser.parse_args(argv)
    if not (0 < args.pg_restart_at < args.redis_restart_at < args.redis_outage_at
            and args.redis_outage_at + args.redis_outage + 5 < args.duration):
        parser.error("the faults must happen in order, inside the measured phase")
    args.pg_restart_command = args.pg_restart_command or (
        f"pg_ctlcluster --skip-systemctl-redirect {_pg_cluster()} main restart -m fast")
    rng = random.Random(args.seed)
    run_id = uuid.uuid4().hex[:10]
    home = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    (home / "var" / "static").mkdir(parents=True)
    redis_server = OwnRedis()
    server = None
    output: dict[str, Any] = {}
    from urllib.parse import urlsplit

    admin = urlsplit(args.database_url)
    try:
        _log(f"creating roles {OWNER}, {RUNTIME} and database {args.pg_database}")
        owner_url, runtime_url = create_database(args.database_url, args.pg_database)
        redis_server.start()
        secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64))
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "PYTEST"))}
        base_env.update({
            "SAMVERKAN_HOME": str(home), "PYTHONPATH": str(ROOT / "src"), "REDIS_URL": redis_server.url,
            "JOBS_BACKEND": "sync", "LOG_LEVEL": "WARNING", "SECRET_KEY": secret,
            "AUDIT_KEYS": runtime_role.audit_keys(), "AUDIT_CHECKPOINT_FILE": str(home / "var" / "audit-checkpoints.log"),
        })
        prod_env = {**base_env, "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
                    "DATABASE_URL": runtime_url, "MIGRATION_DATABASE_URL": owner_url,
                    "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
                    "CACHE_BACKEND": "redis"}
        _log("migrating as the owner (which then grants the runtime role its rights)")
        subprocess.run([str(VENV_BIN / "samverkan"), "migrate", "--noinput", "--verbosity", "0"],
                       env=prod_env, cwd=home, check=True, capture_output=True)
        subprocess.run([str(VENV_BIN / "samverkan"), "db", "check"], env=prod_env, cwd=home, check=True,
                       capture_output=True)
        subprocess.run([str(VENV_BIN / "samverkan"), "collectstatic", "--noinput", "--verbosity", "0"],
                       env=prod_env, cwd=home, check=True, capture_output=True)
        # In-process (data generation, choosing users, the final count): the test settings,
        # as the owner (COPY, sequences, ANALYZE) with the same audit key.
        os.environ.update({"DATABASE_URL": owner_url, "DJANGO_SETTINGS_MODULE": "samverkan.settings.test",
                           "SAMVERKAN_HOME": str(home), "AUDIT_KEYS": base_env["AUDIT_KEYS"]})
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.db import connections

        world = bench._prepare(rng)
        _log(f"generating {args.people} people")
        rows = bench.generate(world, args.people, notes=(2, 3), audit_per_person=10, rng=rng, quiet=False)
        users = bench.choose_users(args.clients, rng)
        writers = writers_for(world, users)
        connections.close_all()
        server, port = bench.start_server(prod_env, home, args.workers, args.threads, False)
        clients = [bench.Client(port, u) for u in users]
        for c in clients:
            c.login()
        _log(f"{len(clients)} clients logged in; measuring for {args.duration:.0f} s")
        records, events, t0 = asyncio.run(_load(port, clients, writers, redis_server, args, run_id))
        output = analyse(records, events, t0, stored_markers(run_id))
        output["rows"] = rows
        output["config"] = {
            "clients": args.clients, "duration_s": args.duration, "think_s": args.think,
            "write_share": args.write_share, "workers": args.workers, "threads": args.threads,
            "settings": "samverkan.settings.production", "database": "postgresql (runtime role, not owner)",
            "cache": "redis (own server)", "events_s": {k: round(v - t0, 1) for k, v in events.items()},
            "cpus": os.cpu_count(), "machine_load_1m_end": round(os.getloadavg()[0], 2),
        }
    finally:
        if server is not None:
            bench.stop_server(server)
        redis_server.close()
        host, port_ = admin.hostname or "127.0.0.1", admin.port or 5432
        if not _pg_ready(host, port_):
            _log("PostgreSQL is down: starting it")
            _run(args.pg_restart_command.replace(" restart", " start").replace(" -m fast", ""))
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django may not be set up yet
            pass
        if not args.keep_db:
            drop_database(args.database_url, args.pg_database)
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(output) if args.json else json.dumps(output, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

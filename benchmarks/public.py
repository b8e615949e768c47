#!/usr/bin/env python
"""Public-pages benchmark: the area page and tip submission under concurrent clients.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/public.py --json
    .venv/bin/python benchmarks/public.py --json --duration 20 --clients 100
    .venv/bin/python benchmarks/public.py --json --area-rate 0      # closed loop: saturate
    .venv/bin/python benchmarks/public.py --keep ... ; ... --reuse   # seed once, rerun

What it does:

1. Creates a fresh PostgreSQL database (``--pg-database``, default ``bench_public``) on the
   server named by ``--database-url`` / ``DATABASE_URL`` (default
   postgres://postgres@127.0.0.1:5432/postgres), migrates it and seeds it with the demo
   data (``load_demo`` + ``load_public_demo``: six areas, each with an action group,
   premises and a published roster around today, citizen promises, tip routing).
2. Starts the application under gunicorn with the **production settings** on
   127.0.0.1: SECRET_KEY and AUDIT_KEYS are generated, the server connects as a runtime
   role of its own granted by ``samverkan db grants`` (as production requires),
   ``SECURE_SSL_REDIRECT=0`` and
   ``SECURE_HSTS_SECONDS=0`` because the benchmark talks plain http on loopback, the
   cache is Redis (``--redis-url``, default redis://127.0.0.1:6379/6) as in production.
   It waits until a worker answers before loading.

   Server configuration: README's production command, ``gunicorn -c
   python:samverkan.gunicorn_conf samverkan.wsgi``, with ``--workers`` and ``--threads``
   passed as WEB_CONCURRENCY and WEB_THREADS; the shipped configuration
   (src/samverkan/gunicorn_conf.py) is gthread, ``<cores + 1>`` workers x 2 threads,
   keep-alive 75 s, backlog 2048, and its privacy logger writes the access log (to
   /dev/null here) as in production. Why these values: the app is CPU-bound Python, so one process per core (plus one
   to cover a worker blocked in I/O or at a GIL switch) uses both cores without the
   context-switching of more processes; two threads per worker overlap the database
   and Redis round trips (the tip form) without the GIL contention that four threads
   bring to the CPU-heavy staff pages (``benchmarks/cases.py`` at 100,000 people: my
   cases p95 192 ms with 3 x 4, 135 ms with 3 x 2); gthread parks idle keep-alive
   connections in its poller instead of holding a thread, so 200 kept-alive clients
   need no 200 threads; keep-alive outlasts the clients' think time (and, behind a
   proxy, should outlast the proxy's upstream idle timeout). On this 2-core machine
   that is 3 x 2: area page 584.9 req/s, p95 7.3 ms; tip submission 62.8/s (3 x 4 gave
   590.9 req/s, p95 4.6 ms and 71.7/s). These figures predate the access log: one line
   costs the privacy logger 27-50 µs (timeit of PrivacyLogger.access over 20,000 lines on
   this machine while others used it; gunicorn's own logger 24-37 µs), about 1 % of the
   3.4 ms of CPU per request that 585 req/s on two cores implies.

   Anonymous area-page GETs are answered by samverkan.public's early full-response
   cache (public/cache.py): after the first render per worker, language and page, a
   request costs ~0.1 ms of Django time (in-process, measured) instead of ~0.9 ms for
   the full middleware stack answering from the view-level Redis cache. ``early_cache_hit_pct`` in the output shows how many were.
3. Drives ``--clients`` concurrent keep-alive HTTP/1.1 clients (asyncio, one connection
   each) for ``--duration`` seconds against ``/omraden/<code>/`` (areas and languages
   spread over the clients), then the same number of clients against the tip form:
   GET ``/tipsa/`` (CSRF cookie and signed form token), POST the tip, check the
   receipt page. Each phase has a short warm-up that is not counted.

The load generator shares the machine's cores with the server, so it is lean (one
asyncio task and one kept-alive connection per client, no HTTP library) and the
output reports its CPU use (``client_cpu_pct``, percent of one core, from getrusage)
next to the server's (``server_cpu_pct``, the gunicorn process group, from /proc).
A request counts when it was *sent* after the warm-up, so requests queued while the
workers started are not mistaken for steady-state latency.

Load model: the area page phase is *paced* — together the clients offer ``--area-rate``
requests per second (default 600), each client waiting between its requests, as 200
residents reading pages do; the measured rps is what was actually served and latency is
measured from the moment each request was sent. ``--area-rate 0`` makes every client
send its next request as soon as the previous answer arrived (closed loop, maximum
throughput; latency then grows with the queue, by Little's law). The tip phase is closed
loop unless ``--tip-rate`` is given.

Rate limiting is configured for the benchmark: every client comes from 127.0.0.1, so the
tip channel's per-client limit (TIPS_RATE_LIMIT, default 5 per hour in production) would
refuse almost all of them; the script sets ``TIPS_RATE_LIMIT=1000000000`` and
``TIPS_MIN_FILL_SECONDS=0`` (the clients post the form at once). Everything else —
CSRF, the signed one-time token, the honeypot, the keyed-hash rate-limit bookkeeping
itself — runs as in production.

Output (``--json``: one JSON line on stdout):
``{"area_page": {"rps", "p50_ms", "p95_ms", "p99_ms", "errors", "server_errors",
"requests", "early_cache_hit_pct", "client_cpu_pct", "server_cpu_pct"},
"tip_submit": {...}, "tip_form": {...}, "config": {..., "loadavg_at_end"}}``. ``errors`` counts connection failures and every answer that is not
the expected status (200 for pages, 200 with a receipt code for tips); ``server_errors``
counts 5xx answers alone. Targets on a 2-core machine: area page >= 500 rps with p95 <=
50 ms; 0 server errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import runtime_role  # benchmarks/runtime_role.py: the script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LANGS = ["sv", "en", "ar", "so", "sv-ll"]
TOPICS = ["crime", "young_person", "welfare_fraud", "drugs", "weapons", "other"]
TOKEN_RE = re.compile(rb'name="token" value="([^"]+)"')
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE_RE = re.compile(rb'class="code"[^>]*>([A-Z0-9-]{19})<')


def _log(quiet: bool, message: str) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


# --- database ------------------------------------------------------------------------------


def _pg_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, "", ""))


def _pg_recreate(url: str, name: str) -> str:
    import psycopg

    admin = _pg_url(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _pg_url(url, name)


def _pg_drop(url: str, name: str) -> None:
    import psycopg

    admin = _pg_url(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(cmd: list[str], env: dict[str, str], quiet: bool) -> str:
    result = subprocess.run(
        cmd, env=env, cwd=env["SAMVERKAN_HOME"], capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    _log(quiet, f"  {' '.join(cmd[1:3])}: ok")
    return result.stdout


def _wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    """The socket accepts as soon as the master binds it; wait until a worker answers."""
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn died")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/omraden/", timeout=10) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 120 s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- a minimal keep-alive HTTP/1.1 client ------------------------------------------------


class Conn:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, list[str]], bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        parsed: dict[str, list[str]] = {}
        for line in header_lines:
            if ":" in line:
                k, v = line.split(":", 1)
                parsed.setdefault(k.strip().lower(), []).append(v.strip())
        length = int(parsed.get("content-length", ["0"])[0])
        data = await self.reader.readexactly(length) if length else b""
        if parsed.get("connection", [""])[0].lower() == "close":
            await self.close()
        return status, parsed, data


class Stats:
    def __init__(self, track_hits: bool = False) -> None:
        self.track_hits = track_hits
        self.latencies: list[float] = []
        self.errors = 0
        self.server_errors = 0
        self.early_hits = 0
        # Requests count when they were *sent* after the warm-up (steady state): one
        # sent during the warm-up and answered later belongs to the warm-up.
        self.counting_since: float | None = None

    def add(self, seconds: float, ok: bool, status: int, early_hit: bool = False) -> None:
        if self.counting_since is None or time.monotonic() - seconds < self.counting_since:
            return
        self.latencies.append(seconds)
        self.early_hits += early_hit
        if not ok:
            self.errors += 1
        if status >= 500 or status == 0:
            self.server_errors += 1

    def summary(self, elapsed: float) -> dict[str, Any]:
        lat = sorted(self.latencies)
        if not lat:
            return {
                "rps": 0.0,
                "p50_ms": None,
                "p95_ms": None,
                "errors": self.errors,
                "requests": 0,
            }
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        hits = {"early_cache_hit_pct": round(100 * self.early_hits / len(lat), 1)}
        return {
            "rps": round(len(lat) / elapsed, 1),
            "p50_ms": round(statistics.median(lat) * 1000, 2),
            "p95_ms": round(p95 * 1000, 2),
            "p99_ms": round(lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000, 2),
            "errors": self.errors,
            "server_errors": self.server_errors,
            "requests": len(lat),
            **(hits if self.track_hits else {}),
        }


async def _paced(deadline: float, interval: float, rng: random.Random) -> None:
    if interval > 0:
        await asyncio.sleep(rng.uniform(0.5, 1.5) * interval)


async def area_client(
    port: int, paths: list[str], stats: Stats, stop: float, interval: float, seed: int
) -> None:
    rng = random.Random(seed)
    conn = Conn(port)
    lang = LANGS[seed % len(LANGS)]
    headers = {"Cookie": f"samverkan_language={lang}", "Accept": "text/html"}
    if interval > 0:
        await asyncio.sleep(rng.uniform(0, interval))
    while time.monotonic() < stop:
        path = rng.choice(paths)
        start = time.monotonic()
        try:
            status, resp_headers, body = await conn.request("GET", path, headers)
            ok = status == 200 and b"112" in body
            hit = resp_headers.get("x-public-cache", [""])[0] == "hit"
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status, ok, hit = 0, False, False
            await conn.close()
        stats.add(time.monotonic() - start, ok, status, hit)
        await _paced(stop, interval, rng)
    await conn.close()


def _cookie(headers: dict[str, list[str]], name: str) -> str | None:
    for value in headers.get("set-cookie", []):
        if value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


async def tip_client(
    port: int,
    areas: list[str],
    stats: Stats,
    form_stats: Stats,
    stop: float,
    interval: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    conn = Conn(port)
    csrf_cookie: str | None = None
    while time.monotonic() < stop:
        try:
            start = time.monotonic()
            headers = {"Accept": "text/html"}
            if csrf_cookie:
                headers["Cookie"] = f"csrftoken={csrf_cookie}"
            status, resp_headers, body = await conn.request("GET", "/tipsa/", headers)
            form_stats.add(time.monotonic() - start, status == 200, status)
            csrf_cookie = _cookie(resp_headers, "csrftoken") or csrf_cookie
            token = TOKEN_RE.search(body)
            csrf = CSRF_RE.search(body)
            if status != 200 or not token or not csrf or not csrf_cookie:
                stats.add(0.0, False, status)
                continue
            form = urlencode(
                {
                    "csrfmiddlewaretoken": csrf.group(1).decode(),
                    "token": token.group(1).decode(),
                    "area": rng.choice(areas),
                    "topic": rng.choice(TOPICS),
                    "website": "",
                    "text": "Benchmark: en bil står parkerad vid skolan varje kväll. "
                    + secrets.token_hex(8),
                    "contact": "",
                }
            ).encode()
            start = time.monotonic()
            status, _h, body = await conn.request(
                "POST",
                "/tipsa/",
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf_cookie}",
                    "Accept": "text/html",
                },
                form,
            )
            stats.add(
                time.monotonic() - start, status == 200 and CODE_RE.search(body) is not None, status
            )
        except (OSError, asyncio.IncompleteReadError, ValueError):
            stats.add(0.0, False, 0)
            await conn.close()
        await _paced(stop, interval, rng)
    await conn.close()


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the processes of one process group
    (the gunicorn master and its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 (pgrp); fields[0] is field 3 (state)
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


class Meter:
    """CPU of the load generator (this process) and of the server during a phase."""

    def __init__(self, server_pgid: int) -> None:
        self.server_pgid = server_pgid
        self.start()

    def start(self) -> None:
        self.t0 = time.monotonic()
        self.client0 = _client_cpu()
        self.server0 = _group_cpu(self.server_pgid)

    def summary(self) -> dict[str, float]:
        wall = time.monotonic() - self.t0
        return {
            "client_cpu_pct": round(100 * (_client_cpu() - self.client0) / wall, 1),
            "server_cpu_pct": round(
                100 * (_group_cpu(self.server_pgid) - self.server0) / wall, 1
            ),
        }


async def _phase(
    make,
    clients: int,
    duration: float,
    warmup: float,
    stats_list: list[Stats],
    meter: Meter | None = None,
) -> float:
    stop = time.monotonic() + warmup + duration
    tasks = [asyncio.create_task(make(i, stop)) for i in range(clients)]
    await asyncio.sleep(warmup)
    for s in stats_list:
        s.counting_since = time.monotonic()
    if meter is not None:
        meter.start()
    started = time.monotonic()
    await asyncio.gather(*tasks)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds per phase (default 60)"
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument("--json", action="store_true", help="print one JSON line on stdout")
    parser.add_argument(
        "--area-rate",
        type=float,
        default=600.0,
        help="requests/s the area-page clients offer together; 0 = closed loop (default 600)",
    )
    parser.add_argument(
        "--tip-rate",
        type=float,
        default=0.0,
        help="tips/s the tip clients offer together; 0 = closed loop (default)",
    )
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="seconds not counted at the start of a phase"
    )
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) + 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--pg-database", default="bench_public")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database a previous --keep run left (no re-create, migrate or seeding)",
    )
    parser.add_argument("--skip", choices=["area", "tips"], help="skip one phase")
    args = parser.parse_args()
    quiet = args.json

    home = Path(tempfile.mkdtemp(prefix="bench-public-"))
    (home / "var" / "static").mkdir(parents=True)
    _log(quiet, f"creating database {args.pg_database}")
    if args.reuse:
        db_url = _pg_url(args.database_url, args.pg_database)
    else:
        db_url = _pg_recreate(args.database_url, args.pg_database)
    secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64))
    base_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "PYTEST"))
    }
    base_env.update(
        {
            "SAMVERKAN_HOME": str(home),
            "DATABASE_URL": db_url,
            "SECRET_KEY": secret,
            "AUDIT_KEYS": runtime_role.audit_keys(),
            "PYTHONPATH": str(ROOT / "src"),
            "REDIS_URL": args.redis_url,
            "JOBS_BACKEND": "sync",
            "LOG_LEVEL": "WARNING",
            "TIPS_RATE_LIMIT": "1000000000",
            "TIPS_MIN_FILL_SECONDS": "0",
        }
    )
    demo_env = {**base_env, "DJANGO_SETTINGS_MODULE": "samverkan.settings.demo"}
    samverkan = str(VENV_BIN / "samverkan")
    if not args.reuse:
        _run([samverkan, "migrate", "--noinput"], demo_env, quiet)
        _run([samverkan, "load_demo"], demo_env, quiet)
        _run([samverkan, "load_public_demo"], demo_env, quiet)
    prod_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CACHE_BACKEND": "redis",
        "JOBS_BACKEND": "sync",
    }
    _run([samverkan, "collectstatic", "--noinput", "--verbosity", "0"], prod_env, quiet)
    _run([samverkan, "check", "--deploy", "--fail-level", "ERROR"], prod_env, quiet)
    areas_out = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-c",
            "import django; django.setup(); from samverkan.directory.models import Area; "
            "print(' '.join(Area.objects.values_list('code', flat=True)))",
        ],
        env=prod_env,
        cwd=home,
        capture_output=True,
        text=True,
        check=True,
    )
    areas = areas_out.stdout.split()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()

    # The server connects as a runtime role that owns nothing, as in production.
    prod_env["DATABASE_URL"] = runtime_role.prepare(
        db_url, runtime_role.name_for(args.pg_database), samverkan=samverkan, env=prod_env, cwd=home
    )
    port = _free_port()
    server_log = home / "gunicorn-stderr.log"
    with server_log.open("wb") as stderr:
        gunicorn = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "python:samverkan.gunicorn_conf", "samverkan.wsgi"],
            env={
                **prod_env,
                "WEB_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": str(args.workers),
                "WEB_THREADS": str(args.threads),
            },
            cwd=home,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if gunicorn.poll() is not None:
                    raise SystemExit(
                        server_log.read_text(errors="replace")[-4000:] or "gunicorn died"
                    ) from None
                time.sleep(0.1)
        _wait_until_serving(port, gunicorn)
        _log(
            quiet,
            f"gunicorn on port {port}: {args.workers} workers x {args.threads} threads; areas {areas}",
        )
        paths = [f"/omraden/{quote(code)}/" for code in areas]
        result: dict[str, Any] = {}

        async def run_all() -> None:
            if args.skip != "area":
                stats = Stats(track_hits=True)
                meter = Meter(gunicorn.pid)
                interval = args.clients / args.area_rate if args.area_rate > 0 else 0.0
                elapsed = await _phase(
                    lambda i, stop: area_client(port, paths, stats, stop, interval, i),
                    args.clients,
                    args.duration,
                    args.warmup,
                    [stats],
                    meter,
                )
                result["area_page"] = {**stats.summary(elapsed), **meter.summary()}
                _log(quiet, f"area page: {result['area_page']}")
            if args.skip != "tips":
                stats, form_stats = Stats(), Stats()
                meter = Meter(gunicorn.pid)
                interval = args.clients / args.tip_rate if args.tip_rate > 0 else 0.0
                elapsed = await _phase(
                    lambda i, stop: tip_client(
                        port, areas, stats, form_stats, stop, interval, 10_000 + i
                    ),
                    args.clients,
                    args.duration,
                    args.warmup,
                    [stats, form_stats],
                    meter,
                )
                result["tip_submit"] = {**stats.summary(elapsed), **meter.summary()}
                result["tip_form"] = form_stats.summary(elapsed)
                _log(quiet, f"tip submit: {result['tip_submit']}")

        asyncio.run(run_all())
        result["config"] = {
            "clients": args.clients,
            "duration_s": args.duration,
            "area_rate_offered": args.area_rate or "closed-loop",
            "tip_rate_offered": args.tip_rate or "closed-loop",
            "workers": args.workers,
            "threads": args.threads,
            "settings": "samverkan.settings.production",
            "database": "postgresql",
            "cache": "redis",
            "cpus": os.cpu_count(),
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
        if not (args.keep or args.reuse):
            _pg_drop(args.database_url, args.pg_database)
            runtime_role.drop(args.database_url, runtime_role.name_for(args.pg_database))
        shutil.rmtree(home, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""The weekly joint picture benchmark: the week page of one area and of a whole district,
and report submission, at 60 areas x 5 years x 200 reports per area and week (≈ 3.1
million incident reports), against the production server.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/picture.py --json
    .venv/bin/python benchmarks/picture.py --json --small   # 6 areas x 1 year x 20 a week, 4 clients, 5 s
    .venv/bin/python benchmarks/picture.py --keep-db        # leave the database for inspection

What it does:

1. Creates a fresh PostgreSQL database (``--pg-database``, default ``bench_picture``) on the
   server named by ``--database-url`` / ``DATABASE_URL`` (default
   postgres://postgres@127.0.0.1:5432/postgres), migrates it and loads the reference data
   and the incident categories (dropped at the end unless ``--keep-db``).
2. Generates synthetic, fictitious data in SQL, in two steps (a tenth, then the rest):
   ``--areas`` areas (the six reference areas and more, spread over the eleven districts),
   and for each area and each of ``--years`` x 52 weeks ending with the current week
   ``--per-week`` incident reports (INSERT …
   SELECT over generate_series: random category, a point within about 1 km of the area's
   centre, a moment in the week, one of a few short texts, reported by the area's police
   or a housing company), then the WeekCount rows from them (one GROUP BY), then
   VACUUM ANALYZE.
3. Queries per page, in-process (Django test client + CaptureQueriesContext, after one
   warm-up request of the same page), for a city staff member who sees every area: the
   area week page and the district week page for the current week, after the first step
   and at the full size: the counts must be equal (``queries_per_page``: ``area_week``,
   ``district_week``, ``area_week_at_a_tenth``, ``district_week_at_a_tenth``).
4. Starts gunicorn with the production settings exactly as ``benchmarks/cases.py`` does
   (runtime database role of its own, SECRET_KEY and AUDIT_KEYS generated, Redis cache on
   ``--redis-url``, ``gunicorn -c python:samverkan.gunicorn_conf samverkan.wsgi``), signs
   ``--clients`` (default 20) city staff members in through the real login and two-factor
   pages, and lets each loop: an area's week page (a random area and one of the last four
   weeks) → a district's week page → a report submission, ``--think`` seconds (±50 %)
   apart, for ``--duration`` seconds after ``--warmup``. Any page answer other than 200 and
   any submission answer other than a redirect (302/303) is an error (stderr).
   Report submission is a POST to the URL name ``picture:report`` (/trygghet/rapportera/,
   fields area, category, place, lat, lon, when_date, when_time, text).
5. psutil samples the resident memory of every gunicorn process; ``server_peak_rss_mb`` is
   the largest any single process reached.

Output (``--json``: one JSON line on stdout; progress goes to stderr)::

    {"area_week_p95_ms": …, "district_week_p95_ms": …, "report_submit_p95_ms": …,
     "queries_per_page": {…}, "server_peak_rss_mb": …}

Targets on a 2-core machine: p95 <= 200 ms for the pages, <= 100 ms for submission,
queries per page independent of the data size, every server process <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The database helpers, the keep-alive client, the server start and the memory sampler
# of benchmarks/cases.py.
import cases as bench
import production  # benchmarks/production.py: the installation and the measured server

ROOT = bench.ROOT
VENV_BIN = bench.VENV_BIN
PASSWORD = bench.PASSWORD
PAGES = ("area_week", "district_week", "report_submit")
TEXTS = ["Klotter på väggen vid tunnelbanan.", "Trasig belysning i gångtunneln.",
         "Nedskräpning vid busshållplatsen.", "Krossad ruta i portuppgången.", "Övergiven cykel vid skolan."]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _log(message: str) -> None:
    bench._log(False, message)


# --- synthetic data ------------------------------------------------------------------------------


@dataclass
class World:
    areas: list[tuple[int, str, str]] = field(default_factory=list)  # (id, code, district code)
    categories: list[int] = field(default_factory=list)
    org_id: int = 0  # the city's own body (sees every area)
    reports: int = 0


def prepare(n_areas: int) -> World:
    """Reference data, categories, and ``n_areas`` areas over the eleven districts."""
    from samverkan.accounts.reference import ensure_default_roles
    from samverkan.directory.models import Area, District, Organisation
    from samverkan.directory.services import reference_data_load
    from samverkan.picture import reference as categories
    from samverkan.picture.models import Category

    ensure_default_roles()
    reference_data_load()
    categories.load()
    districts = list(District.objects.order_by("code"))
    police = list(Organisation.objects.filter(short_code__startswith="lpo-").order_by("short_code"))
    existing = Area.objects.count()
    for k in range(existing, n_areas):
        Area.objects.create(
            code=f"bench-area-{k + 1}", name=f"Bänkområde {k + 1} (fiktivt)", district=districts[k % len(districts)],
            police_area=police[k % len(police)], centre_lat=59.25 + (k % 10) * 0.02,
            centre_lon=17.85 + (k // 10) * 0.04,
        )
    world = World(org_id=Organisation.objects.get(short_code="sthlm-stadsledningskontoret").pk,
                  categories=list(Category.objects.values_list("pk", flat=True)))
    world.areas = list(Area.objects.order_by("pk").values_list("pk", "code", "district__code")[:n_areas])
    return world


def generate(world: World, *, weeks: int, per_week: int) -> int:
    """Reports for every area and each of the ``weeks`` weeks ending with this one, then
    the weekly counts; returns the number of reports."""
    from django.db import connection

    from samverkan.directory.models import Organisation, OrganisationKind
    from samverkan.picture.models import week_start_of

    housing, _made = Organisation.objects.get_or_create(
        short_code="bench-bostader", defaults={"name": "Bänkbostäder AB (fiktiv)", "kind": OrganisationKind.HOUSING})
    first = week_start_of(date.today()) - timedelta(weeks=weeks - 1)
    categories = "ARRAY[" + ",".join(str(c) for c in world.categories) + "]"
    texts = "ARRAY[" + ",".join("'" + t.replace("'", "''") + "'" for t in TEXTS) + "]"
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for n, (area_id, _code, _district) in enumerate(world.areas):
            # One statement per area: week x report-in-week from generate_series.
            cursor.execute(f"""
                INSERT INTO picture_incidentreport
                    (public_id, area_id, category_id, place_id, lat, lon, occurred_at, week_start, text, photo,
                     organisation_id, source_kind, reporter_id, status, created_at, version)
                SELECT gen_random_uuid(), a.id,
                       ({categories})[1 + floor(random() * {len(world.categories)})::int], NULL,
                       round((a.centre_lat + (random() - 0.5) * 0.018)::numeric, 5),
                       round((a.centre_lon + (random() - 0.5) * 0.036)::numeric, 5),
                       occurred, (occurred AT TIME ZONE 'Europe/Stockholm')::date
                                 - (extract(isodow FROM occurred AT TIME ZONE 'Europe/Stockholm')::int - 1),
                       ({texts})[1 + (g.r %% {len(TEXTS)})], NULL,
                       CASE WHEN g.r %% 3 = 0 THEN {housing.pk} ELSE a.police_area_id END,
                       CASE WHEN g.r %% 3 = 0 THEN 'housing' ELSE 'police_area' END,
                       NULL, 'active', occurred, 1
                FROM directory_area a
                CROSS JOIN generate_series(0, %s - 1) AS w(week)
                CROSS JOIN generate_series(1, %s) AS g(r)
                CROSS JOIN LATERAL (SELECT (%s::date + w.week * 7)::timestamp AT TIME ZONE 'Europe/Stockholm'
                                           + random() * interval '6 days 23 hours' AS occurred) o
                WHERE a.id = %s
            """, [weeks, per_week, first, area_id])
            if n % 10 == 9:
                _log(f"  {n + 1} areas: {time.perf_counter() - t0:.0f} s")
        cursor.execute("DELETE FROM picture_weekcount")
        cursor.execute("""
            INSERT INTO picture_weekcount (area_id, week_start, category_id, source_kind, count)
            SELECT area_id, week_start, category_id, source_kind, count(*)
            FROM picture_incidentreport WHERE status = 'active'
            GROUP BY area_id, week_start, category_id, source_kind
        """)
        cursor.execute("SELECT count(*) FROM picture_incidentreport")
        world.reports = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _log(f"  {world.reports} reports and their weekly counts: {time.perf_counter() - t0:.0f} s")
    return world.reports


# --- users, pages, queries -------------------------------------------------------------------------


def make_users(world: World, n: int) -> list[bench.BenchUser]:
    """``n`` city staff members (caseworker: the picture and reporting in every area) with
    a password (argon2, as production hashes it) and a TOTP device each."""
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.accounts.models import Role, User

    hasher = Argon2PasswordHasher()
    role = Role.objects.get(code="caseworker")
    result = []
    for k in range(n):
        user = User.objects.create(username=f"benchpicture{k}", organisation_id=world.org_id, is_demo=True,
                                   first_name="Bänk", last_name=f"Användare {k}",
                                   email=f"benchpicture{k}@bench.invalid",
                                   password=hasher.encode(PASSWORD, hasher.salt()))
        user.roles.add(role)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        result.append(bench.BenchUser(username=user.username, key=device.key, step=device.step, t0=device.t0,
                                      digits=device.digits, drift=device.drift, case_ids=[], identities=[]))
    return result


def report_path() -> str:
    from django.urls import reverse

    return reverse("picture:report")


def paths(world: World) -> dict[str, str]:
    from django.urls import reverse

    from samverkan.picture.models import week_start_of
    from samverkan.picture.selectors.week import week_code

    week = week_code(week_start_of(date.today()))
    _area_id, code, district = world.areas[0]
    return {"area_week": reverse("picture:area_week", args=[code, week]),
            "district_week": reverse("picture:district_week", args=[district, week])}


def queries_per_page(username: str, world: World, statements: dict[str, list[str]] | None = None,
                     ) -> dict[str, int | None]:
    """Queries each page costs in-process for the current week (after a warm-up request
    of the same page); None for a page that does not answer 200. ``statements`` (when
    given) receives each page's SQL, so that differing counts can be shown."""
    import django_otp
    from django.db import connection
    from django.http import HttpRequest
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
    from samverkan.accounts.models import User

    account = User.objects.get(username=username)
    client = Client()
    client.force_login(account, backend="samverkan.accounts.backends.PasswordBackend")
    request = HttpRequest()
    request.session = client.session
    request.user = account
    django_otp.login(request, TOTPDevice.objects.get(user=account, confirmed=True))
    request.session[SESSION_LOGIN_AT] = request.session[SESSION_LAST_SEEN] = time.time()
    request.session.save()
    result: dict[str, int | None] = {}
    for name, path in paths(world).items():
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        result[name] = len(ctx.captured_queries) if response.status_code == 200 else None
        if statements is not None:
            statements[name] = [q["sql"] for q in ctx.captured_queries]
        if response.status_code != 200:
            _log(f"  {name}: {path} answered {response.status_code}")
    return result


# --- the load ------------------------------------------------------------------------------------


def run_load(port: int, users: list[bench.BenchUser], world: World, *, duration: float, warmup: float,
             think: float, rng: random.Random) -> dict[str, Any]:
    from django.urls import reverse

    from samverkan.picture.models import week_start_of
    from samverkan.picture.selectors.week import week_code

    clients = [bench.Client(port, u) for u in users]
    for c in clients:
        c.sign_in()
    submit = report_path()
    tokens = [c.csrf(submit) for c in clients]
    monday = week_start_of(date.today())
    weeks = [week_code(monday - timedelta(weeks=k)) for k in range(4)]
    districts = sorted({d for _pk, _code, d in world.areas})
    plan = {
        "area_week": [reverse("picture:area_week", args=[code, w]) for _pk, code, _d in world.areas for w in weeks],
        "district_week": [reverse("picture:district_week", args=[d, w]) for d in districts for w in weeks],
    }
    pages = ["area_week", "district_week", "report_submit"]
    return asyncio.run(_measure(port, clients, tokens, plan, pages, submit, world, duration=duration,
                                warmup=warmup, think=think, seeds=[rng.randint(0, 10**9) for _ in clients]))


async def _measure(port: int, clients: list[bench.Client], tokens: list[str], plan: dict[str, list[str]],
                   pages: list[str], submit: str, world: World, *, duration: float, warmup: float, think: float,
                   seeds: list[int]) -> dict[str, Any]:
    from django.utils import timezone

    stop = time.perf_counter() + warmup + duration
    measure_from = time.perf_counter() + warmup
    times: dict[str, list[float]] = {page: [] for page in pages}
    errors: list[str] = []

    async def worker(client: bench.Client, token: str, seed: int) -> None:
        r = random.Random(seed)
        connection = bench.Connection(port, client.cookies)
        await asyncio.sleep(r.random() * think)
        try:
            while time.perf_counter() < stop:
                for page in pages:
                    if page == "report_submit":
                        area_id = r.choice(world.areas)[0]
                        data: dict[str, str] | None = {
                            "csrfmiddlewaretoken": token, "area": str(area_id),
                            "category": str(r.choice(world.categories)), "place": "",
                            "lat": "", "lon": "",  # no point chosen: the area's centre
                            "when_date": timezone.localdate().isoformat(),
                            "when_time": timezone.localtime().strftime("%H:%M"),
                            "text": r.choice(TEXTS)}
                        call: tuple[str, str, dict[str, str] | None] = ("POST", submit, data)
                        good = {302, 303}
                    else:
                        call, good = ("GET", r.choice(plan[page]), None), {200}
                    t0 = time.perf_counter()
                    try:
                        code = await connection.request(*call)
                        ok, status = code in good, str(code)
                    except Exception as exc:  # connection failure: an error, keep going
                        ok, status = False, type(exc).__name__
                        await connection.close()
                    elapsed = time.perf_counter() - t0
                    if t0 >= measure_from:
                        if ok:
                            times[page].append(elapsed)
                        else:
                            errors.append(f"{page}:{status}")
                    await asyncio.sleep(think * (0.5 + r.random()))
                    if time.perf_counter() >= stop:
                        break
        finally:
            await connection.close()

    await asyncio.gather(*(worker(c, t, s) for c, t, s in zip(clients, tokens, seeds, strict=True)))
    result: dict[str, Any] = {}
    for page, values in times.items():
        result[f"{page}_p50_ms"] = bench._pct(values, 0.50)
        result[f"{page}_p95_ms"] = bench._pct(values, 0.95)
        result[f"{page}_requests"] = len(values)
    result["errors"] = len(errors)
    if errors:
        result["error_sample"] = sorted(set(errors))[:5]
    return result


# --- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--small", action="store_true",
                        help="a quick check: 6 areas x 1 year x 20 a week, 4 clients, 5 s")
    parser.add_argument("--areas", type=int, default=60)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-week", type=int, default=200, help="reports per area and week")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between a client's requests")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) + 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--pg-database", default="bench_picture")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--json", action="store_true", help="print only the JSON line on stdout")
    args = parser.parse_args(argv)
    if args.small:
        args.areas, args.years, args.per_week = 6, 1, 20
        args.clients, args.duration, args.warmup = 4, 5.0, 2.0
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must name a PostgreSQL server")
    if args.areas < 6:
        parser.error("--areas: at least the six reference areas")
    rng = random.Random(args.seed)

    output: dict[str, Any] = {}
    with production.installation(prefix="bench-picture-", database_url=args.database_url,
                                 pg_database=args.pg_database, redis_url=args.redis_url, keep_db=args.keep_db,
                                 log=_log) as site:
        world = prepare(args.areas)
        weeks = args.years * 52
        tenth = max(1, args.per_week // 10)
        _log(f"generating a tenth: {len(world.areas)} areas x {weeks} weeks x {tenth} reports")
        generate(world, weeks=weeks, per_week=tenth)
        users = make_users(world, args.clients)
        sql_tenth: dict[str, list[str]] = {}
        sql_full: dict[str, list[str]] = {}
        qpp_tenth = queries_per_page(users[0].username, world, sql_tenth)
        _log(f"queries per page at a tenth: {qpp_tenth}")
        _log(f"generating the rest: {len(world.areas)} areas x {weeks} weeks x {args.per_week - tenth} reports")
        generate(world, weeks=weeks, per_week=args.per_week - tenth)
        qpp_full = queries_per_page(users[0].username, world, sql_full)
        _log(f"queries per page at the full size: {qpp_full}")
        for name in sorted(set(sql_tenth) & set(sql_full)):
            if len(sql_tenth[name]) != len(sql_full[name]):
                _log(f"  {name}: queries at a tenth and not at the full size, or the other way round:")
                for line in difflib.unified_diff([q[:160] for q in sql_tenth[name]],
                                                 [q[:160] for q in sql_full[name]], lineterm="", n=0):
                    _log(f"    {line}")
        qpp: dict[str, int | None] = {**qpp_full, **{f"{k}_at_a_tenth": v for k, v in qpp_tenth.items()}}
        load, peak = production.measure(site, workers=args.workers, threads=args.threads, run=lambda port: run_load(
            port, users, world, duration=args.duration, warmup=args.warmup, think=args.think, rng=rng))
        load["reports"] = world.reports
        _log(f"load: {json.dumps(load)}")
        output = {
            "area_week_p95_ms": load.get("area_week_p95_ms"),
            "district_week_p95_ms": load.get("district_week_p95_ms"),
            "report_submit_p95_ms": load.get("report_submit_p95_ms"),
            "queries_per_page": qpp,
            "server_peak_rss_mb": peak,
        }
    print(json.dumps(output) if args.json else json.dumps(output, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

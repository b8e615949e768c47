#!/usr/bin/env python
"""Individual-track benchmark: "my cases", case detail, identity look-up, a search by name
and a filtered, sorted case list at 10,000 and 100,000 people, against the production
server.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/cases.py --json
    .venv/bin/python benchmarks/cases.py --json --sizes 10000 --duration 15
    .venv/bin/python benchmarks/cases.py --sizes 10000,100000 --clients 20 --keep-db
    .venv/bin/python benchmarks/cases.py --json --sizes 10000 --keep-db --reuse-db   # measure again without regenerating

What it does:

1. Creates a fresh PostgreSQL database (``--pg-database``, default ``bench_cases``) on the
   server named by ``--database-url`` / ``DATABASE_URL`` (default
   postgres://postgres@127.0.0.1:5432/postgres) and migrates it (dropped at the end
   unless ``--keep-db``).
2. For each size in ``--sizes`` (ascending; each size adds to the previous one) it
   generates synthetic, fictitious data with COPY (psycopg's copy API): people 12-29
   years old in the four districts that run SIG unga / SIG unga vuxna, one case each
   with a team (the district's social services: lead coordinator and caseworker; the
   local police area; the school administration; probation for 30 %), staff users with
   caseloads of 30-60 cases per team role, the adult participants' own consent (valid,
   covering the team), ``--notes`` signed journal notes per person (default 10-12, by
   the team's organisations in their categories) and ``--audit`` audit events per
   person (default 51) through ``audit.services.bulk_append`` — the hash chain stays
   valid (checked on a sample at the end). Then VACUUM ANALYZE.
3. Queries per page, in-process (Django test client + CaptureQueriesContext, after one
   warm-up request) for one team member: my cases, a case detail, a look-up, a name
   search and the filtered list.
4. Starts gunicorn with the **production settings** (SECRET_KEY and AUDIT_KEYS generated,
   connected as a runtime role of its own granted by ``samverkan db grants``,
   SECURE_SSL_REDIRECT=0 and SECURE_HSTS_SECONDS=0 on plain-http loopback,
   JOBS_BACKEND=sync, Redis cache on ``--redis-url``) with README's production command
   (``gunicorn -c python:samverkan.gunicorn_conf samverkan.wsgi``, the shipped
   configuration and privacy logger): ``--workers`` (default cores + 1, as
   WEB_CONCURRENCY) gthread workers with ``--threads`` (default 2, as WEB_THREADS)
   threads, and logs ``--clients`` (default 20) different team members in through the real login and two-factor pages (TOTP computed from the
   device row). Each client then loops: my cases → one of its cases → a look-up of one
   of its participants by identity number → a search (POST) by the last name of one of
   its participants → its active cases with a valid consent, sorted by next meeting
   (``FILTERED_LIST``), waiting ``--think`` seconds (±50 %) between
   requests, as staff reading cases do, for ``--duration`` seconds after a
   ``--warmup``. Latency is measured from sending each request to reading the whole
   answer; any answer other than 200 counts as an error. The measured loop runs all
   clients on one asyncio event loop with keep-alive connections (a small HTTP/1.1
   client below), so the load generator takes little of the CPU it shares with the
   server and no client's timing waits for another client's thread.
5. psutil samples the resident memory of every gunicorn process (master and workers)
   throughout; ``server_peak_rss_mb`` is the largest any single process reached.

Output (``--json``: one JSON line on stdout)::

    {"sizes": {"10000": {"my_cases_p95_ms": …, "case_detail_p95_ms": …, "lookup_p95_ms": …,
               "name_search_p95_ms": …, "case_list_filtered_p95_ms": …,
               "queries_per_page": {"my_cases": …, "case_detail": …, "lookup": …,
                                    "name_search": …, "case_list_filtered": …},
               "my_cases_p50_ms": …, …, "requests": …, "errors": …, "rows": {…}}, "100000": {…}},
     "server_peak_rss_mb": …, "config": {…}}

Targets on a 2-core machine: p95 <= 150 ms at 100,000 people; p95(100k)/p95(10k) <= 1.5;
queries per page independent of the data size; every server process <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import runtime_role  # benchmarks/runtime_role.py: the script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-Password-9-long"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIRST = ["Ali", "Amina", "Elias", "Fatima", "Hugo", "Ida", "Jonas", "Leila", "Liam", "Maja", "Noah",
         "Nora", "Omar", "Sara", "Selma", "William", "Yusuf", "Zara", "Alva", "Mohamed"]
LAST = ["Ahmed", "Andersson", "Berg", "Hassan", "Johansson", "Karlsson", "Lind", "Mohamud", "Nilsson",
        "Olsson", "Persson", "Said", "Svensson", "Yilmaz", "Ali", "Holm", "Ek", "Osman"]
NOTE_TEXTS = [
    "Samtal med deltagaren om skolgång och fritid. Planerat nytt möte om två veckor.",
    "Uppföljning av åtagandet; kontakt tagen med skolan om närvaro.",
    "Deltagaren kom till mötet och berättade om läget hemma.",
    "Kontakt med vårdnadshavare per telefon; inget nytt att rapportera.",
    "Avstämning i teamet om nästa steg i planen.",
]
# The filtered, sorted list the loop reads: every case's access is needed (consent
# filter, next-meeting sort), the heaviest of the list's paths.
FILTERED_LIST = "/arenden/?status=active&consent=valid&sort=meeting"
PAGES = ("my_cases", "case_detail", "lookup", "name_search", "case_list_filtered")
ORG_CATEGORIES = {"lead": ["social", "basic", "family", "housing"], "police": ["crime"],
                  "school": ["school"], "probation": ["work", "crime"]}


def _log(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- database ------------------------------------------------------------------------------


def _pg_url(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, "", ""))


def _pg_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(_pg_url(url, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True)


def _pg_recreate(url: str, name: str) -> str:
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _pg_url(url, name)


def _pg_exists(url: str, name: str) -> bool:
    with _pg_admin(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _pg_drop(url: str, name: str) -> None:
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000, 1)


# --- synthetic data --------------------------------------------------------------------------


def _copy(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY ``rows`` (dicts by field attname) into ``model``'s table; fields left out take
    their default (auto_now / auto_now_add: now). Returns the number of rows."""
    from django.db import connection, models
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    fields = list(model._meta.concrete_fields)
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    now = timezone.now()
    plan = []
    for f in fields:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = None if auto else f.get_default()
        plan.append((f.attname, auto, default, isinstance(f, models.JSONField), f.null))
    count = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            values = []
            for attname, auto, default, is_json, null in plan:
                if attname in row:
                    value = row[attname]
                elif auto:
                    value = now
                else:
                    value = default
                    if value is None and not null:
                        raise KeyError(f"{model.__name__}.{attname} needs a value")
                if is_json and value is not None:
                    value = Jsonb(value)
                values.append(value)
            copy.write_row(values)
            count += 1
    return count


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _reset_sequence(model: Any) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT COALESCE(MAX(id), 1) FROM " + f'"{table}"))',
            [f'"{table}"', "id"],
        )


@dataclass
class Pool:
    """Staff of one organisation in one team role, each taking 30-60 cases."""

    organisation_id: int
    role_code: str
    team_role: str
    rng: random.Random
    current: int | None = None
    left: int = 0
    new_users: list[dict[str, Any]] = field(default_factory=list)

    def take(self, next_user_id: list[int]) -> int:
        if self.current is None or self.left <= 0:
            uid = next_user_id[0]
            next_user_id[0] += 1
            self.new_users.append({"id": uid, "organisation_id": self.organisation_id, "role": self.role_code})
            self.current, self.left = uid, self.rng.randint(30, 60)
        self.left -= 1
        return self.current  # type: ignore[return-value]


@dataclass
class World:
    districts: list[dict[str, Any]]
    school_id: int
    probation_id: int
    role_ids: dict[str, int]
    pools: dict[tuple[int, str], Pool] = field(default_factory=dict)
    people: int = 0


def _prepare(rng: random.Random) -> World:
    from samverkan.accounts.models import Role
    from samverkan.cases import reference as programmes
    from samverkan.cases.models import Programme
    from samverkan.consent import reference as legal_bases
    from samverkan.directory.models import District, Organisation
    from samverkan.directory.reference_data import AREAS
    from samverkan.directory.services import reference_data_load
    from samverkan.people.models import Person

    reference_data_load()
    programmes.load()
    legal_bases.load()
    police_of = {district: police for _c, _n, district, police, _p in AREAS}
    districts = []
    for district in District.objects.filter(code__in=police_of).order_by("code"):
        young = Programme.objects.get(code=f"sig-unga-{district.code}")
        adult = Programme.objects.get(code=f"sig-unga-vuxna-{district.code}")
        districts.append({
            "id": district.pk, "lead": district.administration_id,
            "police": Organisation.objects.get(short_code=police_of[district.code]).pk,
            "young": young.pk, "adult": adult.pk,
        })
    org = Organisation.objects.get
    return World(
        districts=districts, school_id=org(short_code="sthlm-utbildningsforvaltningen").pk,
        probation_id=org(short_code="frivarden-stockholm").pk,
        role_ids=dict(Role.objects.values_list("code", "pk")),
        people=Person.objects.count(),  # > 0 when --reuse-db finds an earlier run's data
    )


def generate(world: World, target: int, *, notes: tuple[int, int], audit_per_person: int, rng: random.Random,
             quiet: bool) -> dict[str, int]:
    """Add people (and everything of theirs) until ``target`` people exist."""
    from django.db import connection, transaction
    from django.utils import timezone

    from samverkan.accounts.models import User
    from samverkan.audit.actions import Action
    from samverkan.audit.services import bulk_append
    from samverkan.cases.models import Case, TeamMember
    from samverkan.consent.models import Consent
    from samverkan.journal.models import JournalNote
    from samverkan.lib.identity_numbers import make_fictitious
    from samverkan.people.models import Person, name_search_key

    count = target - world.people
    if count <= 0:
        return {}
    today = timezone.localdate()
    now = timezone.now()
    first_person = _next_id(Person)
    first_case = _next_id(Case)
    next_member = [_next_id(TeamMember)]
    next_note = [_next_id(JournalNote)]
    next_user = [max(_next_id(User), 1000)]
    next_consent = [_next_id(Consent)]
    through = Consent.organisations.through
    next_consent_org = [_next_id(through)]
    oldest = today.replace(year=today.year - 29) + timedelta(days=1)
    span = (today.replace(year=today.year - 12) - oldest).days
    cases: list[dict[str, Any]] = []
    persons: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    consents: list[dict[str, Any]] = []
    consent_orgs: list[dict[str, Any]] = []
    note_plan: list[tuple[int, list[tuple[str, int, int]], datetime]] = []
    for n in range(count):
        i = world.people + n
        pid, cid = first_person + n, first_case + n
        d = world.districts[i % len(world.districts)]
        birth = oldest + timedelta(days=i % span)
        identity = make_fictitious(birth, i // span)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        persons.append({
            "id": pid, "identity_number": identity, "identity_kind": "personnummer",
            "first_name": first, "last_name": last, "name_search": name_search_key(first, last), "birth_date": birth,
            "is_fictitious": True, "organisation_id": d["lead"],  # the lead's own person record
        })
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        opened = now - timedelta(days=rng.randint(1, 900), seconds=rng.randint(0, 86_399))
        cases.append({
            "id": cid, "public_id": uuid.uuid4(), "programme_id": d["adult"] if age >= 19 else d["young"],
            "person_id": pid, "lead_organisation_id": d["lead"], "district_id": d["id"],
            "status": "active" if rng.random() < 0.85 else "closed", "intake_source": "police",
            "received_on": opened.date(), "decided_at": opened, "opened_at": opened, "last_entry_at": now,
        })
        slots = [(d["lead"], "coordinator", "lead_coordinator", "lead"), (d["lead"], "caseworker", "caseworker", "lead"),
                 (d["police"], "caseworker", "caseworker", "police"),
                 (world.school_id, "caseworker", "caseworker", "school")]
        if rng.random() < 0.3:
            slots.append((world.probation_id, "caseworker", "caseworker", "probation"))
        team: list[tuple[str, int, int]] = []
        for org_id, role_code, team_role, kind in slots:
            pool = world.pools.setdefault((org_id, team_role), Pool(org_id, role_code, team_role, rng))
            user_id = pool.take(next_user)
            members.append({"id": next_member[0], "case_id": cid, "user_id": user_id, "organisation_id": org_id,
                            "team_role": team_role, "active": True, "added_at": opened})
            next_member[0] += 1
            team.append((kind, org_id, user_id))
        eighteen = date(birth.year + 18, birth.month, min(birth.day, 28))
        given = today - timedelta(days=30)
        if eighteen <= given:
            consents.append({"id": next_consent[0], "case_id": cid, "giver": "person", "given_on": given,
                             "valid_from": given, "valid_to": today + timedelta(days=300),
                             "categories": ["basic", "plan", "meeting", "social", "school", "crime", "family",
                                            "work", "housing", "leisure"],
                             "recorded_by_id": team[0][2], "recorded_at": now})
            for org_id in sorted({org for _kind, org, _u in team}):
                consent_orgs.append({"id": next_consent_org[0], "consent_id": next_consent[0],
                                     "organisation_id": org_id})
                next_consent_org[0] += 1
            next_consent[0] += 1
        note_plan.append((cid, team, opened))

    def note_rows() -> Iterator[dict[str, Any]]:
        for cid, team, opened in note_plan:
            for _ in range(rng.randint(*notes)):
                kind, org_id, user_id = team[0] if rng.random() < 0.5 else rng.choice(team)
                at = opened + timedelta(seconds=rng.randint(60, max(61, int((now - opened).total_seconds()))))
                yield {"id": next_note[0], "public_id": uuid.uuid4(), "case_id": cid,
                       "recorded_by_organisation_id": org_id, "author_id": user_id,
                       "category": rng.choice(ORG_CATEGORIES[kind]), "occurred_on": at.date(),
                       "text": rng.choice(NOTE_TEXTS), "created_at": at, "signed_at": at}
                next_note[0] += 1

    users = [u for pool in world.pools.values() for u in pool.new_users]
    for pool in world.pools.values():
        pool.new_users = []
    rows: dict[str, int] = {}
    t0 = time.perf_counter()
    with transaction.atomic():
        rows["users"] = _copy(User, ({
            "id": u["id"], "username": f"bench{u['id']}", "password": "!", "first_name": rng.choice(FIRST),
            "last_name": rng.choice(LAST), "email": f"bench{u['id']}@bench.invalid", "is_active": True,
            "organisation_id": u["organisation_id"], "is_demo": True, "date_joined": now,
        } for u in users))
        first_role_row = _next_id(User.roles.through)
        _copy(User.roles.through, ({"id": first_role_row + n, "user_id": u["id"],
                                    "role_id": world.role_ids[u["role"]]} for n, u in enumerate(users)))
        rows["people"] = _copy(Person, persons)
        rows["cases"] = _copy(Case, cases)
        rows["team_members"] = _copy(TeamMember, members)
        rows["consents"] = _copy(Consent, consents)
        _copy(through, consent_orgs)
        _log(quiet, f"  users, people, cases, teams, consents: {time.perf_counter() - t0:.0f} s")
        rows["notes"] = _copy(JournalNote, note_rows())
        _log(quiet, f"  {rows['notes']} notes: {time.perf_counter() - t0:.0f} s")
        for model in (User, User.roles.through, Person, Case, TeamMember, Consent, through, JournalNote):
            _reset_sequence(model)
    actions = [Action.CASE_VIEWED.value, Action.NOTES_VIEWED.value, Action.CASE_LISTED.value,
               Action.NOTE_CREATED.value, Action.PERSON_LOOKUP.value]
    start_ts = int((now - timedelta(days=700)).timestamp() * 1_000_000)
    step = max(1, int(700 * 86_400 * 1_000_000 / max(1, count * audit_per_person)))

    def audit_rows() -> Iterator[dict[str, Any]]:
        k = 0
        for c, (_cid, team, _opened) in zip(cases, note_plan, strict=True):
            team_users = [user_id for _kind, _org, user_id in team]
            for j in range(audit_per_person):
                k += 1
                yield {"ts": start_ts + k * step // 10, "actor_id": team_users[j % len(team_users)],
                       "actor_organisation_id": c["lead_organisation_id"], "action": actions[j % len(actions)],
                       "subject_type": "case", "subject_id": str(c["public_id"]),
                       "subject_organisation_id": c["lead_organisation_id"],
                       "detail": {"shown": j % 7} if j % 3 == 0 else None}

    t1 = time.perf_counter()
    rows["audit_events"] = bulk_append(audit_rows(), batch_size=20_000)
    _log(quiet, f"  {rows['audit_events']} audit events: {time.perf_counter() - t1:.0f} s")
    world.people = target
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # outside a transaction: Django autocommits here
    rows["seconds"] = round(time.perf_counter() - t0)
    return rows


# --- the benchmark users -----------------------------------------------------------------------


@dataclass
class BenchUser:
    username: str
    key: str
    step: int
    t0: int
    digits: int
    drift: int
    case_ids: list[str]
    identities: list[str]
    names: list[str] = field(default_factory=list)  # the participants' last names, for the name search


def choose_users(n: int, rng: random.Random) -> list[BenchUser]:
    """``n`` team members (social services, police, school) with 30-60 active
    memberships: a password (argon2, as production hashes it) and a TOTP device each."""
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.db.models import Count, Q
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.accounts.models import User
    from samverkan.cases.models import TeamMember

    candidates = list(
        User.objects.filter(username__startswith="bench")
        .annotate(n=Count("case_memberships", filter=Q(case_memberships__active=True)))
        .filter(n__gte=30, n__lte=60).values_list("pk", flat=True)
    )
    chosen = rng.sample(candidates, n)
    hasher = Argon2PasswordHasher()
    result = []
    for uid in chosen:
        user = User.objects.get(pk=uid)
        User.objects.filter(pk=uid).update(password=hasher.encode(PASSWORD, hasher.salt()))
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        memberships = TeamMember.objects.filter(user_id=uid, active=True).select_related("case__person")
        result.append(BenchUser(
            username=user.username, key=device.key, step=device.step, t0=device.t0, digits=device.digits,
            drift=device.drift, case_ids=[str(m.case.public_id) for m in memberships],
            identities=[m.case.person.identity_number for m in memberships],
            names=[m.case.person.last_name for m in memberships],
        ))
    return result


def queries_per_page(user: BenchUser) -> dict[str, int]:
    """Queries each page costs in-process (after a warm-up request of the same page)."""
    import django_otp
    from django.db import connection
    from django.http import HttpRequest
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
    from samverkan.accounts.models import User

    account = User.objects.get(username=user.username)
    client = Client()
    client.force_login(account, backend="samverkan.accounts.backends.PasswordBackend")
    request = HttpRequest()
    request.session = client.session
    request.user = account
    django_otp.login(request, TOTPDevice.objects.get(user=account, confirmed=True))
    request.session[SESSION_LOGIN_AT] = request.session[SESSION_LAST_SEEN] = time.time()
    request.session.save()
    pages = {
        "my_cases": lambda: client.get("/arenden/"),
        "case_detail": lambda: client.get(f"/arenden/{user.case_ids[0]}/"),
        "lookup": lambda: client.post("/arenden/sok/", {"identity": user.identities[0],
                                                         "purpose": "Förberedelse inför samverkansmöte"}),
        "name_search": lambda: client.post("/arenden/", {"name": user.names[0]}),
        "case_list_filtered": lambda: client.get(FILTERED_LIST),
    }
    result = {}
    for name, call in pages.items():
        assert call().status_code == 200, name
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        assert response.status_code == 200, name
        result[name] = len(ctx.captured_queries)
    return result


# --- the load ------------------------------------------------------------------------------------


class Client:
    """One logged-in staff member: requests with keep-alive; cookies kept by hand (the
    production cookies are Secure, and the benchmark talks plain http on loopback)."""

    def __init__(self, port: int, user: BenchUser) -> None:
        import requests

        self.base = f"http://127.0.0.1:{port}"
        self.user = user
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Any:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": self.base + path}
        response = self.http.request(method, self.base + path, data=data, headers=headers,
                                     allow_redirects=False, timeout=30)
        self.cookies.update(response.cookies.get_dict())
        return response

    def csrf(self, path: str) -> str:
        match = CSRF_RE.search(self.request("GET", path).text)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)

    def login(self) -> None:
        """Sign in, then keep the look-up page's CSRF token (for the identity look-ups and the
        name searches: one session, one token)."""
        self.sign_in()
        self.lookup_token = self.csrf("/arenden/sok/")

    def sign_in(self) -> None:
        """The real login and two-factor pages."""
        from binascii import unhexlify

        from django_otp.oath import totp

        token = self.csrf("/konto/logga-in/")
        r = self.request("POST", "/konto/logga-in/", {"csrfmiddlewaretoken": token, "username": self.user.username,
                                                       "password": PASSWORD})
        if r.status_code != 302:
            raise RuntimeError(f"login failed for {self.user.username}: {r.status_code}")
        token = self.csrf("/konto/tvastegsverifiering/")
        code = totp(unhexlify(self.user.key), self.user.step, self.user.t0, self.user.digits, self.user.drift)
        r = self.request("POST", "/konto/tvastegsverifiering/",
                         {"csrfmiddlewaretoken": token, "token": f"{code:0{self.user.digits}d}"})
        if r.status_code != 302:
            raise RuntimeError(f"two-factor failed for {self.user.username}: {r.status_code}")


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams, for the measured phase.

    One event-loop thread drives all clients, so the load generator costs little CPU on
    the machine it shares with the server, and no client waits for another thread (or
    the GIL) before its response is timed."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.cookies = dict(cookies)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.location = ""  # the last answer's Location header (benchmarks/faults.py checks redirects)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, data: dict[str, str] | None = None) -> int:
        """Send one request and read the whole answer; returns the status code."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        body = urlencode(data).encode() if data else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                f"Referer: http://127.0.0.1:{self.port}{path}",
                "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())]
        if data is not None:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length, chunked, close = 0, False, False
        self.location = ""
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "location":
                self.location = value
            elif name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if chunked:
            while (size := int((await self.reader.readline()).split(b";")[0], 16)) > 0:
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            await self.reader.readexactly(length)
        if close:
            await self.close()
        return status


def run_load(port: int, users: list[BenchUser], *, duration: float, warmup: float, think: float,
             rng: random.Random) -> dict[str, Any]:
    """Log every client in (real login and two-factor pages), then run the measured loop."""
    clients = [Client(port, u) for u in users]
    for c in clients:
        c.login()
    return asyncio.run(_measure(port, clients, duration=duration, warmup=warmup, think=think,
                                seeds=[rng.randint(0, 10**9) for _ in clients]))


async def _measure(port: int, clients: list[Client], *, duration: float, warmup: float, think: float,
                   seeds: list[int]) -> dict[str, Any]:
    stop = time.perf_counter() + warmup + duration
    measure_from = time.perf_counter() + warmup
    times: dict[str, list[float]] = {page: [] for page in PAGES}
    errors: list[str] = []

    async def worker(client: Client, seed: int) -> None:
        r = random.Random(seed)
        connection = Connection(port, client.cookies)
        await asyncio.sleep(r.random() * think)
        try:
            while time.perf_counter() < stop:
                for page in PAGES:
                    if page == "my_cases":
                        call: tuple[str, str, dict[str, str] | None] = ("GET", "/arenden/", None)
                    elif page == "case_detail":
                        call = ("GET", f"/arenden/{r.choice(client.user.case_ids)}/", None)
                    elif page == "name_search":  # POST: a name never enters a URL
                        call = ("POST", "/arenden/", {"csrfmiddlewaretoken": client.lookup_token,
                                                      "name": r.choice(client.user.names)})
                    elif page == "case_list_filtered":
                        call = ("GET", FILTERED_LIST, None)
                    else:
                        call = ("POST", "/arenden/sok/", {"csrfmiddlewaretoken": client.lookup_token,
                                                          "identity": r.choice(client.user.identities),
                                                          "purpose": "Förberedelse inför samverkansmöte"})
                    t0 = time.perf_counter()
                    try:
                        code = await connection.request(*call)
                        ok, status = code == 200, str(code)
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

    await asyncio.gather(*(worker(c, seed) for c, seed in zip(clients, seeds, strict=True)))
    result: dict[str, Any] = {}
    for page, values in times.items():
        result[f"{page}_p50_ms"] = _pct(values, 0.50)
        result[f"{page}_p95_ms"] = _pct(values, 0.95)
    result["requests"] = sum(len(v) for v in times.values())
    result["rps"] = round(result["requests"] / duration, 1)
    result["errors"] = len(errors)
    if errors:
        result["error_sample"] = sorted(set(errors))[:5]
    return result


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak: dict[int, int] = {}
        self.running = True

    def run(self) -> None:
        import psutil

        while self.running:
            try:
                master = psutil.Process(self.pid)
                for p in [master, *master.children(recursive=True)]:
                    try:
                        rss = p.memory_info().rss
                    except psutil.Error:
                        continue
                    self.peak[p.pid] = max(self.peak.get(p.pid, 0), rss)
            except psutil.Error:
                pass
            time.sleep(0.2)


def start_server(env: dict[str, str], home: Path, workers: int, threads: int, quiet: bool) -> tuple[Any, int]:
    port = _free_port()
    server_log = home / "gunicorn-stderr.log"
    with server_log.open("wb") as stderr:
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "python:samverkan.gunicorn_conf", "samverkan.wsgi"],
            env={**env, "WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
                 "WEB_THREADS": str(threads)},
            cwd=home, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
        )
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if server.poll() is not None:
                message = server_log.read_text(errors="replace")[-4000:]
                raise SystemExit(message or "gunicorn died") from None
            time.sleep(0.1)
    _log(quiet, f"gunicorn on port {port}: {workers} workers x {threads} threads")
    return server, port


def stop_server(server: Any) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


def verify_sample(quiet: bool) -> None:
    """The generated audit rows extend a valid chain: recompute the last 20,000 hashes."""
    from samverkan.audit.chain import FIELDS, entry_hash
    from samverkan.audit.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.get(pk=1)
    rows = list(AuditEvent.objects.filter(seq__gt=head.last_seq - 20_000).order_by("seq").values(*FIELDS, "hash"))
    for prev, row in itertools.pairwise(rows):
        if row["prev_hash"] != prev["hash"] or entry_hash(**{f: row[f] for f in FIELDS}) != row["hash"]:
            raise SystemExit(f"audit chain broken at #{row['seq']}")
    if rows and rows[-1]["hash"] != head.last_hash:
        raise SystemExit("audit chain head does not match the last row")
    _log(quiet, f"audit chain: last {len(rows)} rows verify")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="people, comma-separated (default 10000,100000)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds per size")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between a client's requests")
    # The production configuration README recommends: cores + 1 workers, two threads each.
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) + 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--notes", default="10,12", help="notes per person: min,max")
    parser.add_argument("--audit", type=int, default=51, help="audit events per person")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--pg-database", default="bench_cases")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--reuse-db", action="store_true",
                        help="use the database left by an earlier --keep-db run (adds people only up to each size)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--json", action="store_true", help="print only the JSON line on stdout")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    notes = tuple(int(n) for n in args.notes.split(","))
    if len(notes) != 2 or notes[0] < 1 or notes[0] > notes[1]:
        parser.error("--notes is min,max")
    quiet = False  # progress always goes to stderr; --json keeps stdout to the one line
    rng = random.Random(args.seed)

    home = Path(tempfile.mkdtemp(prefix="bench-cases-"))
    (home / "var" / "static").mkdir(parents=True)
    if args.reuse_db and _pg_exists(args.database_url, args.pg_database):
        _log(quiet, f"reusing database {args.pg_database}")
        db_url = _pg_url(args.database_url, args.pg_database)
    else:
        _log(quiet, f"creating database {args.pg_database}")
        db_url = _pg_recreate(args.database_url, args.pg_database)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "DJANGO_", "PYTEST"))}
    base_env.update({
        "SAMVERKAN_HOME": str(home), "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT / "src"),
        "REDIS_URL": args.redis_url, "JOBS_BACKEND": "sync", "LOG_LEVEL": "WARNING",
        "SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(64)),
        "AUDIT_KEYS": runtime_role.audit_keys(),
    })
    prod_env = {**base_env, "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
                "CACHE_BACKEND": "redis"}
    # In-process (data generation, query counts): the test settings on the same database.
    os.environ.update({"DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "samverkan.settings.test",
                       "SAMVERKAN_HOME": str(home)})
    sys.path.insert(0, str(ROOT / "src"))
    output: dict[str, Any] = {"sizes": {}}
    peak: dict[int, int] = {}
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0, interactive=False)
        subprocess.run([str(VENV_BIN / "samverkan"), "collectstatic", "--noinput", "--verbosity", "0"],
                       env=prod_env, cwd=home, check=True, capture_output=True)
        # The server connects as a runtime role that owns nothing, as in production.
        runtime_url = runtime_role.prepare(db_url, runtime_role.name_for(args.pg_database),
                                           samverkan=str(VENV_BIN / "samverkan"), env=prod_env, cwd=home)
        server_env = {**prod_env, "DATABASE_URL": runtime_url}
        import redis

        world = _prepare(rng)
        probe: BenchUser | None = None
        for size in sizes:
            _log(quiet, f"generating data up to {size} people")
            rows = generate(world, size, notes=notes, audit_per_person=args.audit, rng=rng, quiet=quiet)  # type: ignore[arg-type]
            verify_sample(quiet)
            users = choose_users(args.clients, rng)
            # The same user and case at every size: the counts must not depend on the size.
            probe = probe or users[0]
            qpp = queries_per_page(probe)
            _log(quiet, f"queries per page at {size}: {qpp}")
            connections.close_all()
            redis.Redis.from_url(args.redis_url).flushdb()
            server, port = start_server(server_env, home, args.workers, args.threads, quiet)
            sampler = RssSampler(server.pid)
            sampler.start()
            try:
                load_before = os.getloadavg()[0]
                load = run_load(port, users, duration=args.duration, warmup=args.warmup, think=args.think, rng=rng)
                load["machine_load_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            finally:
                sampler.running = False
                sampler.join(timeout=2)
                stop_server(server)
            for pid, rss in sampler.peak.items():
                peak[pid] = max(peak.get(pid, 0), rss)
            entry = {
                "my_cases_p95_ms": load.pop("my_cases_p95_ms"),
                "case_detail_p95_ms": load.pop("case_detail_p95_ms"),
                "lookup_p95_ms": load.pop("lookup_p95_ms"),
                "name_search_p95_ms": load.pop("name_search_p95_ms"),
                "case_list_filtered_p95_ms": load.pop("case_list_filtered_p95_ms"),
                "queries_per_page": qpp,
                **load,
                "server_peak_rss_mb_per_process": sorted(round(v / 2**20, 1) for v in sampler.peak.values()),
                "rows": rows,
            }
            _log(quiet, f"size {size}: {json.dumps(entry)}")
            output["sizes"][str(size)] = entry
        from samverkan.audit.models import AuditEvent

        output["audit_rows"] = AuditEvent.objects.count()
        output["server_peak_rss_mb"] = round(max(peak.values()) / 2**20, 1) if peak else None
        output["config"] = {"clients": args.clients, "duration_s": args.duration, "think_s": args.think,
                            "workers": args.workers, "threads": args.threads, "worker_class": "gthread",
                            "settings": "samverkan.settings.production", "database": "postgresql",
                            "cpus": os.cpu_count()}
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if not args.keep_db:
            _pg_drop(args.database_url, args.pg_database)
            runtime_role.drop(args.database_url, runtime_role.name_for(args.pg_database))
        shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(output) if args.json else json.dumps(output, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

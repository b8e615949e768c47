#!/usr/bin/env python
"""Trefas benchmark: the forum's list page, a meeting's agenda and a person's joint picture
at 50 forums x 60 listed people, 3 years of meetings (≈ 2,600), 200,000 shares and 500
incidents, against the production server.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python benchmarks/trefas.py --json
    .venv/bin/python benchmarks/trefas.py --json --scale 0.1          # a tenth of every number
    .venv/bin/python benchmarks/trefas.py --json --scale 0.02 --clients 4 --duration 5   # a quick check
    .venv/bin/python benchmarks/trefas.py --keep-db                   # leave the database for inspection

What it does:

1. Creates a fresh PostgreSQL database (``--pg-database``, default ``bench_trefas``) on the
   server named by ``--database-url`` / ``DATABASE_URL`` (default
   postgres://postgres@127.0.0.1:5432/postgres), migrates it and loads the reference data
   (dropped at the end unless ``--keep-db``).
2. Generates synthetic, fictitious data with COPY (``benchmarks/cases.py``'s ``_copy``), in
   two steps. First one tenth of the size: ``--scale`` x 5 forums, each with its five member
   organisations (district social services, the police area, frivården, a prison, the
   city's coordinator), seven named members (coordinator, social worker, police officer,
   probation and prison officers, two jurists), 60 listed people aged 15-25 (each the
   nominating organisation's own record) rated red / yellow / green with a rating history,
   two police groups with members in an active conflict, meetings every 21 days for three
   years (held ones with signed minutes, attendance, about 20 people discussed and three
   actions each; the next one planned), three releases; ``--scale`` x 20,000 shares in
   every state (approved, refused, without review, waiting, withdrawn) under the
   catalogue's bases with 1-3 recipients and their disclosure-register rows (one per
   recipient of a decided share); ``--scale`` x 50 incidents with two linked people and a
   six-item checklist. Queries per page are counted (``queries_per_page_small``). Then it
   grows to the full size: forums up to ``--scale`` x 50, shares up to ``--scale`` x 200,000
   and incidents up to ``--scale`` x 500, the shares and incidents spread over **all**
   forums, so the forum measured at the small size has more history at the full size, and
   queries per page are counted again for the same member, forum, meeting and person
   (``queries_per_page``: the counts must be equal). VACUUM ANALYZE after each step.
3. Queries per page, in-process (Django test client + CaptureQueriesContext, after one
   warm-up request of the same page), for one forum member: the forum's list page
   (``trefas:forum``), the agenda of its latest held meeting (``trefas:meeting``) and the
   joint picture of a red-rated person (``trefas:person``). Pages are found by their URL
   names: a name that does not resolve yet (the page is not built) is left out and
   reported as ``null``.
4. Starts gunicorn with the **production settings** exactly as ``benchmarks/cases.py``
   does (runtime database role of its own, SECRET_KEY and AUDIT_KEYS generated, Redis
   cache on ``--redis-url``, ``gunicorn -c python:samverkan.gunicorn_conf
   samverkan.wsgi``, ``--workers`` x ``--threads``), logs ``--clients`` (default 20)
   members of different forums in through the real login and two-factor pages, and lets
   each loop: its forum's list → the agenda of one of its forum's meetings → the joint
   picture of one of its forum's listed people, ``--think`` seconds (±50 %) apart, for
   ``--duration`` seconds after ``--warmup`` (cases.py's asyncio keep-alive client). Any
   answer other than 200 is an error (reported on stderr).
5. psutil samples the resident memory of every gunicorn process; ``server_peak_rss_mb`` is
   the largest any single process reached.

Output (``--json``: one JSON line on stdout; progress, error counts and row counts go to
stderr)::

    {"list_p95_ms": …, "agenda_p95_ms": …, "person_p95_ms": …,
     "queries_per_page": {"list": …, "agenda": …, "person": …},
     "queries_per_page_small": {"list": …, "agenda": …, "person": …}, "server_peak_rss_mb": …}

Targets on a 2-core machine: p95 <= 150 ms for each page; queries per page equal at both
sizes; every server process <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The COPY helper, the database helpers, the keep-alive client, the server start and the
# memory sampler of benchmarks/cases.py.
import cases as bench
import production  # benchmarks/production.py: the installation and the measured server

ROOT = bench.ROOT
VENV_BIN = bench.VENV_BIN
PASSWORD = bench.PASSWORD
PAGES = ("list", "agenda", "person")
URL_NAMES = {"list": "trefas:forum", "agenda": "trefas:meeting", "person": "trefas:person"}
FULL = {"forums": 50, "shares": 200_000, "incidents": 500}
PEOPLE_PER_FORUM = 60
MEETING_YEARS = 3
CADENCE_DAYS = 21
# (member key, organisation key, role code, forum role)
MEMBERS = [
    ("police", "police", "caseworker", "member"),
    ("soc", "soc", "caseworker", "member"),
    ("coordinator", "city", "coordinator", "coordinator"),
    ("probation", "probation", "caseworker", "member"),
    ("prison", "prison", "caseworker", "member"),
    ("soc_jurist", "soc", "jurist", "jurist"),
    ("police_jurist", "police", "jurist", "jurist"),
]
KINDS = {"soc": "social_services", "police": "police", "probation": "probation", "prison": "prison",
         "city": "city_coordinator"}
# Share states and their weights; bases by the sharing organisation.
STATES = [("approved", 60), ("no_review", 14), ("refused", 10), ("proposed", 9), ("withdrawn", 7)]
SHARE_TEXTS = [
    "Kontrollerad i samband med en händelse i området; inga vapen påträffades.",
    "Socialtjänsten har erbjudit familjen stödsamtal varannan vecka.",
    "Övervakning med kontakt två gånger i veckan; har följt villkoren.",
    "Har synts i området sent på kvällarna tillsammans med andra personer på listan.",
    "Placerad utanför Stockholm sedan tre veckor; går i skolan.",
]
REASONS = {
    "red": "Utpekad som måltavla i konflikten; uppgifter om hot.",
    "yellow": "Umgås i nätverket men inga nya händelser.",
    "green": "Lugnt sedan förra mötet.",
}
CHECKLIST = [("police", "Vapenkontroll", 4), ("police", "Gripanden", 12), ("city", "Samordnaren kallar forumet", 24),
             ("soc", "Skyddsbedömning för syskon under 18 år", 24),
             ("prison", "Kontroll av klienter med permission", 24), ("soc", "Kontakt med familjen", 48)]


def _log(message: str) -> None:
    bench._log(False, message)


# --- synthetic data ------------------------------------------------------------------------------


@dataclass
class ForumRows:
    """What later steps need of one generated forum (ids only)."""

    id: int
    orgs: dict[str, int]  # organisation key -> id
    users: dict[str, int]  # member key -> user id
    listings: list[tuple[int, int, str]]  # (listing id, person id, rating)
    groups: list[int]
    meetings: list[int]  # held, oldest first


@dataclass
class World:
    orgs: dict[str, Any]  # shared organisations: city, probation, prison; lists of soc and police
    role_ids: dict[str, int]
    bases: dict[str, tuple[int, bool]]  # code -> (id, requires_review)
    area_id: int | None
    forums: list[ForumRows] = field(default_factory=list)
    shares: int = 0
    incidents: int = 0
    people: int = 0


def _prepare() -> World:
    from samverkan.accounts.models import Role
    from samverkan.accounts.reference import ensure_default_roles
    from samverkan.consent import reference as legal_bases
    from samverkan.consent.models import LegalBasis
    from samverkan.directory.models import Area, Organisation
    from samverkan.directory.services import reference_data_load

    ensure_default_roles()
    reference_data_load()
    legal_bases.load()
    org = {o.short_code: o.pk for o in Organisation.objects.all()}
    area = Area.objects.filter(code="rinkeby-tensta").first()
    return World(
        orgs={
            "city": org["sthlm-stadsledningskontoret"], "probation": org["frivarden-stockholm"],
            "prison": org["kv-anstalt-taby"],
            "soc": sorted(pk for code, pk in org.items() if code.startswith("sdf-")),
            "police": sorted(pk for code, pk in org.items() if code.startswith("lpo-")),
        },
        role_ids=dict(Role.objects.values_list("code", "pk")),
        bases={b.code: (b.pk, b.requires_review) for b in LegalBasis.objects.filter(
            code__in=["osl-10-15a", "osl-10-18a", "osl-10-20", "osl-10-28"])},
        area_id=area.pk if area else None,
    )


class Ids:
    """The next free primary key of each model (rows are COPYed with explicit ids)."""

    def __init__(self) -> None:
        self.next: dict[Any, int] = {}

    def __call__(self, model: Any) -> int:
        if model not in self.next:
            self.next[model] = bench._next_id(model)
        value = self.next[model]
        self.next[model] += 1
        return value


def _add_forums(world: World, target: int, rng: random.Random, ids: Ids) -> dict[str, int]:
    """Forums (with members, people, ratings, groups, meetings, releases) up to ``target``."""
    from django.utils import timezone

    from samverkan.accounts.models import User
    from samverkan.lib.identity_numbers import make_fictitious
    from samverkan.people.models import Person, name_search_key
    from samverkan.trefas import models as t

    now = timezone.now()
    today = timezone.localdate()
    signatures: list[tuple[int, datetime, int]] = []  # (signed by, signed at, meeting) of held meetings
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in (
        "forum", "forum_org", "user", "user_role", "member", "person", "listing", "rating", "group", "membership",
        "conflict", "meeting", "attendance", "discussion", "action", "release")}
    new = []
    oldest = today.replace(year=today.year - 25) + timedelta(days=1)
    span = (today.replace(year=today.year - 15) - oldest).days
    first_meeting = today - timedelta(days=365 * MEETING_YEARS)
    for f in range(len(world.forums), target):
        fid = ids(t.Forum)
        orgs = {"soc": world.orgs["soc"][f % len(world.orgs["soc"])],
                "police": world.orgs["police"][f % len(world.orgs["police"])],
                "probation": world.orgs["probation"], "prison": world.orgs["prison"], "city": world.orgs["city"]}
        rows["forum"].append({"id": fid, "name": f"Trefas bänk {f + 1}", "code": f"bench-{f + 1}",
                              "cadence_days": CADENCE_DAYS, "active": True, "version": 1})
        for key, kind in KINDS.items():
            rows["forum_org"].append({"id": ids(t.ForumOrganisation), "forum_id": fid, "organisation_id": orgs[key],
                                      "kind": kind, "active": True, "joined_on": first_meeting})
        users: dict[str, int] = {}
        for key, org_key, role, forum_role in MEMBERS:
            uid = max(ids(User), 1000)
            ids.next[User] = uid + 1
            users[key] = uid
            rows["user"].append({"id": uid, "username": f"trefas{uid}", "password": "!",
                                 "first_name": rng.choice(bench.FIRST), "last_name": rng.choice(bench.LAST),
                                 "email": f"trefas{uid}@bench.invalid", "is_active": True,
                                 "organisation_id": orgs[org_key], "is_demo": True, "date_joined": now})
            rows["user_role"].append({"id": ids(User.roles.through), "user_id": uid,
                                      "role_id": world.role_ids[role]})
            rows["member"].append({"id": ids(t.ForumMember), "forum_id": fid, "user_id": uid, "role": forum_role,
                                   "active": True})
        listings = []
        for p in range(PEOPLE_PER_FORUM):
            i = world.people
            world.people += 1
            by = "police" if p % 12 < 9 else ("soc" if p % 12 < 11 else "probation")
            pid, lid = ids(Person), ids(t.Listing)
            birth = oldest + timedelta(days=(i * 7) % span)
            first, last = rng.choice(bench.FIRST), rng.choice(bench.LAST)
            rows["person"].append({"id": pid, "organisation_id": orgs[by],
                                   "identity_number": make_fictitious(birth, 100 + i // span),
                                   "identity_kind": "personnummer", "first_name": first, "last_name": last,
                                   "name_search": name_search_key(first, last), "birth_date": birth,
                                   "protected_identity": p == 59, "is_fictitious": True})
            rating = "red" if p % 10 == 0 else ("yellow" if p % 10 < 4 else "green")
            listed = now - timedelta(days=rng.randint(60, 365 * MEETING_YEARS))
            reviewed = now - timedelta(days=rng.randint(1, 40))
            history = sorted(listed + (reviewed - listed) * rng.random() for _ in range(rng.randint(2, 12)))
            previous = ""
            for k, at in enumerate([listed, *history, reviewed]):
                step = rating if k >= len(history) else rng.choice(["red", "yellow", "green"])
                rows["rating"].append({"id": ids(t.RatingChange), "listing_id": lid, "rating": step,
                                       "previous_rating": previous, "reason": REASONS[step],
                                       "set_by_id": users[by], "set_by_organisation_id": orgs[by], "set_at": at})
                previous = step
            rows["listing"].append({
                "id": lid, "forum_id": fid, "person_id": pid, "nominated_by_organisation_id": orgs[by],
                "nominated_by_id": users[by], "nomination_reason": "Kartlagd i nätverk (syntetisk)",
                "source_reference": f"REF-{lid}", "area_id": world.area_id, "listed_at": listed, "rating": rating,
                "rating_reason": REASONS[rating], "rating_set_by_id": users[by], "rating_set_at": reviewed,
                "rating_reviewed_at": reviewed, "last_discussed_on": (now - timedelta(days=rng.randint(1, 60))).date(),
                "review_request_reason": "", "removal_reason": "", "version": 1,
            })
            listings.append((lid, pid, rating))
        groups = []
        for g in range(2):
            gid = ids(t.Group)
            groups.append(gid)
            rows["group"].append({"id": gid, "forum_id": fid, "owner_organisation_id": orgs["police"],
                                  "name": f"Grupp {g + 1}", "description": "", "created_by_id": users["police"],
                                  "version": 1})
            for lid, _pid, _r in listings[g * 10: g * 10 + 8]:
                rows["membership"].append({"id": ids(t.GroupMembership), "group_id": gid, "listing_id": lid,
                                           "since": first_meeting, "recorded_by_id": users["police"]})
        rows["conflict"].append({"id": ids(t.Conflict), "forum_id": fid, "group_a_id": groups[0],
                                 "group_b_id": groups[1], "status": "active", "since": today - timedelta(days=60),
                                 "note": "", "recorded_by_id": users["police"], "version": 1})
        held = []
        day = first_meeting
        while True:
            mid = ids(t.ForumMeeting)
            when = datetime.combine(day, datetime.min.time(), tzinfo=now.tzinfo) + timedelta(hours=13)
            past = when < now
            rows["meeting"].append({"id": mid, "forum_id": fid, "scheduled_for": when, "place": "Sammanträdesrum",
                                    "status": "held" if past else "planned",
                                    "minutes": "Genomgång av listan och åtgärder." if past else "",
                                    "created_by_id": users["coordinator"], "version": 1})
            if past:  # signed after its attendance is in (trefas.guard): see below
                signatures.append((users["coordinator"], when + timedelta(days=1), mid))
            if not past:
                break
            held.append(mid)
            for key, org_key, _role, _fr in MEMBERS:
                rows["attendance"].append({"id": ids(t.MeetingAttendance), "meeting_id": mid, "user_id": users[key],
                                           "organisation_id": orgs[org_key], "present": rng.random() < 0.9})
            for lid, _pid, _r in rng.sample(listings, 20):
                rows["discussion"].append({"id": ids(t.MeetingDiscussion), "meeting_id": mid, "listing_id": lid})
            for j in range(3):
                org_key = ("soc", "police", "probation", "prison", "city")[(j + len(held)) % 5]
                user_key = "coordinator" if org_key == "city" else org_key
                due = when + timedelta(days=14)
                done = due < now - timedelta(days=30) or rng.random() < 0.5
                rows["action"].append({"id": ids(t.ActionItem), "forum_id": fid, "organisation_id": orgs[org_key],
                                       "responsible_id": users[user_key], "title": "Uppföljning efter mötet",
                                       "due_at": due, "status": "done" if done else "open",
                                       "done_at": due - timedelta(days=2) if done else None,
                                       "done_by_id": users[user_key] if done else None, "meeting_id": mid,
                                       "listing_id": rng.choice(listings)[0], "created_by_id": users["coordinator"],
                                       "created_at": when, "version": 1})
            day += timedelta(days=CADENCE_DAYS)
        for r in range(3):
            rid = ids(t.Release)
            lid = listings[20 + r][0]
            rows["release"].append({"id": rid, "forum_id": fid, "listing_id": lid,
                                    "kind": "release" if r != 1 else "leave",
                                    "date": today + timedelta(days=(-30 if r == 2 else 10 + 20 * r)),
                                    "registered_by_id": users["prison"], "registered_by_organisation_id": orgs["prison"],
                                    "reminders_sent": [], "version": 1})
            rows["action"].append({"id": ids(t.ActionItem), "forum_id": fid, "organisation_id": orgs["probation"],
                                   "responsible_id": users["probation"], "title": "Planera övervakningen",
                                   "due_at": now + timedelta(days=5), "status": "open", "release_id": rid,
                                   "listing_id": lid, "created_by_id": users["coordinator"], "version": 1})
        new.append(ForumRows(id=fid, orgs=orgs, users=users, listings=listings, groups=groups, meetings=held))
    order = [("forum", t.Forum), ("forum_org", t.ForumOrganisation), ("user", User),
             ("user_role", User.roles.through), ("member", t.ForumMember), ("person", Person),
             ("listing", t.Listing), ("rating", t.RatingChange), ("group", t.Group),
             ("membership", t.GroupMembership), ("conflict", t.Conflict), ("meeting", t.ForumMeeting),
             ("attendance", t.MeetingAttendance), ("discussion", t.MeetingDiscussion), ("release", t.Release),
             ("action", t.ActionItem)]
    counts = {name: bench._copy(model, rows[name]) for name, model in order}
    # Signed minutes and their attendance are immutable (trefas.guard): sign the held
    # meetings only now that their attendance is written, as the coordinator does.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany("UPDATE trefas_forummeeting SET signed_by_id = %s, signed_at = %s WHERE id = %s",
                           signatures)
    for _name, model in order:
        bench._reset_sequence(model)
    world.forums.extend(new)
    # Each new forum: the police's knowledge of its two groups, approved for the others.
    counts["group_shares"] = _add_shares(world, 0, rng, ids, forums=new, groups_only=True)
    return counts


def _share_rows(world: World, forum: ForumRows, rng: random.Random, ids: Ids, now: datetime, *,
                group: int | None = None) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """One share, its recipients and its register rows."""
    from samverkan.consent.models import Disclosure
    from samverkan.trefas.models import Share

    if group is not None:
        by, basis, state, listing, person = "police", "osl-10-15a", "approved", None, None
    else:
        # The city's coordinator brings no shares here (the forum has no city jurist).
        by = rng.choices(["police", "soc", "probation", "prison"], weights=[50, 30, 12, 8])[0]
        listing, person, _rating = rng.choice(forum.listings)
        basis = {"police": "osl-10-15a", "soc": rng.choice(["osl-10-18a", "osl-10-15a", "osl-10-20"]),
                 "probation": "osl-10-28", "prison": "osl-10-28"}[by]
        state = rng.choices([s for s, _w in STATES], weights=[w for _s, w in STATES])[0]
    basis_id, review = world.bases[basis]
    if not review and state in ("approved", "refused"):
        state = "no_review"
    if review and state == "no_review":
        state = "approved"
    proposer = forum.users[by]
    jurist = forum.users.get(f"{by}_jurist", proposer)  # only bases without review lack a jurist
    others = [k for k in KINDS if k != by]
    recipients = sorted({forum.orgs[k] for k in rng.sample(others, rng.randint(1, 3))})
    proposed = now - timedelta(minutes=rng.randint(60, 365 * MEETING_YEARS * 1440))
    decided = state in ("approved", "refused", "no_review")
    decided_at = proposed if state == "no_review" else proposed + timedelta(hours=rng.randint(1, 48))
    decided_by = proposer if state == "no_review" else jurist
    sid = ids(Share)
    text = rng.choice(SHARE_TEXTS)
    share = {"id": sid, "forum_id": forum.id, "listing_id": listing, "group_id": group,
             "from_organisation_id": forum.orgs[by], "proposed_by_id": proposer, "proposed_at": proposed,
             "topic": "group" if group else rng.choice(["since_last", "measures"]), "text": text,
             "basis_id": basis_id, "balancing_test": "Behovet väger tyngre än menet.", "state": state,
             "decided_by_id": decided_by if decided else None, "decided_at": decided_at if decided else None,
             "decision_reason": "Menet väger tyngre." if state == "refused" else "",
             "withdrawn_at": proposed + timedelta(hours=2) if state == "withdrawn" else None,
             "withdrawn_by_id": proposer if state == "withdrawn" else None, "version": 1}
    through = [{"id": ids(Share.recipients.through), "share_id": sid, "organisation_id": o} for o in recipients]
    register = [] if not decided else [
        {"id": ids(Disclosure), "case_id": None, "track": "trefas",
         "outcome": "refused" if state == "refused" else "disclosed",
         "refusal_reason": "Menet väger tyngre." if state == "refused" else "", "person_id": person,
         "source_type": "trefas.share", "source_id": str(sid), "basis_id": basis_id,
         "from_organisation_id": forum.orgs[by], "to_organisation_id": o, "categories": [share["topic"]],
         "description": text, "balancing_test": share["balancing_test"], "decided_by_id": decided_by,
         "decided_at": decided_at}
        for o in recipients]
    return share, through, register


def _add_shares(world: World, target: int, rng: random.Random, ids: Ids, *, forums: list[ForumRows] | None = None,
                groups_only: bool = False) -> int:
    """Shares up to ``target`` spread over every forum's listed people (or, with
    ``groups_only``, one approved share about each group of ``forums``)."""
    from django.utils import timezone

    from samverkan.consent.models import Disclosure
    from samverkan.trefas.models import Share

    now = timezone.now()
    shares: list[dict[str, Any]] = []
    through: list[dict[str, Any]] = []
    register: list[dict[str, Any]] = []

    def add(forum: ForumRows, group: int | None = None) -> None:
        s, t, r = _share_rows(world, forum, rng, ids, now, group=group)
        shares.append(s)
        through.extend(t)
        register.extend(r)

    if groups_only:
        for forum in forums or []:
            for gid in forum.groups:
                add(forum, gid)
    else:
        for _ in range(max(0, target - world.shares)):
            add(rng.choice(world.forums))
    world.shares += len(shares)
    bench._copy(Share, shares)
    bench._copy(Share.recipients.through, through)
    bench._copy(Disclosure, register)
    for model in (Share, Share.recipients.through, Disclosure):
        bench._reset_sequence(model)
    return len(shares)


def _add_incidents(world: World, target: int, rng: random.Random, ids: Ids) -> int:
    """Incidents up to ``target`` over every forum: two linked people and the checklist
    (done unless the incident is less than three days old)."""
    from django.utils import timezone

    from samverkan.trefas import models as t

    now = timezone.now()
    incidents, links, actions = [], [], []
    for n in range(max(0, target - world.incidents)):
        forum = rng.choice(world.forums)
        iid = ids(t.Incident)
        occurred = now - timedelta(hours=rng.randint(2, 365 * MEETING_YEARS * 24))
        registered = occurred + timedelta(minutes=30)
        incidents.append({"id": iid, "forum_id": forum.id, "kind": rng.choice(["shooting", "explosion", "stabbing"]),
                          "occurred_at": occurred, "place": "Centrum", "area_id": world.area_id, "description": "",
                          "registered_by_id": forum.users["police"],
                          "registered_by_organisation_id": forum.orgs["police"], "registered_at": registered})
        for role, (lid, _pid, _r) in zip(("victim", "suspect"), rng.sample(forum.listings, 2), strict=True):
            links.append({"id": ids(t.IncidentLink), "incident_id": iid, "role": role, "listing_id": lid,
                          "recorded_by_organisation_id": forum.orgs["police"], "recorded_by_id": forum.users["police"]})
        for org_key, title, hours in CHECKLIST:
            user = forum.users["coordinator" if org_key == "city" else org_key]
            due = registered + timedelta(hours=hours)
            done = due < now - timedelta(days=3) or n % 2 == 0
            actions.append({"id": ids(t.ActionItem), "forum_id": forum.id, "organisation_id": forum.orgs[org_key],
                            "responsible_id": user, "title": title, "due_at": due, "status": "done" if done else "open",
                            "done_at": due - timedelta(hours=1) if done else None, "done_by_id": user if done else None,
                            "incident_id": iid, "created_by_id": forum.users["police"], "created_at": registered,
                            "version": 1})
    world.incidents += len(incidents)
    bench._copy(t.Incident, incidents)
    bench._copy(t.IncidentLink, links)
    bench._copy(t.ActionItem, actions)
    for model in (t.Incident, t.IncidentLink, t.ActionItem):
        bench._reset_sequence(model)
    return len(incidents)


def generate(world: World, *, forums: int, shares: int, incidents: int, rng: random.Random) -> dict[str, int]:
    from django.db import connection, transaction

    t0 = time.perf_counter()
    ids = Ids()
    with transaction.atomic():
        rows = _add_forums(world, forums, rng, ids)
        _log(f"  forums, people, meetings: {time.perf_counter() - t0:.0f} s")
        rows["shares"] = _add_shares(world, shares, rng, ids)
        _log(f"  shares: {time.perf_counter() - t0:.0f} s")
        rows["incidents"] = _add_incidents(world, incidents, rng, ids)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # outside a transaction: Django autocommits here
    rows["seconds"] = round(time.perf_counter() - t0)
    return {k: v for k, v in rows.items() if v}


# --- the pages and the benchmark users -------------------------------------------------------------


def _reverse(name: str, **kwargs: int) -> str | None:
    """The page's path, or None while the URL name does not exist yet (built elsewhere)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        try:
            return reverse(name, args=list(kwargs.values()))
        except NoReverseMatch:
            return None


def page_paths(forum: ForumRows, meeting_id: int, listing_id: int) -> dict[str, str | None]:
    return {
        "list": _reverse(URL_NAMES["list"], forum_id=forum.id),
        "agenda": _reverse(URL_NAMES["agenda"], forum_id=forum.id, meeting_id=meeting_id),
        "person": _reverse(URL_NAMES["person"], forum_id=forum.id, listing_id=listing_id),
    }


@dataclass
class TrefasUser:
    username: str
    key: str
    step: int
    t0: int
    digits: int
    drift: int
    forum: ForumRows


def make_users(world: World, n: int) -> list[TrefasUser]:
    """``n`` forum members, of different forums as far as there are forums, with a
    password (argon2, as production hashes it) and a TOTP device each."""
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.accounts.models import User

    hasher = Argon2PasswordHasher()
    result = []
    for k in range(n):
        forum = world.forums[k % len(world.forums)]
        member = MEMBERS[(k + k // len(world.forums)) % len(MEMBERS)][0]
        user = User.objects.get(pk=forum.users[member])
        User.objects.filter(pk=user.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        result.append(TrefasUser(username=user.username, key=device.key, step=device.step, t0=device.t0,
                                 digits=device.digits, drift=device.drift, forum=forum))
    return result


def queries_per_page(username: str, paths: dict[str, str | None]) -> dict[str, int | None]:
    """Queries each page costs in-process (after a warm-up request of the same page);
    None for a page whose URL name does not exist yet or that does not answer 200."""
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
    for name in PAGES:
        path = paths[name]
        if path is None:
            _log(f"  {name}: URL name {URL_NAMES[name]} does not exist yet; left out")
            result[name] = None
            continue
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200:
            _log(f"  {name}: {path} answered {response.status_code}; left out")
            result[name] = None
            continue
        result[name] = len(ctx.captured_queries)
    return result


class TrefasClient(bench.Client):
    """cases.py's client, signed in through the real login and two-factor pages (no case
    look-up token)."""

    def login(self) -> None:
        self.sign_in()


def _client_paths(user: TrefasUser, rng: random.Random) -> Callable[[str], str | None]:
    """Each call picks a path of the page in the user's forum (a random meeting or person)."""
    forum = user.forum

    def pick(page: str) -> str | None:
        return page_paths(forum, rng.choice(forum.meetings), rng.choice(forum.listings)[0])[page]

    return pick


def run_load(port: int, users: list[TrefasUser], pages: list[str], *, duration: float, warmup: float,
             think: float, rng: random.Random) -> dict[str, Any]:
    clients = [TrefasClient(port, u) for u in users]  # type: ignore[arg-type]
    for c in clients:
        c.login()
    # Paths computed up front (URL reversing in-process), so the timed loop does no Django work.
    plans = []
    for user in users:
        pick = _client_paths(user, random.Random(rng.randint(0, 10**9)))
        plans.append({page: [p for p in (pick(page) for _ in range(50)) if p] for page in pages})
    return asyncio.run(_measure(port, clients, plans, pages, duration=duration, warmup=warmup, think=think,
                                seeds=[rng.randint(0, 10**9) for _ in clients]))


async def _measure(port: int, clients: list[TrefasClient], plans: list[dict[str, list[str]]], pages: list[str], *,
                   duration: float, warmup: float, think: float, seeds: list[int]) -> dict[str, Any]:
    stop = time.perf_counter() + warmup + duration
    measure_from = time.perf_counter() + warmup
    times: dict[str, list[float]] = {page: [] for page in pages}
    errors: list[str] = []

    async def worker(client: TrefasClient, plan: dict[str, list[str]], seed: int) -> None:
        r = random.Random(seed)
        connection = bench.Connection(port, client.cookies)
        await asyncio.sleep(r.random() * think)
        try:
            while time.perf_counter() < stop:
                for page in pages:
                    t0 = time.perf_counter()
                    try:
                        code = await connection.request("GET", r.choice(plan[page]))
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

    await asyncio.gather(*(worker(c, p, s) for c, p, s in zip(clients, plans, seeds, strict=True)))
    result: dict[str, Any] = {}
    for page, values in times.items():
        result[f"{page}_p50_ms"] = bench._pct(values, 0.50)
        result[f"{page}_p95_ms"] = bench._pct(values, 0.95)
    result["requests"] = sum(len(v) for v in times.values())
    result["errors"] = len(errors)
    if errors:
        result["error_sample"] = sorted(set(errors))[:5]
    return result


# --- main ------------------------------------------------------------------------------------------


def _sizes(scale: float) -> tuple[dict[str, int], dict[str, int]]:
    full = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    small = {k: max(1, round(v * scale / 10)) for k, v in FULL.items()}
    return small, full


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the full size (50 forums, 200,000 shares, 500 incidents); default 1")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds between a client's requests")
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 2) + 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL")
                        or "postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--pg-database", default="bench_trefas")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for inspection")
    parser.add_argument("--seed", type=int, default=20261007)
    parser.add_argument("--json", action="store_true", help="print only the JSON line on stdout")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale is a fraction in (0, 1]")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must name a PostgreSQL server")
    rng = random.Random(args.seed)
    small, full = _sizes(args.scale)

    output: dict[str, Any] = {}
    with production.installation(prefix="bench-trefas-", database_url=args.database_url,
                                 pg_database=args.pg_database, redis_url=args.redis_url, keep_db=args.keep_db,
                                 log=_log) as site:
        world = _prepare()
        _log(f"generating a tenth of the size: {small}")
        _log(f"  rows: {generate(world, **small, rng=rng)}")
        # The same member, forum, meeting and person at both sizes (a red-rated person).
        probe_forum = world.forums[0]
        probe_user = make_users(world, 1)[0]
        red = next(lid for lid, _pid, rating in probe_forum.listings if rating == "red")
        probe_paths = page_paths(probe_forum, probe_forum.meetings[-1], red)
        qpp_small = queries_per_page(probe_user.username, probe_paths)
        _log(f"queries per page at a tenth: {qpp_small}")
        _log(f"generating the full size: {full}")
        _log(f"  rows: {generate(world, **full, rng=rng)}")
        qpp = queries_per_page(probe_user.username, probe_paths)
        _log(f"queries per page at the full size: {qpp}")
        pages = [p for p in PAGES if qpp[p] is not None]
        users = make_users(world, args.clients)
        load, peak = production.measure(site, workers=args.workers, threads=args.threads, run=lambda port: run_load(
            port, users, pages, duration=args.duration, warmup=args.warmup, think=args.think, rng=rng))
        _log(f"load: {json.dumps(load)}")
        output = {
            "list_p95_ms": load.get("list_p95_ms"),
            "agenda_p95_ms": load.get("agenda_p95_ms"),
            "person_p95_ms": load.get("person_p95_ms"),
            "queries_per_page": qpp,
            "queries_per_page_small": qpp_small,
            "server_peak_rss_mb": peak,
        }
    print(json.dumps(output) if args.json else json.dumps(output, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

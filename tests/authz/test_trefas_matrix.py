"""Authorisation matrix of the Trefas track (issue 10, acceptance item 1).

Every Trefas view, action and export (tests/authz/trefas_routes.py; checked against the
URLconf below) x the forum's personas (the city coordinator, social services, the
police, frivården, a prison, a school, a jurist of four organisations) and those outside
it (a SIG coordinator of the same district, another district, an unrelated agency, a
manager of a member organisation, the data-protection officer, a system administrator)
→ the expected status in EXPECTED, and no marker of an entry the persona may not read
anywhere in the response (HTML, PDF, CSV, XLSX): shares in every state (proposed,
approved, refused, basis without review, withdrawn), the nominating organisation's
reference, a protected identity's name, a non-listed sibling's name, the police's groups
and their conflict (tests/authz/trefas_entries.py). Counts (the shares page, the person
page, the agenda) count only what the persona may read; notices and e-mails carry no
name, no identity number and no share text at all.

The world is built once per module inside a transaction rolled back at the end; every
request runs inside a transaction rolled back after it, so no row changes what the next
one sees (POSTs send empty forms anyway).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from tests.authz.bodies import response_text
from tests.authz.trefas_entries import PERSONAS, Entry, MatrixWorld, build_world, forbidden_numbers, sees
from tests.authz.trefas_routes import MISSING_ID, ROUTES, forum_scoped, row_id, url_for
from tests.conftest import fast_login

pytestmark = pytest.mark.django_db

COLUMNS = ["city_coord", "soc", "police", "probation", "prison", "school", "soc_jurist", "police_jurist",
           "kv_jurist", "city_jurist", "sig_coord", "skarholmen", "tax", "police_manager", "soc_dpo", "sysadmin"]

# Expected status per persona (forum members first: cc = the city coordinator, the forum's
# coordinator; sj/pj/kj/cj = the jurists of social services, the police, frivården and the
# city; then those outside the forum: sig = SIG coordinator of Järva (social services, not
# a member), skh = another district, tax = an unrelated agency, pm = the police's manager,
# dpo = social services' data-protection officer, adm = a system administrator).
# 404 = as for a forum (or record) that does not exist; 403 = role too weak; 400 = allowed,
# the empty form refused; 409 = allowed, the record changed meanwhile (an empty version).
EXPECTED_TABLE = """
                                                   cc  soc pol prb pri sch sj  pj  kj  cj  sig skh tax pm  dpo adm
GET trefas:forums                                  200 200 200 200 200 200 200 200 200 200 200 200 200 403 403 403
GET trefas:forum                                   200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:forum [?rating=red]                     200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:nominate                                200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:nominate                               400 400 400 400 400 400 403 403 403 403 404 404 404 403 403 403
GET trefas:person [listing_red]                    200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:person [listing_prot]                   200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:person [listing_plain]                  200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:rate [listing_red]                      200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:rate [listing_red]                     400 400 400 400 400 400 403 403 403 403 404 404 404 403 403 403
GET trefas:remove [listing_prot]                   200 200 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:remove [listing_prot]                  400 400 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:groups                                  200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
POST trefas:group_new                              403 403 400 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:group_member_add [group_one]           404 403 400 404 404 404 403 403 403 403 404 404 404 403 403 403
POST trefas:group_member_add [group_two]           404 404 400 404 404 404 403 403 403 403 404 404 404 403 403 403
POST trefas:group_member_end [membership]          404 403 400 404 404 404 403 403 403 403 404 404 404 403 403 403
POST trefas:conflict_new                           403 403 400 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:conflict_status [conflict]             404 404 400 404 404 404 403 403 403 403 404 404 404 403 403 403
GET trefas:shares                                  200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:share_new [listing_red]                 200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:share_new [listing_prot]               400 400 400 400 400 400 403 403 403 403 404 404 404 403 403 403
GET trefas:group_share_new [group_one]             404 403 200 404 404 404 403 403 403 403 404 404 404 403 403 403
POST trefas:group_share_new [group_two]            404 404 400 404 404 404 403 403 403 403 404 404 404 403 403 403
POST trefas:share_decide [share_proposed]          403 403 403 403 403 403 404 400 404 404 403 403 403 403 403 403
POST trefas:share_decide [share_soc_proposed]      403 403 403 403 403 403 400 404 404 404 403 403 403 403 403 403
GET trefas:share_withdraw [share_proposed]         404 404 200 404 404 404 403 403 403 403 404 404 404 403 403 403
GET trefas:share_withdraw [share_soc]              404 200 403 404 404 404 403 403 403 403 404 404 404 403 403 403
POST trefas:share_withdraw [share_approved]        404 403 400 404 404 404 403 403 403 403 404 404 404 403 403 403
GET trefas:meetings                                200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:meeting_new                             200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_new                            200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting [meeting_planned]               200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:meeting [meeting_held]                  200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:meeting_pdf [meeting_planned]           200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:meeting_pdf [meeting_held]              200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:meeting_cancel [meeting_planned]        200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_cancel [meeting_planned]       200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting_attendance [meeting_planned]    200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_attendance [meeting_planned]   200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting_discussed [meeting_planned]     200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_discussed [meeting_planned]    200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting_minutes [meeting_planned]       200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_minutes [meeting_planned]      200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting_minutes [meeting_held]          200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting_sign [meeting_planned]          200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_sign [meeting_planned]         200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:meeting_action_new [meeting_planned]    200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:meeting_action_new [meeting_planned]   200 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:actions                                 200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
POST trefas:action_status [action_soc]             403 302 403 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:incidents                               200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:incident_new                            200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:incident_new                           200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
GET trefas:incident [incident]                     200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:incident_link [incident]                200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:incident_link [incident]               200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:incident_action_done [incident_action] 403 403 409 403 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:releases                                200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:release_new                             403 403 403 200 200 403 403 403 403 403 404 404 404 403 403 403
POST trefas:release_new                            403 403 403 200 200 403 403 403 403 403 404 404 404 403 403 403
GET trefas:release [release]                       200 200 200 200 200 200 200 200 200 200 404 404 404 403 403 403
GET trefas:release_cancel [release]                403 403 403 200 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:release_cancel [release]               403 403 403 409 403 403 403 403 403 403 404 404 404 403 403 403
POST trefas:release_action_new [release]           400 403 403 400 400 403 403 403 403 403 404 404 404 403 403 403
POST trefas:release_action_done [release_action]   403 403 403 409 403 403 403 403 403 403 404 404 404 403 403 403
GET trefas:exit_new [listing_plain]                200 200 200 200 200 200 403 403 403 403 404 404 404 403 403 403
POST trefas:exit_new [listing_plain]               400 400 400 400 400 400 403 403 403 403 404 404 404 403 403 403
GET trefas:notices                                 200 200 200 200 200 200 200 200 200 200 200 200 200 403 403 403
POST trefas:notices_read                           302 302 302 302 302 302 302 302 302 302 302 302 302 403 403 403
GET trefas:checklist_templates                     403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
GET trefas:checklist_template_new                  403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:checklist_template_new                 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
GET trefas:checklist_template_edit [template]      403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:checklist_template_edit [template]     403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
GET trefas:admin_forums                            403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
GET trefas:admin_forum_new                         403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_forum_new                        403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:admin_forum                             403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
GET trefas:admin_forum_edit                        403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_forum_edit                       403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:admin_organisation_new                  403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_organisation_new                 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:admin_organisation [forum_org]          403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_organisation [forum_org]         403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:admin_member_new                        403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_member_new                       403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:admin_member [forum_member]             403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_member [forum_member]            403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:admin_member_deactivate [forum_member]  403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 200
POST trefas:admin_member_deactivate [forum_member] 403 403 403 403 403 403 403 403 403 403 403 403 403 403 403 400
GET trefas:retention                               403 403 403 403 403 403 403 403 403 403 403 403 403 403 200 403
POST trefas:retention_rules                        403 403 403 403 403 403 403 403 403 403 403 403 403 403 400 403
POST trefas:retention_run                          403 403 403 403 403 403 403 403 403 403 403 403 403 403 302 403
GET followup:trefas                                200 200 200 200 200 200 200 200 200 200 404 404 404 200 403 403
GET followup:trefas_csv                            200 200 200 200 200 200 200 200 200 200 404 404 404 200 403 403
GET followup:trefas_xlsx                           200 200 200 200 200 200 200 200 200 200 404 404 404 200 403 403
"""


def _parse_table(text: str) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in text.strip().splitlines()[1:]:
        parts = line.split()
        cells = parts[-len(COLUMNS):]
        key = " ".join(parts[: -len(COLUMNS)])
        assert key not in table, key
        table[key] = cells
    return table


EXPECTED = _parse_table(EXPECTED_TABLE)

# Pages that list entries: every entry named here that the persona may read must be in the
# body (a page that shows nothing cannot pass the leak check vacuously).
_RED_SHARES = ["share_proposed", "share_approved", "share_refused", "share_noreview", "share_withdrawn",
               "share_soc", "share_release"]
_NAMES = ["listing_red_first", "listing_red_last", "listing_prot_first", "listing_prot_last",
          "listing_plain_last"]
SHOWS: dict[str, list[str]] = {
    "GET trefas:forum": [*_NAMES, "listing_red_ref", "listing_prot_ref", "listing_red_reason"],
    "GET trefas:person [listing_red]": [*_RED_SHARES, "listing_red_last", "listing_red_why", "listing_red_ref",
                                        "listing_red_reason", "group_one", "action_soc", "release_action"],
    "GET trefas:person [listing_prot]": ["listing_prot_last", "listing_prot_ref", "share_soc_proposed"],
    "GET trefas:groups": ["group_one", "group_two", "group_one_desc", "conflict_note", "listing_red_last"],
    "GET trefas:meeting [meeting_planned]": [*_RED_SHARES, "share_soc_proposed", "listing_red_last",
                                             "listing_prot_last"],
    "GET trefas:meeting_pdf [meeting_planned]": [*_RED_SHARES, "listing_red_last"],
    "GET trefas:meeting [meeting_held]": ["minutes", "meeting_held_place"],
    "GET trefas:meetings": ["meeting_planned_place", "meeting_held_place"],
    "GET trefas:actions": ["action_soc", "action_prot", "incident_action", "release_action"],
    "GET trefas:incident [incident]": ["incident_place", "incident_desc", "listing_red_last", "listing_prot_last",
                                       "sibling_first", "sibling_last", "incident_action"],
    "GET trefas:incidents": ["incident_place"],
    "GET trefas:release [release]": ["listing_red_last", "release_action"],
    "GET trefas:releases": ["listing_red_last"],
    "GET trefas:exit_new [listing_plain]": ["exit_programme", "exit_note", "listing_plain_last"],
}
# Pages that show none of the forum's records, whoever asks: counts, the set-up, notices.
NOTHING = {"GET trefas:notices", "GET followup:trefas", "GET followup:trefas_csv", "GET followup:trefas_xlsx",
           "GET trefas:retention", "GET trefas:forums"}


def shown_on(world: MatrixWorld, route: str, persona: str) -> list[str]:
    """The entries ``route`` must show ``persona`` (of those it may read)."""
    keys = SHOWS.get(route, [])
    if route == "GET trefas:shares":
        # The texts of the shares received, and of the own organisation's proposed ones in
        # its jurist's queue (the own organisation's other shares are listed without text).
        org_id = world.users[persona].organisation_id
        jurist = PERSONAS[persona][1] == "jurist"
        keys = [e.key for e in world.entries.values() if e.kind == "share" and (
            world.objects[e.key].from_organisation_id != org_id
            or (jurist and world.objects[e.key].state == "proposed"))]
    if route == "GET trefas:groups" and not sees(persona, world.entries["group_one"]):
        keys = []  # (the group's members are named with the group)
    return [k for k in keys if sees(persona, world.entries[k])]


def may_see(route: str, persona: str, entry: Entry) -> bool:
    if route in NOTHING or "admin_" in route or "checklist_template" in route:
        return False
    return sees(persona, entry)


def _visible_shares(world: MatrixWorld, persona: str, *, listing: str | None = None,
                    with_groups: bool = True) -> int:
    keys = [e.key for e in world.entries.values() if e.kind == "share" and sees(persona, e)]
    shares = [world.objects[k] for k in keys]
    if listing is not None:
        shares = [s for s in shares if s.listing_id == world.objects[listing].pk]
    if not with_groups:
        shares = [s for s in shares if s.listing_id is not None]
    return len(shares)


COUNTS: dict[str, Any] = {
    # (what the page counts, what the persona may read)
    "GET trefas:shares": (
        lambda ctx: len(ctx["page"].queue) + len(ctx["page"].own) + len(ctx["page"].received),
        lambda w, p: _visible_shares(w, p)),
    "GET trefas:person [listing_red]": (
        lambda ctx: ctx["picture"].share_count,
        lambda w, p: _visible_shares(w, p, listing="listing_red")),
    "GET trefas:person [listing_prot]": (
        lambda ctx: ctx["picture"].share_count,
        lambda w, p: _visible_shares(w, p, listing="listing_prot")),
    "GET trefas:meeting [meeting_planned]": (
        lambda ctx: len(ctx["agenda"].share_ids),
        lambda w, p: _visible_shares(w, p, with_groups=False)),
}


@pytest.fixture(scope="module")
def tworld(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as tests/authz/conftest.py: durable services run inside it
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _request(client: Any, method: str, url: str, data: dict[str, Any]) -> tuple[Any, str]:
    """One request inside a transaction rolled back after it (the body read inside)."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # the services' durable blocks run inside it, as in a test
    with atomic:
        response = client.post(url, data) if method == "POST" else client.get(url)
        text = response_text(response)
        transaction.set_rollback(True)
    return response, text


@pytest.mark.parametrize("persona", COLUMNS)
def test_matrix(tworld, persona):
    client = fast_login(tworld.users[persona])
    numbers = forbidden_numbers(tworld)
    member = PERSONAS[persona][1] is not None
    failures: list[str] = []
    for name, method, target in ROUTES:
        route = row_id((name, method, target))
        url, data = url_for(tworld, name, target)
        response, text = _request(client, method, url, data)
        body = text.lower()
        want = EXPECTED[route][COLUMNS.index(persona)]
        if str(response.status_code) != want:
            failures.append(f"{route}: status {response.status_code}, expected {want}")
        leaked = [e.key for e in tworld.entries.values() if e.marker.lower() in body and not may_see(route, persona, e)]
        if leaked:
            failures.append(f"{route}: LEAK {leaked}")
        if any(n in text for n in numbers):
            failures.append(f"{route}: an identity number is shown")
        if response.status_code == 200:
            missing = [k for k in shown_on(tworld, route, persona) if tworld.entries[k].marker.lower() not in body]
            if missing:
                failures.append(f"{route}: missing what the persona may see: {missing}")
        if response.status_code == 200 and route in COUNTS:
            shown_of, wanted_of = COUNTS[route]
            shown, wanted = shown_of(response.context), wanted_of(tworld, persona)
            if shown != wanted:
                failures.append(f"{route}: counts {shown} shares, the persona may read {wanted}")
        if not member and forum_scoped(name) and response.status_code in (403, 404, 405):
            # Existence oracle: a forum that does not exist answers exactly the same.
            other, other_data = url_for(tworld, name, target, forum_id=MISSING_ID)
            again, _text = _request(client, method, other, other_data)
            if again.status_code != response.status_code:
                failures.append(f"{route}: {response.status_code} but {again.status_code} for a missing forum")
    assert not failures, f"{persona}:\n" + "\n".join(failures)

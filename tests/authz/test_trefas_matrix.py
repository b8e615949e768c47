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

from tests.authz.bodies import response_text
from tests.authz.trefas_entries import PERSONAS, Entry, MatrixWorld, build_world, forbidden_numbers, sees
from tests.authz.trefas_routes import MISSING_ID, ROUTES, forum_scoped, row_id, url_for
from tests.conftest import fast_login
from tests.world import rolled_back

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
GET trefas:meeting_minutes [meeting_held]          302 403 403 403 403 403 403 403 403 403 404 404 404 403 403 403
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
    with django_db_blocker.unblock(), rolled_back():
        yield build_world()


def _request(client: Any, method: str, url: str, data: dict[str, Any]) -> tuple[Any, str]:
    """One request inside a transaction rolled back after it (the body read inside)."""
    with rolled_back():
        response = client.post(url, data) if method == "POST" else client.get(url)
        text = response_text(response)
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


def test_route_table_covers_every_trefas_route():
    """Walk the URLconf: every route of the ``trefas`` namespace and the forum's statistics
    has rows in the matrix (a new Trefas view must be added to it), and every row has
    expectations."""
    from tests.access.urlwalk import walk

    names = {r.name for r in walk() if r.name and (r.name.startswith("trefas:") or r.name.startswith("followup:trefas"))}
    covered = {name for name, _m, _t in ROUTES}
    assert len(names) > 50, "the walk found too few Trefas routes"
    assert names - covered == set(), f"routes missing from tests/authz/trefas_routes.py: {sorted(names - covered)}"
    assert covered - names == set(), f"rows for routes that do not exist: {sorted(covered - names)}"
    assert set(EXPECTED) == {row_id(r) for r in ROUTES}


def test_the_expectations_are_not_trivial(tworld):
    """Both allow and deny, per organisation and per share state; outsiders are denied
    every forum page."""
    e = tworld.entries
    # Proposed, refused and withdrawn: the proposing organisation only (its jurist too).
    for key in ("share_proposed", "share_refused", "share_withdrawn"):
        assert [p for p in COLUMNS if sees(p, e[key])] == ["police", "police_jurist"], key
    # Approved and no-review: the proposer and the recipient.
    for key in ("share_approved", "share_noreview"):
        assert [p for p in COLUMNS if sees(p, e[key])] == ["soc", "police", "soc_jurist", "police_jurist"], key
    assert [p for p in COLUMNS if sees(p, e["listing_prot_last"])] == ["soc", "soc_jurist"]
    assert [p for p in COLUMNS if sees(p, e["sibling_first"])] == ["soc", "soc_jurist"]
    assert [p for p in COLUMNS if sees(p, e["listing_red_ref"])] == ["police", "police_jurist"]
    assert not sees("sig_coord", e["listing_prot_last"])  # the same organisation, not in the forum
    for route, cells in EXPECTED.items():
        name = route.split()[1]
        if forum_scoped(name) and "admin_" not in name:
            for persona in ("sig_coord", "skarholmen", "tax", "soc_dpo", "sysadmin"):
                assert cells[COLUMNS.index(persona)] in ("403", "404"), (route, persona)
    cells = {c for row in EXPECTED.values() for c in row}
    assert {"200", "302", "400", "403", "404"} <= cells


def _client_request(client: Any, method: str, url: str, data: dict[str, Any] | None = None) -> tuple[int, str]:
    response = client.post(url, data or {}) if method == "POST" else client.get(url)
    return response.status_code, response_text(response).lower()


def test_share_state_changes_take_effect_on_the_next_request(tworld):
    """The police's jurist approves the proposed share through the web: social services'
    very next request shows it (person page, agenda, shares received); the police withdraw
    it: their next request no longer does. Nobody else sees it at any point."""
    from django.urls import reverse

    share = tworld.objects["share_proposed"]
    text = tworld.entries["share_proposed"].marker.lower()
    forum = tworld.forum.pk
    pages = [reverse("trefas:person", args=[forum, tworld.objects["listing_red"].pk]),
             reverse("trefas:meeting", args=[forum, tworld.objects["meeting_planned"].pk]),
             reverse("trefas:meeting_pdf", args=[forum, tworld.objects["meeting_planned"].pk]),
             reverse("trefas:shares", args=[forum])]
    clients = {p: fast_login(tworld.users[p]) for p in ("soc", "probation", "city_coord", "soc_jurist")}

    def seen_by() -> set[str]:
        return {p for p, c in clients.items() if any(text in _client_request(c, "GET", u)[1] for u in pages)}

    assert seen_by() == set()
    jurist = fast_login(tworld.users["police_jurist"])
    status, _body = _client_request(jurist, "POST", reverse("trefas:share_decide", args=[forum, share.pk]),
                                    {"decision": "approve", "reason": "Avvägt (matris)", "version": share.version,
                                     "confirmed": "1"})
    assert status == 302
    assert seen_by() == {"soc", "soc_jurist"}
    share.refresh_from_db()
    police = fast_login(tworld.users["police"])
    status, _body = _client_request(police, "POST", reverse("trefas:share_withdraw", args=[forum, share.pk]),
                                    {"version": share.version})
    assert status == 302
    assert seen_by() == set()


def test_notices_and_emails_carry_no_personal_data(tworld, django_capture_on_commit_callbacks):
    """A red rating, a share to review and its decision, an incident and a release
    reminder through the services: every e-mail sent and every notice page carries no
    name, no identity number and no share or record text (no marker at all)."""
    from django.urls import reverse
    from django.utils import timezone

    from samverkan.trefas.models import Notice
    from samverkan.trefas.selectors.forums import forum_access
    from samverkan.trefas.services import incidents as incident_services
    from samverkan.trefas.services import listing as listing_services
    from samverkan.trefas.services import releases as release_services
    from samverkan.trefas.services import shares as share_services
    from tests.world import basis

    w, users, forum = tworld, tworld.users, tworld.forum
    notices_before = Notice.objects.count()
    new_text = "MKNEWSHARETEXTZZ"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        police = forum_access(users["police"], forum.pk)
        plain = w.objects["listing_plain"]
        listing_services.listing_rate(actor=users["police"], forum=forum, access=police, listing=plain,
                                      rating="red", reason="MKNEWREASONZZ", expected_version=plain.version)
    with django_capture_on_commit_callbacks(execute=True):
        share = share_services.share_propose(  # (18 a §: social services to the police)
            actor=users["soc"], access=forum_access(users["soc"], forum.pk), forum=forum, listing=w.objects["listing_red"], topic="since_last",
            text=new_text, basis=basis("osl-10-18a"), balancing_test="MKNEWBALANCEZZ: behovet väger tyngre (matris)",
            recipients=[w.trefas.orgs["police"]])
    with django_capture_on_commit_callbacks(execute=True):
        share_services.share_decide(actor=users["soc_jurist"], access=forum_access(users["soc_jurist"], forum.pk),
                                    share=share, approve=False, reason="MKNEWREFUSALZZ", version=share.version)
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.incident_register(
            actor=users["soc"], access=forum_access(users["soc"], forum.pk), forum=forum, kind="threat",
            occurred_at=timezone.now(), place="MKNEWPLACEZZ", area=None, description="MKNEWDESCZZ")
    with django_capture_on_commit_callbacks(execute=True):
        release_services.release_reminders_send()
    assert len({m.subject for m in mail.outbox}) >= 2, "the red-rating and the release e-mails were not both sent"
    assert Notice.objects.count() > notices_before
    numbers = forbidden_numbers(w)
    everything = [e.marker for e in w.entries.values()] + [new_text, "MKNEWREASONZZ", "MKNEWBALANCEZZ",
                                                           "MKNEWREFUSALZZ", "MKNEWPLACEZZ", "MKNEWDESCZZ"]
    for message in mail.outbox:
        text = (message.subject + "\n" + message.body + "".join(str(a) for a in message.alternatives)).lower()
        assert not [m for m in everything if m.lower() in text], (message.to, message.subject)
        assert not [n for n in numbers if n in text], message.to
        assert len(message.to) == 1  # no member learns who else is in the forum
    for persona in COLUMNS:
        if PERSONAS[persona][1] is None:
            continue
        status, body = _client_request(fast_login(users[persona]), "GET", reverse("trefas:notices"))
        assert status == 200
        assert not [m for m in everything if m.lower() in body], persona
        assert not [n for n in numbers if n in body], persona

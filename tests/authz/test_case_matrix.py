"""Authorisation matrix of the individual track (issue 3, acceptance).

Every case-related view, action and export (tests/authz/routes.py; checked against the
URLconf below) x personas from six organisations and organisation-wide roles
(tests/world.py, tests/authz/entries.py) x consent states → the expected status in EXPECTED, and no
marker of an entry the persona may not see anywhere in the response: HTML, CSV, JSON,
PDF (every stream decoded), XLSX, error pages; plus the reminder e-mails, the
statistics and the look-up.

The case is closed (it has a closure and follow-ups), so writes that pass the
authorisation checks end in the service's "the case is closed" refusal (302/400) or a
form with errors (200) — nothing a test does here changes what the next row sees, and
each test runs in its own savepoint anyway.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail

from samverkan.reminders import services as reminder_services
from tests.authz.baseline import STAT_PERSONAS, statistics_values
from tests.authz.bodies import response_text
from tests.authz.entries import (
    PERSONAS,
    SHARING,
    STATES,
    TEAM_ORGS,
    Entry,
    World,
    apply_state,
    sees,
)
from tests.authz.routes import PREFIXES, ROUTES, row_id, url_for
from tests.conftest import fast_login
from tests.world import rolled_back

pytestmark = pytest.mark.django_db

COLUMNS = ["jarva_coord", "jarva_cw", "police", "probation", "school", "tax", "skarholmen",
           "jarva_manager", "police_manager", "skarholmen_manager", "jarva_dpo", "skarholmen_dpo"]

# Expected status per persona. A number is exact. For rows that point at one entry:
#   V = 200 if the persona may see the entry (in this consent state), else 404
#   v = 403 if the persona may see it (but may not do this to it), else 404
#   R = 302 if the persona may see it, else 404
# Team members are the first five columns; tax, skarholmen and the managers/DPOs are
# not on the team. 404 = as for a case that does not exist; 403 = role too weak.
EXPECTED_TABLE = """
                                                  jc  jcw pol prb sch tax skh jm  pm  skm jd  skd
GET frontend:home                                 200 200 200 200 200 200 200 200 200 200 200 200
GET cases:list                                    200 200 200 200 200 200 200 200 200 200 403 403
GET cases:intake                                  200 200 403 403 403 403 200 403 403 403 403 403
POST cases:intake                                 200 200 403 403 403 403 200 403 403 403 403 403
GET cases:lookup                                  200 200 200 200 200 200 200 200 200 200 403 403
POST cases:lookup [person_last]                   200 200 200 200 200 200 200 200 200 200 403 403
GET cases:detail                                  200 200 200 200 200 404 404 404 404 404 403 403
GET cases:decide                                  405 403 403 403 403 405 405 405 405 405 403 403
POST cases:decide                                 302 403 403 403 403 404 404 404 404 404 403 403
GET cases:team                                    200 200 200 200 200 404 404 404 404 404 403 403
POST cases:team                                   200 403 403 403 403 404 404 404 404 404 403 403
POST cases:transfer                               302 403 403 403 403 404 404 403 403 403 403 403
GET cases:closure [closure]                       200 200 200 200 200 404 404 404 404 404 403 403
POST cases:close                                  400 403 403 403 403 404 404 404 404 404 403 403
GET cases:follow_up [follow_up]                   200 200 v   v   v   404 404 404 404 404 403 403
POST cases:follow_up [follow_up]                  200 200 v   v   v   404 404 404 404 404 403 403
POST cases:legal_hold                             400 403 403 403 403 404 404 404 404 404 403 403
GET cases:programme_list                          403 403 403 403 403 403 403 403 403 403 403 403
GET cases:programme_create                        403 403 403 403 403 403 403 403 403 403 403 403
GET cases:programme_edit                          403 403 403 403 403 403 403 403 403 403 403 403
GET consent:list                                  200 200 200 200 200 404 404 404 404 404 403 403
GET consent:record                                200 200 403 403 403 404 404 403 403 403 403 403
POST consent:record                               200 200 403 403 403 404 404 403 403 403 403 403
GET consent:document [consent]                    V   V   403 403 403 404 404 404 404 404 403 403
GET consent:disclosures                           200 200 200 200 200 404 404 404 404 404 403 403
GET consent:disclosure_record                     200 403 403 403 403 404 404 404 404 404 403 403
POST consent:disclosure_record                    200 403 403 403 403 404 404 404 404 404 403 403
GET consent:register                              403 403 403 403 403 403 403 200 200 200 200 200
GET consent:register_export                       403 403 403 403 403 403 403 200 200 200 200 200
GET consent:legal_basis_list                      403 403 403 403 403 403 403 403 403 403 403 403
GET consent:legal_basis_new                       403 403 403 403 403 403 403 403 403 403 403 403
GET consent:legal_basis_edit                      403 403 403 403 403 403 403 403 403 403 403 403
POST consent:legal_basis_active                   403 403 403 403 403 403 403 403 403 403 403 403
GET journal:notes                                 200 200 200 200 200 404 404 404 404 404 403 403
GET journal:notes [?category=social]              200 200 200 200 200 404 404 404 404 404 403 403
GET journal:note_new                              200 200 200 200 200 404 404 403 403 403 403 403
POST journal:note_new                             200 200 200 200 200 404 404 403 403 403 403 403
GET journal:note_edit [note_jarva_draft]          404 200 404 404 404 404 404 403 403 403 403 403
POST journal:note_edit [note_jarva_draft]         404 200 404 404 404 404 404 403 403 403 403 403
GET journal:note_correct [note_jarva_basic]       200 200 v   v   v   404 404 403 403 403 403 403
GET journal:note_correct [note_police_crime_after] v  v   200 v   v   404 404 403 403 403 403 403
POST journal:note_correct [note_school_health]    v   v   v   v   200 404 404 403 403 403 403 403
GET people:guardians                              200 200 403 403 403 404 404 404 404 404 403 403
POST people:guardians                             200 200 403 403 403 404 404 404 404 404 403 403
GET plans:plan                                    200 200 200 200 200 404 404 404 404 404 403 403
GET plans:goal_new                                200 200 200 200 200 404 404 403 403 403 403 403
POST plans:goal_new                               200 200 200 200 200 404 404 403 403 403 403 403
GET plans:goal_edit [goal_jarva]                  200 200 v   v   v   404 404 403 403 403 403 403
GET plans:goal_edit [goal_police]                 v   v   200 v   v   404 404 403 403 403 403 403
POST plans:goal_edit [goal_school]                v   v   v   v   200 404 404 403 403 403 403 403
GET plans:commitment_new                          200 200 200 200 200 404 404 403 403 403 403 403
POST plans:commitment_new                         200 200 200 200 200 404 404 403 403 403 403 403
GET plans:commitment_edit [commitment_jarva]      200 200 v   v   v   404 404 403 403 403 403 403
GET plans:commitment_edit [commitment_jarva_for_police] 200 200 V v v 404 404 403 403 403 403 403
POST plans:commitment_edit [commitment_probation] v   v   v   200 v   404 404 403 403 403 403 403
GET plans:summary_edit                            200 200 403 403 403 404 404 403 403 403 403 403
POST plans:summary_edit                           200 200 403 403 403 404 404 403 403 403 403 403
POST plans:establish                              302 302 302 302 302 404 404 403 403 403 403 403
GET plans:version                                 200 200 200 200 200 404 404 404 404 404 403 403
GET plans:pdf                                     200 200 200 200 200 404 404 404 404 404 403 403
GET meetings:list                                 200 200 200 200 200 404 404 404 404 404 403 403
GET meetings:new                                  200 200 200 200 200 404 404 403 403 403 403 403
POST meetings:new                                 200 200 200 200 200 404 404 403 403 403 403 403
GET meetings:detail [meeting_jarva]               200 200 V   V   V   404 404 404 404 404 403 403
GET meetings:detail [meeting_police]              V   V   200 V   V   404 404 404 404 404 403 403
GET meetings:detail [meeting_school]              V   V   V   V   200 404 404 404 404 404 403 403
GET meetings:edit [meeting_jarva]                 200 200 v   v   v   404 404 403 403 403 403 403
POST meetings:edit [meeting_probation]            v   v   v   200 v   404 404 403 403 403 403 403
POST meetings:cancel [meeting_upcoming]           302 302 R   R   R   404 404 403 403 403 403 403
GET meetings:attendance [meeting_police]          v   v   200 v   v   404 404 403 403 403 403 403
GET meetings:minutes_new [meeting_jarva]          200 200 V   V   V   404 404 403 403 403 403 403
POST meetings:minutes_new [meeting_school]        V   V   V   V   200 404 404 403 403 403 403 403
GET meetings:minutes_edit [minutes_draft_jarva]   404 200 404 404 404 404 404 403 403 403 403 403
GET meetings:minutes_edit [minutes_police]        v   v   200 v   v   404 404 403 403 403 403 403
POST meetings:minutes_sign [minutes_draft_jarva]  404 302 404 404 404 404 404 403 403 403 403 403
GET meetings:decision_new [minutes_draft_jarva]   404 200 404 404 404 404 404 403 403 403 403 403
GET meetings:decision_commit [decision_jarva]     200 200 V   V   V   404 404 403 403 403 403 403
GET meetings:decision_commit [decision_probation] V   V   V   200 V   404 404 403 403 403 403 403
GET reminders:mine                                200 200 200 200 200 200 200 200 200 200 200 200
GET reminders:mine [?klara=1]                     200 200 200 200 200 200 200 200 200 200 200 200
GET reminders:case                                200 200 200 200 200 404 404 404 404 404 403 403
POST reminders:case                               200 200 200 200 200 404 404 404 404 404 403 403
GET dataprotection:retention                      403 403 403 403 403 403 403 403 403 403 200 200
POST dataprotection:retention_run                 403 403 403 403 403 403 403 403 403 403 302 302
GET dataprotection:subject_access                 403 403 403 403 403 403 403 403 403 403 200 200
POST dataprotection:subject_access [json]         403 403 403 403 403 403 403 403 403 403 200 200
POST dataprotection:subject_access [pdf]          403 403 403 403 403 403 403 403 403 403 200 200
GET followup:overview                             403 403 403 403 403 403 403 200 200 200 403 403
GET followup:export_csv                           403 403 403 403 403 403 403 200 200 200 403 403
GET followup:export_xlsx                          403 403 403 403 403 403 403 200 200 200 403 403
GET followup:trefas                               404 404 404 404 404 404 404 404 404 404 403 403
GET followup:trefas_csv                           404 404 404 404 404 404 404 404 404 404 403 403
GET followup:trefas_xlsx                          404 404 404 404 404 404 404 404 404 404 403 403
GET logreview:index                               403 403 403 403 403 403 403 403 403 403 200 200
POST logreview:sample                             403 403 403 403 403 403 403 403 403 403 302 302
GET logreview:review                              403 403 403 403 403 403 403 403 403 403 404 404
POST logreview:mark                               403 403 403 403 403 403 403 403 403 403 404 404
POST cases:emergency                              302 403 403 403 403 404 404 302 404 404 403 403
POST reminders:done [own_reminder]                404 302 404 404 404 404 404 404 404 404 404 404
POST journal:note_sign [note_jarva_draft]         404 302 404 404 404 404 404 403 403 403 403 403
POST consent:withdraw [consent]                   R   R   403 403 403 404 404 403 403 403 403 403
POST cases:team_remove                            302 403 403 403 403 404 404 403 403 403 403 403
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

# Routes whose page lists entries: every entry of these kinds the persona may see must
# be in the body (so a page that shows nothing cannot pass the leak check vacuously).
SHOWS: dict[str, set[str]] = {
    "GET journal:notes": {"note", "draft"},
    "GET plans:plan": {"goal", "commitment", "summary"},
    "GET plans:version": {"goal", "commitment", "summary"},
    "GET plans:pdf": {"goal", "commitment-description", "summary", "person"},
    "GET meetings:list": {"meeting-place"},
    "GET cases:closure [closure]": {"closure"},
    "GET cases:follow_up [follow_up]": {"follow_up"},
    "GET consent:disclosures": {"disclosure"},
    "GET people:guardians": {"guardian"},
    "GET cases:detail": {"person"},
    "GET consent:document [consent]": {"consent_document"},
    "GET reminders:case": {"reminder"},
    "GET consent:register": {"disclosure"},
    "GET consent:register_export": {"disclosure"},
    "POST dataprotection:subject_access [json]": {"*"},
    "POST dataprotection:subject_access [pdf]": {"*"},
    "GET meetings:detail [meeting_jarva]": {"of-meeting"},
    "GET meetings:detail [meeting_police]": {"of-meeting"},
    "GET meetings:detail [meeting_school]": {"of-meeting"},
}
# Counts a page shows (from its context) against the entries the persona may see.
COUNTS = {
    "GET journal:notes": lambda ctx: (ctx["result"].total, {"note", "draft"}),
    "GET plans:plan": lambda ctx: (ctx["page"].goal_count + ctx["page"].commitment_count, {"goal", "commitment"}),
    "GET meetings:list": lambda ctx: (len(ctx["upcoming"]) + len(ctx["earlier"]), {"meeting"}),
}
REGISTER_ROUTES = {"GET consent:register", "GET consent:register_export"}
EXPORT_ROUTES = {"POST dataprotection:subject_access [json]", "POST dataprotection:subject_access [pdf]"}


def may_see(world: World, route: str, persona: str, state: str, entry: Entry) -> bool:
    """What the persona may see in this route's response."""
    if route in EXPORT_ROUTES:
        # The register extract (registerutdrag) reads across every organisation by
        # design (issue 3, item 13); only holders of SUBJECT_ACCESS_EXPORT reach it.
        return PERSONAS[persona][1] == ["dpo"]
    if route in REGISTER_ROUTES and entry.kind == "disclosure":
        # The organisation's own disclosure register: disclosures from or to it.
        return world.org_of(persona) in (entry.org, entry.to_org)
    return sees(world, persona, state, entry)


def _shown_kinds(world: World, route: str, entry: Entry) -> bool:
    wanted = SHOWS.get(route, set())
    if "*" in wanted:
        return entry.kind != "consent_document"  # the export names stored files, never their contents
    if "of-meeting" in wanted:
        meeting = route.split("[meeting_")[1].rstrip("]")
        return entry.key in (f"meeting_{meeting}", f"minutes_{meeting}", f"decision_{meeting}") or (
            meeting == "jarva" and entry.key == "minutes_police_on_jarva")
    if entry.kind == "commitment" and "commitment-description" in wanted:
        return not entry.key.endswith("_note")
    if entry.kind == "meeting" and "meeting-place" in wanted:
        return entry.key.endswith("_place")
    if route == "GET reminders:case" and entry.kind == "reminder":
        return True
    return entry.kind in wanted


def target_visible(world: World, persona: str, state: str, target: str | None, consents: list) -> bool:
    if target == "consent":
        return bool(consents) and world.org_of(persona) == "jarva"
    entry = world.entries.get(target or "")
    assert entry is not None, f"row token needs an entry target, got {target!r}"
    return sees(world, persona, state, entry)


def expected_status(world: World, route: str, target: str | None, persona: str, state: str,
                    consents: list) -> int:
    token = EXPECTED[route][COLUMNS.index(persona)]
    if token.isdigit():
        return int(token)
    visible = target_visible(world, persona, state, target, consents)
    return {"V": 200 if visible else 404, "v": 403 if visible else 404, "R": 302 if visible else 404}[token]


def _case_scoped(url: str, world: World) -> bool:
    return str(world.case.public_id) in url


def forbidden_texts(world: World, persona: str) -> list[str]:
    """The participant's identity number in every form it is printed."""
    ident = world.identity
    return [ident.digits, str(ident), ident.display()]


# Who may learn that the case exists without being on its team: the lead
# organisation's manager, from the look-up (to break the glass).
CASE_ID_ALLOWED = {("jarva_manager", "POST cases:lookup [person_last]")}


def refresh_reminders(world: World) -> None:
    """Run the reminders job as it ran while the case was still open (closed cases get
    no new commitment, meeting or consent reminders); the pages filter what they show
    at read time."""
    from samverkan.cases.models import Case

    Case.objects.filter(pk=world.case.pk).update(status="active")
    reminder_services.reminders_refresh()
    Case.objects.filter(pk=world.case.pk).update(status="closed")


CASES = [(state, persona) for state in STATES for persona in COLUMNS]


@pytest.mark.parametrize(("state", "persona"), CASES, ids=[f"{s}-{p}" for s, p in CASES])
def test_matrix(world, state, persona):
    consents = apply_state(world, state)
    refresh_reminders(world)
    client = fast_login(world.users[persona])
    case_pid = str(world.case.public_id).lower()
    on_team = PERSONAS[persona][2] is not None
    failures: list[str] = []
    for name, method, target in ROUTES:
        route = row_id((name, method, target))
        url, data = url_for(world, name, target, consents)
        response = client.post(url, data) if method == "POST" else client.get(url)
        want = expected_status(world, route, target, persona, state, consents)
        if response.status_code != want:
            failures.append(f"{route}: status {response.status_code}, expected {want}")
        body = response_text(response).lower()
        leaked = [e.key for e in world.entries.values()
                  if e.marker.lower() in body and not may_see(world, route, persona, state, e)]
        if leaked:
            failures.append(f"{route}: LEAK {leaked}")
        if route not in EXPORT_ROUTES and method == "GET":  # a POSTed look-up echoes the number typed
            visible_identity = sees(world, persona, state, world.entries["person_last"])
            if not visible_identity and any(t.lower() in body for t in forbidden_texts(world, persona)):
                failures.append(f"{route}: identity number leaked")
        if not on_team and not _case_scoped(url, world) and route not in EXPORT_ROUTES | REGISTER_ROUTES \
                and (persona, route) not in CASE_ID_ALLOWED and case_pid in body:
            failures.append(f"{route}: the case's id shown to a non-member")
        if response.status_code == 200 and route in SHOWS:
            missing = [e.key for e in world.entries.values()
                       if _shown_kinds(world, route, e) and may_see(world, route, persona, state, e)
                       and e.marker.lower() not in body]
            if missing:
                failures.append(f"{route}: missing what the persona may see: {missing}")
        if response.status_code == 200 and route in COUNTS:
            shown, kinds = COUNTS[route](response.context)
            wanted = sum(1 for e in world.entries.values() if e.kind in kinds and not e.key.endswith(("_note", "_place"))
                         and sees(world, persona, state, e))
            if shown != wanted:
                failures.append(f"{route}: counts {shown}, the persona may see {wanted}")
        if not on_team and state == "none" and _case_scoped(url, world) and response.status_code in (403, 404, 405):
            # Existence oracle: a case that does not exist answers exactly the same
            # (checked in one state: consent is never evaluated for a non-member).
            other, other_data = url_for(world, name, target, consents, case_id=uuid.uuid4())
            again = client.post(other, other_data) if method == "POST" else client.get(other)
            if again.status_code != response.status_code:
                failures.append(f"{route}: {response.status_code} but {again.status_code} for a missing case")
    assert not failures, f"{state} x {persona}:\n" + "\n".join(failures)


@pytest.mark.parametrize("state", STATES)
def test_reminder_digests_carry_counts_only(world, state):
    """The e-mail digest (console/file backend in the demo; locmem here) never carries a
    marker, a name, the identity number or the case id, and counts only what its
    recipient may see."""
    from samverkan.reminders.selectors import due_counts

    apply_state(world, state)
    refresh_reminders(world)
    mail.outbox.clear()
    reminder_services.digest_send()
    assert mail.outbox, "the digest was not sent to anyone"
    by_address = {u.email: name for name, u in world.users.items()}
    for message in mail.outbox:
        text = (message.subject + "\n" + message.body).lower()
        leaked = [e.key for e in world.entries.values() if e.marker.lower() in text]
        assert not leaked, (state, message.to, leaked)
        assert str(world.case.public_id).lower() not in text
        assert not any(t.lower() in text for t in forbidden_texts(world, "")), message.body
        persona = by_address[message.to[0]]
        total = sum(due_counts(actor=world.users[persona], within_days=7).values())
        assert f"{total} " in message.subject, (persona, message.subject)
    # The police's reminder about the lead's commitment exists only while they may see it.
    police_subjects = [m.subject for m in mail.outbox if m.to == [world.users["police"].email]]
    sees_lead_commitment = "police" in SHARING[state]
    from samverkan.reminders.models import Reminder

    lead_commitment = world.objects["commitment_jarva_for_police"]
    has = Reminder.objects.filter(user=world.users["police"], kind="commitment_due",
                                  source_id=str(lead_commitment.pk)).exists()
    assert has == sees_lead_commitment, (state, police_subjects)


def test_statistics_of_other_organisations_do_not_move(world):
    """Managers of other organisations (another district, the police) get exactly the
    statistics they got before the case existed."""
    for name in STAT_PERSONAS:
        assert statistics_values(world.users[name]) == world.objects["baseline"][name], name
    # ... while the lead organisation's manager counts it (suppressed as "<5").
    lead = statistics_values(world.users["jarva_manager"])
    assert any("<5" in cell for row in lead for cell in row)


def _without_tokens(html: str, digits: str) -> str:
    html = html.replace(digits, "TYPED")  # the form shows the number typed
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.mark.parametrize("persona", ["tax", "skarholmen", "police_manager", "skarholmen_manager"])
def test_lookup_does_not_reveal_that_the_person_exists(world, persona):
    """Outside the team the exact look-up answers the same for a person with a case as
    for a number nobody has."""
    from samverkan.lib.identity_numbers import make_fictitious, parse

    client = fast_login(world.users[persona])
    nobody = parse(make_fictitious(world.case.person.birth_date, 991)).digits
    answers = []
    for digits in (world.identity.digits, nobody):
        response = client.post("/arenden/sok/", {"identity": digits, "purpose": "Kontroll inför möte"})
        assert response.status_code == 200
        answers.append(_without_tokens(response.content.decode(), digits))
    assert answers[0] == answers[1]


def test_withdrawal_takes_effect_on_the_next_request_everywhere(world):
    """The lead withdraws the consent through the web; the police's very next request
    to every page no longer shows what the consent shared (notes, plan, plan version,
    printable plan, meetings, closure), nor the participant's name."""
    consents = apply_state(world, "valid")
    police = fast_login(world.users["police"])
    pages = ["anteckningar/", "plan/", "plan/versioner/1/", "plan/plan.pdf", "moten/",
             f"moten/{world.objects['meeting_jarva'].public_id}/", "avslut/", ""]
    shared = [world.entries[k] for k in ("note_jarva_basic", "goal_jarva", "plan_summary", "commitment_school",
                                         "meeting_jarva_place", "closure", "person_last")]
    before = " ".join(response_text(police.get(world.url + p)).lower() for p in pages)
    assert all(e.marker.lower() in before for e in shared)
    lead = fast_login(world.users["jarva_coord"])
    response = lead.post(world.url + f"samtycken/{consents[0].pk}/aterkalla/", {"note": "Muntligt", "confirmed": "1"})
    assert response.status_code == 302
    for page in pages:
        response = police.get(world.url + page)
        if page == f"moten/{world.objects['meeting_jarva'].public_id}/":
            assert response.status_code == 404  # the lead's meeting is no longer shared
            continue
        assert response.status_code == 200, page
        body = response_text(response).lower()
        assert not [e.key for e in shared if e.marker.lower() in body], page
        assert world.entries["note_police_crime_after"].marker.lower() in body or page != "anteckningar/"


def test_route_table_covers_every_case_related_route():
    """Walk the URLconf: every route under the individual track's prefixes has rows in
    the matrix (a new view must be added to it), and every row has expectations."""
    from tests.access.urlwalk import walk

    names = {r.name for r in walk() if r.route.startswith(PREFIXES)}
    covered = {name for name, _m, _t in ROUTES}
    assert names, "the walk found no case routes"
    assert names - covered == set(), f"routes missing from tests/authz/routes.py: {sorted(names - covered)}"
    assert set(EXPECTED) == {row_id(r) for r in ROUTES}


def test_the_expectations_are_not_trivial(world):
    """Both allow and deny cells, per state, for cross-organisation entries."""
    police_sees = {s: sees(world, "police", s, world.entries["note_jarva_basic"]) for s in STATES}
    assert police_sees == {"none": False, "valid": True, "expired": False, "withdrawn": False,
                           "scope_excludes_viewer": False, "lapsed_at_18": False}
    assert sees(world, "school", "scope_excludes_viewer", world.entries["note_jarva_basic"])
    assert not sees(world, "school", "scope_excludes_viewer", world.entries["note_police_crime_after"])
    # Category scope: health is never in the consent.
    assert not sees(world, "jarva_coord", "valid", world.entries["note_school_health"])
    # Statutory disclosures cover only what was written before them.
    assert sees(world, "police", "none", world.entries["note_jarva_social_before"])
    assert not sees(world, "police", "none", world.entries["note_jarva_social_after"])
    assert sees(world, "jarva_cw", "none", world.entries["note_police_crime_before"])
    assert sees(world, "police", "none", world.entries["goal_jarva_social_before"])
    # Drafts and own reminders: their author only.
    assert not sees(world, "jarva_coord", "valid", world.entries["note_jarva_draft"])
    assert set(TEAM_ORGS) == SHARING["valid"]
    cells = [c for row in EXPECTED.values() for c in row]
    assert {"200", "403", "404", "V", "v"} <= set(cells)


def test_fast_login_is_a_real_verified_session(world):
    """The shortcut logs in exactly as far as the real flow: a client without it is sent
    to the login page, and the device is checked on every request."""
    from django.test import Client

    assert Client().get(world.url).status_code == 302
    client = fast_login(world.users["police"])
    assert client.get(world.url).status_code == 200
    with rolled_back():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=world.users["police"]).delete()
        assert client.get(world.url).status_code == 302  # no verified device any more

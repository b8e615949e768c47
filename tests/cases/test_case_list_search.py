"""My cases: name search, filters, sorting and the rows without a shared identity.

A name search finds only cases whose participant's name the viewer may see: for a
police officer on the team without a consent or disclosure covering them, and for an
outsider, searching the participant's name gives exactly what a search for a name that
exists nowhere gives. The name never enters a URL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.caseaccess.selectors import case_access_for
from samverkan.casepages import selectors
from samverkan.casepages.selectors import CaseListQuery
from samverkan.consent import services as consent_services
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.people.models import Person
from tests.world import ALL_CATEGORIES, adult_world, open_case, years_ago

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def client_of(world, login):
    """A logged-in client of a persona of the world (the same one within a test)."""
    return lambda persona: login(world.users[persona])


def two_cases():
    """Case A: Kim Testperson, no consent (the police on the team may not see the name).
    Case B (``objects["other"]``): Åsa Öberg-Lindé, whose own consent covers the police."""
    w = adult_world()
    lead, police = w.lead, w.users["police"]
    other = open_case(lead, identity=parse(make_fictitious(years_ago(22, days=10), 555)),
                      programme="sig-unga-vuxna-jarva", first_name="Åsa", last_name="Öberg-Lindé",
                      team={police: "caseworker"})
    today = timezone.localdate()
    consent_services.consent_record(
        actor=lead, case=other, access=case_access_for(actor=lead, case=other), giver="person", guardianship=None,
        given_on=today, valid_from=today, valid_to=today + timedelta(days=180),
        organisations=[w.orgs["jarva"], w.orgs["police"]], categories=ALL_CATEGORIES, document=None,
    )
    w.objects["other"] = other
    return w


@pytest.fixture
def world():
    return two_cases()


def _search(client, name, **filters):
    return client.post("/arenden/", {"name": name, **filters})


def _ids(rows):
    return {r.case.pk for r in rows}


def test_the_name_key_follows_the_saved_name(world):
    person = Person.objects.get(pk=world.objects["other"].person_id)
    assert person.name_search == "asa oberg-linde"
    person.first_name = "Ängla"
    person.save(update_fields=["first_name"])
    person.refresh_from_db()
    assert person.name_search == "angla oberg-linde"


def test_the_lead_finds_by_part_of_a_name_without_accents(world, client_of):
    lead, a, b = world.lead, world.case, world.objects["other"]
    for term, expected in (("kim", {a.pk}), ("TESTPERS", {a.pk}), ("oberg", {b.pk}), ("Öberg åsa", {b.pk}),
                           ("testperson kim", {a.pk}), ("e", set())):
        if len(term) < 2:
            continue
        pager, rows = selectors.my_cases(actor=lead, query=CaseListQuery(name=term))
        assert _ids(rows) == expected, term
        assert pager.known_total == len(expected)
    page = _search(client_of("jarva_coord"), "oberg")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Öberg-Lindé" in html and "Testperson" not in html


@pytest.mark.parametrize("persona", ["police", "tax", "jarva_outsider", "skarholmen"])
def test_a_name_not_shared_with_the_viewer_finds_nothing(world, client_of, persona):
    """The police are on case A's team but may not see its participant's name; the
    others are outside the team. Searching the name answers as for a name that exists
    nowhere: no rows, no count, the same page."""
    viewer = world.users[persona]
    for term in ("Kim", "Testperson", "kim testperson"):
        pager, rows = selectors.my_cases(actor=viewer, query=CaseListQuery(name=term))
        assert rows == [] and pager.known_total == 0 and not pager.has_next
    client = client_of(persona)
    hidden = CSRF.sub("", _search(client, "Testperson").content.decode())
    nowhere = CSRF.sub("", _search(client, "Qwxyzson").content.decode())
    assert hidden.replace("Testperson", "Qwxyzson") == nowhere
    assert "Kim" not in hidden and world.case.reference not in hidden


def test_the_police_find_the_name_their_organisation_may_see(world):
    """The positive control of the test above: the same officer finds case B, whose
    consent covers the police."""
    police = world.users["police"]
    _pager, rows = selectors.my_cases(actor=police, query=CaseListQuery(name="oberg"))
    assert _ids(rows) == {world.objects["other"].pk}


def test_rows_without_a_shared_name_show_the_case_reference(world, client_of):
    html = client_of("police").get("/arenden/").content.decode()
    a, b = world.case, world.objects["other"]
    assert f"Case {a.reference}" in html and "Not shared with your organisation" in html
    assert "Kim" not in html and "Testperson" not in html
    assert "Åsa Öberg-Lindé" in html and b.reference in html
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", a.reference)


def test_the_name_never_enters_a_url(world, client_of):
    client = client_of("jarva_coord")
    # A name in a query string is ignored: the whole list, not a search.
    html = client.get("/arenden/?name=Kim").content.decode()
    assert "Öberg-Lindé" in html and "Kim Testperson" in html
    # A form sent without a name is the plain list, redirected to its (name-free) URL.
    response = client.post("/arenden/", {"name": "", "status": "active", "sort": "received"})
    assert response.status_code == 302
    assert response["Location"] == "/arenden/?status=active&sort=received"
    # No link or form target on a search's page carries the name.
    html = _search(client, "testperson").content.decode()
    targets = re.findall(r'(?:href|action)="([^"]*)"', html)
    assert targets and not [t for t in targets if "name=" in t or "testperson" in t.lower()]


def test_a_too_short_name_is_a_clear_error(world, client_of):
    html = _search(client_of("jarva_coord"), "k").content.decode()
    assert "Write at least two letters of the name." in html


def test_the_search_is_audited_without_the_term(world, client_of):
    before = AuditEvent.objects.count()
    _search(client_of("jarva_coord"), "Testperson")
    events = list(AuditEvent.objects.order_by("seq")[before:])
    lookups = [e for e in events if e.action == Action.PERSON_LOOKUP]
    assert len(lookups) == 1
    assert '"by":"name"' in lookups[0].detail and str(world.case.public_id) in lookups[0].detail
    for event in events:
        assert "testperson" not in " ".join(str(v) for v in event.__dict__.values()).lower()


def test_filters_and_sorting(world):
    police = world.users["police"]
    a, b = world.case, world.objects["other"]

    def ids(**kw):
        return [r.case.pk for r in selectors.my_cases(actor=police, query=CaseListQuery(**kw))[1]]

    assert ids(consent="valid") == [b.pk]
    assert ids(consent="missing") == [a.pk]
    assert set(ids(role="caseworker")) == {a.pk, b.pk}
    assert ids(role="lead_coordinator") == []
    assert ids(status="closed") == []
    assert set(ids(programme=a.programme_id)) == {a.pk, b.pk}
    # By name: the names the viewer may see first; a hidden name never decides a row's place.
    assert ids(sort="name") == [b.pk, a.pk]
    assert set(ids(sort="meeting")) == set(ids(sort="received")) == set(ids(sort="activity")) == {a.pk, b.pk}
    assert ids(overdue=True) == []


def test_the_pager_tells_the_position(world, client_of, monkeypatch):
    import functools

    monkeypatch.setattr(selectors, "my_cases", functools.partial(selectors.my_cases, per_page=1))
    client = client_of("jarva_coord")
    assert "Cases 1–1, more on the next page" in client.get("/arenden/").content.decode()
    assert "Cases 2–2 of 2" in client.get("/arenden/?page=2").content.decode()
    assert "Cases 1–1 of 2" in client.get("/arenden/?sort=name").content.decode()  # every case read: a total
    assert "Cases 1–1 of 1" in client.get("/arenden/?consent=missing").content.decode()


def _intakes(lead, count, start=0):
    from samverkan.cases.models import Programme
    from samverkan.cases.services import case_intake

    today = timezone.localdate()
    programme = Programme.objects.get(code="sig-unga-vuxna-jarva")
    for n in range(start, start + count):
        case_intake(actor=lead, programme=programme,
                    identity=parse(make_fictitious(today.replace(year=today.year - 20), 600 + n)),
                    first_name="Demo", last_name=f"Deltagare {n}", intake_source="own_application",
                    received_on=today, is_fictitious=True)


@pytest.mark.parametrize("query", [
    CaseListQuery(name="deltagare"),
    CaseListQuery(consent="missing", sort="meeting"),
    CaseListQuery(overdue=True, sort="name"),
    CaseListQuery(status="intake", role="lead_coordinator", sort="received"),
], ids=["name", "consent-meeting", "overdue-name", "status-role-received"])
def test_queries_do_not_grow_with_the_caseload(world, query):
    lead = world.lead
    _intakes(lead, 2)
    with CaptureQueriesContext(connection) as few:
        selectors.my_cases(actor=lead, query=query)
    _intakes(lead, 6, start=2)
    with CaptureQueriesContext(connection) as many:
        _pager, rows = selectors.my_cases(actor=lead, query=query)
    assert len(many.captured_queries) == len(few.captured_queries)
    if query.name or query.status:
        assert len(rows) == 8

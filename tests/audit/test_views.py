"""The audit viewer (/logg/), its CSV export and the verification page, by persona."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samverkan.audit import services
from samverkan.audit.actions import Action
from samverkan.audit.labels import action_label
from samverkan.audit.models import AuditEvent
from tests.audit.conftest import TABLE, raw

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _micros(year: int, month: int, day: int, hour: int = 12) -> int:
    moment = datetime(year, month, day, hour, tzinfo=STOCKHOLM).astimezone(UTC)
    return int(moment.timestamp()) * 1_000_000


@pytest.fixture
def world(org_factory, user_factory):
    """Two organisations, personas, and one event of each visibility class."""
    org_a, org_b, org_c = org_factory(), org_factory(), org_factory()
    reviewer = user_factory(organisation=org_a, roles=["log_reviewer"])
    other_a = user_factory(organisation=org_a, roles=["caseworker"])
    actor_b = user_factory(organisation=org_b, roles=["caseworker"])
    auditor = user_factory(organisation=org_c, roles=["system_auditor"])
    caseworker = user_factory(organisation=org_a, roles=["caseworker"])
    services.bulk_append([
        # done by org A's user: visible to A's reviewer
        {"action": Action.USER_UPDATED, "actor_id": other_a.pk, "actor_organisation_id": org_a.pk,
         "subject_type": "case", "subject_id": "A-OWN-ACTOR", "ts": _micros(2025, 3, 1)},
        # done by org B's user to a record of org A: visible to A's reviewer
        {"action": Action.USER_ROLES_CHANGED, "actor_id": actor_b.pk, "actor_organisation_id": org_b.pk,
         "subject_type": "case", "subject_id": "A-SUBJECT", "subject_organisation_id": org_a.pk,
         "ts": _micros(2025, 3, 2)},
        # done by org B's user to org B's record: NOT visible to A's reviewer
        {"action": Action.LOGIN_FAILED, "actor_id": actor_b.pk, "actor_organisation_id": org_b.pk,
         "subject_type": "case", "subject_id": "B-ONLY", "subject_organisation_id": org_b.pk,
         "ts": _micros(2025, 3, 3)},
        # a system event about org B: NOT visible to A's reviewer
        {"action": Action.ORGANISATION_UPDATED, "subject_type": "case", "subject_id": "B-SYSTEM",
         "subject_organisation_id": org_b.pk, "ts": _micros(2025, 3, 4)},
    ])
    return {"org_a": org_a, "org_b": org_b, "reviewer": reviewer, "other_a": other_a, "actor_b": actor_b,
            "auditor": auditor, "caseworker": caseworker}


def subjects(html: str) -> set[str]:
    return set(re.findall(r"case ([AB]-[A-Z-]+)", html))


def csv_rows(response) -> list[dict[str, str]]:
    """The export's rows keyed by column (the headers are words in the reader's language)."""
    from samverkan.logreview.trail_views import CSV_COLUMNS

    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel's UTF-8 mark
    reader = csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")
    keys = {str(label): key for key, label in CSV_COLUMNS}
    header = [keys[h] for h in next(reader)]
    return [dict(zip(header, row, strict=True)) for row in reader]


def test_log_reviewer_sees_only_their_organisations_events(world, logged_in):
    client = logged_in(world["reviewer"])
    response = client.get("/logg/")
    assert response.status_code == 200
    html = response.content.decode()
    assert subjects(html) == {"A-OWN-ACTOR", "A-SUBJECT"}
    assert world["other_a"].username in html  # actor names of visible events
    # Filtering on the other organisation does not widen the scope.
    html = client.get(f"/logg/?organisation={world['org_b'].pk}").content.decode()
    assert subjects(html) == {"A-SUBJECT"}  # only the B-actor event that concerns org A


def test_log_reviewer_csv_holds_only_their_organisations_events(world, logged_in):
    client = logged_in(world["reviewer"])
    response = client.get("/logg/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    rows = csv_rows(response)
    case_rows = {r["subject_id"] for r in rows if r["subject_type"] == "case"}
    assert case_rows == {"A-OWN-ACTOR", "A-SUBJECT"}
    org_a = str(world["org_a"].pk)
    assert all(org_a in (r["actor_organisation_id"], r["subject_organisation_id"]) for r in rows)
    # Who did it by name, not only by id.
    own = next(r for r in rows if r["subject_id"] == "A-OWN-ACTOR")
    assert own["actor"] == world["other_a"].username
    assert own["actor_organisation"] == world["org_a"].name
    # The event in words beside its code.
    assert own["event"] == action_label(own["action"]) and own["event"] != own["action"]


def test_system_auditor_sees_everything(world, logged_in):
    client = logged_in(world["auditor"])
    html = client.get("/logg/").content.decode()
    assert subjects(html) == {"A-OWN-ACTOR", "A-SUBJECT", "B-ONLY", "B-SYSTEM"}
    rows = csv_rows(client.get("/logg/export.csv"))
    assert {r["subject_id"] for r in rows if r["subject_type"] == "case"} == subjects(html)
    assert "/logg/verifiera/" in html  # may verify


@pytest.mark.parametrize("url", ["/logg/", "/logg/export.csv", "/logg/verifiera/"])
def test_caseworker_is_forbidden(world, logged_in, url):
    client = logged_in(world["caseworker"])
    assert client.get(url).status_code == 403
    assert client.post("/logg/verifiera/").status_code == 403


def test_log_reviewer_may_not_verify(world, logged_in):
    client = logged_in(world["reviewer"])
    assert "/logg/verifiera/" not in client.get("/logg/").content.decode()
    assert client.get("/logg/verifiera/").status_code == 403
    assert client.post("/logg/verifiera/").status_code == 403


@pytest.mark.parametrize("url", ["/logg/", "/logg/export.csv", "/logg/verifiera/"])
def test_anonymous_is_redirected_to_login(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_viewing_and_exporting_are_audited(world, logged_in):
    reviewer = world["reviewer"]
    client = logged_in(reviewer)
    client.get("/logg/")
    viewed = AuditEvent.objects.filter(action=Action.AUDIT_VIEWED).order_by("-seq").first()
    assert (viewed.actor_id, viewed.actor_organisation_id) == (reviewer.pk, reviewer.organisation_id)
    b"".join(client.get("/logg/export.csv").streaming_content)
    exported = AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).order_by("-seq").first()
    assert exported is not None and exported.actor_id == reviewer.pk


@pytest.mark.parametrize("query, expected", [
    ("actor={other_a}", {"A-OWN-ACTOR"}),
    ("actor={actor_b}", {"B-ONLY", "A-SUBJECT"}),
    ("organisation={org_b}", {"A-SUBJECT", "B-ONLY", "B-SYSTEM"}),
    ("action=auth.login_failed", {"B-ONLY"}),
    ("category=failed", {"B-ONLY"}),
    ("category=accounts", {"A-OWN-ACTOR", "A-SUBJECT"}),
    ("subject_type=case&subject_id=B-SYSTEM", {"B-SYSTEM"}),
    ("date_from=2025-03-02&date_to=2025-03-03", {"A-SUBJECT", "B-ONLY"}),
    ("date_from=2025-03-04", {"B-SYSTEM"}),
    ("date_to=2025-03-01", {"A-OWN-ACTOR"}),
    ("date_from=2025-03-05&date_to=2025-12-31", set()),
])
def test_filters(world, logged_in, query, expected):
    client = logged_in(world["auditor"])
    query = query.format(**{k: getattr(v, "pk", None) for k, v in world.items()})
    html = client.get(f"/logg/?{query}").content.decode()
    assert subjects(html) == expected
    rows = csv_rows(client.get(f"/logg/export.csv?{query}"))
    assert {r["subject_id"] for r in rows if r["subject_type"] == "case"} == expected


def test_date_filter_uses_local_days(world, logged_in):
    """An event at 00:30 Stockholm time on 2 June is on 1 June in UTC."""
    services.bulk_append([{"action": Action.USER_UPDATED, "subject_type": "case",
                           "subject_id": "A-MIDNIGHT", "ts": _micros(2025, 6, 2, hour=0) + 1_800_000_000}])
    client = logged_in(world["auditor"])
    assert "A-MIDNIGHT" in subjects(client.get("/logg/?date_from=2025-06-02&date_to=2025-06-02").content.decode())
    assert "A-MIDNIGHT" not in subjects(client.get("/logg/?date_to=2025-06-01").content.decode())


def test_keyset_paging(world, logged_in):
    services.bulk_append([{"action": Action.USER_UPDATED, "subject_type": "case",
                           "subject_id": f"A-PAGE-{i:03d}", "subject_organisation_id": world["org_a"].pk}
                          for i in range(60)])
    client = logged_in(world["reviewer"])
    first = client.get("/logg/?subject_type=case").content.decode()
    page1 = re.findall(r"case (A-PAGE-\d+)", first)
    assert page1 == [f"A-PAGE-{i:03d}" for i in range(59, 9, -1)]  # newest 50, newest first
    link = re.search(r'href="\?([^"]*before=(\d+))"', first)
    assert link is not None
    query = link.group(1).replace("&amp;", "&")
    assert "subject_type=case" in query  # filters carried along
    second = client.get(f"/logg/?{query}").content.decode()
    page2 = re.findall(r"case ([AB]-[A-Z0-9-]+)", second)
    assert page2 == [f"A-PAGE-{i:03d}" for i in range(9, -1, -1)] + ["A-SUBJECT", "A-OWN-ACTOR"]
    assert re.search(r'href="\?[^"]*before=', second) is None  # no further page
    # Paging never crosses the policy scope.
    assert "B-ONLY" not in second


def test_bad_paging_and_filter_input_is_harmless(world, logged_in):
    client = logged_in(world["reviewer"])
    for query in ("before=abc", "before=-1", "actor=x", "date_from=2025-13-45", "category=nope"):
        response = client.get(f"/logg/?{query}")
        assert response.status_code == 200
        assert "B-ONLY" not in response.content.decode()


def test_csv_export_neutralises_formula_injection(world, logged_in):
    services.bulk_append([{
        "action": Action.USER_UPDATED, "subject_type": "=cmd|' /C calc'!A0", "subject_id": "+SUM(1,2)",
        "purpose": "=HYPERLINK(\"http://evil.invalid\",\"klicka\")", "legal_basis": "@SUM(A1)",
        "subject_organisation_id": world["org_a"].pk,
    }, {
        "action": Action.USER_UPDATED, "subject_type": "case", "subject_id": "-2+3",
        "purpose": "  =1+1", "subject_organisation_id": world["org_a"].pk,
    }])
    client = logged_in(world["reviewer"])
    rows = csv_rows(client.get("/logg/export.csv"))
    evil = next(r for r in rows if r["subject_id"].endswith("SUM(1,2)"))
    assert evil["subject_type"] == "'=cmd|' /C calc'!A0"
    assert evil["subject_id"] == "'+SUM(1,2)"
    assert evil["purpose"].startswith("'=HYPERLINK(")
    assert evil["legal_basis"] == "'@SUM(A1)"
    other = next(r for r in rows if r["subject_id"].endswith("-2+3"))
    assert other["subject_id"] == "'-2+3" and other["purpose"] == "'  =1+1"
    for row in rows:
        for key, value in row.items():
            if key not in {"seq", "time_utc", "hash"} and value:
                assert value[0] not in "=+-@\t\r", (key, value)


def test_list_query_count_does_not_grow_with_rows(world, logged_in):
    client = logged_in(world["auditor"])

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/logg/").status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        services.bulk_append([{"action": Action.USER_UPDATED, "actor_id": world["other_a"].pk + i % 3,
                               "actor_organisation_id": world["org_a"].pk, "subject_type": "case",
                               "subject_id": f"A-Q-{i}"} for i in range(n)])

    add(5)
    few = count_queries()
    add(45)
    many = count_queries()
    assert many == few
    assert few <= 20


def test_verify_page_starts_a_job_showing_intact(world, logged_in):
    client = logged_in(world["auditor"])
    page = client.get("/logg/verifiera/")
    assert page.status_code == 200 and b"<form method=\"post\"" in page.content
    response = client.post("/logg/verifiera/")
    assert response.status_code == 302
    assert re.match(r"^/jobb/[0-9a-f-]{36}/$", response["Location"])
    html = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in html and "govuk-error-summary" not in html
    verified = AuditEvent.objects.filter(action=Action.AUDIT_VERIFIED).order_by("-seq").first()
    assert verified.actor_id == world["auditor"].pk


def test_verify_page_job_shows_tampering(world, logged_in, unguarded):
    target = AuditEvent.objects.get(subject_id="B-ONLY").seq
    raw(f"UPDATE {TABLE} SET subject_id = 'B-CHANGED' WHERE seq = %s", [target])
    client = logged_in(world["auditor"])
    response = client.post("/logg/verifiera/")
    html = client.get(response["Location"]).content.decode()
    assert "govuk-error-summary" in html and "govuk-panel--confirmation" not in html
    assert f"#{target} (modified)" in html


def test_the_audit_filter_and_table_show_labels(world, logged_in):
    html = logged_in(world["auditor"]).get("/logg/").content.decode()
    assert '<option value="auth.login">Logged in</option>' in html
    assert '<option value="auth.login">auth.login</option>' not in html

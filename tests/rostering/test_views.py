"""Persona tests for experts, rosters and exports: other agency → 404, too-weak role →
403, the expert's own calendar and iCalendar, exports that open, query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.rostering.models import Expert, RosterVersion
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_experts, make_group, monday
from tests.forms import post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas, reference):
    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")
    tull = make_experts(reference["tullverket"], group, 6)
    skv = make_experts(reference["skatteverket"], group, 2, prefix="S")
    return {"group": group, "tull": tull, "skv": skv, "coord": coord}


@pytest.fixture
def published(setup):
    from django.utils import timezone

    plan = roster_services.plan_get_or_create(
        actor=setup["coord"],
        group=setup["group"],
        period_start=timezone.localdate() - __import__("datetime").timedelta(days=2),
        weeks=1,
    )
    version = roster_services.solve_plan(plan=plan, time_limit_s=4)
    assert version.violations == [] and version.assignments.exists(), version.explanation
    return roster_services.version_publish(actor=setup["coord"], version=version)


def test_agency_sees_only_its_own_experts(personas, logged_in, setup):
    client = logged_in(personas["tull_coord"])
    listing = client.get("/bemanning/experter/").content.decode()
    assert "E0 Testsson" in listing and "S0 Testsson" not in listing
    assert client.get(f"/bemanning/experter/{setup['tull'][0].pk}/").status_code == 200
    assert client.get(f"/bemanning/experter/{setup['skv'][0].pk}/").status_code == 404
    assert client.get(f"/bemanning/experter/{setup['skv'][0].pk}/andra/").status_code == 404
    assert client.get(f"/bemanning/experter/{setup['skv'][0].pk}/kalender/").status_code == 404
    assert (
        client.get(f"/bemanning/experter/{setup['skv'][0].pk}/kalender/export/ical/").status_code
        == 404
    )


def test_city_sees_all_experts_and_weak_roles_get_403(personas, logged_in, setup):
    listing = logged_in(personas["city_coord"]).get("/bemanning/experter/").content.decode()
    assert "E0 Testsson" in listing and "S0 Testsson" in listing
    logs = logged_in(personas["city_logs"])
    assert logs.get("/bemanning/experter/").status_code == 403
    assert logs.get(f"/bemanning/grupper/{setup['group'].pk}/").status_code == 403
    case = logged_in(personas["city_case"])
    assert case.get("/bemanning/experter/ny/").status_code == 403
    assert case.get("/bemanning/kapacitet/").status_code == 403
    assert (
        case.post(
            f"/bemanning/grupper/{setup['group'].pk}/", {"period_start": "2026-01-05"}
        ).status_code
        == 403
    )


def test_agency_admin_adds_an_expert_for_its_own_agency_only(personas, logged_in, setup, reference):
    client = logged_in(personas["tull_admin"])
    page = client.get("/bemanning/experter/ny/").content.decode()
    assert "Tullverket" in page and "Skatteverket" not in page
    data = {
        "agency": reference["skatteverket"].pk,
        "first_name": "Ny",
        "last_name": "Expert",
        "contract_hours_per_week": "40",
        "night_allowed": "on",
        "active": "on",
        "home_groups": [setup["group"].pk],
    }
    refused = client.post("/bemanning/experter/ny/", data)
    assert refused.status_code == 200 and not Expert.objects.filter(first_name="Ny").exists()
    data["agency"] = reference["tullverket"].pk
    data["qualifications_text"] = "arabiska, somaliska"
    data["avoided"] = ["N"]
    ok = client.post("/bemanning/experter/ny/", data)
    assert ok.status_code == 302, ok.content[:3000]
    e = Expert.objects.get(first_name="Ny")
    assert e.qualifications == ["arabiska", "somaliska"] and e.avoided_shift_codes == ["N"]
    # Optimistic locking on the edit form.
    stale = dict(data, version=e.version)
    assert client.post(f"/bemanning/experter/{e.pk}/andra/", stale).status_code == 302
    again = client.post(f"/bemanning/experter/{e.pk}/andra/", dict(stale, first_name="Andra"))
    assert again.status_code == 409 and "Someone else saved this" in again.content.decode()
    e.refresh_from_db()
    assert e.first_name == "Ny"
    # Input kept with the stored version: the deliberate second save replaces theirs.
    kept = again.context["form"].data
    assert kept["first_name"] == "Andra" and kept["version"] == str(e.version)
    assert client.post(f"/bemanning/experter/{e.pk}/andra/", kept).status_code == 302
    e.refresh_from_db()
    assert e.first_name == "Andra"


def test_leave_recorded_by_own_agency_only(personas, logged_in, setup):
    e = setup["tull"][0]
    data = {"l-kind": "sick", "l-starts_at": "2026-02-02T00:00", "l-ends_at": "2026-02-05T00:00"}
    assert (
        logged_in(personas["skv_coord"])
        .post(f"/bemanning/experter/{e.pk}/franvaro/", data)
        .status_code
        == 404
    )
    assert (
        logged_in(personas["tull_coord"])
        .post(f"/bemanning/experter/{e.pk}/franvaro/", data)
        .status_code
        == 302
    )
    assert e.leave.get().kind == "sick"


def test_roster_grid_has_caption_and_header_cells(personas, logged_in, published, setup):
    client = logged_in(personas["city_coord"])
    page = client.get(f"/bemanning/versioner/{published.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "Tullverket" in html and "Testsson" in html


def test_names_of_other_agencies_are_hidden_from_agency_staff(personas, logged_in, published):
    client = logged_in(personas["skv_coord"])
    html = client.get(f"/bemanning/versioner/{published.pk}/").content.decode()
    assert "Tullverket" in html and "Testsson" not in html
    body = client.get(f"/bemanning/versioner/{published.pk}/export/csv/").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][-1] == "Expert" and all(r[-1] == "(name not shown)" for r in rows[1:])


def test_exports_open(personas, logged_in, published):
    from icalendar import Calendar
    from openpyxl import load_workbook

    client = logged_in(personas["city_coord"])
    csv_body = client.get(f"/bemanning/versioner/{published.pk}/export/csv/").content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(csv_body), delimiter=";"))
    assert len(rows) - 1 == published.assignments.count()
    assert rows[1][6] == "Tullverket" and rows[1][7]
    xlsx = client.get(f"/bemanning/versioner/{published.pk}/export/xlsx/")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.active.max_row == published.assignments.count() + 2
    pdf = client.get(f"/bemanning/versioner/{published.pk}/export/pdf/?vecka=1")
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    e = published.assignments.first().expert
    ics = client.get(f"/bemanning/experter/{e.pk}/kalender/export/ical/")
    cal = Calendar.from_ical(ics.content)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == published.assignments.filter(expert=e).count()


def test_expert_sees_own_calendar_and_ical_but_nobody_elses(personas, logged_in, published, setup):
    from icalendar import Calendar

    from tests.factories import UserFactory

    e = published.assignments.first().expert
    user = UserFactory(organisation=e.agency, roles=[])
    Expert.objects.filter(pk=e.pk).update(user=user)
    client = logged_in(user)
    page = client.get("/bemanning/mitt-schema/")
    assert page.status_code == 200 and "Testsson" not in page.content.decode().split("<main")[0]
    assert page.content.decode().count("<tr") >= 2
    cal = Calendar.from_ical(client.get("/bemanning/mitt-schema/export/ical/").content)
    assert any(c.name == "VEVENT" for c in cal.walk())
    other = next(x for x in setup["tull"] if x.pk != e.pk)
    assert client.get(f"/bemanning/experter/{other.pk}/kalender/").status_code == 404
    assert client.get(f"/bemanning/experter/{e.pk}/kalender/").status_code == 200
    assert client.get(f"/bemanning/versioner/{published.pk}/").status_code == 403
    # A user who is not an expert has no own calendar.
    assert logged_in(personas["city_case"]).get("/bemanning/mitt-schema/").status_code == 404


def test_on_duty_board(personas, logged_in, published):
    group = published.plan.group
    city = (
        logged_in(personas["city_case"])
        .get(f"/bemanning/grupper/{group.pk}/i-tjanst/")
        .content.decode()
    )
    assert "Testsson" in city and "1 / 1" in city
    agency = (
        logged_in(personas["skv_coord"])
        .get(f"/bemanning/grupper/{group.pk}/i-tjanst/")
        .content.decode()
    )
    assert "Testsson" not in agency


def test_solve_from_the_page_redirects_to_the_job_and_publish(personas, logged_in, setup, settings):
    settings.ROSTER_TIME_LIMIT_S = 4  # the coordinator is not asked: the setting decides
    client = logged_in(personas["city_coord"])
    form_page = client.get(f"/bemanning/grupper/{setup['group'].pk}/").content.decode()
    assert "time_limit_s" not in form_page and "at most 4 seconds" in form_page
    response = client.post(
        f"/bemanning/grupper/{setup['group'].pk}/",
        {"period_start": monday(1).isoformat(), "weeks": "1"},
    )
    assert response.status_code == 302 and "/jobb/" in response["Location"]
    job_page = client.get(response["Location"]).content.decode()
    assert "roster.solve" not in job_page
    assert f"Planning the roster for {setup['group'].name}, " in job_page
    assert "best possible roster" in job_page
    version = RosterVersion.objects.get()
    assert client.post(f"/bemanning/versioner/{version.pk}/publicera/", {"confirmed": "1"}).status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    # Caseworkers see published versions, not drafts; nobody outside sees a draft.
    draft = roster_services.solve_plan(plan=version.plan, time_limit_s=3)
    case = logged_in(personas["city_case"])
    assert case.get(f"/bemanning/versioner/{version.pk}/").status_code == 200
    assert case.get(f"/bemanning/versioner/{draft.pk}/").status_code == 404
    assert case.post(f"/bemanning/versioner/{draft.pk}/publicera/").status_code == 403


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_expert_list_and_grid_query_counts_do_not_grow(
    personas, logged_in, setup, reference, published
):
    client = logged_in(personas["city_coord"])
    urls = ["/bemanning/experter/", f"/bemanning/versioner/{published.pk}/"]
    before = [_count(client, u) for u in urls]
    make_experts(reference["tullverket"], setup["group"], 5, prefix="X")
    make_experts(reference["polismyndigheten"], setup["group"], 5, prefix="P")
    after = [_count(client, u) for u in urls]
    assert after == before, (before, after)


@pytest.mark.parametrize("which", ["rules", "pattern"])
def test_conflicting_settings_edit_keeps_the_input(personas, logged_in, setup, which):
    """Rules or shift pattern saved by someone else meanwhile: nothing is written, the
    input is kept with the stored version, and a deliberate second save replaces theirs."""
    from django.db.models import F

    from samverkan.rostering.models import RosterRules, ShiftPattern

    group = setup["group"]
    client = logged_in(personas["city_coord"])
    url = f"/bemanning/grupper/{group.pk}/regler/"
    page = client.get(url)
    if which == "rules":
        form, model, version_key = page.context["rules_form"], RosterRules, "r-version"
        field, mine = "r-schedule_notice_days", "21"
    else:
        form, model, version_key = page.context["pattern_form"], ShiftPattern, "p-pattern_version"
        field, mine = "p-kind", "3x8"
    data = {**post_data(form), which: "1"}
    model.objects.filter(group=group).update(version=F("version") + 1)
    stale = client.post(url, {**data, field: mine})
    assert stale.status_code == 409 and "Someone else saved this" in stale.content.decode()
    kept = stale.context[f"{which}_form"].data
    assert kept[field] == mine
    assert kept[version_key] == str(model.objects.get(group=group).version)
    assert client.post(url, kept).status_code == 302
    stored = model.objects.get(group=group)
    assert str(getattr(stored, field.split("-", 1)[1])) == mine


def test_publishing_asks_first_then_publishes(setup, logged_in):
    from django.utils import timezone

    from samverkan.audit.models import AuditEvent

    plan = roster_services.plan_get_or_create(
        actor=setup["coord"], group=setup["group"], period_start=timezone.localdate(), weeks=1
    )
    version = roster_services.solve_plan(plan=plan, time_limit_s=4)
    assert version.violations == [] and version.assignments.exists(), version.explanation
    client = logged_in(setup["coord"])
    url = f"/bemanning/versioner/{version.pk}/publicera/"
    first = client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert f"Publish version {version.number} of the roster?" in body
    assert "A published version cannot be changed or taken back" in body
    assert f"Yes, publish version {version.number}" in body
    assert f'href="/bemanning/versioner/{version.pk}/"' in body
    version.refresh_from_db()
    assert version.status == "draft"
    assert not AuditEvent.objects.filter(action="roster.published").exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    assert AuditEvent.objects.filter(action="roster.published").count() == 1


def test_removing_leave_asks_first_then_removes(personas, logged_in, setup):
    from datetime import datetime

    from django.utils import timezone

    from samverkan.audit.models import AuditEvent
    from samverkan.rostering.models import ExpertLeave

    e = setup["tull"][0]
    tz = timezone.get_current_timezone()
    leave = ExpertLeave.objects.create(expert=e, kind="sick", starts_at=datetime(2026, 2, 2, 8, 0, tzinfo=tz),
                                       ends_at=datetime(2026, 2, 5, 17, 0, tzinfo=tz))
    url = f"/bemanning/experter/{e.pk}/franvaro/{leave.pk}/ta-bort/"
    assert logged_in(personas["skv_coord"]).post(url).status_code == 404  # another agency's expert
    client = logged_in(personas["tull_coord"])
    first = client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert f"Remove this leave for {e.display_name}?" in body and "Yes, remove the leave" in body
    assert "from 2026-02-02 08:00 to 2026-02-05 17:00" in body and "rosters planned from now on" in body
    assert "The removal cannot be undone" in body and 'type="hidden" name="confirmed" value="1"' in body
    assert f'href="/bemanning/experter/{e.pk}/"' in body  # Cancel: back to the expert
    assert ExpertLeave.objects.filter(pk=leave.pk).exists()
    assert not AuditEvent.objects.filter(action="roster.leave_removed").exists()
    # Going back: the expert's page still lists the leave with its Remove button.
    assert f'action="{url}"' in client.get(f"/bemanning/experter/{e.pk}/").content.decode()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not ExpertLeave.objects.filter(pk=leave.pk).exists()
    assert AuditEvent.objects.filter(action="roster.leave_removed").count() == 1

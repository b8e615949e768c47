"""The capacity planner page (arithmetic by hand), its decision memo, the proof job,
and the roster checker for CSV files from other systems."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.rostering.models import RosterVersion
from samverkan.rostering.services import rosters as roster_services
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_experts, make_group, monday

pytestmark = pytest.mark.django_db


def test_motion_example_by_hand(personas, logged_in):
    # 168 h/week per position; 168 / 40 = 4.2 FTE; 2 positions = 8.4 FTE per agency and
    # area; with 15 % absence ceil(8.4 / 0.85) = ceil(9.88) = 10 experts; 11 agencies x
    # 6 areas x 10 = 660 experts; FTE before absence 22 x 4.2 x 6 = 554.4; cost at the
    # example 750 000 kr: 660 x 750 000 = 495 000 000 kr.
    client = logged_in(personas["city_coord"])
    page = client.get("/bemanning/kapacitet/")
    assert page.status_code == 200
    plan = page.context["plan"]
    assert plan.areas == 6
    assert plan.hours_per_week_per_position == 168
    assert plan.fte_per_position == pytest.approx(4.2)
    assert plan.experts_per_agency_per_area == 10
    assert plan.positions_per_area == 22 and plan.hours_per_week_per_area == 3696
    assert plan.fte_per_area == pytest.approx(92.4)
    assert plan.experts_total == 660 and plan.fte_total == pytest.approx(554.4)
    assert plan.yearly_cost_total == 495_000_000
    html = page.content.decode()
    assert "660" in html and "<caption" in html


def test_changed_assumptions_and_memo(personas, logged_in, reference):
    from samverkan.directory.models import Area

    client = logged_in(personas["city_coord"])
    husby = Area.objects.get(code="husby").pk
    query = {
        "areas": [husby],
        "positions": "2",
        "pattern": "2x12",
        "absence": "20",
        "weekly_hours": "40",
        "cost_tullverket": "900000",
    }
    plan = client.get("/bemanning/kapacitet/", query).context["plan"]
    # ceil(8.4 / 0.8) = ceil(10.5) = 11; a cost missing for some agency → no total.
    assert (
        plan.areas == 1
        and plan.experts_per_agency_per_area == 11
        and plan.yearly_cost_total is None
    )
    pdf = client.get("/bemanning/kapacitet/export/pdf/", query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    default_pdf = client.get("/bemanning/kapacitet/export/pdf/")
    assert default_pdf.content.startswith(b"%PDF")


def test_capacity_needs_its_permission(personas, logged_in):
    assert logged_in(personas["city_case"]).get("/bemanning/kapacitet/").status_code == 403
    assert (
        logged_in(personas["tull_admin"]).get("/bemanning/kapacitet/export/pdf/").status_code == 403
    )


def test_proof_job_runs(personas, logged_in):
    client = logged_in(personas["city_coord"])
    response = client.post(
        "/bemanning/kapacitet/bevisa/",
        {"positions": "1", "pattern": "2x12", "absence": "15", "weekly_hours": "40"},
    )
    assert response.status_code == 302
    from samverkan.jobs.models import Job

    job = Job.objects.get(kind="roster.capacity_proof")
    assert job.status == "succeeded", job.error
    assert job.result["lower_bound"] >= 5  # 168 h x 4 weeks / (40 h x 4 weeks) = 4.2 → 5


@pytest.fixture
def published(personas, reference):
    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 1})
    rule_services.pattern_set(actor=coord, group=group, kind="2x12")
    make_experts(reference["tullverket"], group, 6)
    plan = roster_services.plan_get_or_create(actor=coord, group=group, period_start=monday(1), weeks=1)
    version = roster_services.solve_plan(plan=plan, time_limit_s=4)
    return roster_services.version_publish(actor=coord, version=version)


def _upload(client, published, content: bytes):
    return client.post(
        "/bemanning/kontrollera/",
        {
            "group": published.plan.group_id,
            "period_start": published.plan.period_start.isoformat(),
            "weeks": "1",
            "file": SimpleUploadedFile("roster.csv", content, content_type="text/csv"),
        },
    )


def test_uploaded_roster_is_checked(personas, logged_in, published: RosterVersion):
    from samverkan.rostering import problem as pb
    from samverkan.rostering.engine import csvio

    client = logged_in(personas["city_coord"])
    # A roster from another system, in the engine's exchange format (shift_id, expert_id,
    # agency); the roster download is for people (Swedish Excel), not this format.
    exported = csvio.write_roster(pb.roster_of(published)).encode()
    ok = _upload(client, published, exported)
    assert ok.status_code == 200 and ok.context["result"]["violations"] == []
    assert ok.context["result"]["assignments"] == 14
    # Drop one line: a shift is under-staffed. Duplicate an expert onto the next shift: rest broken.
    lines = exported.decode("utf-8-sig").splitlines()
    broken = "\n".join(lines[:-1]).encode()
    result = _upload(client, published, broken).context["result"]
    assert any(v["rule"] == "coverage" for v in result["violations"])
    garbage = _upload(client, published, b"name,when\nx,y\n")
    assert garbage.context["result"] is None and "could not be read" in garbage.content.decode()


def test_upload_form_lists_only_the_groups_the_actor_may_see(personas, published: RosterVersion):
    """The checker's group choice is scoped through the policy (scope_action_groups): an
    outsider's form lists no group and refuses a posted one; the city's lists it."""
    from samverkan.rostering.forms import UploadForm

    group = published.plan.group
    assert group in UploadForm(actor=personas["city_coord"]).fields["group"].queryset
    outsider = UploadForm(
        {"group": group.pk, "period_start": published.plan.period_start.isoformat(), "weeks": "1"},
        {"file": SimpleUploadedFile("roster.csv", b"x", content_type="text/csv")},
        actor=personas["city_logs"],  # no area:action_group:view
    )
    assert not outsider.fields["group"].queryset.exists()
    assert not outsider.is_valid() and "group" in outsider.errors


# Words of the people who built the planner, not of the coordinator who uses it (issue 12, 8).
ENGINEER_WORDS = ("solver", "objective", "lösare", "målvärde", "optimal", "heuristic", "cp-sat",
                  "or-tools")


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_capacity_planner_speaks_plain_words(personas, logged_in, settings, language):
    from django.template.loader import render_to_string
    from django.utils import translation

    settings.LANGUAGE_CODE = language
    client = logged_in(personas["city_coord"])
    pages = [client.get("/bemanning/kapacitet/").content.decode(),
             client.get("/bemanning/kontrollera/").content.decode()]
    with translation.override(language):
        for method in ("solver", "arithmetic"):
            for status in ("proven", "open"):
                pages.append(render_to_string("rostering/capacity_proof_result.html", {"result": {
                    "status": status, "minimum": 9, "lower_bound": 9, "best_found": 10,
                    "with_absence": 11, "method": method}}))
        from samverkan.rostering import jobs

        pages.append(str(jobs._capacity_label({})))
    for html in pages:
        text = html.lower()
        assert not [w for w in ENGINEER_WORDS if w in text], [w for w in ENGINEER_WORDS if w in text]
    assert "Check with a whole roster" in pages[0] or language == "sv"

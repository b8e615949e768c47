import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases import services as case_services
from samverkan.plans import services
from samverkan.plans.models import Commitment, Goal
from samverkan.plans.selectors import plan_for_case
from tests.factories import UserFactory
from tests.world import give_consent

pytestmark = pytest.mark.django_db

SECRET = "POLISHEMLIS"


def _url(world, suffix=""):
    return f"/arenden/{world.case.public_id}/plan/{suffix}"


def _police_goal(world):
    p = world.access(world.users["police"])
    goal = services.goal_create(
        actor=world.users["police"],
        case=world.case,
        access=p,
        life_area="leaving_network",
        title=f"{SECRET} mål",
    )
    services.commitment_create(
        actor=world.users["police"],
        case=world.case,
        access=p,
        description=f"{SECRET} åtagande",
        responsible=world.users["police"],
        due_on=timezone.localdate() + timedelta(days=5),
        goal=goal,
    )
    return goal


def _lead_goal(world, title="Klara gymnasiet"):
    return services.goal_create(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        life_area="school",
        title=title,
    )


PERSONAS = [
    ("jarva_coord", 200),
    ("police", 200),
    ("probation", 200),
    ("school", 200),
    ("jarva_observer", 200),
    ("jarva_outsider", 404),
    ("tax", 404),
    ("skarholmen", 404),
]


@pytest.mark.parametrize(("persona", "expected"), PERSONAS)
def test_plan_pages_by_persona(world, logged_in, persona, expected):
    goal = _lead_goal(world)
    services.plan_establish(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        expected_revision=plan_for_case(case=world.case).revision,
    )
    client = logged_in(world.users[persona])
    assert client.get(_url(world)).status_code == expected
    assert client.get(_url(world, "versioner/1/")).status_code == expected
    assert client.get(_url(world, "plan.pdf")).status_code == expected
    # Outsiders: 404 on every write too (same as a missing case).
    if expected == 404:
        assert client.get(_url(world, "mal/ny/")).status_code == 404
        assert (
            client.post(
                _url(world, "mal/ny/"), {"life_area": "school", "title": "x", "category": "plan"}
            ).status_code
            == 404
        )
        assert client.get(_url(world, f"mal/{goal.public_id}/")).status_code == 404
        assert Goal.objects.count() == 1


def test_observer_and_other_org_cannot_write(world, logged_in):
    goal = _lead_goal(world)
    observer = logged_in(world.users["jarva_observer"])
    assert (
        observer.post(
            _url(world, "mal/ny/"), {"life_area": "school", "title": "x", "category": "plan"}
        ).status_code
        == 403
    )
    police = logged_in(world.users["police"])
    # Not shared with the police (no consent): the goal does not exist for them.
    assert police.get(_url(world, f"mal/{goal.public_id}/")).status_code == 404
    give_consent(world)
    # Shared, but it belongs to the lead organisation: read yes, change no.
    assert police.get(_url(world, f"mal/{goal.public_id}/")).status_code == 403
    assert police.post(_url(world, "faststall/"), {"revision": 1}).status_code == 403
    assert police.get(_url(world, "mal-for-planen/")).status_code == 403


def test_plan_page_shows_other_org_entries_only_under_consent(world, logged_in):
    _police_goal(world)
    _lead_goal(world)
    client = logged_in(world.lead)
    page = client.get(_url(world))
    assert "Klara gymnasiet" in page.content.decode()
    assert SECRET not in page.content.decode()
    consent = give_consent(world)
    assert SECRET in client.get(_url(world)).content.decode()
    from tests.world import withdraw

    withdraw(world, consent)
    assert SECRET not in client.get(_url(world)).content.decode()  # the very next request
    assert AuditEvent.objects.filter(action="plan.viewed").count() == 3


def test_add_goal_and_commitment_through_the_web(world, logged_in):
    client = logged_in(world.lead)
    response = client.post(
        _url(world, "mal/ny/"),
        {"life_area": "work", "title": "Få ett sommarjobb", "description": "", "category": "work"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.category, goal.recorded_by_organisation_id) == ("work", world.orgs["jarva"].pk)
    form_page = client.get(_url(world, f"ataganden/ny/?mal={goal.public_id}"))
    assert form_page.context["form"].initial["goal"] == goal
    member = form_page.context["form"].fields["responsible"].queryset.get(user=world.users["police"])
    response = client.post(
        _url(world, "ataganden/ny/"),
        {
            "goal": goal.pk,
            "description": "Kontakta arbetsförmedlingen",
            "responsible": member.pk,
            "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "status": "planned",
            "follow_up_note": "",
            "category": "plan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    commitment = goal.commitments.get()
    assert commitment.organisation_id == world.orgs["police"].pk
    # A team member outside the case's team is not offered as responsible.
    assert (
        not form_page.context["form"]
        .fields["responsible"]
        .queryset.filter(user=world.users["jarva_outsider"])
        .exists()
    )


def test_responsible_person_records_follow_up_only(world, logged_in):
    give_consent(world)
    commitment = services.commitment_create(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        description="Ordna praktik",
        responsible=world.users["police"],
        due_on=timezone.localdate() + timedelta(days=3),
    )
    police = logged_in(world.users["police"])
    page = police.get(_url(world, f"ataganden/{commitment.public_id}/"))
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"version", "status", "follow_up_note"}
    response = police.post(
        _url(world, f"ataganden/{commitment.public_id}/"),
        {"version": commitment.version, "status": "done", "follow_up_note": "Genomfört"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.follow_up_note, commitment.description) == (
        "done",
        "Genomfört",
        "Ordna praktik",
    )
    # Someone neither recording nor responsible: 403.
    assert (
        logged_in(world.users["school"])
        .get(_url(world, f"ataganden/{commitment.public_id}/"))
        .status_code
        == 403
    )


def test_two_people_edit_the_same_goal_the_second_is_told_and_loses_nothing(world, logged_in):
    colleague = UserFactory(organisation=world.orgs["jarva"], roles=["caseworker"])
    case_services.team_add(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        user=colleague,
        team_role="caseworker",
    )
    goal = _lead_goal(world, title="Ursprungligt mål")
    first, second = logged_in(world.lead), logged_in(colleague)
    url = _url(world, f"mal/{goal.public_id}/")
    v_first = first.get(url).context["form"].initial["version"]
    v_second = second.get(url).context["form"].initial["version"]
    assert v_first == v_second == 1
    data = {"life_area": "school", "status": "ongoing", "category": "plan", "description": ""}
    assert first.post(url, {**data, "version": v_first, "title": "Förstas text"}).status_code == 302
    response = second.post(
        url,
        {
            **data,
            "version": v_second,
            "title": "Andras text",
            "description": "Andras långa beskrivning",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this" in html or "sparade" in html
    # Their input is shown back to them, and what the first person saved beside it.
    assert 'value="Andras text"' in html and "Andras långa beskrivning" in html
    assert "Förstas text" in html
    goal.refresh_from_db()
    assert goal.title == "Förstas text" and goal.version == 2
    # Saving again (the form now carries the stored version) knowingly replaces it.
    assert response.context["form"].data["version"] == "2"
    again = second.post(
        url,
        {**data, "version": 2, "title": "Andras text", "description": "Andras långa beskrivning"},
    )
    assert again.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Andras text"


def test_two_people_edit_the_same_commitment_and_plan_aim(world, logged_in):
    colleague = UserFactory(organisation=world.orgs["jarva"], roles=["caseworker"])
    case_services.team_add(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        user=colleague,
        team_role="caseworker",
    )
    commitment = services.commitment_create(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        description="Original",
        responsible=world.lead,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    first, second = logged_in(world.lead), logged_in(colleague)
    url = _url(world, f"ataganden/{commitment.public_id}/")
    form = first.get(url).context["form"]
    member = form.fields["responsible"].queryset.get(user=world.lead)
    data = {
        "version": 1,
        "responsible": member.pk,
        "due_on": commitment.due_on.isoformat(),
        "status": "planned",
        "category": "plan",
        "goal": "",
        "follow_up_note": "",
    }
    assert first.post(url, {**data, "description": "Första"}).status_code == 302
    response = second.post(
        url, {**data, "description": "Andra", "follow_up_note": "Min anteckning"}
    )
    assert response.status_code == 409
    assert "Min anteckning" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.description == "Första"

    aim = _url(world, "mal-for-planen/")
    assert first.post(aim, {"version": 1, "summary": "Mitt mål A"}).status_code == 302
    response = second.post(aim, {"version": 1, "summary": "Mitt mål B"})
    assert response.status_code == 409 and "Mitt mål B" in response.content.decode()


def test_establish_through_the_web_and_stale_establish(world, logged_in):
    _lead_goal(world)
    client = logged_in(world.lead)
    page = client.get(_url(world))
    revision = page.context["establish_form"].initial["revision"]
    _lead_goal(world, title="Tillagt medan sidan var öppen")
    client.post(_url(world, "faststall/"), {"revision": revision, "confirmed": "1"})
    assert not world.case.action_plan.versions.exists()
    revision = client.get(_url(world)).context["establish_form"].initial["revision"]
    assert client.post(_url(world, "faststall/"), {"revision": revision, "confirmed": "1"}).status_code == 302
    version_page = client.get(_url(world, "versioner/1/"))
    assert "Tillagt medan sidan var öppen" in version_page.content.decode()
    assert client.get(_url(world, "versioner/2/")).status_code == 404


def test_pdf_view(world, logged_in):
    _lead_goal(world)
    response = logged_in(world.lead).get(_url(world, "plan.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Testperson" not in response["Content-Disposition"]
    # A download, never shown inline (a browser's PDF viewer may cache or share it).
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    event = AuditEvent.objects.filter(action="plan.pdf_generated").get()
    assert json.loads(event.detail)["goals"] == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_plan_page_query_count_does_not_grow_with_rows(world, logged_in):
    give_consent(world)
    client = logged_in(world.lead)

    def add(n):
        for i in range(n):
            goal = _lead_goal(world, title=f"Mål {i}")
            services.commitment_create(
                actor=world.lead,
                case=world.case,
                access=world.access(world.lead),
                description=f"Åtagande {i}",
                responsible=world.users["police"],
                due_on=timezone.localdate() + timedelta(days=i + 1),
                goal=goal,
            )
            services.commitment_create(
                actor=world.users["police"],
                case=world.case,
                access=world.access(world.users["police"]),
                description=f"Polis {i}",
                responsible=world.users["police"],
                due_on=timezone.localdate(),
            )

    add(2)
    plan = world.case.action_plan
    services.plan_establish(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        expected_revision=type(plan).objects.get(pk=plan.pk).revision,
    )
    small = _queries(client, _url(world))
    small_version = _queries(client, _url(world, "versioner/1/"))
    small_pdf = _queries(client, _url(world, "plan.pdf"))
    add(12)
    plan.refresh_from_db()
    services.plan_establish(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        expected_revision=plan.revision,
    )
    assert _queries(client, _url(world)) == small
    assert _queries(client, _url(world, "versioner/2/")) == small_version
    assert _queries(client, _url(world, "plan.pdf")) == small_pdf


def test_establishing_asks_first_then_establishes(world, logged_in):
    _lead_goal(world)
    client = logged_in(world.lead)
    revision = client.get(_url(world)).context["establish_form"].initial["revision"]
    first = client.post(_url(world, "faststall/"), {"revision": revision})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Establish version 1 of the plan?" in body
    assert "An established version cannot be changed or removed" in body
    assert "Yes, establish version 1" in body
    assert f'type="hidden" name="revision" value="{revision}"' in body
    assert not world.case.action_plan.versions.exists()
    assert not AuditEvent.objects.filter(action="plan.established").exists()

    assert client.post(_url(world, "faststall/"), {"revision": revision, "confirmed": "1"}).status_code == 302
    assert world.case.action_plan.versions.count() == 1
    assert AuditEvent.objects.filter(action="plan.established").count() == 1


def test_a_due_date_in_the_past_must_be_confirmed(world, logged_in):
    client = logged_in(world.lead)
    member = client.get(_url(world, "ataganden/ny/")).context["form"].fields["responsible"].queryset.get(
        user=world.lead)
    data = {
        "goal": "",
        "description": "Ring skolan",
        "responsible": member.pk,
        "due_on": "2020-03-01",
        "status": "planned",
        "follow_up_note": "",
        "category": "plan",
    }
    response = client.post(_url(world, "ataganden/ny/"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The due date 2020-03-01 has passed" in html and "Yes, the date is in the past" in html
    assert 'type="checkbox" name="past_ok"' in html
    assert not Commitment.objects.filter(case=world.case).exists()
    assert client.post(_url(world, "ataganden/ny/"), {**data, "past_ok": "on"}).status_code == 302
    commitment = Commitment.objects.get(case=world.case)
    # Editing something else keeps the (already confirmed) date without asking again.
    edit_url = _url(world, f"ataganden/{commitment.public_id}/")
    response = client.post(edit_url, {**data, "version": commitment.version, "description": "Ring skolan igen"})
    assert response.status_code == 302, response.content.decode()[:2000]
    # A finished commitment may carry a past date.
    response = client.post(_url(world, "ataganden/ny/"), {**data, "status": "done"})
    assert response.status_code == 302

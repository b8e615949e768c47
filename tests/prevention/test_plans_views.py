"""The åtgärdsplan's pages per persona (with the negatives: outside the scope 404, a
reader's edit 403), the forms' flows, 409 on a concurrent edit, the measure's chart and
history, and constant query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from samverkan.prevention.models import DocumentStatus, Measure, MeasureProgress, MeasureStatus, PreventionPlan
from samverkan.prevention.services import plans as services
from tests.prevention.plan_world import END, START, TODAY, build_plan_world, decide, jarva_plan, measure_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def _url(name, *args):
    return reverse(f"prevention:{name}", args=args)


def _progress(world, measure, value, persona="jarva_coord", status=MeasureStatus.ONGOING, note=""):
    measure = Measure.objects.select_related("plan").get(pk=measure.pk)
    return services.progress_record(actor=world[persona], access=world.access(persona), measure=measure,
                                    recorded_on=TODAY, status=status, note=note, indicator_value=value)


@pytest.mark.parametrize(("persona", "status", "may_edit"), [
    ("jarva_coord", 200, True),
    ("city_coord", 200, True),
    ("jarva_staff", 200, False),
    ("police_rinkeby", 200, False),
    ("police_region", 200, False),  # a manager of the police: reads, edits no municipal plan
    ("skarholmen_coord", 404, False),
    ("police_skarholmen", 404, False),
    ("tax", 404, False),
    ("housing_a", 403, False),  # a reporter: no prevention pages at all
])
def test_who_sees_and_who_edits_a_district_plan(world, login, persona, status, may_edit):
    plan = jarva_plan(world)
    measure = plan.measures.get()
    client = login(world[persona])
    pages = [_url("plan", plan.pk), _url("measure", plan.pk, measure.pk), _url("plan_follow_up", plan.pk)]
    for page in pages:
        assert client.get(page).status_code == status, page
    edit_pages = [_url("plan_edit", plan.pk), _url("measure_new", plan.pk), _url("measure_edit", plan.pk, measure.pk),
                  _url("plan_agree", plan.pk), _url("measure_remove", plan.pk, measure.pk)]
    for page in edit_pages:
        expected = 200 if may_edit else (status if status != 200 else 403)
        assert client.get(page).status_code == expected, page
    if status == 200:
        listed = client.get(_url("plan_list"))
        assert plan.title in listed.content.decode()
        assert ("Add a measure" in client.get(_url("plan", plan.pk)).content.decode()) == may_edit


@pytest.mark.parametrize(("persona", "status"), [("jarva_staff", 403), ("police_rinkeby_lead", 403),
                                                ("skarholmen_coord", 404), ("tax", 404)])
def test_a_forged_post_from_someone_who_may_not_edit_changes_nothing(world, login, persona, status):
    plan = jarva_plan(world, measures=1)
    measure = plan.measures.get()
    client = login(world[persona])
    posts = {
        _url("plan_agree", plan.pk): {"version": plan.version, "date": TODAY.isoformat()},
        _url("plan_edit", plan.pk): {"version": plan.version, "title": "X", "period_start": START.isoformat(),
                                     "period_end": END.isoformat()},
        _url("measure_remove", plan.pk, measure.pk): {"version": measure.version},
        _url("plan_new_version", plan.pk): {"version": plan.version},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == status, url
    plan.refresh_from_db()
    assert (plan.status, plan.title, plan.version, plan.measures.count()) == (
        DocumentStatus.DRAFT, "Åtgärdsplan Järva", 1, 1)
    assert PreventionPlan.objects.count() == 1


def test_the_plan_list_holds_only_plans_in_scope(world, login):
    jarva_plan(world, measures=0)
    page = login(world["skarholmen_coord"]).get(_url("plan_list"))
    assert page.status_code == 200
    assert "Åtgärdsplan Järva" not in page.content.decode()


def test_start_a_plan_from_a_visible_situation_report(world, login):
    client = login(world["jarva_coord"])
    form = client.get(_url("plan_new"))
    body = form.content.decode()
    assert "Lägesbild Järva" in body and "Lägesbild Stockholm" not in body  # the city's is not Järva's to plan
    response = client.post(_url("plan_new"), {
        "situation_report": world.jarva_report.pk, "title": "Plan Järva", "period_start": START.isoformat(),
        "period_end": END.isoformat(), "summary": ""})
    plan = PreventionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("plan", plan.pk)
    # A report the person does not see is not a choice.
    refused = login(world["skarholmen_coord"]).post(_url("plan_new"), {
        "situation_report": world.jarva_report.pk, "title": "X", "period_start": START.isoformat(),
        "period_end": END.isoformat()})
    assert refused.status_code == 200 and PreventionPlan.objects.count() == 1


def test_add_a_measure_through_the_page_and_a_problem_of_another_report_is_refused(world, login):
    plan = jarva_plan(world, measures=0)
    client = login(world["jarva_coord"])
    page = client.get(_url("measure_new", plan.pk)).content.decode()
    assert "Öppen narkotikahandel vid torget" in page and "Otrygghet i centrum" not in page
    data = {"problem": world.problems["city"].pk, "title": "Belysning", "organisation": world.local.orgs["jarva"].pk,
            "starts_on": START.isoformat(), "ends_on": END.isoformat(), "indicator": "Trasiga lampor",
            "baseline": "12", "target": "2"}
    assert client.post(_url("measure_new", plan.pk), data).status_code == 200
    assert not plan.measures.exists()
    data["problem"] = world.problems["vandalism"].pk
    assert client.post(_url("measure_new", plan.pk), {**data, "problem": ""}).status_code == 200
    response = client.post(_url("measure_new", plan.pk), data)
    assert response.status_code == 302
    assert plan.measures.get().problem_id == world.problems["vandalism"].pk


def test_a_concurrent_edit_answers_409_and_keeps_the_input(world, login):
    plan = jarva_plan(world, measures=1)
    measure = plan.measures.get()
    client = login(world["jarva_coord"])
    data = {"version": measure.version, "problem": measure.problem_id, "title": "Min ändring",
            "organisation": measure.organisation_id, "starts_on": START.isoformat(), "ends_on": END.isoformat(),
            "indicator": "Incidenter", "baseline": "40", "target": "20"}
    Measure.objects.filter(pk=measure.pk).update(version=measure.version + 1, title="Någon annans")
    response = client.post(_url("measure_edit", plan.pk, measure.pk), data)
    assert response.status_code == 409
    assert "Min ändring" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).title == "Någon annans"
    plan_data = {"version": plan.version - 1 if plan.version > 1 else 0, "title": "Ny titel",
                 "period_start": START.isoformat(), "period_end": END.isoformat(), "summary": ""}
    response = client.post(_url("plan_edit", plan.pk), plan_data)
    assert response.status_code == 409 and "Ny titel" in response.content.decode()
    assert PreventionPlan.objects.get(pk=plan.pk).title == "Åtgärdsplan Järva"


def test_deciding_goes_through_a_confirmation_and_then_nothing_is_editable(world, login):
    plan = jarva_plan(world, measures=1)
    client = login(world["jarva_coord"])
    assert client.post(_url("plan_agree", plan.pk), {"version": plan.version, "date": TODAY.isoformat()}
                       ).status_code == 302
    plan.refresh_from_db()
    confirm = client.get(_url("plan_decide", plan.pk))
    assert confirm.status_code == 200 and "can no longer be changed" in confirm.content.decode()
    missing = client.post(_url("plan_decide", plan.pk), {"version": plan.version, "date": TODAY.isoformat()})
    assert missing.status_code == 200
    done = client.post(_url("plan_decide", plan.pk), {"version": plan.version, "date": TODAY.isoformat(),
                                                      "body": "Stadsdelsnämnden", "reference": "§ 3"})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.DECIDED
    page = client.get(_url("plan", plan.pk)).content.decode()
    assert "Add a measure" not in page and "Start a new version" in page
    # The edit pages send back to the plan; a forged post changes nothing.
    assert client.get(_url("plan_edit", plan.pk)).status_code == 302
    client.post(_url("plan_edit", plan.pk), {"version": plan.version, "title": "X", "period_start": START.isoformat(),
                                             "period_end": END.isoformat()})
    assert PreventionPlan.objects.get(pk=plan.pk).title == "Åtgärdsplan Järva"
    # ... but progress is recorded, as the follow-up is the point.
    measure = plan.measures.get()
    response = client.post(_url("measure_progress", plan.pk, measure.pk), {
        "recorded_on": TODAY.isoformat(), "status": MeasureStatus.ONGOING, "note": "Startat", "indicator_value": "35"})
    assert response.status_code == 302
    assert MeasureProgress.objects.get().indicator_value == Decimal("35")


def test_a_new_version_from_the_page(world, login):
    plan = decide(world, jarva_plan(world, measures=2))
    client = login(world["jarva_coord"])
    assert client.get(_url("plan_new_version", plan.pk)).status_code == 200
    response = client.post(_url("plan_new_version", plan.pk), {"version": plan.version})
    new = PreventionPlan.objects.get(previous=plan)
    assert response["Location"] == _url("plan", new.pk)
    assert new.measures.count() == 2


def test_the_responsible_organisation_records_progress_through_the_page(world, login):
    plan = decide(world, jarva_plan(world, measures=1))  # the measure is the police's
    measure = plan.measures.get()
    police = login(world["police_rinkeby"])
    assert "Record progress" in police.get(_url("measure", plan.pk, measure.pk)).content.decode()
    response = police.post(_url("measure_progress", plan.pk, measure.pk), {
        "recorded_on": TODAY.isoformat(), "status": MeasureStatus.ONGOING, "indicator_value": "30"})
    assert response.status_code == 302
    staff = login(world["jarva_staff"])
    assert "Record progress" not in staff.get(_url("measure", plan.pk, measure.pk)).content.decode()
    assert staff.get(_url("measure_progress", plan.pk, measure.pk)).status_code == 403
    assert login(world["skarholmen_coord"]).get(_url("measure_progress", plan.pk, measure.pk)).status_code == 404
    assert MeasureProgress.objects.count() == 1


def test_a_measure_of_another_plan_is_not_found_through_this_plan(world, login):
    plan = jarva_plan(world, measures=1)
    city_plan = services.plan_create(actor=world["city_coord"], access=world.access("city_coord"),
                                     situation_report=world.city_report, title="Stadens plan", period_start=START,
                                     period_end=END)
    measure = plan.measures.get()
    client = login(world["city_coord"])
    assert client.get(_url("measure", city_plan.pk, measure.pk)).status_code == 404


def test_the_measure_page_has_the_history_table_and_an_accessible_chart(world, login):
    plan = jarva_plan(world, measures=1)
    measure = plan.measures.get()
    _progress(world, measure, Decimal("35"), note="Patruller två kvällar")
    _progress(world, measure, Decimal("30"), note="Patruller fyra kvällar")
    body = login(world["jarva_staff"]).get(_url("measure", plan.pk, measure.pk)).content.decode()
    assert '<svg' in body and 'role="img"' in body and "aria-labelledby=" in body and "<title" in body
    assert body.count("<circle") == 2
    assert "Patruller fyra kvällar" in body and "Halfway to the target" in body


def test_query_counts_do_not_grow_with_the_measures(world, login, django_assert_max_num_queries):
    plan = jarva_plan(world, measures=2)
    client = login(world["jarva_coord"])
    client.get(_url("plan", plan.pk))  # warm the session
    pages = ("plan", "plan_follow_up")
    counts = {}
    for name in pages:
        with django_assert_max_num_queries(40) as ctx:
            client.get(_url(name, plan.pk))
        counts[name] = len(ctx.captured_queries)
    for n in range(8):
        m = services.measure_save(actor=world["jarva_coord"], access=world.access("jarva_coord"), plan=plan,
                                  data=measure_data(world, title=f"Mer {n}", problem="vandalism"))
        _progress(world, m, Decimal("30"))
        _progress(world, m, Decimal("25"))
    for name in pages:
        with django_assert_max_num_queries(counts[name]):
            client.get(_url(name, plan.pk))


def test_the_measure_page_s_queries_do_not_grow_with_its_history(world, login, django_assert_max_num_queries):
    plan = jarva_plan(world, measures=1)
    measure = plan.measures.get()
    _progress(world, measure, Decimal("38"))
    client = login(world["jarva_coord"])
    client.get(_url("measure", plan.pk, measure.pk))
    with django_assert_max_num_queries(40) as ctx:
        client.get(_url("measure", plan.pk, measure.pk))
    for value in ("36", "34", "32", "30", "28"):
        _progress(world, measure, Decimal(value))
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(_url("measure", plan.pk, measure.pk)).content.decode().count("<circle") == 6

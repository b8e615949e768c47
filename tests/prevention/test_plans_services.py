"""services.plans and services.lifecycle: every measure names a problem of the plan's own
lägesbild, only a draft is edited, the decided plan is immutable and a decided new version
replaces it, progress is recorded also after the decision (by the plan's editors and the
measure's responsible organisation, nobody else), and every write is audited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samverkan.audit.models import AuditEvent
from samverkan.lib.concurrency import StaleEdit
from samverkan.picture.decision import LocalAction
from samverkan.prevention.models import DocumentStatus, Measure, MeasureProgress, MeasureStatus, PreventionPlan
from samverkan.prevention.services import lifecycle
from samverkan.prevention.services import plans as services
from tests.prevention.plan_world import END, START, TODAY, build_plan_world, decide, jarva_plan, measure_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def _save(world, plan, persona="jarva_coord", **changes):
    return services.measure_save(actor=world[persona], access=world.access(persona), plan=plan,
                                 data=measure_data(world, **changes))


def test_a_plan_takes_the_scope_and_participants_of_its_situation_report(world):
    plan = jarva_plan(world, measures=0)
    assert (plan.municipality, plan.district_id, plan.status) == (
        "Stockholm", world.local.districts["jarva"].pk, DocumentStatus.DRAFT)
    assert set(plan.participants.values_list("pk", flat=True)) == {
        world.local.orgs["jarva"].pk, world.local.orgs["police_rinkeby"].pk}
    assert AuditEvent.objects.filter(action="prevention.plan_created", subject_id=str(plan.pk)).exists()


def test_only_the_scope_s_editors_start_a_plan(world):
    for persona in ("skarholmen_coord", "jarva_staff", "police_rinkeby_lead"):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=world[persona], access=world.access(persona),
                                 situation_report=world.jarva_report, title="X", period_start=START, period_end=END)
    # The city edits its districts' documents too.
    plan = services.plan_create(actor=world["city_coord"], access=world.access("city_coord"),
                                situation_report=world.jarva_report, title="X", period_start=START, period_end=END)
    assert plan.district_id == world.local.districts["jarva"].pk


def test_a_second_plan_from_the_same_date_is_refused(world):
    jarva_plan(world, measures=0)
    with pytest.raises(ValidationError) as exc:
        jarva_plan(world, measures=0)
    assert "period_start" in exc.value.error_dict


def test_a_measure_must_name_a_problem_of_the_plan_s_own_situation_report(world):
    plan = jarva_plan(world, measures=0)
    with pytest.raises(ValidationError) as exc:
        _save(world, plan, problem="city")  # the city's lägesbild, not Järva's
    assert "problem" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.measure_save(actor=world["jarva_coord"], access=world.access("jarva_coord"), plan=plan,
                              data=measure_data(world, problem_id=999999))
    assert not Measure.objects.exists()
    measure = _save(world, plan, problem="vandalism")
    assert measure.problem == world.problems["vandalism"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"ends_on": START - timedelta(days=1)}, "ends_on"),
    ({"public": True, "public_summary": " "}, "public_summary"),
    ({"target": Decimal("40")}, "target"),
])
def test_a_measure_s_facts_are_checked(world, changes, field):
    plan = jarva_plan(world, measures=0)
    with pytest.raises(ValidationError) as exc:
        _save(world, plan, **changes)
    assert field in exc.value.error_dict


def test_a_measure_edit_with_an_old_version_is_stale_and_writes_nothing(world):
    plan = jarva_plan(world, measures=1)
    measure = plan.measures.get()
    services.measure_save(actor=world["jarva_coord"], access=world.access("jarva_coord"), plan=plan,
                          data=measure_data(world, title="Först"), measure=measure, expected_version=1)
    with pytest.raises(StaleEdit):
        services.measure_save(actor=world["jarva_coord"], access=world.access("jarva_coord"), plan=plan,
                              data=measure_data(world, title="Sen"), measure=measure, expected_version=1)
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("Först", 2)


def test_the_lifecycle_needs_its_facts_and_goes_step_by_step(world):
    plan = jarva_plan(world, measures=1)
    actor, access = world["jarva_coord"], world.access("jarva_coord")
    with pytest.raises(ValidationError) as refused:  # an identity number in the decision's reference
        services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DECIDED,
                                 expected_version=plan.version, body="Nämnden", date=TODAY,
                                 reference="§ 1 (19900101-0017)")
    assert set(refused.value.error_dict) == {"reference"}
    with pytest.raises(ValidationError):  # no date
        services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.AGREED,
                                 expected_version=plan.version)
    with pytest.raises(ValidationError):  # in the future
        services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.AGREED,
                                 expected_version=plan.version, date=TODAY + timedelta(days=1))
    plan = services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.AGREED,
                                    expected_version=plan.version, date=TODAY)
    assert (plan.status, plan.agreed_on) == (DocumentStatus.AGREED, TODAY)
    with pytest.raises(ValidationError) as exc:
        services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DECIDED,
                                 expected_version=plan.version, date=TODAY)
    assert {"body", "reference"} <= set(exc.value.error_dict)
    with pytest.raises(StaleEdit):
        services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DECIDED,
                                 expected_version=plan.version - 1, body="Nämnden", date=TODAY, reference="§ 1")
    plan = services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DECIDED,
                                    expected_version=plan.version, body="Nämnden", date=TODAY, reference="§ 1")
    assert (plan.status, plan.decided_by_body, plan.decision_reference) == (DocumentStatus.DECIDED, "Nämnden", "§ 1")
    assert lifecycle.allowed_steps(plan) == frozenset()
    steps = list(AuditEvent.objects.filter(action="prevention.plan_status_changed", subject_id=str(plan.pk)))
    assert len(steps) == 2


def test_an_agreed_plan_may_be_reopened_and_an_empty_plan_is_not_agreed(world):
    actor, access = world["jarva_coord"], world.access("jarva_coord")
    empty = jarva_plan(world, measures=0)
    with pytest.raises(ValidationError):
        services.plan_transition(actor=actor, access=access, plan=empty, to=DocumentStatus.AGREED,
                                 expected_version=empty.version, date=TODAY)
    _save(world, empty)
    plan = services.plan_transition(actor=actor, access=access, plan=empty, to=DocumentStatus.AGREED,
                                    expected_version=empty.version, date=TODAY)
    with pytest.raises(ValidationError):  # agreed is not a draft: no edit
        _save(world, plan)
    plan = services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DRAFT,
                                    expected_version=plan.version)
    assert (plan.status, plan.agreed_on) == (DocumentStatus.DRAFT, None)


def test_a_plan_is_decided_only_on_a_decided_situation_report(world):
    world.jarva_report.status = DocumentStatus.AGREED
    world.jarva_report.save()
    plan = jarva_plan(world, measures=1)
    with pytest.raises(ValidationError):
        decide(world, plan)


def test_the_decided_plan_is_immutable(world):
    plan = decide(world, jarva_plan(world, measures=1))
    actor, access = world["jarva_coord"], world.access("jarva_coord")
    measure = plan.measures.get()
    with pytest.raises(ValidationError):
        _save(world, plan)
    with pytest.raises(ValidationError):
        services.measure_save(actor=actor, access=access, plan=plan, data=measure_data(world, title="Ändrad"),
                              measure=measure, expected_version=measure.version)
    with pytest.raises(ValidationError):
        services.plan_update(actor=actor, access=access, plan=plan, expected_version=plan.version, title="Ändrad",
                             period_start=START, period_end=END, summary="", participant_ids=[])
    with pytest.raises(ValidationError):
        services.measure_remove(actor=actor, access=access, measure=measure, expected_version=measure.version)
    with pytest.raises(ValidationError):
        services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DRAFT,
                                 expected_version=plan.version)
    measure.refresh_from_db()
    assert measure.title == "Åtgärd 1"
    assert PreventionPlan.objects.get(pk=plan.pk).title == "Åtgärdsplan Järva"


def test_a_new_version_copies_the_measures_and_replaces_the_decided_one_when_decided(world):
    first = decide(world, jarva_plan(world, measures=2))
    actor, access = world["jarva_coord"], world.access("jarva_coord")
    second = services.plan_new_version(actor=actor, access=access, previous=first)
    assert (second.number, second.previous_id, second.status) == (2, first.pk, DocumentStatus.DRAFT)
    assert sorted(second.measures.values_list("title", flat=True)) == ["Åtgärd 1", "Åtgärd 2"]
    with pytest.raises(ValidationError):  # one next version
        services.plan_new_version(actor=actor, access=access, previous=first)
    first.refresh_from_db()
    assert first.status == DocumentStatus.DECIDED  # in force until the new one is decided
    decide(world, second)
    first.refresh_from_db()
    assert first.status == DocumentStatus.REPLACED


def test_progress_is_recorded_after_the_decision_but_not_on_a_replaced_version(world):
    plan = decide(world, jarva_plan(world, measures=1))
    measure = plan.measures.select_related("plan").get()
    progress = services.progress_record(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                        measure=measure, recorded_on=TODAY, status=MeasureStatus.ONGOING,
                                        note="Patrullerna har börjat.", indicator_value=Decimal("30"))
    assert progress.recorded_by == world["jarva_coord"]
    assert AuditEvent.objects.filter(action="prevention.measure_progress_recorded").count() == 1
    with pytest.raises(ValidationError):
        services.progress_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=measure,
                                 recorded_on=TODAY + timedelta(days=1), status=MeasureStatus.ONGOING)
    second = services.plan_new_version(actor=world["jarva_coord"], access=world.access("jarva_coord"), previous=plan)
    decide(world, second)
    measure = Measure.objects.select_related("plan").get(pk=measure.pk)
    with pytest.raises(ValidationError):
        services.progress_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=measure,
                                 recorded_on=TODAY, status=MeasureStatus.DONE)
    assert MeasureProgress.objects.count() == 1


def test_the_responsible_organisation_records_progress_on_its_own_measure_only(world):
    plan = jarva_plan(world, measures=0)
    police_measure = Measure.objects.select_related("plan").get(pk=_save(world, plan, org="police_rinkeby").pk)
    district_measure = Measure.objects.select_related("plan").get(pk=_save(world, plan, org="jarva").pk)
    police = world.access("police_rinkeby")  # a caseworker: reads the plan, does not edit it
    assert not police.may(LocalAction.MANAGE_DOCUMENT, plan)
    assert police.may(LocalAction.RECORD_PROGRESS, police_measure)
    assert not police.may(LocalAction.RECORD_PROGRESS, district_measure)
    services.progress_record(actor=world["police_rinkeby"], access=police, measure=police_measure,
                             recorded_on=TODAY, status=MeasureStatus.ONGOING)
    with pytest.raises(PermissionDenied):
        services.progress_record(actor=world["police_rinkeby"], access=police, measure=district_measure,
                                 recorded_on=TODAY, status=MeasureStatus.ONGOING)
    # Staff of the district who edit nothing, and other districts' coordinators: no.
    for persona in ("jarva_staff", "skarholmen_coord", "tax", "housing_a"):
        assert not world.access(persona).may(LocalAction.RECORD_PROGRESS, police_measure), persona
    assert world.access("city_coord").may(LocalAction.RECORD_PROGRESS, district_measure)


def test_a_measure_with_progress_is_not_removed(world):
    plan = jarva_plan(world, measures=1)
    measure = plan.measures.select_related("plan").get()
    services.progress_record(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=measure,
                             recorded_on=TODAY, status=MeasureStatus.ONGOING)
    with pytest.raises(ValidationError):
        services.measure_remove(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=measure,
                                expected_version=measure.version)
    other = _save(world, plan, title="Utan uppföljning")
    with pytest.raises(StaleEdit):
        services.measure_remove(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=other,
                                expected_version=other.version + 1)
    services.measure_remove(actor=world["jarva_coord"], access=world.access("jarva_coord"), measure=other,
                            expected_version=other.version)
    assert not Measure.objects.filter(pk=other.pk).exists()

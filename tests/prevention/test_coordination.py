"""The coordinating function and the yearly cycle: who may name coordinators and run the
cycle of which scope (personas and their negatives), the picker limited to the scope's
staff, optimistic locking, audit, and the reminders the steps become."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.lib.concurrency import StaleEdit
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import Coordinator, CycleStep, CycleStepKind
from samverkan.prevention.selectors.coordination import coordinator_candidates, step_for_actor
from samverkan.prevention.selectors.scopes import scope_for_actor
from samverkan.prevention.services import coordination as services
from samverkan.reminders.models import Reminder, ReminderKind
from samverkan.reminders.selectors import reminders_visible
from samverkan.reminders.services import digest_text, reminders_refresh
from tests.factories import UserFactory
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_local_world()


def _scope(world, persona, key):
    access = local_access_for(world[persona])
    return access, scope_for_actor(access=access, key=key)


def _add(world, manager, key, persona, tasks="Leder årshjulet."):
    access, scope = _scope(world, manager, key)
    return services.coordinator_add(actor=world[manager], access=access, scope=scope, user=world[persona],
                                    tasks=tasks, since=TODAY)


# --- Scopes ----------------------------------------------------------------------------


def test_scope_keys_resolve_only_inside_the_scope(world):
    access = local_access_for(world["jarva_coord"])
    assert scope_for_actor(access=access, key="jarva").district == world.districts["jarva"]
    assert scope_for_actor(access=access, key="kommun-stockholm").municipality == "Stockholm"
    with pytest.raises(Http404):
        scope_for_actor(access=access, key="skarholmen")
    for persona in ("tax", "housing_a", "shop"):
        with pytest.raises(Http404):
            scope_for_actor(access=local_access_for(world[persona]), key="kommun-stockholm")


# --- Coordinators ----------------------------------------------------------------------


def test_the_district_names_its_coordinator_and_it_is_audited(world):
    row = _add(world, "jarva_coord", "jarva", "jarva_staff")
    assert (row.district, row.user, row.active) == (world.districts["jarva"], world["jarva_staff"], True)
    event = AuditEvent.objects.get(action="prevention.coordinator_added")
    assert event.subject_id == str(row.pk)
    assert json.loads(event.detail) == {"scope": "jarva", "user": world["jarva_staff"].pk}
    assert "Leder" not in str(event.detail)  # no text in the audit detail


@pytest.mark.parametrize("persona", ["police_rinkeby_lead", "housing_a", "tax", "shop"])
def test_people_outside_the_district_or_its_staff_cannot_be_named(world, persona):
    with pytest.raises(ValidationError):
        _add(world, "jarva_coord", "jarva", persona)
    assert not Coordinator.objects.exists()


def test_a_reporter_of_the_district_administration_cannot_be_named(world):
    reporter = UserFactory(organisation=world.orgs["jarva"], roles=["reporter"])
    access, scope = _scope(world, "jarva_coord", "jarva")
    assert reporter in coordinator_candidates(scope=scope)  # listed as staff of the office …
    with pytest.raises(ValidationError):  # … but cannot see the documents: refused
        services.coordinator_add(actor=world["jarva_coord"], access=access, scope=scope, user=reporter,
                                 tasks="x", since=TODAY)


def test_the_picker_lists_only_the_scope_s_staff_and_narrows_by_search(world):
    _access, jarva = _scope(world, "jarva_coord", "jarva")
    listed = set(coordinator_candidates(scope=jarva))
    assert {world["jarva_coord"], world["jarva_staff"]} <= listed
    assert not listed & {world[p] for p in ("city_coord", "skarholmen_coord", "police_rinkeby", "housing_a", "tax")}
    _access, city = _scope(world, "city_coord", "kommun-stockholm")
    city_listed = set(coordinator_candidates(scope=city))
    assert {world["city_coord"], world["jarva_staff"], world["skarholmen_coord"]} <= city_listed
    assert not city_listed & {world[p] for p in ("police_region", "housing_a", "tax", "association")}
    staff = world["jarva_staff"]
    assert staff in coordinator_candidates(scope=jarva, search=staff.last_name)
    assert not coordinator_candidates(scope=jarva, search="zzzz-nobody")


@pytest.mark.parametrize(("manager", "key"), [
    ("jarva_staff", "jarva"),  # district staff without PREVENTION_MANAGE
    ("police_rinkeby_lead", "jarva"),  # the police see Järva but do not manage its documents
    ("skarholmen_coord", "kommun-stockholm"),  # a district does not manage the city's
    ("police_region", "kommun-stockholm"),
])
def test_only_managers_of_the_scope_name_coordinators(world, manager, key):
    with pytest.raises(PermissionDenied):
        _add(world, manager, key, "jarva_staff")


def test_the_city_manages_a_district_s_coordinators_too(world):
    assert _add(world, "city_coord", "jarva", "jarva_staff").district == world.districts["jarva"]


def test_a_person_is_named_once_per_scope(world):
    _add(world, "jarva_coord", "jarva", "jarva_staff")
    with pytest.raises(ValidationError):
        _add(world, "jarva_coord", "jarva", "jarva_staff")


def test_ending_an_assignment_with_optimistic_locking(world):
    row = _add(world, "jarva_coord", "jarva", "jarva_staff")
    access = local_access_for(world["jarva_coord"])
    services.coordinator_update(actor=world["jarva_coord"], access=access, coordinator=row, tasks="Nya uppgifter",
                                since=row.since, active=False, expected_version=1)
    row.refresh_from_db()
    assert (row.active, row.tasks, row.version) == (False, "Nya uppgifter", 2)
    with pytest.raises(StaleEdit):
        services.coordinator_update(actor=world["jarva_coord"], access=access, coordinator=row, tasks="x",
                                    since=row.since, active=True, expected_version=1)
    event = AuditEvent.objects.get(action="prevention.coordinator_updated")
    assert json.loads(event.detail) == {"scope": "jarva", "changed": ["tasks", "active"], "active": False}


# --- The yearly cycle ------------------------------------------------------------------


def test_generating_a_year_uses_the_configured_dates_and_is_idempotent(world, settings):
    settings.PREVENTION_CYCLE_DEFAULTS = {"picture": (2, 28), "plan": (5, 31), "follow_up": (10, 31)}
    access, scope = _scope(world, "jarva_coord", "jarva")
    year = TODAY.year
    created = services.cycle_generate(actor=world["jarva_coord"], access=access, scope=scope, year=year)
    assert sorted((s.kind, s.due_on) for s in created) == sorted([
        (CycleStepKind.PICTURE, date(year, 2, 28)), (CycleStepKind.PLAN, date(year, 5, 31)),
        (CycleStepKind.FOLLOW_UP, date(year, 10, 31)),
    ])
    assert services.cycle_generate(actor=world["jarva_coord"], access=access, scope=scope, year=year) == []
    assert CycleStep.objects.count() == 3
    with pytest.raises(ValidationError):
        services.cycle_generate(actor=world["jarva_coord"], access=access, scope=scope, year=year + 5)
    assert AuditEvent.objects.filter(action="prevention.cycle_generated").count() == 2


def _steps(world, manager="jarva_coord", key="jarva"):
    access, scope = _scope(world, manager, key)
    services.cycle_generate(actor=world[manager], access=access, scope=scope, year=TODAY.year)
    return {s.kind: s for s in CycleStep.objects.filter(district=world.districts[key])}


def test_moving_and_marking_a_step_done(world):
    steps = _steps(world)
    access = local_access_for(world["jarva_coord"])
    step = steps[CycleStepKind.PLAN]
    moved = date(TODAY.year, 6, 15)
    services.step_update(actor=world["jarva_coord"], access=access, step=step, due_on=moved, note="Nämnden i juni",
                         expected_version=step.version)
    step.refresh_from_db()
    assert (step.due_on, step.version) == (moved, 2)
    with pytest.raises(ValidationError):  # another year
        services.step_update(actor=world["jarva_coord"], access=access, step=step,
                             due_on=date(TODAY.year + 1, 1, 1), note="", expected_version=step.version)
    with pytest.raises(ValidationError):  # in the future
        services.step_mark_done(actor=world["jarva_coord"], access=access, step=step,
                                done_on=TODAY + timedelta(days=1), expected_version=step.version)
    with pytest.raises(StaleEdit):
        services.step_mark_done(actor=world["jarva_coord"], access=access, step=step, done_on=TODAY,
                                expected_version=1)
    services.step_mark_done(actor=world["jarva_coord"], access=access, step=step, done_on=TODAY,
                            expected_version=step.version)
    step.refresh_from_db()
    assert step.done_on == TODAY
    with pytest.raises(ValidationError):
        services.step_mark_done(actor=world["jarva_coord"], access=access, step=step, done_on=TODAY,
                                expected_version=step.version)
    with pytest.raises(ValidationError):
        services.step_update(actor=world["jarva_coord"], access=access, step=step, due_on=moved, note="",
                             expected_version=step.version)
    assert AuditEvent.objects.filter(action="prevention.cycle_step_done", subject_id=str(step.pk)).count() == 1


@pytest.mark.parametrize("persona", ["skarholmen_coord", "tax", "housing_a"])
def test_a_step_outside_the_scope_is_not_found(world, persona):
    step = _steps(world)[CycleStepKind.PICTURE]
    with pytest.raises(Http404):
        step_for_actor(access=local_access_for(world[persona]), pk=step.pk)


@pytest.mark.parametrize("persona", ["jarva_staff", "police_rinkeby_lead"])
def test_seeing_a_step_is_not_managing_it(world, persona):
    step = _steps(world)[CycleStepKind.PICTURE]
    access = local_access_for(world[persona])
    assert step_for_actor(access=access, pk=step.pk) == step
    with pytest.raises(PermissionDenied):
        services.step_mark_done(actor=world[persona], access=access, step=step, done_on=TODAY,
                                expected_version=step.version)


# --- Reminders -------------------------------------------------------------------------


def _due_step(world, *, days: int, key: str = "jarva", kind: str = CycleStepKind.PICTURE) -> CycleStep:
    district = world.districts.get(key)  # None: the municipality's own step
    return CycleStep.objects.create(municipality="Stockholm", district=district, year=TODAY.year,
                                    kind=kind, due_on=TODAY + timedelta(days=days))


def test_steps_due_soon_or_overdue_remind_the_scope_s_active_coordinators(world):
    _add(world, "jarva_coord", "jarva", "jarva_staff")
    _add(world, "city_coord", "kommun-stockholm", "city_coord")
    overdue = _due_step(world, days=-3)
    soon = _due_step(world, days=20, kind=CycleStepKind.PLAN)
    later = _due_step(world, days=31, kind=CycleStepKind.FOLLOW_UP)
    city_step = _due_step(world, days=5, key="stockholm")
    reminders_refresh(today=TODAY)
    mine = {(r.user_id, r.source_id) for r in Reminder.objects.filter(kind=ReminderKind.CYCLE_STEP)}
    staff, city = world["jarva_staff"].pk, world["city_coord"].pk
    assert mine == {(staff, str(overdue.pk)), (staff, str(soon.pk)), (city, str(city_step.pk))}
    assert str(later.pk) not in {s for _u, s in mine}
    rows = reminders_visible(actor=world["jarva_staff"])
    assert {r.reminder.source_id for r in rows} == {str(overdue.pk), str(soon.pk)}
    assert all(r.case is None and r.url == "/brottsforebyggande/" and "Järva" in r.about for r in rows)
    assert Reminder.objects.get(source_id=str(overdue.pk)).case_id is None


def test_a_done_step_or_an_ended_assignment_stops_reminding_at_once(world):
    row = _add(world, "jarva_coord", "jarva", "jarva_staff")
    step = _due_step(world, days=-1)
    reminders_refresh(today=TODAY)
    assert len(reminders_visible(actor=world["jarva_staff"])) == 1
    access = local_access_for(world["jarva_coord"])
    services.coordinator_update(actor=world["jarva_coord"], access=access, coordinator=row, tasks=row.tasks,
                                since=row.since, active=False, expected_version=row.version)
    assert reminders_visible(actor=world["jarva_staff"]) == []  # filtered when read, before any refresh
    services.coordinator_update(actor=world["jarva_coord"], access=access, coordinator=row, tasks=row.tasks,
                                since=row.since, active=True, expected_version=row.version)
    assert len(reminders_visible(actor=world["jarva_staff"])) == 1
    step.refresh_from_db()
    services.step_mark_done(actor=world["jarva_coord"], access=access, step=step, done_on=TODAY,
                            expected_version=step.version)
    assert reminders_visible(actor=world["jarva_staff"]) == []
    reminders_refresh(today=TODAY)
    assert not Reminder.objects.filter(kind=ReminderKind.CYCLE_STEP, done=False).exists()


def test_a_change_starts_the_reminders_refresh(world, django_capture_on_commit_callbacks):
    _add(world, "jarva_coord", "jarva", "jarva_staff")
    _due_step(world, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        access, scope = _scope(world, "jarva_coord", "jarva")
        services.cycle_generate(actor=world["jarva_coord"], access=access, scope=scope, year=TODAY.year + 1)
    assert Reminder.objects.filter(kind=ReminderKind.CYCLE_STEP, user=world["jarva_staff"]).count() == 1


def test_the_reminders_page_lists_a_step_without_a_case(world, login):
    _add(world, "jarva_coord", "jarva", "jarva_staff")
    step = _due_step(world, days=-2)
    reminders_refresh(today=TODAY)
    client = login(world["jarva_staff"])
    body = client.get("/bevakningar/").content.decode()
    assert f"Järva {TODAY.year}" in body and 'href="/brottsforebyggande/"' in body
    reminder = Reminder.objects.get(source_id=str(step.pk), user=world["jarva_staff"])
    assert client.post(f"/bevakningar/{reminder.pk}/klar/", {"done": "1"}).status_code == 302
    reminder.refresh_from_db()
    assert reminder.done
    # Someone else's step reminder is not theirs to see or mark.
    other = login(world["jarva_coord"])
    assert other.post(f"/bevakningar/{reminder.pk}/klar/", {"done": "0"}).status_code == 404
    assert f"Järva {TODAY.year}:" not in other.get("/bevakningar/").content.decode()


def test_the_digest_counts_steps_without_details(world):
    subject, body = digest_text(Counter({ReminderKind.CYCLE_STEP: 2}))
    assert "2" in subject and "Järva" not in body


def test_reading_step_reminders_does_not_grow_with_their_number(world, django_assert_max_num_queries):
    _add(world, "city_coord", "kommun-stockholm", "city_coord")
    _due_step(world, days=1, key="stockholm")
    reminders_refresh(today=TODAY)
    with django_assert_max_num_queries(20) as one:
        assert len(reminders_visible(actor=world["city_coord"])) == 1
    for kind in (CycleStepKind.PLAN, CycleStepKind.FOLLOW_UP):
        _due_step(world, days=2, key="stockholm", kind=kind)
        CycleStep.objects.create(municipality="Stockholm", district=None, year=TODAY.year - 1, kind=kind,
                                 due_on=TODAY - timedelta(days=200))
    reminders_refresh(today=TODAY)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(reminders_visible(actor=world["city_coord"])) == 5

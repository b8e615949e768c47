"""Personas and small fixtures for the area track (action groups, experts, rosters)."""

from __future__ import annotations

import datetime as dt

import pytest

from samverkan.actiongroups import services as group_services
from samverkan.actiongroups.models import ActionGroup, PositionRequirement
from samverkan.directory.models import Area, Organisation
from samverkan.directory.services import reference_data_load
from samverkan.rostering.models import Expert
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def reference(db):
    reference_data_load()
    return {o.short_code: o for o in Organisation.objects.all()}


@pytest.fixture
def personas(reference):
    """Users on both sides: the city's coordinator and caseworker, two agencies'
    coordinators, an agency org admin, a police officer (agency via the parent chain),
    a too-weak role, and an outsider (school)."""
    city = OrganisationFactory(
        kind="municipal", short_code="test-city", name="Stadsledningskontoret test"
    )
    school = OrganisationFactory(kind="school", short_code="test-school")
    return {
        "city_coord": UserFactory(organisation=city, roles=["coordinator"]),
        "city_case": UserFactory(organisation=city, roles=["caseworker"]),
        "city_logs": UserFactory(organisation=city, roles=["log_reviewer"]),
        "tull_coord": UserFactory(organisation=reference["tullverket"], roles=["coordinator"]),
        "tull_admin": UserFactory(organisation=reference["tullverket"], roles=["org_admin"]),
        "skv_coord": UserFactory(organisation=reference["skatteverket"], roles=["coordinator"]),
        "police": UserFactory(organisation=reference["lpo-rinkeby"], roles=["caseworker"]),
        "school": UserFactory(organisation=school, roles=["caseworker"]),
    }


def make_group(
    actor, *, code="husby", name="Husby", area_code="husby", positions=None
) -> ActionGroup:
    group = group_services.group_create(
        actor=actor, name=name, code=code, areas=[Area.objects.get(code=area_code)]
    )
    if positions is not None:
        # {agency short code: positions}; every other agency gets 0
        by_code = {
            p.agency.short_code: p
            for p in PositionRequirement.objects.filter(group=group).select_related("agency")
        }
        group_services.positions_set(
            actor=actor,
            group=group,
            expected_version=group.version,
            positions={p.agency_id: positions.get(code, 0) for code, p in by_code.items()},
        )
        group.refresh_from_db()
    return group


def make_experts(
    agency: Organisation, group: ActionGroup, n: int, *, prefix: str = "E", **fields
) -> list[Expert]:
    experts = []
    for i in range(n):
        e = Expert.objects.create(
            agency=agency, first_name=f"{prefix}{i}", last_name="Testsson", is_demo=True, **fields
        )
        e.home_groups.add(group)
        experts.append(e)
    return experts


def monday(offset_weeks: int = 1) -> dt.date:
    from django.utils import timezone

    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=offset_weeks)

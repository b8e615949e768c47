"""Fixtures for the public pages: an area with an operating action group, premises,
two agencies on the published roster right now, and a citizen promise."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from samverkan.actiongroups.models import (
    ActionGroup,
    GroupStatus,
    PositionRequirement,
    Premises,
    PremisesKind,
)
from samverkan.agreement.models import CitizenPromise
from samverkan.rostering.models import (
    Expert,
    RosterAssignment,
    RosterPlan,
    RosterVersion,
    VersionStatus,
)
from tests.factories import AreaFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    from samverkan.public import cache as public_cache

    cache.clear()
    public_cache.early_clear()
    yield
    cache.clear()
    public_cache.early_clear()


def make_public_area(*, code: str = "husby-test", name: str = "Husby", published: bool = True):
    police = OrganisationFactory(name="Polismyndigheten", short_code="polismyndigheten", kind="agency")
    tax = OrganisationFactory(name="Skatteverket", short_code="skatteverket", kind="agency")
    customs = OrganisationFactory(name="Tullverket", short_code="tullverket", kind="agency")
    area = AreaFactory(code=code, name=name)
    group = ActionGroup.objects.create(
        name="Aktionsgrupp Husby", code="husby-grupp", status=GroupStatus.OPERATING, around_the_clock=True,
        contact_phone="08-123 456 78", contact_email="husby@example.invalid",
    )
    group.areas.add(area)
    Premises.objects.create(group=group, address="Husby torg 1", kind=PremisesKind.OFFICE_MODULE,
                            valid_from=date.today() - timedelta(days=30))
    for org in (police, tax, customs):
        PositionRequirement.objects.create(group=group, agency=org, positions=2)
    now = timezone.now()
    plan = RosterPlan.objects.create(group=group, period_start=timezone.localdate() - timedelta(days=3), weeks=4)
    # An older published version that a newer one supersedes: must not be counted.
    old = RosterVersion.objects.create(plan=plan, number=1, status=VersionStatus.PUBLISHED)
    version = RosterVersion.objects.create(
        plan=plan, number=2, status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT
    )
    experts = []
    for org, first, last in [(police, "Kalle", "Hemlignamn"), (police, "Lisa", "Doldsson"), (tax, "Per", "Okändsson")]:
        expert = Expert.objects.create(agency=org, first_name=first, last_name=last, is_demo=True)
        expert.home_groups.add(group)
        experts.append(expert)
    for i, expert in enumerate(experts):
        RosterAssignment.objects.create(version=version, shift_id=f"s{i}", starts_at=now - timedelta(hours=2),
                                        ends_at=now + timedelta(hours=6), expert=expert, agency=expert.agency)
    # A shift that is over, and one in the old version: neither counts.
    RosterAssignment.objects.create(version=version, shift_id="past", starts_at=now - timedelta(hours=20),
                                    ends_at=now - timedelta(hours=12), expert=experts[0], agency=customs)
    RosterAssignment.objects.create(version=old, shift_id="old", starts_at=now - timedelta(hours=1),
                                    ends_at=now + timedelta(hours=1), expert=experts[2], agency=customs)
    CitizenPromise.objects.create(area=area, title="Tryggare torg", text="Vi finns på torget varje kväll.",
                                  period="2025–2026", published=True)
    CitizenPromise.objects.create(area=area, title="Utkast som inte syns", text="Hemligt utkast",
                                  period="2026", published=False)
    return area


@pytest.fixture
def public_area(db):
    return make_public_area()


__all__ = ["make_public_area", "time"]

"""The area-track demo: groups, outreach in several states, experts and a published,
valid roster for the current four weeks."""

from __future__ import annotations

import pytest

from samverkan.actiongroups.models import ActionGroup, Outreach
from samverkan.rostering import problem as pb
from samverkan.rostering.engine import validator
from samverkan.rostering.models import Expert, RosterVersion

pytestmark = pytest.mark.django_db


def test_demo_load_creates_the_area_track():
    from samverkan.demo.area_track import load_area_track
    from samverkan.demo.services import demo_load

    demo_load()
    assert set(ActionGroup.objects.values_list("code", flat=True)) >= {"husby", "rinkeby-tensta"}
    statuses = set(Outreach.objects.values_list("status", flat=True))
    assert {"staffed", "declined", "in_dialogue", "not_contacted"} <= statuses
    assert Expert.objects.filter(is_demo=True).count() >= 60
    assert not Expert.objects.filter(is_demo=False).exists()
    version = RosterVersion.objects.get(status="published", plan__group__code="husby")
    assert version.plan.weeks == 4 and version.assignments.count() == 6 * 2 * 3 * 28
    assert validator.validate(pb.build_problem(version.plan), pb.roster_of(version)) == []
    assert Expert.objects.filter(user__username="skatteverket").exists()
    load_area_track()  # idempotent (the area track's part of demo_load, run again)
    assert RosterVersion.objects.filter(plan__group__code="husby").count() == 1

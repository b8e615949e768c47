"""The case's tabs show only the pages the viewer may open (asked of the viewer's
CaseAccess): the police on the team do not see the lead team's Guardians tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.cases.templatetags.case_tags import case_nav
from tests.world import records_world

pytestmark = pytest.mark.django_db


def test_guardians_tab_only_for_the_lead_team(login):
    world = records_world()
    guardians = reverse("people:guardians", args=[world.case.public_id])
    police = login(world.users["police"])
    page = police.get(f"/arenden/{world.case.public_id}/")
    assert page.status_code == 200
    assert guardians not in page.content.decode()
    assert police.get(guardians).status_code == 403  # the page it would have led to
    lead_page = login(world.lead).get(f"/arenden/{world.case.public_id}/").content.decode()
    assert guardians in lead_page
    # Without the viewer's decision, only the pages every team member may open.
    assert guardians not in [item["url"] for item in case_nav(world.case)]

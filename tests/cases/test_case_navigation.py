"""The case's tabs show only the pages the viewer may open (asked of the viewer's
CaseAccess): the police on the team do not see the lead team's Guardians tab."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.cases.templatetags.case_tags import case_nav
from tests.world import CASE_PERSONAS, build_world, records_world

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


def test_team_picker_lists_only_staff_who_work_with_cases(login):
    from django.core.exceptions import ValidationError

    from samverkan.cases import services
    from tests.factories import UserFactory

    world = build_world(personas=(*CASE_PERSONAS, "jarva_outsider", "police_manager", "jarva_dpo"), notes=False)
    admin = UserFactory(organisation=world.orgs["jarva"], roles=["system_admin"], first_name="Sys",
                        last_name="Admin")
    # Names of their own (the factory's are drawn at random and may coincide).
    for key, last_name in (("jarva_outsider", "Utanförsson"), ("police_manager", "Chefsdotter")):
        world.users[key].last_name = last_name
        world.users[key].save(update_fields=["last_name"])
    client = login(world.lead)
    url = f"/arenden/{world.case.public_id}/team/"
    page = client.get(url)
    assert page.status_code == 200
    offered = set(page.context["form"].fields["user"].queryset)
    assert world.users["jarva_outsider"] in offered  # a caseworker of the lead organisation
    assert world.users["jarva_dpo"] not in offered and admin not in offered
    html = page.content.decode()
    assert "---------" not in html and "Choose a person" in html
    assert 'type="radio" name="team_role"' in html
    # The search narrows the list; a search that matches nobody says so.
    narrowed = client.get(url, {"q": world.users["jarva_outsider"].last_name})
    assert world.users["jarva_outsider"] in set(narrowed.context["form"].fields["user"].queryset)
    assert world.users["police_manager"] not in set(narrowed.context["form"].fields["user"].queryset)
    assert "Nobody who may work with cases matches" in client.get(url, {"q": "zzzyxq"}).content.decode()
    # Posting someone not offered is refused by the form, and the service refuses too.
    assert client.post(url, {"user": world.users["jarva_dpo"].pk, "team_role": "caseworker"}).status_code == 200
    with pytest.raises(ValidationError):
        services.team_add(actor=world.lead, case=world.case, access=world.access(world.lead),
                          user=world.users["jarva_dpo"], team_role="caseworker")

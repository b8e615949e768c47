"""The case's tabs show only the pages the viewer may open (asked of the viewer's
CaseAccess): the police on the team do not see the lead team's Guardians tab."""

from __future__ import annotations

import re

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
    # The search (a POST) narrows the list; a search that matches nobody says so.
    narrowed = client.post(url, {"intent": "search", "q": world.users["jarva_outsider"].last_name})
    assert world.users["jarva_outsider"] in set(narrowed.context["form"].fields["user"].queryset)
    assert world.users["police_manager"] not in set(narrowed.context["form"].fields["user"].queryset)
    nobody = client.post(url, {"intent": "search", "q": "zzzyxq"}).content.decode()
    assert "Nobody who may work with cases matches" in nobody
    # Posting someone not offered is refused by the form, and the service refuses too.
    assert client.post(url, {"user": world.users["jarva_dpo"].pk, "team_role": "caseworker"}).status_code == 200
    with pytest.raises(ValidationError):
        services.team_add(actor=world.lead, case=world.case, access=world.access(world.lead),
                          user=world.users["jarva_dpo"], team_role="caseworker")


def test_team_picker_search_keeps_the_name_out_of_every_url(login):
    """A staff member's name is personal data: the search is a POST answered with the page
    (no redirect carrying it), no link or form on the page puts it in a URL, a name in the
    query string is never read, and adding the person found redirects to the bare page."""
    from urllib.parse import quote, quote_plus

    world = build_world(personas=(*CASE_PERSONAS, "jarva_outsider", "police_manager"), notes=False)
    for key, last_name in (("jarva_outsider", "Utanförsson"), ("police_manager", "Chefsdotter")):
        world.users[key].last_name = last_name
        world.users[key].save(update_fields=["last_name"])
    wanted = world.users["jarva_outsider"]
    client = login(world.lead)
    url = f"/arenden/{world.case.public_id}/team/"

    def urls_of(html: str) -> list[str]:
        return re.findall(r'(?:href|action|src|formaction)="([^"]*)"', html)

    spellings = {"Utanförsson", quote("Utanförsson"), quote_plus("Utanförsson"), "Utanf"}
    page = client.get(url).content.decode()
    assert re.search(r'<form method="post"[^>]*role="search"', page)
    found = client.post(url, {"intent": "search", "q": "Utanförsson"})
    assert found.status_code == 200 and "Location" not in found.headers
    assert list(found.context["form"].fields["user"].queryset) == [wanted]
    html = found.content.decode()
    assert "Utanförsson" in html  # the person offered, and the words in the search box
    assert not [u for u in urls_of(html) if any(s in u for s in spellings)]
    # A name in the URL is never read: the list is not narrowed by it.
    from_url = client.get(url, {"q": "Utanförsson"})
    assert world.users["police_manager"] in set(from_url.context["form"].fields["user"].queryset)
    # Adding the person found: the words go back in the body, the redirect is the bare page.
    added = client.post(url, {"q": "Utanförsson", "user": wanted.pk, "team_role": "caseworker"})
    assert added.status_code == 302 and added.headers["Location"] == url
    assert wanted in {m.user for m in world.case.team.filter(active=True)}
    # A search without words is the page itself.
    empty = client.post(url, {"intent": "search", "q": "  "})
    assert empty.status_code == 302 and empty.headers["Location"] == url
    # Too long: said on the page, the list not narrowed, and still no URL with it.
    long_words = client.post(url, {"intent": "search", "q": "Utanförsson" * 10})
    assert long_words.status_code == 400
    assert not [u for u in urls_of(long_words.content.decode()) if any(s in u for s in spellings)]

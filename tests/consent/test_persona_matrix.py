"""Authorisation matrix: personas from six organisations, consent states and pages.

Zero leaks: a note's text never appears in any response for a viewer who may not see
it, and the counts shown equal the number of notes the viewer may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.consent import services as consent_services
from samverkan.consent.models import Consent
from tests.world import ALL_CATEGORIES, World, build_world, full_consent

pytestmark = pytest.mark.django_db

TEAM = ["jarva_coord", "police", "probation", "school"]
OUTSIDERS = ["tax", "skarholmen"]
NOTE_KEYS = ["jarva_coord-social", "jarva_coord-basic", "police-crime", "probation-work", "school-school"]
STATES = ["none", "valid", "expired", "withdrawn", "scope_excludes_viewer", "scope_excludes_category",
          "lapsed_at_18"]


def _org(key: str) -> str:
    return key.split("-")[0]


def _category(key: str) -> str:
    return key.split("-")[1]


def expected_visible(state: str, viewer: str) -> set[str]:
    own = {k for k in NOTE_KEYS if _org(k) == viewer}
    if state in ("none", "expired", "withdrawn", "lapsed_at_18"):
        return own
    orgs = {"jarva_coord", "probation", "school"} if state == "scope_excludes_viewer" else set(TEAM)
    categories = set(ALL_CATEGORIES) - ({"social"} if state == "scope_excludes_category" else set())
    if viewer not in orgs:
        return own
    return own | {k for k in NOTE_KEYS if _org(k) in orgs and _category(k) in categories}


def make_state(state: str) -> World:
    today = timezone.localdate()
    if state == "lapsed_at_18":
        # Turned 18 today; the guardians (and the minor) consented yesterday.
        world = build_world(age_years=18, age_days=0)
        yesterday = today - timedelta(days=1)
        full_consent(world, given_on=yesterday, valid_from=yesterday)
        return world
    world = build_world()
    if state == "valid":
        full_consent(world)
    elif state == "expired":
        full_consent(world, given_on=today - timedelta(days=200), valid_from=today - timedelta(days=200),
                     valid_to=today - timedelta(days=1))
    elif state == "withdrawn":
        consents = full_consent(world)
        consent_services.consent_withdraw(actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"),
                                          consent=consents[0], note="")
    elif state == "scope_excludes_viewer":
        full_consent(world, orgs=["jarva", "probation", "school"])
    elif state == "scope_excludes_category":
        full_consent(world, categories=[c for c in ALL_CATEGORIES if c != "social"])
    return world


def case_pages(world: World) -> list[str]:
    consent = Consent.objects.filter(case=world.case).first()
    pages = [world.url, world.url + "anteckningar/", world.url + "anteckningar/?category=social",
             world.url + "samtycken/", world.url + "utlamnanden/", world.url + "vardnadshavare/",
             world.url + "samtycken/nytt/", world.url + "anteckningar/ny/", world.url + "team/"]
    if consent:
        pages.append(world.url + f"samtycken/{consent.pk}/blankett/")
    for note in world.notes.values():
        pages.append(world.url + f"anteckningar/{note.public_id}/ratta/")
    return pages


@pytest.mark.parametrize("state", STATES)
def test_matrix(state, logged_in):
    world = make_state(state)
    texts = {k: world.notes[k].text for k in NOTE_KEYS}
    for viewer in TEAM + OUTSIDERS:
        client = logged_in(world.users[viewer])
        may_see = expected_visible(state, viewer) if viewer in TEAM else set()
        hidden = [texts[k] for k in NOTE_KEYS if k not in may_see]
        for url in case_pages(world):
            response = client.get(url)
            body = response.content.decode()
            for text in hidden:
                assert text not in body, (state, viewer, url)
            if viewer in OUTSIDERS:
                assert response.status_code == 404, (state, viewer, url, response.status_code)
        if viewer in OUTSIDERS:
            continue
        page = client.get(world.url + "anteckningar/")
        assert page.status_code == 200
        body = page.content.decode()
        for key in may_see:
            assert texts[key] in body, (state, viewer, key)
        assert page.context["result"].total == len(may_see), (state, viewer)
        assert {n.public_id for n in page.context["result"].notes} == {world.notes[k].public_id for k in may_see}
        # Every team member sees the consent state; only the lead team the guardians.
        assert client.get(world.url + "samtycken/").status_code == 200
        assert client.get(world.url + "vardnadshavare/").status_code == (200 if viewer == "jarva_coord" else 403)
        # A note the viewer may not see is a 404, the same as a missing one.
        for key in set(NOTE_KEYS) - may_see:
            assert client.get(world.url + f"anteckningar/{world.notes[key].public_id}/ratta/").status_code == 404


def test_lapsed_at_18_is_shown_on_the_case(logged_in):
    world = make_state("lapsed_at_18")
    client = logged_in(world.users["jarva_coord"])
    body = client.get(world.url + "samtycken/").content.decode()
    assert "Guardian consent lapsed at 18 — the person's own consent is needed." in body
    assert "Lapsed at 18" in body
    overview = client.get(world.url + "samtycken/").context["overview"]
    assert overview.lapsed_at_18 and not overview.effective.active
    assert {row.status for row in overview.rows} == {"lapsed_at_18"}
    # The day before the birthday the same consents were valid and shared.
    from samverkan.consent.selectors import effective_consent_for_case

    assert effective_consent_for_case(case=world.case, today=timezone.localdate() - timedelta(days=1)).active
    # The person's own consent, given as an adult, restores sharing.
    from tests.world import give_consent

    give_consent(world, giver="person")
    police = logged_in(world.users["police"])
    assert world.notes["jarva_coord-social"].text in police.get(world.url + "anteckningar/").content.decode()


def test_expected_table_is_not_trivial():
    """The matrix must contain both allow and deny cells for cross-organisation notes."""
    assert "jarva_coord-social" in expected_visible("valid", "police")
    assert "jarva_coord-social" not in expected_visible("scope_excludes_category", "police")
    assert "school-school" in expected_visible("scope_excludes_category", "police")
    assert expected_visible("scope_excludes_viewer", "police") == {"police-crime"}
    assert "police-crime" not in expected_visible("scope_excludes_viewer", "school")

"""The forums an agreement starts: created and kept by those who manage the agreement
(also once it is signed), their meetings and decisions; read by everyone who reads the
agreement; an ended agreement's forums are read only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.agreement.models import Agreement, AgreementStatus, CollaborationForum, ForumDecision, ForumSession
from samverkan.agreement.services import forums as services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from tests.agreement.agreement_world import build_agreement_world, sign_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_agreement_world()
    sign_directly(w, w.jarva)  # forums continue after signing
    return w


def test_a_forum_its_meetings_and_decisions(world, login):
    orgs = world.local.orgs
    client = login(world["police_rinkeby_lead"])
    response = client.post(reverse("agreement:forum_new", args=[world.jarva.pk]), {
        "name": "Trygg handel Husby", "purpose": "Butiker, fastighetsägare och polis", "active": "on",
        "parties": [orgs["shop"].pk, orgs["housing"].pk, orgs["police_rinkeby"].pk]})
    assert response.status_code == 302
    forum = CollaborationForum.objects.get(agreement=world.jarva)
    assert set(forum.parties.values_list("pk", flat=True)) == {orgs["shop"].pk, orgs["housing"].pk,
                                                                orgs["police_rinkeby"].pk}
    response = client.post(reverse("agreement:forum_session_new", args=[world.jarva.pk, forum.pk]), {
        "held_on": timezone.localdate().isoformat(), "notes": "Första mötet", "participants": [orgs["shop"].pk]})
    assert response.status_code == 302
    session = ForumSession.objects.get(forum=forum)
    response = client.post(reverse("agreement:forum_decision_new", args=[world.jarva.pk, forum.pk, session.pk]), {
        "text": "Bättre belysning", "organisation": orgs["housing"].pk, "due_on": ""})
    assert response.status_code == 302
    decision = ForumDecision.objects.get(session=session)
    client.post(reverse("agreement:forum_decision_done", args=[world.jarva.pk, forum.pk, decision.pk]), {"done": "1"})
    decision.refresh_from_db()
    assert decision.done
    page = login(world["jarva_staff"]).get(reverse("agreement:forum", args=[world.jarva.pk, forum.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Bättre belysning" in text and "Första mötet" in text
    assert reverse("agreement:forum_edit", args=[world.jarva.pk, forum.pk]) not in text
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_FORUM_CHANGED, subject_id=str(world.jarva.pk)
                                     ).count() == 4


def test_who_keeps_the_forums(world, login):
    forum = CollaborationForum.objects.create(agreement=world.jarva, name="Forum", purpose="Syfte")
    for persona, status in (("jarva_staff", 403), ("police_skarholmen", 404), ("tax", 404), ("jarva_coord", 200)):
        client = login(world[persona])
        assert client.get(reverse("agreement:forum_new", args=[world.jarva.pk])).status_code == status
        assert client.get(reverse("agreement:forum_edit", args=[world.jarva.pk, forum.pk])).status_code == status
    # Another agreement's forum is not found under this one.
    other = CollaborationForum.objects.create(agreement=world.city, name="Stadens", purpose="Syfte")
    assert login(world["jarva_coord"]).get(reverse("agreement:forum", args=[world.jarva.pk, other.pk])
                                           ).status_code == 404


def test_a_concurrent_forum_edit_answers_409(world, login):
    forum = CollaborationForum.objects.create(agreement=world.jarva, name="Forum", purpose="Syfte")
    forum.parties.set([world.local.orgs["shop"]])
    url = reverse("agreement:forum_edit", args=[world.jarva.pk, forum.pk])
    data = {"version": forum.version, "name": "Nytt namn", "purpose": "Syfte", "active": "on",
            "parties": [world.local.orgs["shop"].pk]}
    assert login(world["city_coord"]).post(url, data).status_code == 302
    response = login(world["jarva_coord"]).post(url, {**data, "name": "Mitt namn"})
    assert response.status_code == 409 and "Mitt namn" in response.content.decode()


def test_an_ended_agreements_forums_are_read_only(world):
    forum = CollaborationForum.objects.create(agreement=world.jarva, name="Forum", purpose="Syfte")
    Agreement.objects.filter(pk=world.jarva.pk).update(status=AgreementStatus.ENDED)
    world.jarva.refresh_from_db()
    with pytest.raises(ValidationError):
        services.session_create(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                agreement=world.jarva, forum=forum, held_on=timezone.localdate(), notes="",
                                participants=[])

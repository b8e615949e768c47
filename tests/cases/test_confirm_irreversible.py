"""Closing a case, removing someone from its team and clearing a legal hold ask first: the
first POST shows a confirmation page (what happens, what cannot be undone) and changes
nothing; only the POST sent from that page (``confirmed=1``, the same data carried along) commits."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, CaseStatus, Closure, FollowUp
from samverkan.lib.identity_numbers import make_fictitious
from tests.world import open_case, records_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return records_world()


def _hidden(body: str, name: str, value: str) -> bool:
    return f'type="hidden" name="{name}" value="{value}"' in body


def test_closing_asks_first_then_closes(world, login):
    client = login(world.lead)
    url = f"/arenden/{world.case.public_id}/avslut/stang/"
    data = {"outcome": "moved", "note": "Familjen flyttar", "version": world.case.version}
    first = client.post(url, data)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Close the case?" in body
    assert "A closed case cannot be reopened or changed" in body
    assert "Moved away" in body and "Familjen flyttar" in body
    assert "govuk-warning-text" in body and "Yes, close the case" in body
    assert f'href="/arenden/{world.case.public_id}/avslut/"' in body  # Cancel: back to the closure page
    assert _hidden(body, "outcome", "moved") and _hidden(body, "note", "Familjen flyttar")
    assert _hidden(body, "version", str(world.case.version)) and _hidden(body, "confirmed", "1")
    assert "csrfmiddlewaretoken" in body
    # Nothing happened yet.
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ACTIVE
    assert not Closure.objects.exists() and not FollowUp.objects.exists()
    assert not AuditEvent.objects.filter(action="case.closed").exists()

    done = client.post(url, {**data, "confirmed": "1"})
    assert done.status_code == 302
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.CLOSED
    assert AuditEvent.objects.filter(action="case.closed").count() == 1


def test_an_invalid_closure_shows_its_errors_not_the_confirmation(world, login):
    client = login(world.lead)
    response = client.post(f"/arenden/{world.case.public_id}/avslut/stang/",
                           {"outcome": "", "version": world.case.version})
    assert response.status_code == 400
    assert "Close the case?" not in response.content.decode()


def test_the_confirmation_is_not_shown_to_those_who_may_not_close(world, login):
    url = f"/arenden/{world.case.public_id}/avslut/stang/"
    data = {"outcome": "moved", "note": "", "version": world.case.version}
    assert login(world.users["skarholmen"]).post(url, data).status_code == 404
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ACTIVE


def test_removing_a_team_member_asks_first_then_removes(world, login):
    client = login(world.lead)
    member = world.case.team.get(user=world.users["police"], active=True)
    url = f"/arenden/{world.case.public_id}/team/{member.pk}/ta-bort/"
    first = client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    name = world.users["police"].get_full_name()
    assert f"Remove {name} from the team?" in body
    assert "will no longer see the case" in body and "The removal cannot be undone" in body
    assert "Yes, remove from the team" in body
    assert world.case.team.filter(pk=member.pk, active=True).exists()
    assert not AuditEvent.objects.filter(action="case.team_member_removed").exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not world.case.team.filter(pk=member.pk, active=True).exists()
    assert AuditEvent.objects.filter(action="case.team_member_removed").count() == 1


def test_team_removal_confirmation_refused_to_others_on_the_team(world, login):
    member = world.case.team.get(user=world.users["police"], active=True)
    url = f"/arenden/{world.case.public_id}/team/{member.pk}/ta-bort/"
    assert login(world.users["jarva_cw"]).post(url).status_code == 403
    assert login(world.users["skarholmen"]).post(url).status_code == 404
    assert world.case.team.filter(pk=member.pk, active=True).exists()



def _intake(world):
    today = timezone.localdate()
    return open_case(world.lead, identity=make_fictitious(today.replace(year=today.year - 16, day=1), 733),
                     accept=False, intake_summary="Ny anmälan")


def test_deciding_an_intake_asks_first_then_records_the_decision(world, login):
    case = _intake(world)
    client = login(world.lead)
    url = f"/arenden/{case.public_id}/beslut/"
    data = {"decision": "decline", "reason": "Bor utanför området"}
    first = client.post(url, data)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Decline the case?" in body and "Bor utanför området" in body
    assert "The decision on the intake cannot be changed afterwards." in body
    assert "Yes, decline the case" in body
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INTAKE
    assert not AuditEvent.objects.filter(action="case.decided", subject_id=str(case.public_id)).exists()

    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECLINED
    assert AuditEvent.objects.filter(action="case.decided", subject_id=str(case.public_id)).count() == 1


def test_declining_without_a_reason_is_refused_before_any_confirmation(world, login):
    case = _intake(world)
    response = login(world.lead).post(f"/arenden/{case.public_id}/beslut/", {"decision": "decline", "reason": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INTAKE


def test_moving_to_the_next_programme_asks_first_then_moves(world, login):
    from samverkan.people.models import Person

    old = world.case.programme
    successor = old.successor
    assert successor is not None  # SIG unga continues in SIG unga vuxna
    today = timezone.localdate()
    Person.objects.filter(pk=world.case.person_id).update(birth_date=today.replace(year=today.year - 20, day=1))
    client = login(world.lead)
    url = f"/arenden/{world.case.public_id}/byt-program/"
    first = client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert f"Move the case to {successor.name}?" in body
    assert f"The case cannot be moved back to {old.name}." in body and "Yes, move the case" in body
    assert Case.objects.get(pk=world.case.pk).programme_id == old.pk
    assert not AuditEvent.objects.filter(action="case.programme_transferred").exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert Case.objects.get(pk=world.case.pk).programme_id == successor.pk
    assert AuditEvent.objects.filter(action="case.programme_transferred").count() == 1
    # Others on the team get no confirmation page.
    assert login(world.users["jarva_cw"]).post(url).status_code == 403


def test_clearing_a_legal_hold_asks_first_then_clears(world, login):
    url = f"/arenden/{world.case.public_id}/avslut/rattslig-kvarhallning/"
    manager = login(world.users["jarva_manager"])
    # Setting a hold is not irreversible (it can be cleared): it is done at once.
    assert manager.post(url, {"hold": "set", "reason": "Begäran från förvaltningsrätten"}).status_code == 302
    assert Case.objects.get(pk=world.case.pk).legal_hold
    assert AuditEvent.objects.filter(action="case.legal_hold").count() == 1
    # Those who may not clear it get no confirmation page.
    assert login(world.users["police"]).post(url, {"hold": "clear", "reason": "Vill ta bort den"}).status_code == 403
    assert login(world.users["skarholmen"]).post(url, {"hold": "clear", "reason": "Vill ta bort den"}).status_code == 404

    data = {"hold": "clear", "reason": "Målet är avgjort nu"}
    first = manager.post(url, data)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Clear the legal hold?" in body and "Yes, clear the legal hold" in body
    assert "the retention purge deletes the case" in body and "cannot be brought back" in body
    assert "Begäran från förvaltningsrätten" in body and "Målet är avgjort nu" in body
    assert _hidden(body, "hold", "clear") and _hidden(body, "reason", "Målet är avgjort nu")
    assert _hidden(body, "confirmed", "1")
    closure = f"/arenden/{world.case.public_id}/avslut/"
    assert f'href="{closure}"' in body  # Cancel: back to the closure page
    assert Case.objects.get(pk=world.case.pk).legal_hold
    assert AuditEvent.objects.filter(action="case.legal_hold").count() == 1
    # Going back: the closure page still shows the hold.
    assert "On legal hold" in manager.get(closure).content.decode()

    assert manager.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert not Case.objects.get(pk=world.case.pk).legal_hold
    assert AuditEvent.objects.filter(action="case.legal_hold").count() == 2


def test_an_invalid_clearing_shows_its_errors_not_the_confirmation(world, login):
    url = f"/arenden/{world.case.public_id}/avslut/rattslig-kvarhallning/"
    manager = login(world.users["jarva_manager"])
    manager.post(url, {"hold": "set", "reason": "Begäran från förvaltningsrätten"})
    response = manager.post(url, {"hold": "clear", "reason": "kort"})
    assert response.status_code == 400 and "Clear the legal hold?" not in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).legal_hold

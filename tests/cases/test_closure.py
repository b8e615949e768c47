"""Closure (avslut), follow-ups at 6 and 12 months, legal hold — through the web,
with persona negatives (outsider 404, too-weak role 403)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases import services
from samverkan.cases.models import Case, CaseStatus, Closure, FollowUp, FollowUpStatus
from samverkan.cases.services import closure as closure_services
from samverkan.lib.workdays import is_working_day
from tests.world import records_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return records_world()


def _close(client, case, outcome="plan_completed", note="Planen klar"):
    case.refresh_from_db()
    return client.post(f"/arenden/{case.public_id}/avslut/stang/",
                       {"outcome": outcome, "note": note, "version": case.version, "confirmed": "1"})


def test_lead_coordinator_closes_and_follow_ups_are_planned(world, login):
    client = login(world.lead)
    assert client.get(f"/arenden/{world.case.public_id}/avslut/").status_code == 200
    response = _close(client, world.case)
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.CLOSED and case.closed_at is not None
    closure = Closure.objects.get(case=case)
    assert closure.outcome == "plan_completed" and closure.recorded_by_organisation == world.orgs["jarva"]
    follow_ups = list(FollowUp.objects.filter(case=case).order_by("months_after"))
    assert [f.months_after for f in follow_ups] == [6, 12]
    closed_on = timezone.localdate(case.closed_at)
    assert follow_ups[0].due_on == services.follow_up_due(closed_on, 6)
    assert follow_ups[1].due_on == services.follow_up_due(closed_on, 12)
    assert all(is_working_day(f.due_on) for f in follow_ups)
    event = AuditEvent.objects.filter(action="case.closed").get()
    assert event.subject_id == str(case.public_id)
    assert "Planen" not in event.detail and "plan_completed" in event.detail


@pytest.mark.parametrize(("closed_on", "months", "due"), [
    (dt.date(2026, 6, 24), 6, dt.date(2026, 12, 28)),  # Christmas Eve, Day, a weekend: Monday
    (dt.date(2025, 12, 6), 12, dt.date(2026, 12, 7)),  # a Sunday: Monday
    (dt.date(2026, 12, 25), 6, dt.date(2027, 6, 28)),  # Midsummer Eve (a Friday), a weekend: Monday
    (dt.date(2026, 3, 3), 6, dt.date(2026, 9, 3)),  # a Thursday: the day itself
])
def test_follow_up_falls_on_a_working_day(closed_on, months, due):
    assert services.add_months(closed_on, months) <= due
    assert services.follow_up_due(closed_on, months) == due
    assert is_working_day(due)


def test_a_case_closed_half_a_year_before_christmas_eve(world, monkeypatch):
    """Closed on 24 June 2026: the 6-month follow-up would fall on Christmas Eve (then
    Christmas Day and a weekend), so it is due the Monday after; the 12-month one falls on
    24 June 2027, a Thursday and a working day: due that day."""
    closed_at = timezone.make_aware(dt.datetime(2026, 6, 24, 10, 0))
    monkeypatch.setattr(closure_services, "timezone",
                        SimpleNamespace(now=lambda: closed_at, localdate=timezone.localdate))
    services.case_close(actor=world.lead, case=world.case, access=world.access(world.lead),
                        outcome="plan_completed")
    due = dict(FollowUp.objects.filter(case=world.case).values_list("months_after", "due_on"))
    assert due == {6: dt.date(2026, 12, 28), 12: dt.date(2027, 6, 24)}


def test_outcome_is_required_and_must_be_known(world, login):
    client = login(world.lead)
    assert _close(client, world.case, outcome="").status_code == 400
    assert _close(client, world.case, outcome="made_up").status_code == 400
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ACTIVE


def test_stale_version_is_refused(world, login):
    client = login(world.lead)
    response = client.post(f"/arenden/{world.case.public_id}/avslut/stang/",
                           {"outcome": "moved", "note": "Flyttar", "version": world.case.version - 1,
                            "confirmed": "1"})
    assert response.status_code == 409 and "Someone else saved this" in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ACTIVE
    # The choice is kept with the stored version: closing again is deliberate and works.
    kept = response.context["close_form"].data
    assert (kept["outcome"], kept["note"]) == ("moved", "Flyttar")
    assert kept["version"] == str(Case.objects.get(pk=world.case.pk).version)
    assert client.post(f"/arenden/{world.case.public_id}/avslut/stang/", kept).status_code == 302
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.CLOSED


def test_other_org_gets_404_and_weak_roles_403(world, login):
    url = f"/arenden/{world.case.public_id}/avslut/"
    # Another district's coordinator (has CASE_DECIDE) is outside the team: 404.
    other = login(world.users["skarholmen"])
    assert other.get(url).status_code == 404
    assert _close(other, world.case).status_code == 404
    # A police caseworker on the team may look, but not close (no CASE_DECIDE): 403.
    police = login(world.users["police"])
    assert police.get(url).status_code == 200
    assert _close(police, world.case).status_code == 403
    # A lead-org caseworker lacks CASE_DECIDE: 403. An observer coordinator: 403.
    assert _close(login(world.users["jarva_cw"]), world.case).status_code == 403
    assert _close(login(world.users["jarva_observer"]), world.case).status_code == 403
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.ACTIVE


def test_closure_note_not_shown_to_other_org_without_consent(world, login):
    _close(login(world.lead), world.case, note="Hemlig avslutsanteckning")
    page = login(world.users["police"]).get(f"/arenden/{world.case.public_id}/avslut/")
    assert page.status_code == 200
    assert b"Hemlig avslutsanteckning" not in page.content
    assert PARTICIPANT_NAME_BYTES not in page.content
    lead_page = login(world.lead).get(f"/arenden/{world.case.public_id}/avslut/")
    assert b"Hemlig avslutsanteckning" in lead_page.content


PARTICIPANT_NAME_BYTES = b"Testdottersson"


def test_follow_up_recorded_by_lead_team_with_optimistic_locking(world, login):
    coordinator = login(world.lead)
    _close(coordinator, world.case)
    follow_up = FollowUp.objects.get(case=world.case, months_after=6)
    url = f"/arenden/{world.case.public_id}/avslut/uppfoljning/{follow_up.pk}/"
    data = {"status": "done", "recorded_on": timezone.localdate().isoformat(), "in_education_or_work": "yes",
            "housing_stable": "yes", "new_crime_known": "no", "network_contact": "unknown", "comment": "Bra",
            "version": follow_up.version}
    caseworker = login(world.users["jarva_cw"])
    assert caseworker.get(url).status_code == 200
    assert caseworker.post(url, data).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.in_education_or_work == "yes"
    assert follow_up.recorded_by == world.users["jarva_cw"]
    # The same stale form again: refused, nothing overwritten.
    data["comment"] = "Skriver över"
    response = caseworker.post(url, data)
    assert response.status_code == 409 and "Someone else saved this" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.comment == "Bra"
    kept = response.context["form"].data
    assert kept["comment"] == "Skriver över" and kept["version"] == str(follow_up.version)
    # Done needs every answer.
    twelve = FollowUp.objects.get(case=world.case, months_after=12)
    url12 = f"/arenden/{world.case.public_id}/avslut/uppfoljning/{twelve.pk}/"
    partial = {**data, "in_education_or_work": "", "version": twelve.version}
    assert caseworker.post(url12, partial).status_code == 200
    assert FollowUp.objects.get(pk=twelve.pk).status == FollowUpStatus.PLANNED
    assert AuditEvent.objects.filter(action="case.follow_up_recorded").count() == 1


def test_follow_up_denied_to_other_orgs_and_observers(world, login):
    _close(login(world.lead), world.case)
    follow_up = FollowUp.objects.get(case=world.case, months_after=6)
    url = f"/arenden/{world.case.public_id}/avslut/uppfoljning/{follow_up.pk}/"
    data = {"status": "not_reached", "recorded_on": timezone.localdate().isoformat(), "version": follow_up.version}
    assert login(world.users["skarholmen"]).post(url, data).status_code == 404
    # The police caseworker's organisation cannot see the lead org's follow-up: 404.
    assert login(world.users["police"]).post(url, data).status_code == 404
    assert login(world.users["jarva_observer"]).post(url, data).status_code == 403
    assert FollowUp.objects.get(pk=follow_up.pk).status == FollowUpStatus.PLANNED


def test_closed_case_is_read_only(world, login):
    _close(login(world.lead), world.case)
    case = Case.objects.get(pk=world.case.pk)
    with pytest.raises(Exception, match="closed"):
        services.require_case_open(case)
    # Closing twice is refused.
    access = world.access(world.lead)
    with pytest.raises(Exception, match="active"):
        services.case_close(actor=world.lead, case=case, access=access, outcome="moved")
    # Plans refuse changes on a closed case.
    from samverkan.plans.services import require_writable

    with pytest.raises(Exception, match="closed"):
        require_writable(case)


def test_legal_hold_set_and_clear_by_lead_decider(world, login):
    url = f"/arenden/{world.case.public_id}/avslut/rattslig-kvarhallning/"
    manager = login(world.users["jarva_manager"])
    assert manager.post(url, {"hold": "set", "reason": "kort"}).status_code == 400
    assert manager.post(url, {"hold": "set", "reason": "Begäran från förvaltningsrätten"}).status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.legal_hold and "förvaltningsrätten" in case.legal_hold_reason
    assert login(world.users["police"]).post(url, {"hold": "clear", "reason": "Vill ta bort den"}).status_code == 403
    assert login(world.users["skarholmen"]).post(url, {"hold": "clear", "reason": "Vill ta bort den"}).status_code == 404
    assert Case.objects.get(pk=world.case.pk).legal_hold
    assert manager.post(url, {"hold": "clear", "reason": "Målet är avgjort nu", "confirmed": "1"}).status_code == 302
    assert not Case.objects.get(pk=world.case.pk).legal_hold
    events = list(AuditEvent.objects.filter(action="case.legal_hold").order_by("seq"))
    assert [e.detail for e in events] == ['{"hold":true}', '{"hold":false}']
    assert all("rätten" not in e.detail and not e.purpose for e in events)


def test_closed_case_team_cannot_grow_but_members_can_be_removed(world, login):
    _close(login(world.lead), world.case)
    case = Case.objects.get(pk=world.case.pk)
    access = world.access(world.lead)
    from tests.factories import UserFactory

    newcomer = UserFactory(organisation=world.orgs["jarva"], roles=["caseworker"])
    with pytest.raises(Exception, match="closed"):
        services.team_add(actor=world.lead, case=case, access=access, user=newcomer, team_role="caseworker")
    member = case.team.get(user=world.users["police"], active=True)
    services.team_remove(actor=world.lead, case=case, access=access, member=member)
    assert not case.team.filter(user=world.users["police"], active=True).exists()

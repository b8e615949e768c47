"""The week as a PDF for the meeting: made for an area the person sees (404 otherwise),
with the counts, the grid, the list (capped, with a note) and the week's meeting record
when there is one; every PDF is audited as an export."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import WeekAction, WeekMeeting
from samverkan.picture.selectors import week_picture
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.selectors.week import WeekFilters
from tests.picture.world import add_report, build_local_world

pytestmark = pytest.mark.django_db

WEEK = "2026-W40"
MONDAY = date(2026, 9, 28)
TZ = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def world():
    return build_local_world()


def _at(day: int, hour: int) -> datetime:
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, 0), tzinfo=TZ)


def test_the_pdf_is_made_and_audited(world, login):
    add_report(world, "police_rinkeby", "husby", when=_at(1, 10))
    user = world["police_rinkeby"]
    response = login(user).get(reverse("picture:week_pdf", args=["husby", WEEK]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="vecka-2026-W40-husby.pdf"'
    event = AuditEvent.objects.filter(action="picture.week_exported").order_by("-seq").first()
    assert event is not None and event.actor_id == user.pk and event.subject_type == "area"
    detail = json.loads(event.detail)
    assert detail["kind"] == "week_pdf" and detail["week"] == WEEK and detail["reports"] == 1


def test_no_pdf_outside_the_scope(world, login):
    for persona in ("police_skarholmen", "housing_a"):
        assert login(world[persona]).get(reverse("picture:week_pdf", args=["husby", WEEK])).status_code == 404
    assert not AuditEvent.objects.filter(action="picture.week_exported").exists()


def test_the_export_holds_the_meeting_and_caps_the_list(world, monkeypatch):
    for hour in range(5):
        add_report(world, "police_rinkeby", "husby", when=_at(2, hour + 8))
    meeting = WeekMeeting.objects.create(area=world.areas["husby"], week_start=MONDAY, seen="Mer klotter vid torget.")
    earlier = WeekMeeting.objects.create(area=world.areas["husby"], week_start=MONDAY - timedelta(weeks=1))
    WeekAction.objects.create(meeting=meeting, text="Sanera klottret", organisation=world.orgs["housing"],
                              due_on=MONDAY + timedelta(days=10))
    WeekAction.objects.create(meeting=earlier, text="Laga belysningen", organisation=world.orgs["jarva"],
                              due_on=MONDAY, status="done", follow_up="Lagad.", followed_up_at=meeting)
    WeekAction.objects.create(meeting=earlier, text="Annat", organisation=world.orgs["jarva"], due_on=MONDAY)
    monkeypatch.setattr(week_picture, "PDF_LIST_MAX", 2)
    user = world["jarva_coord"]
    export = week_picture.week_export(actor=user, access=local_access_for(user), area=world.areas["husby"],
                                      monday=MONDAY, filters=WeekFilters(),
                                      categories=week_picture.all_categories())
    assert export.meeting == meeting
    assert [a.text for a in export.actions] == ["Sanera klottret"]
    assert [a.text for a in export.followed_up] == ["Laga belysningen"]
    assert export.list_capped and len(export.picture.reports.object_list) == 2
    assert export.picture.total == 5


def test_the_export_refuses_an_area_outside_the_scope(world):
    user = world["police_skarholmen"]
    with pytest.raises(ValueError):
        week_picture.week_export(actor=user, access=local_access_for(user), area=world.areas["husby"],
                                 monday=MONDAY, filters=WeekFilters(), categories=[])

"""Police presence: promised per area with the agreement's text (a draft), reported week
by week only by the police who see the area, one figure per week corrected with
optimistic locking, and shown as promised against reported in plain words."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samverkan.agreement.models import PresencePromise, PresenceReport
from samverkan.agreement.selectors.presence import last_weeks, presence_table
from samverkan.agreement.services import presence as services
from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.picture.models import week_start_of
from tests.agreement.agreement_world import add_presence, build_agreement_world, sign_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_agreement_world()


def _report_url(world, promise):
    return reverse("agreement:presence_report", args=[world.jarva.pk, promise.pk])


def test_the_presence_is_promised_with_the_draft(world, login):
    client = login(world["jarva_coord"])
    url = reverse("agreement:presence_new", args=[world.jarva.pk])
    response = client.post(url, {"area": world.local.areas["husby"].pk, "what": "Kvarterspoliser",
                                 "unit": "poliser", "per_week": "4"})
    assert response.status_code == 302
    promise = PresencePromise.objects.get(agreement=world.jarva)
    # An area outside the agreement is not offered, and the service refuses it.
    response = client.post(url, {"area": world.local.areas["bredang"].pk, "what": "X", "unit": "poliser",
                                 "per_week": "1"})
    assert response.status_code == 200 and PresencePromise.objects.filter(agreement=world.jarva).count() == 1
    assert login(world["jarva_staff"]).get(url).status_code == 403
    sign_directly(world, world.jarva)
    with pytest.raises(ValidationError):
        services.promise_add(actor=world["jarva_coord"], access=world.access("jarva_coord"), agreement=world.jarva,
                             area=world.local.areas["husby"], what="Fler", unit="poliser", per_week=Decimal(2))
    with pytest.raises(ValidationError):
        services.promise_remove(actor=world["jarva_coord"], access=world.access("jarva_coord"),
                                agreement=world.jarva, promise=promise)


@pytest.mark.parametrize("persona, status", [
    ("police_rinkeby", 302),  # the police of the area
    ("police_rinkeby_lead", 302),
    ("police_region", 302),  # the region polices every area through its local police areas
    ("jarva_coord", 403),  # manages the agreement, but is not the police
    ("city_coord", 403),
    ("police_skarholmen", 404),  # the agreement is outside their scope
    ("tax", 404),
    ("housing_a", 403),  # a reporter has no presence permission at all
])
def test_presence_is_reported_only_by_the_police_of_the_area(world, login, persona, status):
    sign_directly(world, world.jarva)
    promise = add_presence(world, world.jarva)
    response = login(world[persona]).post(_report_url(world, promise), {
        "week": timezone.localdate().isoformat(), "value": "3", "note": ""})
    assert response.status_code == status
    assert PresenceReport.objects.filter(promise=promise).exists() == (status == 302)


def test_one_figure_per_week_corrected_with_optimistic_locking(world, login):
    sign_directly(world, world.jarva)
    promise = add_presence(world, world.jarva)
    police = login(world["police_rinkeby"])
    lead = login(world["police_rinkeby_lead"])
    week = timezone.localdate() - timedelta(days=7)
    url = _report_url(world, promise)
    assert police.post(url, {"week": week.isoformat(), "value": "3"}).status_code == 302
    report = PresenceReport.objects.get(promise=promise)
    assert report.week_start == week_start_of(week) and report.value == Decimal(3)
    # Opening the week shows the saved figure and its version.
    page = lead.get(url + f"?week={week.isoformat()}").content.decode()
    assert f'name="version" value="{report.version}"' in page
    assert lead.post(url, {"week": week.isoformat(), "value": "4", "version": report.version}).status_code == 302
    # A second report of the same week made without having seen the first is a conflict, input kept.
    response = police.post(url, {"week": week.isoformat(), "value": "2", "note": "Min notering",
                                 "version": report.version})
    assert response.status_code == 409 and "Min notering" in response.content.decode()
    assert PresenceReport.objects.get(promise=promise).value == Decimal(4)
    assert PresenceReport.objects.filter(promise=promise).count() == 1
    assert AuditEvent.objects.filter(action=Action.AGREEMENT_PRESENCE_REPORTED, subject_id=str(world.jarva.pk)
                                     ).count() == 2


def test_reports_need_a_signed_agreement_and_a_week_that_has_started(world):
    promise = add_presence(world, world.jarva)
    access = world.access("police_rinkeby")
    with pytest.raises(ValidationError):  # still a draft
        services.report_save(actor=world["police_rinkeby"], access=access, agreement=world.jarva, promise=promise,
                             week_start=timezone.localdate(), value=Decimal(1), note="", expected_version=None)
    sign_directly(world, world.jarva)
    with pytest.raises(ValidationError):
        services.report_save(actor=world["police_rinkeby"], access=access, agreement=world.jarva, promise=promise,
                             week_start=timezone.localdate() + timedelta(days=14), value=Decimal(1), note="",
                             expected_version=None)
    with pytest.raises(PermissionDenied):
        services.report_save(actor=world["jarva_coord"], access=world.access("jarva_coord"), agreement=world.jarva,
                             promise=promise, week_start=timezone.localdate(), value=Decimal(1), note="",
                             expected_version=None)


def test_the_page_says_promised_against_reported_in_plain_words(world, login):
    sign_directly(world, world.jarva)
    promise = add_presence(world, world.jarva, per_week="4")
    weeks = last_weeks()
    PresenceReport.objects.create(promise=promise, week_start=weeks[-2], value=Decimal(3))
    PresenceReport.objects.create(promise=promise, week_start=weeks[-3], value=Decimal(4))
    PresenceReport.objects.create(promise=promise, week_start=weeks[0] - timedelta(weeks=1), value=Decimal(9))
    shown, rows = presence_table(agreement=world.jarva)
    assert shown == weeks and len(weeks) == 8
    assert [c.words for c in rows[0].cells][-3:] == ["reported 4 of 4 promised poliser",
                                                     "reported 3 of 4 promised poliser", "nothing reported"]
    assert rows[0].kept_weeks == 1 and rows[0].reported_weeks == 2  # the older week is outside the table
    page = login(world["jarva_staff"]).get(reverse("agreement:detail", args=[world.jarva.pk])).content.decode()
    assert "reported 3 of 4 promised poliser" in page and "Kept in 1 of 8 weeks" in page
    assert "4 poliser promised per week" in page
    assert "<meter" in page
    assert _report_url(world, promise) not in page  # staff do not report presence
    police_page = login(world["police_rinkeby"]).get(reverse("agreement:detail", args=[world.jarva.pk]))
    assert _report_url(world, promise) in police_page.content.decode()

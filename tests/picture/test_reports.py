"""Incident reporting (picture.views.reports, services.reports): who may report where,
who sees which report, withdrawing, the week counts and the recount command. Persona
tests with their negative cases."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import IncidentReport, Place, ReportStatus, WeekCount, week_start_of
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.services import reports as services
from tests.picture.reporting import form_data
from tests.picture.world import add_report, build_local_world

pytestmark = pytest.mark.django_db

REPORT = reverse("picture:report")
MINE = reverse("picture:my_reports")


@pytest.fixture
def world():
    return build_local_world()


def _count(world, area, category="graffiti", kind="housing"):
    row = WeekCount.objects.filter(area=world.areas[area], category=world.categories[category],
                                   source_kind=kind).first()
    return row.count if row else 0


def _detail(report):
    return reverse("picture:report_detail", args=[report.public_id])


# --- The form: who may report where ------------------------------------------------


def test_external_reporter_is_offered_only_their_registered_areas(world, login):
    response = login(world["housing_a"]).get(REPORT)
    assert response.status_code == 200
    offered = {a.code for a in response.context["form"].fields["area"].queryset}
    assert offered == {"rinkeby-tensta", "husby"}
    content = response.content.decode()
    assert world.areas["bredang"].name not in content
    assert world.categories["graffiti"].name_en in content  # the active catalogue, as radio buttons
    assert 'id="report-map-data"' in content and "<script>" not in content  # data, never inline script


def test_the_only_area_is_preselected(world, login):
    response = login(world["shop"]).get(REPORT)
    assert response.status_code == 200
    assert response.context["form"].single_area
    assert f'name="area" value="{world.areas["husby"].pk}"' in response.content.decode()


def test_a_retired_category_is_not_offered(world, login):
    retired = world.categories["vehicle"]
    retired.active = False
    retired.save()
    response = login(world["shop"]).get(REPORT)
    assert retired not in list(response.context["form"].fields["category"].queryset)
    data = form_data(world, "husby", "vehicle")
    response = login(world["shop"]).post(REPORT, data)
    assert response.status_code == 200 and not IncidentReport.objects.exists()


def test_a_reporter_saves_a_report_in_under_a_minute(world, login):
    client = login(world["housing_a"])
    data = form_data(world, "husby", lat="59.41234", lon="17.92601")
    response = client.post(REPORT, data)
    report = IncidentReport.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(report)
    assert report.organisation == world.orgs["housing"] and report.source_kind == "housing"
    assert report.reporter == world["housing_a"] and report.status == ReportStatus.ACTIVE
    assert (report.lat, report.lon) == (Decimal("59.41234"), Decimal("17.92601"))
    assert report.week_start == week_start_of(timezone.localtime(report.occurred_at))
    assert _count(world, "husby") == 1
    event = AuditEvent.objects.get(action="picture.report_created")
    assert event.subject_id == str(report.pk)
    assert "klotter" not in str(event.detail).lower()  # no free text in the audit trail
    detail = json.loads(event.detail)
    assert detail["area"] == "husby" and detail["category"] == "graffiti"


def test_without_a_point_or_a_place_the_report_is_at_the_areas_centre(world, login):
    login(world["shop"]).post(REPORT, form_data(world, "husby"))
    report = IncidentReport.objects.get()
    area = world.areas["husby"]
    assert (report.lat, report.lon) == (area.centre_lat, area.centre_lon) and report.place is None


def test_a_named_place_gives_the_point_and_must_be_of_the_area(world, login):
    square = Place.objects.create(area=world.areas["husby"], name="Husby torg", lat=Decimal("59.40950"),
                                  lon=Decimal("17.92700"))
    elsewhere = Place.objects.create(area=world.areas["rinkeby-tensta"], name="Rinkebystråket",
                                     lat="59.38800", lon="17.92800")
    client = login(world["housing_a"])
    response = client.post(REPORT, form_data(world, "rinkeby-tensta", place=square.pk))
    assert response.status_code == 200 and not IncidentReport.objects.exists()
    assert response.context["form"].has_error("place")
    client.post(REPORT, form_data(world, "husby", place=square.pk))
    report = IncidentReport.objects.get()
    assert report.place == square and (report.lat, report.lon) == (square.lat, square.lon)
    # The shop reports only in Husby: Rinkeby's places are not even offered.
    form = login(world["shop"]).get(REPORT).context["form"]
    offered = {value for value, _label in form.fields["place"].choices if value}
    assert offered == {square.pk} and elsewhere.pk not in offered


def test_a_point_far_from_the_area_is_refused(world, login):
    response = login(world["shop"]).post(REPORT, form_data(world, "husby", lat="59.20000", lon="18.20000"))
    assert response.status_code == 200 and response.context["form"].has_error("place", "point_outside")
    assert not IncidentReport.objects.exists()


def test_a_forged_area_is_refused(world, login):
    """Bredäng is not offered to the housing company; posting it anyway saves nothing,
    and the service refuses it even when called directly."""
    response = login(world["housing_a"]).post(REPORT, form_data(world, "bredang"))
    assert response.status_code == 200 and response.context["form"].has_error("area")
    assert not IncidentReport.objects.exists()
    user = world["housing_a"]
    data = services.ReportInput(area=world.areas["bredang"], category=world.categories["graffiti"],
                                occurred_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.report_create(actor=user, access=local_access_for(user), data=data)
    assert not IncidentReport.objects.exists() and not WeekCount.objects.exists()


@pytest.mark.parametrize("persona", ["tax", "admin"])
def test_who_reports_nowhere_gets_403(world, login, persona):
    assert login(world[persona]).get(REPORT).status_code == 403


@pytest.mark.parametrize("persona, area", [("jarva_staff", "husby"), ("police_skarholmen", "bredang"),
                                           ("city_coord", "varberg")])
def test_staff_and_police_report_in_the_areas_they_see(world, login, persona, area):
    response = login(world[persona]).post(REPORT, form_data(world, area))
    assert response.status_code == 302
    report = IncidentReport.objects.get()
    assert report.area == world.areas[area] and report.source_kind == world[persona].organisation.kind


def test_police_of_another_area_cannot_report_there(world, login):
    response = login(world["police_skarholmen"]).post(REPORT, form_data(world, "husby"))
    assert response.status_code == 200 and not IncidentReport.objects.exists()


@pytest.mark.parametrize("shift, code", [(timedelta(hours=1), "future"), (-timedelta(days=31), "too_old")])
def test_the_time_is_now_or_the_last_30_days_and_the_input_is_kept(world, login, shift, code):
    when = timezone.now() + shift
    data = form_data(world, "husby", when=when, text="Trasig lampa vid gångtunneln.")
    response = login(world["shop"]).post(REPORT, data)
    assert response.status_code == 200 and not IncidentReport.objects.exists()
    form = response.context["form"]
    assert form.has_error("when_time", code)
    assert "Trasig lampa vid gångtunneln." in response.content.decode()


def test_a_time_a_few_minutes_ahead_is_accepted(world, login):
    """A phone's clock may run a little ahead."""
    user = world["shop"]
    data = services.ReportInput(area=world.areas["husby"], category=world.categories["graffiti"],
                                occurred_at=timezone.now() + timedelta(minutes=3))
    services.report_create(actor=user, access=local_access_for(user), data=data)
    assert IncidentReport.objects.count() == 1


# --- Who sees which report ---------------------------------------------------------


def test_external_reporters_see_only_their_own_reports(world, login):
    mine = add_report(world, "housing_a", "husby")
    colleague = add_report(world, "housing_b", "husby")
    client = login(world["housing_a"])
    response = client.get(MINE)
    assert list(response.context["page"].object_list) == [mine]
    assert client.get(_detail(mine)).status_code == 200
    assert client.get(_detail(colleague)).status_code == 404
    assert client.get(reverse("picture:report_withdraw", args=[colleague.public_id])).status_code == 404


@pytest.mark.parametrize("persona, status", [
    ("jarva_staff", 200), ("jarva_coord", 200), ("police_rinkeby", 200), ("police_region", 200),
    ("city_coord", 200), ("police_skarholmen", 404), ("skarholmen_coord", 404), ("tax", 404),
    ("association", 404), ("shop", 404),
])
def test_a_report_is_seen_by_the_reporter_and_those_whose_scope_has_the_area(world, login, persona, status):
    report = add_report(world, "housing_a", "husby")
    assert login(world[persona]).get(_detail(report)).status_code == status


def test_admin_without_picture_permissions_gets_403(world, login):
    report = add_report(world, "housing_a", "husby")
    assert login(world["admin"]).get(_detail(report)).status_code == 403


def test_reading_a_report_is_audited(world, login):
    report = add_report(world, "housing_a", "husby")
    login(world["police_rinkeby"]).get(_detail(report))
    event = AuditEvent.objects.get(action="picture.report_viewed")
    assert event.actor_id == world["police_rinkeby"].pk and event.subject_id == str(report.pk)
    assert json.loads(event.detail) == {"area": report.area_id, "own": False}


def test_my_reports_newest_first_and_paginated(world, login):
    for _ in range(23):
        add_report(world, "shop", "husby")
    client = login(world["shop"])
    first = client.get(MINE)
    assert len(first.context["page"].object_list) == 20 and first.context["page"].has_next()
    ids = [r.pk for r in first.context["page"].object_list]
    assert ids == sorted(ids, reverse=True)
    assert len(client.get(MINE + "?page=2").context["page"].object_list) == 3


def test_my_reports_queries_do_not_grow_with_others_reports(world, login, django_assert_max_num_queries):
    for _ in range(3):
        add_report(world, "shop", "husby")
    client = login(world["shop"])
    client.get(MINE)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    for _ in range(15):
        add_report(world, "housing_a", "husby")
        add_report(world, "shop", "husby")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(MINE)
    assert len(response.context["page"].object_list) == 18


# --- Withdrawing and the week counts -------------------------------------------------


def test_the_reporter_withdraws_their_report_after_confirming(world, login):
    client = login(world["housing_a"])
    client.post(REPORT, form_data(world, "husby"))
    report = IncidentReport.objects.get()
    assert _count(world, "husby") == 1
    url = reverse("picture:report_withdraw", args=[report.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Yes, withdraw the report" in page.content.decode()
    assert IncidentReport.objects.get().status == ReportStatus.ACTIVE  # the GET changes nothing
    response = client.post(url, {"version": report.version})
    assert response.status_code == 302 and response["Location"] == MINE
    report.refresh_from_db()
    assert report.status == ReportStatus.WITHDRAWN
    assert _count(world, "husby") == 0
    assert AuditEvent.objects.filter(action="picture.report_withdrawn", subject_id=str(report.pk)).exists()
    # Withdrawing twice changes nothing and says so.
    again = client.post(url, {"version": report.version})
    assert again.status_code == 200 and "already withdrawn" in again.content.decode()
    assert _count(world, "husby") == 0


def test_a_stale_withdrawal_writes_nothing(world, login):
    report = add_report(world, "shop", "husby")
    response = login(world["shop"]).post(reverse("picture:report_withdraw", args=[report.public_id]),
                                        {"version": report.version + 1})
    assert response.status_code == 409
    assert IncidentReport.objects.get().status == ReportStatus.ACTIVE


def test_only_the_reporter_may_withdraw(world, login):
    report = add_report(world, "housing_a", "husby")
    url = reverse("picture:report_withdraw", args=[report.public_id])
    assert login(world["police_rinkeby"]).post(url, {"version": 1}).status_code == 403
    assert login(world["housing_b"]).post(url, {"version": 1}).status_code == 404
    assert IncidentReport.objects.get().status == ReportStatus.ACTIVE


def test_week_counts_follow_create_and_withdraw_per_key(world):
    user = world["housing_a"]
    access = local_access_for(user)

    def report(area, category, when=None):
        data = services.ReportInput(area=world.areas[area], category=world.categories[category],
                                    occurred_at=when or timezone.now() - timedelta(minutes=5))
        return services.report_create(actor=user, access=access, data=data)

    first = report("husby", "graffiti")
    report("husby", "graffiti")
    report("husby", "littering")
    report("rinkeby-tensta", "graffiti")
    last_week = report("husby", "graffiti", timezone.now() - timedelta(days=8))
    assert _count(world, "husby") == 2 and _count(world, "husby", "littering") == 1
    assert _count(world, "rinkeby-tensta") == 1
    assert WeekCount.objects.get(area=world.areas["husby"], week_start=last_week.week_start,
                                 category=world.categories["graffiti"]).count == 1
    services.report_withdraw(actor=user, access=access, report=first, expected_version=first.version)
    assert _count(world, "husby") == 1
    assert WeekCount.objects.filter(count__lt=0).count() == 0


def test_a_count_row_made_meanwhile_is_incremented_not_duplicated(world):
    """As when another transaction inserted the week's row first: the report service
    finds it (the unique key) and adds one in the database (F() + 1), never writing a
    number it read."""
    user = world["shop"]
    week = week_start_of(timezone.localtime())
    WeekCount.objects.create(area=world.areas["husby"], week_start=week, category=world.categories["graffiti"],
                             source_kind="business", count=7)
    data = services.ReportInput(area=world.areas["husby"], category=world.categories["graffiti"],
                                occurred_at=timezone.now() - timedelta(minutes=1))
    report = services.report_create(actor=user, access=local_access_for(user), data=data)
    assert report.week_start == week
    rows = WeekCount.objects.filter(area=world.areas["husby"], week_start=week, source_kind="business")
    assert [r.count for r in rows] == [8]


def test_a_withdrawal_never_takes_a_count_below_zero(world):
    report = add_report(world, "shop", "husby")
    WeekCount.objects.all().update(count=0)  # (counts damaged by hand)
    user = world["shop"]
    services.report_withdraw(actor=user, access=local_access_for(user), report=report,
                             expected_version=report.version)
    assert list(WeekCount.objects.values_list("count", flat=True)) == [0]


# --- picture_recount ------------------------------------------------------------------


def test_recount_rebuilds_the_week_counts_from_the_active_reports(world):
    add_report(world, "shop", "husby")
    add_report(world, "shop", "husby")
    add_report(world, "housing_a", "rinkeby-tensta", "littering")
    gone = add_report(world, "housing_a", "husby")
    IncidentReport.objects.filter(pk=gone.pk).update(status=ReportStatus.WITHDRAWN)
    WeekCount.objects.all().update(count=99)
    WeekCount.objects.create(area=world.areas["bredang"], week_start=week_start_of(timezone.localtime()),
                             category=world.categories["fire"], source_kind="ngo", count=5)
    call_command("picture_recount")
    counts = {(r.area.code, r.category.code, r.source_kind): r.count for r in WeekCount.objects.all()}
    assert counts == {("husby", "graffiti", "business"): 2, ("rinkeby-tensta", "littering", "housing"): 1}
    assert AuditEvent.objects.filter(action="picture.recounted").exists()


def test_recount_of_one_area_leaves_the_others(world):
    add_report(world, "shop", "husby")
    add_report(world, "housing_a", "rinkeby-tensta")
    WeekCount.objects.all().update(count=42)
    call_command("picture_recount", "--area", "husby")
    assert _count(world, "husby", kind="business") == 1
    assert _count(world, "rinkeby-tensta") == 42
    with pytest.raises(CommandError):
        call_command("picture_recount", "--area", "no-such-area")


# --- Where reporters land ---------------------------------------------------------------


def test_external_reporters_land_on_the_report_form_unless_something_urgent_waits(world, login):
    from django_otp.plugins.otp_static.models import StaticDevice

    user = world["housing_a"]
    client = login(user)
    # Without recovery codes the home page has an urgent task: it is shown first.
    assert client.get(reverse("frontend:home")).status_code == 200
    device = StaticDevice.objects.create(user=user, name="recovery")
    for n in range(5):
        device.token_set.create(token=f"code{n}")
    response = client.get(reverse("frontend:home"))
    assert response.status_code == 302 and response["Location"] == REPORT


def test_staff_see_the_way_to_report_on_their_home_page_and_outsiders_do_not(world, login):
    staff = login(world["jarva_staff"]).get(reverse("frontend:home"))
    assert staff.status_code == 200 and REPORT in staff.content.decode()
    outsider = login(world["tax"]).get(reverse("frontend:home"))
    assert outsider.status_code == 200 and REPORT not in outsider.content.decode()


# --- The map ----------------------------------------------------------------------------


def test_the_map_has_no_background_tiles_unless_configured(world, login, settings):
    client = login(world["shop"])
    response = client.get(REPORT)
    assert response.context["map_data"]["tileUrl"] == ""
    assert "'self' data:" in response["Content-Security-Policy"]  # img-src: no other server
    assert "vendor/leaflet/leaflet.js" in response.content.decode()
    settings.PICTURE_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    response = client.get(REPORT)
    assert response.context["map_data"]["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    husby = world.areas["husby"]
    assert response.context["map_data"]["areas"][str(husby.pk)]["centre"] == [float(husby.centre_lat),
                                                                              float(husby.centre_lon)]


def test_the_tile_server_is_the_only_other_origin_the_csp_allows_when_set(monkeypatch):
    """settings.base reads PICTURE_TILE_URL once: import it afresh with the variable set."""
    import importlib
    import sys

    import samverkan.settings.base as base

    monkeypatch.setenv("PICTURE_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    try:
        fresh = importlib.reload(base)
        assert fresh.PICTURE_TILE_URL == "https://tiles.example.org/{z}/{x}/{y}.png"
        assert "https://tiles.example.org" in fresh.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
        monkeypatch.setenv("PICTURE_TILE_URL", "")
        fresh = importlib.reload(base)
        assert fresh.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] == ["'self'", "data:"]
    finally:
        monkeypatch.delenv("PICTURE_TILE_URL", raising=False)
        importlib.reload(sys.modules["samverkan.settings.base"])


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_one_week_are_all_counted(transactional_db):
    """Reporters submitting at the same moment, for the same area, week, category and
    source: each adds one (get_or_create on the unique key, then count + 1 in the
    database). Needs real concurrent transactions: PostgreSQL only."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises writers)")
    world = build_local_world(["housing_a", "housing_b"])
    users = [world["housing_a"], world["housing_b"]] * 4
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def submit(user):
        try:
            access = local_access_for(user)
            data = services.ReportInput(area=world.areas["husby"], category=world.categories["graffiti"],
                                        occurred_at=timezone.now() - timedelta(minutes=2))
            barrier.wait()
            services.report_create(actor=user, access=access, data=data)
        except BaseException as exc:  # (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert IncidentReport.objects.count() == len(users)
    assert list(WeekCount.objects.values_list("count", flat=True)) == [len(users)]

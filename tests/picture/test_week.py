"""The weekly joint picture: who sees which week page (scope, 404 outside it), ISO weeks
in URLs, counts against the previous 4 and 52 weeks from WeekCount with the plain-words
"what changed", the grid, the filters, the list, the audit of a read and a constant
number of queries whatever the number of reports."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import WeekCount
from samverkan.picture.selectors.week import parse_week, same_week_last_year, week_code
from samverkan.picture.selectors.week_compare import Grid, compare, what_changed
from tests.picture.world import add_report, build_local_world

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Stockholm")
WEEK = "2026-W40"
MONDAY = date(2026, 9, 28)


@pytest.fixture
def world():
    return build_local_world()


def _at(day: int, hour: int) -> datetime:
    """A moment in WEEK: ``day`` 0 = Monday, local time."""
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, 15), tzinfo=TZ)


def _week_url(area: str = "husby", week: str = WEEK) -> str:
    return reverse("picture:area_week", args=[area, week])


def _district_url(district: str = "jarva", week: str = WEEK) -> str:
    return reverse("picture:district_week", args=[district, week])


def _counts(world, area: str, category: str, by_week: dict[date, int], source: str = "police_area") -> None:
    for monday, n in by_week.items():
        WeekCount.objects.create(area=world.areas[area], week_start=monday, category=world.categories[category],
                                 source_kind=source, count=n)


# --- ISO weeks ----------------------------------------------------------------------------


def test_iso_weeks_are_parsed_strictly():
    assert parse_week("2026-W49") == date(2026, 11, 30)
    assert parse_week("2026-W01") == date(2025, 12, 29)  # ISO: week 1 starts in December
    assert parse_week("2026-W53") == date(2026, 12, 28)  # 2026 has 53 ISO weeks
    assert week_code(date(2025, 12, 29)) == "2026-W01"
    assert same_week_last_year(date(2026, 12, 28)) == date(2026, 12, 28) - timedelta(weeks=52)
    assert same_week_last_year(MONDAY) == date(2025, 9, 29)
    from django.http import Http404

    for bad in ("2025-W53", "2026-W00", "2026-W54", "2026W49", "2026-49", "26-W01", "", "2026-W4"):
        with pytest.raises(Http404):
            parse_week(bad)


def test_a_bad_week_in_the_url_is_404(world, login):
    client = login(world["police_rinkeby"])
    assert client.get(_week_url(week="2025-W53")).status_code == 404
    assert client.get(_week_url(week="vecka-49")).status_code == 404
    assert client.get(_district_url(week="2026-W99")).status_code == 404


# --- scope ----------------------------------------------------------------------------------


def test_the_police_of_rinkeby_see_husby_and_skarholmens_police_get_404(world, login):
    add_report(world, "housing_a", "husby", when=_at(1, 20))
    assert login(world["police_rinkeby"]).get(_week_url()).status_code == 200
    assert login(world["police_skarholmen"]).get(_week_url()).status_code == 404
    assert login(world["police_skarholmen"]).get(_week_url("bredang")).status_code == 200
    assert login(world["police_region"]).get(_week_url()).status_code == 200
    assert login(world["jarva_staff"]).get(_week_url()).status_code == 200
    assert login(world["skarholmen_coord"]).get(_week_url()).status_code == 404


def test_an_unknown_area_is_the_same_404_as_one_out_of_scope(world, login):
    client = login(world["police_skarholmen"])
    assert client.get(_week_url("no-such-area")).status_code == 404
    assert client.get(reverse("picture:area", args=["no-such-area"])).status_code == 404


@pytest.mark.parametrize("persona", ["housing_a", "shop", "association"])
def test_external_reporters_get_404_on_every_week_page(world, login, persona):
    add_report(world, persona, "husby" if persona != "association" else "bredang", when=_at(0, 10))
    client = login(world[persona])
    for url in (_week_url(), _week_url("bredang"), _district_url(), _district_url("skarholmen"),
                reverse("picture:week_pdf", args=["husby", WEEK]), reverse("picture:area", args=["husby"])):
        assert client.get(url).status_code == 404, url
    # The overview opens (for the report button) but lists no area.
    response = client.get(reverse("picture:index"))
    assert response.status_code == 200
    assert not response.context["districts"]


def test_an_agency_without_areas_gets_404(world, login):
    client = login(world["tax"])
    assert client.get(_week_url()).status_code in (403, 404)
    assert client.get(_district_url()).status_code in (403, 404)


def test_the_district_page_only_for_districts_seen(world, login):
    add_report(world, "police_rinkeby", "husby", when=_at(2, 9))
    add_report(world, "police_rinkeby", "rinkeby-tensta", "littering", when=_at(3, 9))
    response = login(world["jarva_staff"]).get(_district_url())
    assert response.status_code == 200
    assert {a.code for a in response.context["picture"].areas} == {"husby", "rinkeby-tensta"}
    assert response.context["picture"].total == 2
    assert login(world["police_skarholmen"]).get(_district_url()).status_code == 404
    assert login(world["police_region"]).get(_district_url("skarholmen")).status_code == 200
    assert login(world["jarva_staff"]).get(_district_url("no-such-district")).status_code == 404


def test_the_overview_lists_the_areas_seen_with_this_weeks_count(world, login):
    add_report(world, "police_rinkeby", "husby")  # an hour ago: this week
    add_report(world, "police_rinkeby", "husby")
    response = login(world["police_rinkeby"]).get(reverse("picture:index"))
    assert response.status_code == 200
    rows = {row.area.code: row.this_week for d in response.context["districts"] for row in d.areas}
    assert rows == {"husby": 2, "rinkeby-tensta": 0}
    assert reverse("picture:area_week", args=["husby", response.context["week"]]) in response.content.decode()


def test_the_area_page_redirects_to_the_current_week(world, login):
    response = login(world["police_rinkeby"]).get(reverse("picture:area", args=["husby"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/trygghet/omrade/husby/vecka/")
    assert parse_week(response["Location"].rstrip("/").rsplit("/", 1)[1])


# --- counts against 4 and 52 weeks -------------------------------------------------------------


def test_counts_against_the_previous_4_and_52_weeks_come_from_week_counts(world, login):
    previous = {MONDAY - timedelta(weeks=k): 7 for k in range(1, 5)}
    _counts(world, "husby", "graffiti", {MONDAY: 14, **previous,
                                         MONDAY - timedelta(weeks=30): 30, date(2025, 9, 29): 9})
    _counts(world, "husby", "graffiti", {MONDAY - timedelta(weeks=53): 500})  # outside the year: not counted
    _counts(world, "rinkeby-tensta", "graffiti", {MONDAY: 100})  # another area
    response = login(world["police_rinkeby"]).get(_week_url())
    picture = response.context["picture"]
    [graffiti] = [c for c in picture.counts if c.category.code == "graffiti"]
    assert graffiti.this_week == 14
    assert graffiti.recent_average == 7
    assert graffiti.year_average == pytest.approx((4 * 7 + 30 + 9) / 52)
    assert graffiti.last_year == 9
    assert graffiti.change.startswith("Graffiti: 14 this week, about twice the usual 7.") or \
        graffiti.change.startswith("Klotter: 14 den här veckan")
    # No report rows exist at all: the comparison never counts IncidentReport rows.
    assert picture.total == 0


def test_what_changed_in_plain_words():
    with translation.override("en"):
        assert what_changed("Graffiti", 14, 7, 5) == \
            "Graffiti: 14 this week, about twice the usual 7. Over the past year: 5 a week."
        assert what_changed("Graffiti", 21, 7, 5).startswith("Graffiti: 21 this week, about three times the usual 7.")
        assert what_changed("Fire", 40, 5, 5).startswith("Fire: 40 this week, about 8 times the usual 5.")
        assert what_changed("Littering", 13, 9, 9).startswith("Littering: 13 this week, clearly more than the usual 9.")
        assert what_changed("Littering", 5, 10, 9).startswith("Littering: 5 this week, about half the usual 10.")
        assert what_changed("Littering", 2, 10, 9).startswith("Littering: 2 this week, clearly fewer than the usual 10.")
        assert what_changed("Fire", 4, 0, 0.5).startswith("Fire: 4 this week, none in the previous four weeks.")
        assert what_changed("Fire", 4, 0, 0) == "Fire: 4 this week, none in the previous four weeks. None in the year before."
        assert what_changed("Fire", 0, 3.5, 2).startswith("Fire: none this week, usually about 3.5.")
        assert what_changed("Fire", 9, 7.5, 8) == ""  # within the noise
        assert what_changed("Fire", 2, 0, 0) == ""
    with translation.override("sv"):
        assert "0,5" in what_changed("Brand", 4, 0.5, 0.5) or "0.5" in what_changed("Brand", 4, 0.5, 0.5)


def test_compare_leaves_out_categories_with_nothing_in_the_year():
    class Cat:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

    rows = [(1, MONDAY, 3), (1, MONDAY, 2), (2, MONDAY - timedelta(weeks=2), 8)]
    result = compare(rows, [Cat(1, "A"), Cat(2, "B"), Cat(3, "C")], MONDAY, date(2025, 9, 29))
    assert [(c.category.name, c.this_week, c.recent_average) for c in result] == [("A", 5, 0), ("B", 0, 2)]


def test_the_counts_follow_the_category_and_source_filters(world, login):
    _counts(world, "husby", "graffiti", {MONDAY: 5}, source="police_area")
    _counts(world, "husby", "graffiti", {MONDAY: 3}, source="housing")
    _counts(world, "husby", "littering", {MONDAY: 4}, source="housing")
    client = login(world["police_rinkeby"])
    counts = {c.category.code: c.this_week for c in client.get(_week_url()).context["picture"].counts}
    assert counts == {"graffiti": 8, "littering": 4}
    counts = {c.category.code: c.this_week
              for c in client.get(_week_url(), {"source": "housing"}).context["picture"].counts}
    assert counts == {"graffiti": 3, "littering": 4}
    counts = {c.category.code: c.this_week
              for c in client.get(_week_url(), {"category": "graffiti"}).context["picture"].counts}
    assert counts == {"graffiti": 8}


# --- filters, grid, list, map ------------------------------------------------------------------


def test_filters_apply_to_map_grid_and_list(world, login):
    add_report(world, "housing_a", "husby", "graffiti", when=_at(0, 2))  # Monday night
    add_report(world, "housing_a", "husby", "littering", when=_at(2, 14))  # Wednesday afternoon
    add_report(world, "police_rinkeby", "husby", "graffiti", when=_at(5, 20))  # Saturday evening
    add_report(world, "police_rinkeby", "husby", "graffiti", when=_at(7, 20))  # next week: never shown
    client = login(world["police_rinkeby"])

    def shown(**params):
        picture = client.get(_week_url(), params).context["picture"]
        listed = [r.pk for r in picture.reports.object_list]
        assert len(picture.points) == len(listed) == sum(c.count for c in picture.cells) == picture.total
        return picture.total

    assert shown() == 3
    assert shown(category="graffiti") == 2
    assert shown(source="housing") == 2
    assert shown(source="housing", category="graffiti") == 1
    assert shown(time="night") == 1
    assert shown(time="afternoon") == 1
    assert shown(time="evening") == 1
    assert shown(day="6") == 1
    assert shown(day="6", time="night") == 0
    # An unknown value: the form says so and nothing is filtered.
    response = client.get(_week_url(), {"category": "no-such", "time": "dawn"})
    assert response.context["form"].errors and response.context["picture"].total == 3


def test_the_list_is_newest_first_and_paginated(world, login, settings):
    for day in range(7):
        add_report(world, "police_rinkeby", "husby", when=_at(day, 12), text=f"Händelse dag {day}")
    from samverkan.picture.selectors import week_picture

    original = week_picture.LIST_PAGE_SIZE
    week_picture.LIST_PAGE_SIZE = 3
    try:
        week_picture.build_week_picture.__kwdefaults__["page_size"] = 3
        client = login(world["police_rinkeby"])
        page1 = client.get(_week_url()).context["picture"].reports
        page3 = client.get(_week_url(), {"page": "3"}).context["picture"].reports
    finally:
        week_picture.LIST_PAGE_SIZE = original
        week_picture.build_week_picture.__kwdefaults__["page_size"] = original
    assert [r.text for r in page1.object_list] == ["Händelse dag 6", "Händelse dag 5", "Händelse dag 4"]
    assert page1.paginator.num_pages == 3
    assert [r.text for r in page3.object_list] == ["Händelse dag 0"]


def test_the_grid_counts_per_250_metre_square_with_labels(world, login):
    husby = world.areas["husby"]
    for _ in range(3):
        add_report(world, "police_rinkeby", "husby", when=_at(1, 10))  # at the centre
    report = add_report(world, "police_rinkeby", "husby", when=_at(1, 11))
    grid = Grid(float(husby.centre_lat), float(husby.centre_lon), "Husby")
    type(report).objects.filter(pk=report.pk).update(lat=round(float(husby.centre_lat) + 2 * grid.dlat, 5),
                                                      lon=round(float(husby.centre_lon) - grid.dlon, 5))
    with translation.override("en"):
        cells = login(world["police_rinkeby"]).get(_week_url(), HTTP_ACCEPT_LANGUAGE="en").context["picture"].cells
    assert [(c.count) for c in cells] == [3, 1]
    labels = [c.label for c in cells]
    assert labels[1] in ("500 m north and 250 m west of the centre of Husby", "500 m norr och 250 m väster om Husbys centrum") \
        or "500" in labels[1]
    south, west, north, east = cells[0].bounds
    assert south < float(husby.centre_lat) < north and west < float(husby.centre_lon) < east


def test_grid_labels_in_words():
    with translation.override("en"):
        grid = Grid(59.41, 17.926, "Husby")
        assert grid.label(0, 0) == "At the centre of Husby"
        assert grid.label(2, -1) == "500 m north and 250 m west of the centre of Husby"
        assert grid.label(-1, 0) == "250 m south of the centre of Husby"
        assert grid.label(0, 3) == "750 m east of the centre of Husby"
        assert Grid(59.41, 17.926, "").label(0, 0).startswith("Around 59.41")


def test_the_page_has_the_map_data_and_the_table_alternative(world, login):
    add_report(world, "police_rinkeby", "husby", "graffiti", when=_at(1, 10), text="<script>alert(1)</script>")
    response = login(world["police_rinkeby"]).get(_week_url())
    html = response.content.decode()
    assert '<script id="week-map-data" type="application/json">' in html
    data = json.loads(html.split('<script id="week-map-data" type="application/json">')[1].split("</script>")[0])
    assert data["points"] and data["points"][0][2] == "graffiti"
    assert data["tiles"] == "" and data["cells"][0][4] == 1
    assert "<script>alert(1)</script>" not in html  # the text is escaped
    assert 'id="grid-caption"' in html and 'id="list-caption"' in html and 'href="#grid-heading"' in html
    assert "picture/week-map.js" in html and "<script>" not in html.split("</head>")[1]


def test_the_map_points_are_capped_and_the_page_says_so(world, login, monkeypatch):
    from samverkan.picture.selectors import week_picture

    monkeypatch.setattr(week_picture, "MAP_POINTS_MAX", 2)
    for hour in range(4):
        add_report(world, "police_rinkeby", "husby", when=_at(1, hour + 8))
    response = login(world["police_rinkeby"]).get(_week_url())
    picture = response.context["picture"]
    assert len(picture.points) == 2 and picture.points_capped and picture.total == 4
    assert sum(c.count for c in picture.cells) == 4


def test_reading_the_week_is_audited_without_personal_data(world, login):
    add_report(world, "police_rinkeby", "husby", when=_at(1, 10))
    user = world["police_rinkeby"]
    login(user).get(_week_url(), {"category": "graffiti"})
    event = AuditEvent.objects.filter(action="picture.week_viewed").order_by("-seq").first()
    assert event.actor_id == user.pk and event.subject_type == "area"
    assert event.subject_id == str(world.areas["husby"].pk)
    detail = json.loads(event.detail)
    assert detail["week"] == WEEK and detail["reports"] == 1 and detail["filtered"] is True
    login(user).get(_district_url())
    assert AuditEvent.objects.filter(action="picture.week_viewed", subject_type="district").count() == 1


# --- a constant number of queries --------------------------------------------------------------


def _add_many(world, n: int, source: str) -> None:
    whos = ("police_rinkeby", "housing_a", "shop")
    cats = ("graffiti", "littering", "fire", "vandalism")
    for i in range(n):
        area = "husby" if i % 3 else "rinkeby-tensta"
        add_report(world, whos[i % 3] if area == "husby" else "police_rinkeby", area, cats[i % 4],
                   when=_at(i % 7, i % 24))
    for k in range(1, 53):
        _counts(world, "husby", "graffiti", {MONDAY - timedelta(weeks=k): k % 9 + n}, source=source)


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_week_pages_do_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    client = login(world["police_rinkeby"])
    _add_many(world, 3, "ngo")
    small = {url: _queries(client, url) for url in (_week_url(), _district_url())}
    _add_many(world, 120, "business")
    large = {url: _queries(client, url) for url in (_week_url(), _district_url())}
    assert small == large
    for url, n in large.items():
        with django_assert_max_num_queries(n):
            client.get(url, {"source": "housing", "time": "evening"})
        with django_assert_max_num_queries(25):
            client.get(url)


def test_list_rows_link_to_the_report_page_and_escape_the_text(world, login):
    report = add_report(world, "police_rinkeby", "husby", when=_at(1, 10), text="<b>Ruta</b> krossad")
    body = login(world["police_rinkeby"]).get(_week_url()).content.decode()
    assert f'href="/trygghet/rapporter/{report.public_id}/"' in body
    assert "&lt;b&gt;Ruta&lt;/b&gt; krossad" in body and "<b>Ruta</b>" not in body


def test_background_tiles_only_from_the_setting(world, login, settings):
    add_report(world, "police_rinkeby", "husby", when=_at(1, 10))
    client = login(world["police_rinkeby"])
    settings.PICTURE_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.PICTURE_TILE_ATTRIBUTION = "Kartdata (exempel)"
    data = client.get(_week_url()).context["map_data"]
    assert data["tiles"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert data["attribution"] == "Kartdata (exempel)"
    settings.PICTURE_TILE_URL = ""
    assert client.get(_week_url()).context["map_data"]["tiles"] == ""


@pytest.mark.parametrize(("value", "img_src", "ok"), [
    ("", ["'self'", "data:"], True),
    ("https://tiles.example.org/{z}/{x}/{y}.png", ["'self'", "data:", "https://tiles.example.org"], True),
    ("ftp://tiles.example.org/{z}/{x}/{y}.png", None, False),
])
def test_the_tile_server_is_the_one_other_image_origin(tmp_path, value, img_src, ok):
    """PICTURE_TILE_URL (environment) adds its origin, and only that, to the CSP's
    img-src; a URL that is not http(s) stops the settings from loading."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PICTURE_", "PUBLIC_MAP"))}
    env.update({"DJANGO_SETTINGS_MODULE": "samverkan.settings.test", "PICTURE_TILE_URL": value,
                "SAMVERKAN_HOME": str(tmp_path)})
    script = ("import django, json; django.setup(); from django.conf import settings; "
              "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    if ok:
        assert result.returncode == 0, result.stderr[-2000:]
        assert json.loads(result.stdout.strip().splitlines()[-1]) == img_src
    else:
        assert result.returncode != 0 and "PICTURE_TILE_URL" in (result.stderr + result.stdout)

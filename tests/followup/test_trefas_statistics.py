"""A Trefas forum's follow-up statistics: members and managers of member organisations
see counts (small numbers hidden, linked cells protected), everyone else gets 404 (a
system administrator too); charts with tables; CSV for Swedish Excel and XLSX; audited."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.followup.suppression import HIDDEN_LABEL, SMALL_LABEL
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ForumMember,
    Incident,
    IncidentKind,
    Rating,
    RatingChange,
)
from tests.conftest import fast_login
from tests.factories import UserFactory
from tests.trefas.world import list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = trefas_world()
    w.users["soc_manager"] = UserFactory(organisation=w.orgs["soc"], roles=["manager"])
    w.users["sk_manager"] = UserFactory(organisation=w.orgs["skarholmen"], roles=["manager"])
    w.users["admin"] = UserFactory(organisation=w.orgs["city"], roles=["system_admin"])
    # Seven people on the list, three of them red, one red person changed from yellow this month.
    for i in range(7):
        list_person(w, by="police", rating=Rating.RED if i < 3 else Rating.YELLOW, first_name=f"Statperson{i}")
    changed = w.listings[0]
    RatingChange.objects.create(listing=changed, rating=Rating.RED, previous_rating=Rating.YELLOW, reason="Skäl",
                                set_by=w.users["police"], set_by_organisation=w.orgs["police"],
                                set_at=timezone.now())
    # Six incidents this month; the police did six actions after them, social services two.
    now = timezone.now()
    for i in range(6):
        incident = Incident.objects.create(
            forum=w.forum, kind=IncidentKind.SHOOTING, occurred_at=now - timedelta(hours=48 + i), place="Torget",
            registered_by=w.users["police"], registered_by_organisation=w.orgs["police"], registered_at=now)
        ActionItem.objects.create(forum=w.forum, organisation=w.orgs["police"], title="Vapenkontroll",
                                  due_at=incident.occurred_at + timedelta(hours=24), incident=incident,
                                  status=ActionStatus.DONE, done_at=incident.occurred_at + timedelta(hours=10 + i))
        if i < 2:
            ActionItem.objects.create(forum=w.forum, organisation=w.orgs["soc"], title="Orosanmälan",
                                      due_at=incident.occurred_at + timedelta(hours=24), incident=incident,
                                      status=ActionStatus.DONE, done_at=incident.occurred_at + timedelta(hours=30))
    return w


def url(world, name="followup:trefas"):
    return reverse(name, args=[world.forum.pk])


def table(stats_page, key):
    return next(t for t in stats_page.context["stats"].tables if t.key == key)


def test_a_member_sees_suppressed_counts_with_charts(world, django_assert_max_num_queries):
    client = fast_login(world.users["soc"])
    with django_assert_max_num_queries(25):
        page = client.get(url(world))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="sv-chart" src="data:image/svg+xml;base64,' in body and "<table" in body
    size = table(page, "list_size")
    this_month = size.rows()[-1]
    # 7 on the list: 3 red (<5 hidden), 4 yellow (<5 hidden), 0 green shown; the total 7 is shown.
    _label, cells, total, _extra = this_month
    assert cells == ["0", SMALL_LABEL, SMALL_LABEL] and total == "7"
    # Nothing below five ever shown as a number.
    for t in page.context["stats"].tables:
        for _label, cells, total, _extra in t.rows():
            for value in [*cells, total]:
                assert value in ("", "0", SMALL_LABEL, HIDDEN_LABEL) or int(value) >= 5, (t.key, value)
    incidents = table(page, "incidents").rows()[-1]
    assert incidents[1][0] == "6" and incidents[2] == "6"
    # Median hours only where at least five actions were done: the police's six, not the city's two.
    times = dict(zip(table(page, "time_to_action").row_labels, table(page, "time_to_action").extra, strict=True))
    assert times[world.orgs["police"].name] == "12,5" and times[world.orgs["soc"].name] == "–"
    on_time = dict((row[0], row) for row in table(page, "actions_on_time").rows())
    # Social services' two were late ("<5", and so is its row total); the police's six
    # beside them hide as needed so that no line gives the two away.
    soc_row = on_time[world.orgs["soc"].name]
    assert soc_row[1] == ["0", SMALL_LABEL] and soc_row[2] == SMALL_LABEL and soc_row[3] == "–"
    rows = table(page, "actions_on_time").rows()
    cols, grand = table(page, "actions_on_time").total_row()
    hidden = (SMALL_LABEL, HIDDEN_LABEL)
    lines = [[*cells, total] for _l, cells, total, _x in rows]
    lines += [[row[1][c] for row in rows] + [cols[c]] for c in range(2)] + [[*cols, grand]]
    assert all(sum(v in hidden for v in line) != 1 for line in lines), lines
    assert "Statperson" not in body and "Fiktiv" not in body
    event = AuditEvent.objects.filter(action="trefas.statistics_viewed").get()
    assert event.subject_id == str(world.forum.pk) and event.subject_type == "trefas_forum"


def test_a_hidden_cell_cannot_be_worked_out_from_its_line(world):
    page = fast_login(world.users["soc"]).get(url(world))
    changes = table(page, "rating_changes")
    _label, cells, total, _extra = changes.rows()[-1]
    # One change this month (to red): the cell and its row total are both "<5", never
    # one hidden cell alone in a line; the column and grand totals hide it as well.
    assert cells == ["0", "0", SMALL_LABEL] and total == SMALL_LABEL
    col_totals, grand = changes.total_row()
    assert col_totals == ["0", "0", SMALL_LABEL] and grand == SMALL_LABEL
    for _label, row_cells, row_total, _x in changes.rows():
        line = [*row_cells, row_total]
        assert sum(v in (SMALL_LABEL, HIDDEN_LABEL) for v in line) != 1


def test_a_manager_of_a_member_organisation_may_see_them(world):
    assert fast_login(world.users["soc_manager"]).get(url(world)).status_code == 200


@pytest.mark.parametrize("persona", ["sig_coord", "skarholmen", "tax", "sk_manager", "admin"])
def test_outsiders_get_404_or_403(world, persona):
    client = fast_login(world.users[persona])
    for name in ("followup:trefas", "followup:trefas_csv", "followup:trefas_xlsx"):
        assert client.get(url(world, name)).status_code in (403, 404), name
    assert not AuditEvent.objects.filter(action__in=["trefas.statistics_viewed", "trefas.exported"]).exists()


def test_a_member_who_left_gets_404(world):
    ForumMember.objects.filter(user=world.users["soc"]).update(active=False)
    assert fast_login(world.users["soc"]).get(url(world)).status_code == 404


def test_csv_is_for_swedish_excel(world):
    response = fast_login(world.users["police"]).get(url(world, "followup:trefas_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))
    assert rows[0][0] == world.forum.name
    assert [r[-1] for r in rows if r and r[0] == world.orgs["police"].name and "," in r[-1]] == ["12,5"]
    assert any(r[:4] == [r[0], "0", SMALL_LABEL, SMALL_LABEL] for r in rows if len(r) >= 4)
    assert "Statperson" not in raw
    assert AuditEvent.objects.filter(action="trefas.exported").count() == 1


def test_xlsx_opens(world):
    from openpyxl import load_workbook

    response = fast_login(world.users["city_jurist"]).get(url(world, "followup:trefas_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 5
    values = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert 12.5 in values and SMALL_LABEL in values
    assert not any(isinstance(v, str) and "Statperson" in v for v in values)

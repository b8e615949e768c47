"""Persona tests for the action-group pages: who sees what, 403 for a too-weak role,
404 outside one's agency, and list pages whose query count does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.actiongroups.models import Outreach
from tests.actiongroups.helpers import make_group
from tests.forms import post_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def group(personas):
    return make_group(personas["city_coord"])


def test_city_coordinator_creates_a_group_through_the_form(personas, logged_in, reference):
    from samverkan.directory.models import Area

    client = logged_in(personas["city_coord"])
    page = client.get("/aktionsgrupper/ny/")
    assert page.status_code == 200 and b"govuk-checkboxes" in page.content
    areas = Area.objects.filter(code__in=["rinkeby-tensta"]).values_list("pk", flat=True)
    response = client.post(
        "/aktionsgrupper/ny/",
        {
            "name": "Rinkeby/Tensta",
            "code": "rinkeby",
            "areas": list(areas),
            "around_the_clock": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "Tullverket" in detail.content.decode()


def test_group_form_errors_are_shown(personas, logged_in):
    client = logged_in(personas["city_coord"])
    response = client.post("/aktionsgrupper/ny/", {"name": "", "code": "X Y"})
    assert response.status_code == 200 and b"govuk-error-summary" in response.content


def test_weak_roles_get_403(personas, logged_in, group):
    clients = {}
    for who, url in [
        ("city_logs", "/aktionsgrupper/"),
        ("city_case", "/aktionsgrupper/ny/"),
        ("tull_coord", "/aktionsgrupper/ny/"),
        ("city_case", f"/aktionsgrupper/{group.pk}/andra/"),
    ]:
        if who not in clients:
            clients[who] = logged_in(personas[who])
        client = clients[who]
        assert client.get(url).status_code == 403, (who, url)


def test_agency_sees_only_its_own_outreach_rows(personas, logged_in, group):
    own = Outreach.objects.get(group=group, agency__short_code="tullverket")
    other = Outreach.objects.get(group=group, agency__short_code="skatteverket")
    client = logged_in(personas["tull_coord"])
    assert client.get(f"/aktionsgrupper/kontakter/{own.pk}/").status_code == 200
    assert client.get(f"/aktionsgrupper/kontakter/{other.pk}/").status_code == 404
    board = client.get("/aktionsgrupper/kontakter/").content.decode()
    assert "Tullverket" in board and "Skatteverket" not in board
    # The police officer's agency is found through the parent chain.
    police = logged_in(personas["police"])
    assert police.get(f"/aktionsgrupper/kontakter/{own.pk}/").status_code == 404
    # Outsiders with the role see no agency rows.
    assert (
        logged_in(personas["school"]).get(f"/aktionsgrupper/kontakter/{own.pk}/").status_code == 404
    )
    # The agency cannot change its own outreach status (the city runs the outreach).
    response = client.post(
        f"/aktionsgrupper/kontakter/{own.pk}/status/", {"s-status": "agreed", "s-version": 1}
    )
    assert response.status_code == 403


def test_outreach_flow_through_the_pages(personas, logged_in, group):
    client = logged_in(personas["city_coord"])
    o = Outreach.objects.get(group=group, agency__short_code="tullverket")
    r = client.post(
        f"/aktionsgrupper/kontakter/{o.pk}/logg/",
        {
            "c-contacted_on": "2026-01-10",
            "c-who": "Enhetschef",
            "c-channel": "meeting",
            "c-summary": "Möte.",
        },
    )
    assert r.status_code == 302
    o.refresh_from_db()
    r = client.post(
        f"/aktionsgrupper/kontakter/{o.pk}/status/",
        {"s-status": "declined", "s-version": o.version, "s-declined_reason": ""},
    )
    assert r.status_code == 400 and b"govuk-error-summary" in r.content
    r = client.post(
        f"/aktionsgrupper/kontakter/{o.pk}/status/",
        {"s-status": "agreed", "s-version": o.version, "s-agreed_experts": "10"},
    )
    assert r.status_code == 302
    stale = client.post(
        f"/aktionsgrupper/kontakter/{o.pk}/status/", {"s-status": "staffed", "s-version": o.version}
    )
    assert stale.status_code == 409 and "Someone else saved this" in stale.content.decode()
    o.refresh_from_db()
    assert o.status == "agreed" and o.agreed_experts == 10
    # The choice is kept with the stored version: saving again is deliberate and works.
    kept = stale.context["status_form"]
    assert kept.data["s-status"] == "staffed" and kept.data["s-version"] == str(o.version)
    assert client.post(f"/aktionsgrupper/kontakter/{o.pk}/status/", kept.data).status_code == 302
    o.refresh_from_db()
    assert o.status == "staffed"


def test_document_upload_and_download_checks(personas, logged_in, group, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = logged_in(personas["city_coord"])
    o = Outreach.objects.get(group=group, agency__short_code="tullverket")
    url = f"/aktionsgrupper/kontakter/{o.pk}/dokument/"
    bad = client.post(
        url, {"d-kind": "agreement", "d-file": SimpleUploadedFile("x.pdf", b"GIF89a....")}
    )
    assert bad.status_code == 400 and "Only PDF" in bad.content.decode()
    settings.SAMVERKAN_UPLOAD_MAX_BYTES = 1024
    big = client.post(
        url, {"d-kind": "agreement", "d-file": SimpleUploadedFile("x.pdf", PDF + b"0" * 2000)}
    )
    assert big.status_code == 400 and "too large" in big.content.decode()
    ok = client.post(url, {"d-kind": "agreement", "d-file": SimpleUploadedFile("avtal.pdf", PDF)})
    assert ok.status_code == 302
    doc = o.documents.get()
    download = client.get(f"/aktionsgrupper/kontakter/{o.pk}/dokument/{doc.pk}/hamta/")
    assert download.status_code == 200 and download.content == PDF
    assert (
        download["Content-Type"] == "application/pdf"
        and "attachment" in download["Content-Disposition"]
    )
    # Another agency cannot fetch it (404, same as missing).
    other = logged_in(personas["skv_coord"])
    assert (
        other.get(f"/aktionsgrupper/kontakter/{o.pk}/dokument/{doc.pk}/hamta/").status_code == 404
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_query_count_does_not_grow(personas, logged_in):
    client = logged_in(personas["city_coord"])
    make_group(personas["city_coord"], code="g1", name="G1")
    urls = ["/aktionsgrupper/", "/aktionsgrupper/kontakter/"]
    before = [_count(client, u) for u in urls]
    for i in range(2, 6):
        make_group(personas["city_coord"], code=f"g{i}", name=f"G{i}", area_code="bredang")
    after = [_count(client, u) for u in urls]
    assert after == before, (before, after)


@pytest.mark.parametrize("page", ["group", "premises"])
def test_conflicting_edit_keeps_the_input_and_a_second_save_replaces(personas, logged_in, group, page):
    """Someone else saved first: nothing is written, the editor's input stays in the form
    with the stored version, and saving again is a deliberate choice that succeeds."""
    from django.db.models import F

    from samverkan.actiongroups.models import ActionGroup, Premises

    client = logged_in(personas["city_coord"])
    if page == "group":
        url, model, pk, field = f"/aktionsgrupper/{group.pk}/andra/", ActionGroup, group.pk, "name"
    else:
        premises = Premises.objects.create(group=group, address="Gatan 1", valid_from="2026-01-01")
        url, model, pk = f"/aktionsgrupper/{group.pk}/lokaler/{premises.pk}/", Premises, premises.pk
        field = "address"
    data = post_data(client.get(url).context["form"])
    model.objects.filter(pk=pk).update(**{field: "Deras", "version": F("version") + 1})
    stale = client.post(url, {**data, field: "Mitt"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Someone else saved this" in body and 'value="Mitt"' in body
    stored = model.objects.get(pk=pk)
    assert getattr(stored, field) == "Deras"
    kept = stale.context["form"].data
    assert kept["version"] == str(stored.version)
    assert client.post(url, kept).status_code == 302
    assert getattr(model.objects.get(pk=pk), field) == "Mitt"


def test_conflicting_positions_edit_keeps_the_numbers(personas, logged_in, group):
    from django.db.models import F

    from samverkan.actiongroups.models import ActionGroup

    client = logged_in(personas["city_coord"])
    url = f"/aktionsgrupper/{group.pk}/positioner/"
    data = post_data(client.get(url).context["form"])
    number_field = next(k for k in data if k != "version")
    ActionGroup.objects.filter(pk=group.pk).update(version=F("version") + 1)
    stale = client.post(url, {**data, number_field: "7"})
    assert stale.status_code == 409 and "Someone else saved this" in stale.content.decode()
    kept = stale.context["form"].data
    assert kept[number_field] == "7"
    assert kept["version"] == str(ActionGroup.objects.get(pk=group.pk).version)
    assert client.post(url, kept).status_code == 302

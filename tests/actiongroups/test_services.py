"""Action groups, positions, premises and outreach: services, locking, uploads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from samverkan.actiongroups import services
from samverkan.actiongroups.models import (
    MOTION_AGENCY_CODES,
    GroupStatus,
    Outreach,
    OutreachStatus,
    PositionRequirement,
    Premises,
)
from samverkan.audit.models import AuditEvent
from samverkan.directory import reference_data
from tests.actiongroups.helpers import make_group

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_motion_agencies_are_in_the_reference_data():
    codes = {code for code, _n, kind, _p in reference_data.ORGANISATIONS if kind == "agency"}
    assert set(MOTION_AGENCY_CODES) <= codes and len(MOTION_AGENCY_CODES) == 11


def test_new_group_has_two_positions_per_agency_and_outreach(personas):
    group = make_group(personas["city_coord"])
    positions = PositionRequirement.objects.filter(group=group)
    assert positions.count() == 11 and {p.positions for p in positions} == {2}
    assert Outreach.objects.filter(group=group, status=OutreachStatus.NOT_CONTACTED).count() == 11
    assert group.status == GroupStatus.PROPOSED and group.around_the_clock
    assert AuditEvent.objects.filter(action="area.group_created", subject_id=str(group.pk)).exists()


def test_agency_staff_and_weak_roles_cannot_create_groups(personas):
    for who in ("tull_coord", "city_case", "city_logs", "police"):
        with pytest.raises(PermissionDenied):
            make_group(personas[who])


def test_status_moves_along_and_refuses_jumps(personas):
    coord = personas["city_coord"]
    group = make_group(coord)
    with pytest.raises(ValidationError):
        services.group_set_status(
            actor=coord, group=group, status="operating", expected_version=group.version
        )
    for status in ("forming", "operating", "paused", "operating", "closed"):
        services.group_set_status(
            actor=coord, group=group, status=status, expected_version=group.version
        )
    with pytest.raises(ValidationError):
        services.group_set_status(
            actor=coord, group=group, status="forming", expected_version=group.version
        )


def test_optimistic_locking_refuses_a_stale_edit(personas):
    coord = personas["city_coord"]
    group = make_group(coord)
    stale = group.version
    group.name = "Husby centrum"
    services.group_update(actor=coord, group=group, expected_version=stale)
    group.name = "Overwritten"
    with pytest.raises(services.StaleEdit):
        services.group_update(actor=coord, group=group, expected_version=stale)
    group.refresh_from_db()
    assert group.name == "Husby centrum"
    o = Outreach.objects.filter(group=group).first()
    services.outreach_update(
        actor=coord, outreach=o, status="contacted", expected_version=o.version
    )
    with pytest.raises(services.StaleEdit):
        services.outreach_update(actor=coord, outreach=o, status="agreed", expected_version=1)


def test_positions_can_be_changed(personas, reference):
    coord = personas["city_coord"]
    group = make_group(coord, positions={"tullverket": 3, "polismyndigheten": 1})
    got = dict(
        PositionRequirement.objects.filter(group=group).values_list(
            "agency__short_code", "positions"
        )
    )
    assert got["tullverket"] == 3 and got["polismyndigheten"] == 1 and got["skatteverket"] == 0
    with pytest.raises(ValidationError):
        services.positions_set(
            actor=coord,
            group=group,
            positions={reference["tullverket"].pk: -1},
            expected_version=group.version,
        )


def test_outreach_pipeline_and_contact_log(personas):
    coord = personas["city_coord"]
    group = make_group(coord)
    o = Outreach.objects.filter(group=group, agency__short_code="tullverket").get()
    services.contact_log(
        actor=coord,
        outreach=o,
        contacted_on=dt.date(2026, 1, 12),
        who="Regional chef",
        channel="phone",
        summary="First call about the motion.",
    )
    o.refresh_from_db()
    assert o.status == OutreachStatus.CONTACTED and o.contacts.count() == 1
    with pytest.raises(ValidationError):
        services.outreach_update(
            actor=coord, outreach=o, status="declined", expected_version=o.version
        )
    services.outreach_update(
        actor=coord,
        outreach=o,
        status="declined",
        declined_reason="No budget in 2026",
        expected_version=o.version,
    )
    assert o.status == "declined" and o.declined_reason == "No budget in 2026"
    services.outreach_update(
        actor=coord, outreach=o, status="agreed", agreed_experts=10, expected_version=o.version
    )
    assert o.declined_reason == "" and o.agreed_experts == 10
    with pytest.raises(PermissionDenied):
        services.outreach_update(
            actor=personas["tull_coord"], outreach=o, status="staffed", expected_version=o.version
        )


def test_premises_dates_checked(personas):
    coord = personas["city_coord"]
    group = make_group(coord)
    p = services.premises_save(
        actor=coord,
        group=group,
        premises=Premises(
            address="Husby torg 1",
            kind="office_module",
            valid_from=dt.date(2026, 3, 1),
            capacity=24,
        ),
    )
    assert p.pk and p.kind == "office_module"
    with pytest.raises(ValidationError):
        services.premises_save(
            actor=coord,
            group=group,
            premises=Premises(
                address="X", valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 2, 1)
            ),
        )


@pytest.mark.parametrize(
    "name,content",
    [("agreement.pdf", PDF), ("photo.PNG", PNG), ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32)],
)
def test_upload_accepts_pdf_and_images(personas, name, content):
    coord = personas["city_coord"]
    o = Outreach.objects.filter(group=make_group(coord)).first()
    doc = services.document_upload(
        actor=coord, outreach=o, kind="agreement", uploaded=SimpleUploadedFile(name, content)
    )
    assert bytes(doc.content) == content and doc.size == len(content)


@pytest.mark.parametrize(
    "name,content",
    [
        ("evil.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html>not a pdf</html>"),  # right name, wrong content
        ("script.svg", b"<svg onload=alert(1)>"),
        ("empty.pdf", b""),
    ],
)
def test_upload_refuses_wrong_types(personas, name, content):
    coord = personas["city_coord"]
    o = Outreach.objects.filter(group=make_group(coord)).first()
    with pytest.raises(services.UploadRefused):
        services.document_upload(
            actor=coord, outreach=o, kind="other", uploaded=SimpleUploadedFile(name, content)
        )
    assert not o.documents.exists()


def test_upload_refuses_oversized(personas, settings):
    settings.SAMVERKAN_UPLOAD_MAX_BYTES = 2048
    coord = personas["city_coord"]
    o = Outreach.objects.filter(group=make_group(coord)).first()
    with pytest.raises(services.UploadRefused, match="too large"):
        services.document_upload(
            actor=coord,
            outreach=o,
            kind="agreement",
            uploaded=SimpleUploadedFile("big.pdf", PDF + b"0" * 4096),
        )
    assert not o.documents.exists()

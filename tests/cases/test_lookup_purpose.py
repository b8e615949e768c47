"""The stated purpose of an identity look-up (and of a register extract) goes into the
audit trail, which must never hold personal data: a purpose with an identity number or
an e-mail address is refused with a clear message, nothing is logged for the refused
look-up, and the audit service itself redacts such text (defence in depth)."""

from __future__ import annotations

import pytest

from samverkan.audit import services as audit
from samverkan.audit.models import AuditEvent
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_lookup_refuses_a_purpose_with_an_identity_number(logged_in):
    world = build_world(notes=False)
    client = logged_in(world.users["jarva_coord"])
    number = world.case.person.identity_number
    before = AuditEvent.objects.filter(action="person.lookup").count()
    response = client.post("/arenden/sok/", {"identity": number,
                                            "purpose": f"Kontroll av {number} efter anmälan"})
    assert response.status_code == 200
    assert "without identity numbers" in response.content.decode()
    assert AuditEvent.objects.filter(action="person.lookup").count() == before
    # Also an e-mail address.
    response = client.post("/arenden/sok/", {"identity": number,
                                            "purpose": "Fråga från anna.svensson@example.se"})
    assert "without identity numbers" in response.content.decode()
    assert AuditEvent.objects.filter(action="person.lookup").count() == before
    # A proper purpose works and is stored as written.
    response = client.post("/arenden/sok/", {"identity": number, "purpose": "Orosanmälan dnr 2026-17"})
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="person.lookup").latest("seq")
    assert event.purpose == "Orosanmälan dnr 2026-17"


def test_register_extract_refuses_a_purpose_with_an_identity_number(logged_in, user_factory):
    from samverkan.accounts.models import User

    world = build_world(notes=False)
    dpo = user_factory(organisation=world.orgs["jarva"], roles=["dpo"])
    assert isinstance(dpo, User)
    client = logged_in(dpo)
    number = world.case.person.identity_number
    before = AuditEvent.objects.filter(action="subject_access.lookup").count()
    response = client.post("/dataskydd/registerutdrag/", {
        "identity": number, "purpose": f"Begäran från {number[2:8]}-{number[8:]}", "export_format": "json",
    })
    assert response.status_code == 200
    assert "without identity numbers" in response.content.decode()
    assert AuditEvent.objects.filter(action="subject_access.lookup").count() == before


def test_audit_record_redacts_personal_data_in_a_purpose():
    event = audit.record(action="person.lookup", subject_type="person",
                         purpose="Kontroll av 20000101-9876 / 0001019876, svar till a.b@example.se")
    assert "9876" not in event.purpose and "@" not in event.purpose
    assert event.purpose.startswith("Kontroll av [...]")

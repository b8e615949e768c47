"""The registerutdrag prints what is held as the characters stored (PDF) and keeps it
as data (JSON), however the name or a note was typed.

Before the fix the PDF went through reportlab paragraph markup."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from samverkan.caseaccess.selectors import case_access_for
from samverkan.journal.services import note_create
from tests.documents import FORMULAS, HOSTILE_MARKUP, assert_printed_literally, spy_on_document_fetches
from tests.factories import UserFactory
from tests.world import fresh_auth, records_case, records_world

pytestmark = pytest.mark.django_db

PURPOSE = "Begäran om registerutdrag dnr 2026-18"


def test_registerutdrag_pdf_and_json_keep_hostile_text_as_text(logged_in, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = records_world()
    case = records_case(world.users["skarholmen"], identity=world.identity.digits, first=HOSTILE_MARKUP[2],
                     last=HOSTILE_MARKUP[0])

    access = case_access_for(actor=world.users["skarholmen"], case=case)
    note = f"{HOSTILE_MARKUP[1]}\n{FORMULAS[0]}"
    note_create(actor=world.users["skarholmen"], case=case, access=access, category="social",
                occurred_on=timezone.localdate(), text=note, sign=True)
    spy = spy_on_document_fetches(monkeypatch)
    client = fresh_auth(logged_in(UserFactory(organisation=world.orgs["jarva"], roles=["dpo"])))
    response = client.post("/dataskydd/registerutdrag/", {
        "identity": world.identity.digits, "purpose": PURPOSE, "export_format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_printed_literally(response.content, [*HOSTILE_MARKUP, FORMULAS[0]])
    spy.assert_only_static()
    response = client.post("/dataskydd/registerutdrag/", {
        "identity": world.identity.digits, "purpose": PURPOSE, "export_format": "json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    text = json.dumps(json.loads(response.content), ensure_ascii=False)
    for value in (*HOSTILE_MARKUP, note):
        assert json.dumps(value, ensure_ascii=False)[1:-1] in text, value

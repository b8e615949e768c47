"""Registerutdrag (GDPR art. 15): the DPO exports everything held about a person across
all organisations, as JSON and PDF; audited with the purpose and counts only."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.audit.models import AuditEvent
from samverkan.caseaccess.selectors import case_access_for
from samverkan.dataprotection.pdf import render_export_pdf
from samverkan.dataprotection.selectors import subject_access_export
from samverkan.journal.services import note_create
from samverkan.lib.identity_numbers import make_fictitious
from tests.dataprotection.populate import LEAD_NOTE, POLICE_NOTE, fill
from tests.documents import pdf_text
from tests.factories import UserFactory
from tests.world import PARTICIPANT_LAST, fresh_auth, records_case, records_world

pytestmark = pytest.mark.django_db

OTHER_DISTRICT_NOTE = "Skärholmens anteckning"
PURPOSE = "Begäran om registerutdrag dnr 2026-17"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = records_world()
    fill(w.case, lead=w.lead, police=w.users["police"])
    other = records_case(w.users["skarholmen"], identity=w.identity.digits)
    access = case_access_for(actor=w.users["skarholmen"], case=other)
    from django.utils import timezone

    note_create(actor=w.users["skarholmen"], case=other, access=access, category="social",
                occurred_on=timezone.localdate(), text=OTHER_DISTRICT_NOTE, sign=True)
    w.other_case = other
    return w


def _post(client, identity, fmt="json", purpose=PURPOSE):
    return client.post("/dataskydd/registerutdrag/", {"identity": identity, "purpose": purpose,
                                                      "export_format": fmt})


def test_json_export_spans_every_organisation(world, login):
    client = fresh_auth(login(world.users["jarva_dpo"]))
    assert client.get("/dataskydd/registerutdrag/").status_code == 200
    response = _post(client, world.identity.digits)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert world.identity.digits not in response["Content-Disposition"]
    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    assert data["found"] is True
    assert PARTICIPANT_LAST in text
    assert len(data["cases"]) == 2  # Järva's and Skärholmen's
    # Notes by three organisations, the disclosure register, the guardian, closure,
    # follow-ups, plans, meetings and reminders are all there.
    for expected in (LEAD_NOTE, POLICE_NOTE, OTHER_DISTRICT_NOTE, "Avvägning", "Vårdnadshavare1", "Klart",
                     "Klara skolan", "Läxhjälp", "Rättat protokoll", "Ring"):
        assert expected in text, expected
    sections = {s.lower() for c in data["cases"] for s in c["sections"]}
    assert {"disclosures", "consents", "follow-ups after closure", "reminders", "closure", "meetings"} <= sections, sections
    # The same data under language-independent keys for programs.
    labels = {label for per_case in data["data"].values() for label in per_case}
    assert {"consent.disclosure", "consent.consent", "cases.followup", "reminders.reminder", "cases.closure",
            "meetings.meeting", "journal.journalnote"} <= labels, labels
    assert "underskrift" not in text  # files by their stored (random) name only
    lookup = AuditEvent.objects.filter(action="subject_access.lookup").get()
    assert lookup.purpose == PURPOSE and lookup.actor_id == world.users["jarva_dpo"].pk
    exported = AuditEvent.objects.filter(action="subject_access.exported").get()
    detail = json.loads(exported.detail)
    assert detail["cases"] == 2 and detail["format"] == "json" and detail["rows"] > 10
    for event in (lookup, exported):
        assert world.identity.digits not in event.detail + event.subject_id
        assert PARTICIPANT_LAST not in event.detail and LEAD_NOTE not in event.detail


def test_pdf_export(world, login):
    client = fresh_auth(login(world.users["jarva_dpo"]))
    response = _post(client, world.identity.digits, fmt="pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    export = subject_access_export(actor=world.users["jarva_dpo"], identity_text=world.identity.digits, purpose=PURPOSE,
                                   export_format="pdf")
    text = pdf_text(render_export_pdf(export))
    assert "Testdottersson" in text and "Polisens anteckning" in text


def test_unknown_person_and_bad_input(world, login):
    client = fresh_auth(login(world.users["jarva_dpo"]))
    nobody = make_fictitious(world.case.person.birth_date, 999)
    data = json.loads(_post(client, nobody).content)
    assert data["found"] is False and data["cases"] == []
    response = _post(client, world.identity.digits, purpose="kort")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    response = _post(client, "19990101-00")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert AuditEvent.objects.filter(action="subject_access.exported").count() == 1  # only the unknown


@pytest.mark.parametrize("who", ["jarva_coord", "jarva_manager", "police", "admin", "log_reviewer"])
def test_other_roles_are_refused(world, login, who):
    user = (UserFactory(organisation=world.orgs["jarva"], roles=["log_reviewer"]) if who == "log_reviewer"
            else world.users[who])
    client = fresh_auth(login(user))
    assert client.get("/dataskydd/registerutdrag/").status_code == 403
    assert _post(client, world.identity.digits).status_code == 403
    with pytest.raises(PermissionDenied):
        subject_access_export(actor=user, identity_text=world.identity.digits, purpose=PURPOSE, export_format="json")
    assert not AuditEvent.objects.filter(action__startswith="subject_access").exists()


def test_needs_recent_authentication(world, login):
    import time

    from samverkan.accounts.reauth import SESSION_REAUTH_AT

    client = login(world.users["jarva_dpo"])
    session = client.session
    session[SESSION_REAUTH_AT] = time.time() - 3600
    session.save()
    response = _post(client, world.identity.digits)
    assert response.status_code == 302 and "/konto/" in response["Location"]
    assert world.identity.digits not in response["Location"]
    assert not AuditEvent.objects.filter(action__startswith="subject_access").exists()

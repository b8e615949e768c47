"""Consent pages: record (with the signed form checked by magic bytes and size),
withdraw with immediate effect, download the form (lead team only, audited)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent.models import Consent
from samverkan.consent.selectors import consents_expiring
from tests.world import build_world, full_consent, give_consent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world():
    return build_world()


def _form(world, upload, **overrides):
    today = timezone.localdate()
    data = {
        "giver": "guardian", "guardianship": world.guardianships[0].pk, "given_on": today.isoformat(),
        "valid_from": today.isoformat(), "valid_to": (today + timedelta(days=300)).isoformat(),
        "organisations": [world.orgs["jarva"].pk, world.orgs["police"].pk],
        "other_organisations": [world.orgs["tax"].pk],
        "categories": ["social", "school"], "document": upload,
    }
    data.update(overrides)
    return data


def _files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_record_consent_with_signed_form(world, media, logged_in):
    client = logged_in(world.users["jarva_coord"])
    form_page = client.get(world.url + "samtycken/nytt/")
    assert form_page.status_code == 200
    team_orgs = set(form_page.context["form"].fields["organisations"].queryset)
    assert {world.orgs["jarva"], world.orgs["police"], world.orgs["school"], world.orgs["probation"]} == team_orgs
    upload = SimpleUploadedFile("Samtycke Anna Svensson.pdf", PDF, content_type="application/pdf")
    response = client.post(world.url + "samtycken/nytt/", _form(world, upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    consent = Consent.objects.get()
    assert consent.giver == "guardian" and consent.guardianship == world.guardianships[0]
    assert set(consent.organisations.all()) == {world.orgs["jarva"], world.orgs["police"], world.orgs["tax"]}
    assert consent.categories == ["school", "social"]
    assert len(consent.document_sha256) == 64
    # The stored name is random: the uploaded file name (here with a name in it) is gone.
    assert "Anna" not in consent.document.name and consent.document.name.endswith(".pdf")
    assert len(_files(media)) == 1
    assert AuditEvent.objects.filter(action="consent.recorded").exists()


@pytest.mark.parametrize("name,content,ctype", [
    ("form.pdf", b"GIF89a" + b"\x00" * 50, "application/pdf"),  # a GIF claiming to be a PDF
    ("form.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
    ("form.exe", b"MZ\x90\x00" + b"\x00" * 50, "application/octet-stream"),
])
def test_wrong_file_type_is_refused_and_nothing_saved(world, media, logged_in, name, content, ctype):
    client = logged_in(world.users["jarva_coord"])
    response = client.post(world.url + "samtycken/nytt/", _form(world, SimpleUploadedFile(name, content, ctype)))
    assert response.status_code == 200
    assert "Upload the signed form as a PDF, JPEG or PNG file." in response.content.decode()
    assert not Consent.objects.exists()
    assert _files(media) == []


def test_oversized_file_is_refused_and_nothing_saved(world, media, settings, logged_in):
    settings.SAMVERKAN_MAX_UPLOAD_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    client = logged_in(world.users["jarva_coord"])
    response = client.post(world.url + "samtycken/nytt/",
                           _form(world, SimpleUploadedFile("form.pdf", big, "application/pdf")))
    assert response.status_code == 200
    assert "The file is too large: at most 1 MB." in response.content.decode()
    assert not Consent.objects.exists()
    assert _files(media) == []


def test_form_errors_are_clear(world, media, logged_in):
    client = logged_in(world.users["jarva_coord"])
    response = client.post(world.url + "samtycken/nytt/", _form(
        world, SimpleUploadedFile("f.png", PNG, "image/png"), guardianship="", organisations=[],
        other_organisations=[], categories=[]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose which guardian gave the consent." in body
    assert "Choose the organisations that may share information." in body
    assert not Consent.objects.exists() and _files(media) == []


def test_only_the_lead_team_records_consent(world, media, logged_in):
    for who, status in (("police", 403), ("jarva_observer", 403), ("tax", 404), ("skarholmen", 404)):
        client = logged_in(world.users[who])
        assert client.get(world.url + "samtycken/nytt/").status_code == status, who
        response = client.post(world.url + "samtycken/nytt/",
                               _form(world, SimpleUploadedFile("f.jpg", JPEG, "image/jpeg")))
        assert response.status_code == status, who
    assert not Consent.objects.exists() and _files(media) == []


def test_withdrawal_takes_effect_on_the_very_next_request(world, logged_in):
    consents = full_consent(world)
    police = logged_in(world.users["police"])
    secret = world.notes["jarva_coord-social"].text
    assert secret in police.get(world.url + "anteckningar/").content.decode()
    lead = logged_in(world.users["jarva_coord"])
    response = lead.post(world.url + f"samtycken/{consents[1].pk}/aterkalla/",
                         {"note": "Muntligt i telefon", "confirmed": "1"})
    assert response.status_code == 302
    # The very next request by the police no longer shows the note, nor its name.
    after = police.get(world.url + "anteckningar/")
    assert secret not in after.content.decode()
    assert after.context["result"].total == 1  # only the police's own note
    detail = police.get(world.url).content.decode()
    assert "Testsson" not in detail and secret not in detail
    consents[1].refresh_from_db()
    assert consents[1].withdrawn_at is not None and consents[1].withdrawal_note == "Muntligt i telefon"
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1
    listing = lead.get(world.url + "samtycken/").context["overview"]
    assert {r.consent.pk: r.status for r in listing.rows}[consents[1].pk] == "withdrawn"


def test_police_cannot_withdraw(world, logged_in):
    consents = full_consent(world)
    assert logged_in(world.users["police"]).post(world.url + f"samtycken/{consents[0].pk}/aterkalla/").status_code == 403
    assert logged_in(world.users["tax"]).post(world.url + f"samtycken/{consents[0].pk}/aterkalla/").status_code == 404
    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()


def test_document_download_lead_only_audited(world, media, logged_in):
    lead = logged_in(world.users["jarva_coord"])
    lead.post(world.url + "samtycken/nytt/", _form(world, SimpleUploadedFile("x.png", PNG, "application/pdf")))
    consent = Consent.objects.get()
    url = world.url + f"samtycken/{consent.pk}/blankett/"
    response = lead.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"  # the file's real type, not the browser's claim
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"consent-{consent.pk}.png" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG
    assert AuditEvent.objects.filter(action="consent.document_viewed").count() == 1
    for who, status in (("police", 403), ("school", 403), ("tax", 404), ("skarholmen", 404)):
        assert logged_in(world.users[who]).get(url).status_code == status, who
    assert AuditEvent.objects.filter(action="consent.document_viewed").count() == 1
    # Stored under MEDIA_ROOT, never served by a public route.
    for path in (f"/{consent.document.name}", f"/media/{consent.document.name}", f"/uploads/{consent.document.name}"):
        public = lead.get(path)
        assert public.status_code == 404
        assert PNG not in public.content


def test_document_of_another_case_is_404(world, media, logged_in):
    lead = logged_in(world.users["jarva_coord"])
    lead.post(world.url + "samtycken/nytt/", _form(world, SimpleUploadedFile("x.pdf", PDF, "application/pdf")))
    consent = Consent.objects.get()
    from samverkan.cases import services as case_services
    from samverkan.lib.identity_numbers import make_fictitious, parse
    from tests.world import years_ago

    other = case_services.case_intake(
        actor=world.users["jarva_coord"], programme=world.case.programme,
        identity=parse(make_fictitious(years_ago(14), 777)), first_name="Annan", last_name="Person",
        intake_source="police", received_on=timezone.localdate(), is_fictitious=True)
    assert lead.get(f"/arenden/{other.public_id}/samtycken/{consent.pk}/blankett/").status_code == 404


def test_consent_list_for_other_team_members_hides_guardian_names(world, logged_in):
    full_consent(world)
    lead_body = logged_in(world.users["jarva_coord"]).get(world.url + "samtycken/").content.decode()
    assert "Vårdnadshavare0" in lead_body
    police_page = logged_in(world.users["police"]).get(world.url + "samtycken/")
    assert police_page.status_code == 200
    body = police_page.content.decode()
    assert "Vårdnadshavare0" not in body and "Vårdnadshavare1" not in body
    assert "aterkalla" not in body and "blankett" not in body
    assert police_page.context["overview"].effective.active


def test_missing_consents_are_listed(world, logged_in):
    give_consent(world, giver="guardian", guardianship=world.guardianships[0])
    overview = logged_in(world.users["jarva_coord"]).get(world.url + "samtycken/").context["overview"]
    assert not overview.effective.active
    assert "consent from every guardian with custody" in overview.effective.missing
    assert "the young person's own consent" in overview.effective.missing


def test_expired_and_not_yet_valid_statuses(world, logged_in):
    today = timezone.localdate()
    give_consent(world, giver="young_person", given_on=today - timedelta(days=100),
                 valid_from=today - timedelta(days=100), valid_to=today - timedelta(days=1))
    give_consent(world, giver="young_person", valid_from=today + timedelta(days=5))
    overview = logged_in(world.users["jarva_coord"]).get(world.url + "samtycken/").context["overview"]
    assert sorted(r.status for r in overview.rows) == ["expired", "not_yet_valid"]


def test_consents_expiring():
    world = build_world(notes=False)
    today = timezone.localdate()
    soon = give_consent(world, giver="young_person", valid_to=today + timedelta(days=10))
    edge = give_consent(world, giver="young_person", valid_to=today + timedelta(days=30))
    give_consent(world, giver="young_person", valid_to=today + timedelta(days=31))
    give_consent(world, giver="young_person", given_on=today - timedelta(days=40),
                 valid_from=today - timedelta(days=40), valid_to=today - timedelta(days=1))
    withdrawn = give_consent(world, giver="young_person", valid_to=today + timedelta(days=3))
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    assert list(consents_expiring(within_days=30)) == [soon, edge]
    assert list(consents_expiring(within_days=10)) == [soon]
    assert list(consents_expiring(within_days=30, case_ids=[0])) == []


def test_withdrawal_asks_first_then_takes_effect(world, logged_in):
    consents = full_consent(world)
    police = logged_in(world.users["police"])
    secret = world.notes["jarva_coord-social"].text
    lead = logged_in(world.users["jarva_coord"])
    url = world.url + f"samtycken/{consents[1].pk}/aterkalla/"
    first = lead.post(url, {"note": "Muntligt i telefon"})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Record that the consent is withdrawn?" in body and "Sharing under this consent stops at once" in body
    assert "A withdrawal cannot be undone." in body and "Yes, the consent is withdrawn" in body
    assert 'type="hidden" name="note" value="Muntligt i telefon"' in body
    consents[1].refresh_from_db()
    assert consents[1].withdrawn_at is None
    assert not AuditEvent.objects.filter(action="consent.withdrawn").exists()
    assert secret in police.get(world.url + "anteckningar/").content.decode()  # still shared

    assert lead.post(url, {"note": "Muntligt i telefon", "confirmed": "1"}).status_code == 302
    consents[1].refresh_from_db()
    assert consents[1].withdrawn_at is not None
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1
    assert secret not in police.get(world.url + "anteckningar/").content.decode()

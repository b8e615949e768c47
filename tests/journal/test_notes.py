"""Journal notes: write, draft editing with optimistic locking, sign, correct, immutable
once signed (service and database), audited reads, constant query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.journal import guard
from samverkan.journal import services as journal_services
from samverkan.journal.models import JournalNote
from tests.world import build_world, full_consent, write_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(notes=False)


def test_write_draft_then_sign_through_the_pages(world, logged_in):
    client = logged_in(world.users["police"])
    today = timezone.localdate().isoformat()
    response = client.post(world.url + "anteckningar/ny/", {
        "category": "crime", "occurred_on": today, "text": "Utkast om händelsen", "action": "draft",
    })
    assert response.status_code == 302
    note = JournalNote.objects.get()
    assert note.signed_at is None and note.recorded_by_organisation == world.orgs["police"]
    # A draft is only the author's: a colleague of the lead organisation does not see it.
    assert "Utkast om händelsen" not in logged_in(world.users["jarva_coord"]).get(world.url + "anteckningar/").content.decode()
    response = client.post(world.url + f"anteckningar/{note.public_id}/signera/", {"confirmed": "1"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.signed_at is not None
    assert AuditEvent.objects.filter(action="note.signed").exists()


def test_sign_at_once_and_validation_errors(world, logged_in):
    client = logged_in(world.users["jarva_coord"])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(world.url + "anteckningar/ny/", {"category": "social", "occurred_on": future,
                                                             "text": "x", "action": "sign",
                                                             "confirmed": "1"})
    assert response.status_code == 200
    assert "The date is in the future." in response.content.decode()
    assert not JournalNote.objects.exists()
    response = client.post(world.url + "anteckningar/ny/", {"category": "social",
                                                             "occurred_on": timezone.localdate().isoformat(),
                                                             "text": "Samtal med familjen", "action": "sign",
                                                             "confirmed": "1"})
    assert response.status_code == 302
    assert JournalNote.objects.get().signed_at is not None


def test_observer_and_outsider_cannot_write(world, logged_in):
    observer = logged_in(world.users["jarva_observer"])
    assert observer.get(world.url + "anteckningar/ny/").status_code == 403
    assert observer.post(world.url + "anteckningar/ny/", {"category": "social", "text": "x",
                                                          "occurred_on": timezone.localdate().isoformat()}
                         ).status_code == 403
    assert logged_in(world.users["tax"]).get(world.url + "anteckningar/ny/").status_code == 404
    assert not JournalNote.objects.exists()


def test_stale_draft_edit_keeps_the_text(world, logged_in):
    note = write_note(world, "jarva_coord", "social", "Första versionen", sign=False)
    first = logged_in(world.users["jarva_coord"])
    second = Client()  # the same author in another window (same session)
    second.cookies = first.cookies
    form_a = first.get(world.url + f"anteckningar/{note.public_id}/andra/").context["form"]
    form_b = second.get(world.url + f"anteckningar/{note.public_id}/andra/").context["form"]
    assert form_a.initial["version"] == form_b.initial["version"] == 1
    today = timezone.localdate().isoformat()
    ok = first.post(world.url + f"anteckningar/{note.public_id}/andra/", {
        "category": "social", "occurred_on": today, "text": "Version från fönster A", "version": 1, "action": "draft"})
    assert ok.status_code == 302
    conflict = second.post(world.url + f"anteckningar/{note.public_id}/andra/", {
        "category": "social", "occurred_on": today, "text": "Version från fönster B", "version": 1, "action": "draft"})
    assert conflict.status_code == 409
    body = conflict.content.decode()
    assert "changed in another window" in body
    assert "Version från fönster B" in body  # the typed text is kept in the form
    assert "Version från fönster A" in body  # and the saved one shown beside it
    note.refresh_from_db()
    assert note.text == "Version från fönster A" and note.version == 2
    # Saving again is now deliberate and works.
    assert conflict.context["form"].data["version"] == "2"
    again = second.post(world.url + f"anteckningar/{note.public_id}/andra/", {
        "category": "social", "occurred_on": today, "text": "Version från fönster B", "version": 2, "action": "sign",
        "confirmed": "1"})
    assert again.status_code == 302
    note.refresh_from_db()
    assert note.text == "Version från fönster B" and note.signed_at is not None


def test_only_the_author_edits_a_draft(world, logged_in):
    note = write_note(world, "jarva_coord", "social", "Mitt utkast", sign=False)
    colleague = logged_in(world.users["jarva_cw"])
    assert colleague.get(world.url + f"anteckningar/{note.public_id}/andra/").status_code == 404
    with pytest.raises(PermissionDenied):
        journal_services.note_update_draft(actor=world.users["jarva_cw"], case=world.case,
                                           access=world.access("jarva_cw"), note=note, expected_version=1,
                                           text="x", category="social", occurred_on=timezone.localdate())


def test_signed_note_cannot_be_edited_only_corrected(world, logged_in):
    note = write_note(world, "jarva_coord", "social", "Fel uppgift om skolan")
    client = logged_in(world.users["jarva_coord"])
    assert client.get(world.url + f"anteckningar/{note.public_id}/andra/").status_code == 403
    with pytest.raises(ValidationError):
        journal_services.note_update_draft(actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"),
                                           note=note, expected_version=note.version, text="ändrad",
                                           category="social", occurred_on=timezone.localdate())
    response = client.post(world.url + f"anteckningar/{note.public_id}/ratta/", {
        "category": "social", "occurred_on": timezone.localdate().isoformat(),
        "text": "Rätt uppgift om skolan", "action": "sign", "confirmed": "1"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Fel uppgift om skolan"  # the original stays
    correction = JournalNote.objects.get(corrects=note)
    assert correction.signed_at is not None
    page = client.get(world.url + "anteckningar/")
    body = page.content.decode()
    assert "Fel uppgift om skolan" in body and "Rätt uppgift om skolan" in body
    shown = {n.pk: n for n in page.context["result"].notes}
    assert shown[note.pk].has_visible_correction
    assert shown[correction.pk].corrects_visible
    assert AuditEvent.objects.filter(action="note.corrected").exists()


def test_another_organisation_cannot_correct(world, logged_in):
    full_consent(world)
    note = write_note(world, "jarva_coord", "social", "Socialtjänstens anteckning")
    police = logged_in(world.users["police"])
    assert "Socialtjänstens anteckning" in police.get(world.url + "anteckningar/").content.decode()
    assert police.get(world.url + f"anteckningar/{note.public_id}/ratta/").status_code == 403
    with pytest.raises(PermissionDenied):
        journal_services.note_create(actor=world.users["police"], case=world.case, access=world.access("police"),
                                     category="crime", occurred_on=timezone.localdate(), text="x", corrects=note)


def test_correction_marker_does_not_reveal_hidden_corrections(world, logged_in):
    """Police see an old social note through a disclosure; the correction written after
    the disclosure is not covered, and the old note must not say it was corrected."""
    from samverkan.consent import services as consent_services
    from tests.world import basis

    old = write_note(world, "jarva_coord", "social", "Gammal socialanteckning", backdate=timedelta(hours=2))
    consent_services.disclosure_record(
        actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"), basis=basis("osl-10-18a"),
        to_organisation=world.orgs["police"], categories=["social"], description="Uppgifter om risk för brott",
        balancing_test="Konkreta omständigheter tyder på risk; insatserna skadas inte av utlämnandet.",
    )
    journal_services.note_create(actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"),
                                 category="social", occurred_on=timezone.localdate(), text="Hemlig rättelse",
                                 sign=True, corrects=old)
    page = logged_in(world.users["police"]).get(world.url + "anteckningar/")
    body = page.content.decode()
    assert "Gammal socialanteckning" in body
    assert "Hemlig rättelse" not in body
    assert "Corrected" not in body
    assert page.context["result"].total == 1


# --- immutability in the database --------------------------------------------------------


@pytest.mark.parametrize("change", [
    {"text": "ändrad"}, {"category": "crime"}, {"occurred_on": "2020-01-01"}, {"signed_at": None},
])
def test_database_refuses_changing_a_signed_note(world, change):
    note = write_note(world, "jarva_coord", "social", "Signerad text")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        JournalNote.objects.filter(pk=note.pk).update(**change)
    note.refresh_from_db()
    assert note.text == "Signerad text" and note.signed_at is not None


def test_database_refuses_changing_the_recording_organisation(world):
    note = write_note(world, "jarva_coord", "social", "Signerad text")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        JournalNote.objects.filter(pk=note.pk).update(recorded_by_organisation=world.orgs["police"])


def test_database_allows_editing_drafts_and_harmless_saves(world):
    draft = write_note(world, "jarva_coord", "social", "Utkast", sign=False)
    JournalNote.objects.filter(pk=draft.pk).update(text="Utkast 2")
    signed = write_note(world, "jarva_coord", "social", "Signerad")
    signed.save()  # an unchanged save is not a change


def test_database_refuses_deleting_notes_without_a_purge_permit(world):
    for sign in (True, False):
        note = write_note(world, "jarva_coord", "social", "Ska finnas kvar", sign=sign)
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            JournalNote.objects.filter(pk=note.pk).delete()
        assert JournalNote.objects.filter(pk=note.pk).exists()


def test_retention_purge_permit_allows_deleting(world):
    old = write_note(world, "jarva_coord", "social", "Gallras")
    journal_services.note_create(actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"),
                                 category="social", occurred_on=timezone.localdate(), text="Rättelse", sign=True,
                                 corrects=old)
    with transaction.atomic(), guard.retention_purge_permit():
        JournalNote.objects.filter(corrects__isnull=False).delete()
        JournalNote.objects.filter(case=world.case).delete()
    assert not JournalNote.objects.exists()
    # The permit is gone: the next delete is refused again.
    note = write_note(world, "jarva_coord", "social", "Ny")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        JournalNote.objects.filter(pk=note.pk).delete()


def test_triggers_are_installed():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='journal_journalnote'")
            names = {r[0] for r in cursor.fetchall()}
            assert {"journal_signed_no_update", "journal_no_delete"} <= names
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'journal_journalnote'::regclass")
            assert "journal_note_guard" in {r[0] for r in cursor.fetchall()}


# --- reads: audited, constant number of queries ------------------------------------------


def test_notes_page_is_audited_with_the_count_shown(world, logged_in):
    for n in range(3):
        write_note(world, "jarva_coord", "social", f"Anteckning {n}")
    write_note(world, "police", "crime", "Polisens egen")
    client = logged_in(world.users["jarva_coord"])
    client.get(world.url + "anteckningar/")
    event = AuditEvent.objects.filter(action="note.viewed").latest("seq")
    assert '"shown":3' in event.detail
    assert "Anteckning" not in event.detail


def test_category_filter(world, logged_in):
    write_note(world, "jarva_coord", "social", "Om socialtjänst")
    write_note(world, "jarva_coord", "family", "Om familjen")
    page = logged_in(world.users["jarva_coord"]).get(world.url + "anteckningar/?category=family")
    body = page.content.decode()
    assert "Om familjen" in body and "Om socialtjänst" not in body
    assert page.context["result"].total == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_notes_page_query_count_does_not_grow_with_notes(world, logged_in):
    full_consent(world)
    for n in range(2):
        write_note(world, "jarva_coord", "social", f"A{n}")
        write_note(world, "school", "school", f"S{n}")
    client = logged_in(world.users["police"])
    url = world.url + "anteckningar/"
    _queries(client, url)  # warm-up (session, permissions)
    few = _queries(client, url)
    for n in range(20):
        write_note(world, "jarva_coord", "social", f"B{n}")
        write_note(world, "school", "school", f"T{n}")
        journal_services.note_create(actor=world.users["jarva_coord"], case=world.case, access=world.access("jarva_coord"),
                                     category="social", occurred_on=timezone.localdate(), text=f"R{n}", sign=True,
                                     corrects=JournalNote.objects.filter(text=f"B{n}").get())
    many = _queries(client, url)
    assert many == few


def test_signing_a_draft_asks_first_then_signs(world, logged_in):
    note = write_note(world, "police", "crime", "Utkast att signera", sign=False)
    client = logged_in(world.users["police"])
    url = world.url + f"anteckningar/{note.public_id}/signera/"
    first = client.post(url)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Sign the note?" in body and "Utkast att signera" in body
    assert "A signed note cannot be changed or removed." in body and "Yes, sign the note" in body
    assert "No, go back and change it" not in body  # nothing typed to take back from the list
    note.refresh_from_db()
    assert note.signed_at is None
    assert not AuditEvent.objects.filter(action="note.signed").exists()

    assert client.post(url, {"confirmed": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.signed_at is not None
    assert AuditEvent.objects.filter(action="note.signed").count() == 1


def test_signing_from_the_form_asks_first_and_can_go_back_to_the_text(world, logged_in):
    client = logged_in(world.users["jarva_coord"])
    url = world.url + "anteckningar/ny/"
    data = {"category": "social", "occurred_on": timezone.localdate().isoformat(),
            "text": "Samtal med familjen\nom skolan", "action": "sign"}
    first = client.post(url, data)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Sign the note?" in body and "Yes, sign the note" in body and "No, go back and change it" in body
    assert 'type="hidden" name="text" value="Samtal med familjen\nom skolan"' in body
    assert 'type="hidden" name="action" value="sign"' in body
    assert not JournalNote.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["note.created", "note.signed"]).exists()
    # Going back shows the form again with the text, and saves nothing.
    back = client.post(url, {**data, "confirmed": "1", "back": "1"})
    assert back.status_code == 200 and back.context["form"].data["text"] == data["text"]
    assert not JournalNote.objects.exists()
    # Confirmed: created and signed.
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert JournalNote.objects.get().signed_at is not None
    # A draft needs no confirmation.
    assert client.post(url, {**data, "action": "draft"}).status_code == 302
    assert JournalNote.objects.filter(signed_at__isnull=True).count() == 1


def test_signing_an_edited_draft_asks_first(world, logged_in):
    note = write_note(world, "police", "crime", "Första texten", sign=False)
    client = logged_in(world.users["police"])
    url = world.url + f"anteckningar/{note.public_id}/andra/"
    data = {"category": "crime", "occurred_on": timezone.localdate().isoformat(), "text": "Ändrad text",
            "version": note.version, "action": "sign"}
    first = client.post(url, data)
    assert first.status_code == 200 and "Sign the note?" in first.content.decode()
    note.refresh_from_db()
    assert note.signed_at is None and note.text == "Första texten"
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.signed_at is not None and note.text == "Ändrad text"

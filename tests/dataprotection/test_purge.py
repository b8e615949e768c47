"""Retention purge (gallring): deletes everything about due cases, respects legal
holds and the dry run, leaves only anonymous statistics and audit rows with counts."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction

from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, Closure, FollowUp, TeamMember
from samverkan.consent.models import Consent, Disclosure
from samverkan.dataprotection import services
from samverkan.dataprotection.models import PurgedCaseStat
from samverkan.jobs.services import job_start
from samverkan.journal.models import JournalNote
from samverkan.meetings.models import Meeting, Minutes
from samverkan.people.models import Guardianship, Person
from samverkan.plans.models import ActionPlan, Commitment
from samverkan.reminders.models import Reminder
from tests.dataprotection.populate import LEAD_NOTE, POLICE_NOTE, fill
from tests.world import (
    PARTICIPANT_LAST,
    age_case,
    days_since_birthday,
    fresh_auth,
    records_case,
    records_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return records_world()


def _case_rows(case_id: int) -> dict[str, int]:
    return {
        "case": Case.objects.filter(pk=case_id).count(),
        "notes": JournalNote.objects.filter(case_id=case_id).count(),
        "consents": Consent.objects.filter(case_id=case_id).count(),
        "disclosures": Disclosure.objects.filter(case_id=case_id).count(),
        "plans": ActionPlan.objects.filter(case_id=case_id).count(),
        "commitments": Commitment.objects.filter(case_id=case_id).count(),
        "meetings": Meeting.objects.filter(case_id=case_id).count(),
        "minutes": Minutes.objects.filter(case_id=case_id).count(),
        "reminders": Reminder.objects.filter(case_id=case_id).count(),
        "team": TeamMember.objects.filter(case_id=case_id).count(),
        "closure": Closure.objects.filter(case_id=case_id).count(),
        "follow_ups": FollowUp.objects.filter(case_id=case_id).count(),
    }


def test_notes_cannot_be_deleted_outside_the_purge(world):
    fill(world.case, lead=world.lead, police=world.users["police"])
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        JournalNote.objects.filter(case=world.case).delete()
    assert JournalNote.objects.filter(case=world.case).count() == 3


def test_purge_deletes_everything_and_leaves_anonymous_stats(world, django_capture_on_commit_callbacks):
    extra = fill(world.case, lead=world.lead, police=world.users["police"])
    case_id, person_id, public_id = world.case.pk, world.case.person_id, world.case.public_id
    assert all(_case_rows(case_id).values())
    assert default_storage.exists(extra["document"])
    # Not yet due: one day short of five years.
    age_case(world.case, days=days_since_birthday(5, extra_days=-1))
    assert services.purge_run().purged == 0
    age_case(world.case, days=days_since_birthday(5))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.purge_run()
    assert len(callbacks) == 1  # the file removal, after the deletion commits
    assert (result.purged, result.skipped) == (1, 0)
    assert not any(_case_rows(case_id).values())
    assert not Person.objects.filter(pk__in=[person_id, extra["guardian"].pk]).exists()
    assert not Guardianship.objects.exists()
    assert not default_storage.exists(extra["document"])
    stat = PurgedCaseStat.objects.get()
    assert stat.programme_code == world.programme.code and stat.district_code == "jarva"
    assert stat.outcome_code == "plan_completed" and stat.final_status == "closed"
    assert stat.lead_organisation_code == "sdf-jarva" and stat.year_closed is not None
    # Audit: counts only, never contents.
    purged = AuditEvent.objects.filter(action="retention.case_purged").get()
    assert purged.subject_id == str(public_id)
    detail = json.loads(purged.detail)
    assert detail["journal_journalnote"] == 3 and detail["consent_consent"] == 1 and detail["files"] == 1
    assert detail["people_person"] == 2
    assert all(isinstance(v, int) for v in detail.values())
    run = AuditEvent.objects.filter(action="retention.purge_run").last()
    for event in (purged, run):
        text = event.detail + event.purpose
        for forbidden in (LEAD_NOTE, POLICE_NOTE, PARTICIPANT_LAST, world.identity.digits, "Läxhjälp"):
            assert forbidden not in text


def test_legal_hold_and_dry_run_are_respected(world, capsys):
    held = records_case(world.users["skarholmen"], identity=world.identity.digits)  # same person, another district
    Case.objects.filter(pk=held.pk).update(legal_hold=True, legal_hold_reason="Domstol")
    age_case(world.case, days=days_since_birthday(5))
    age_case(held, days=days_since_birthday(5))
    call_command("retention", "purge", "--dry-run")
    out = capsys.readouterr().out
    assert str(world.case.public_id) in out and str(held.public_id) not in out
    assert PARTICIPANT_LAST not in out
    assert Case.objects.count() == 2 and not PurgedCaseStat.objects.exists()
    call_command("retention", "purge")
    assert list(Case.objects.values_list("pk", flat=True)) == [held.pk]
    # The person still has the held case: kept.
    assert Person.objects.filter(pk=held.person_id).exists()
    assert PurgedCaseStat.objects.count() == 1
    run = AuditEvent.objects.filter(action="retention.purge_run").last()
    assert json.loads(run.detail)["held"] == 1


def test_retention_is_configurable_per_programme(world):
    world.programme.retention_years = 2
    world.programme.save()
    age_case(world.case, days=days_since_birthday(2))
    assert services.purge_run().purged == 1


def test_touched_case_is_skipped(world):
    """A case that got an entry after the list was made is not purged."""
    age_case(world.case, days=days_since_birthday(5))
    due = services.selectors.due_cases(today=services.timezone.localdate())
    assert [d.case_id for d in due] == [world.case.pk]
    from samverkan.cases.services import case_touch

    case_touch(case=world.case)
    assert services.purge_case(case_id=world.case.pk, today=services.timezone.localdate()) is None
    assert Case.objects.filter(pk=world.case.pk).exists()


def test_dpo_dry_run_page_and_job(world, login):
    other = records_case(world.users["skarholmen"], identity=world.identity.digits)
    age_case(world.case, days=days_since_birthday(5))
    age_case(other, days=days_since_birthday(5))
    dpo = fresh_auth(login(world.users["jarva_dpo"]))
    page = dpo.get("/dataskydd/gallring/")
    assert page.status_code == 200
    body = page.content.decode()
    assert str(world.case.public_id) in body
    assert str(other.public_id) not in body  # another district's case: not this DPO's
    assert PARTICIPANT_LAST not in body and world.identity.digits not in body
    # Without confirming nothing happens.
    assert dpo.post("/dataskydd/gallring/kor/", {}).status_code == 302
    assert Case.objects.filter(pk=world.case.pk).exists()
    response = dpo.post("/dataskydd/gallring/kor/", {"confirm": "on", "confirmed": "1"})
    assert response.status_code == 302 and "/jobb/" in response["Location"]
    assert not Case.objects.filter(pk=world.case.pk).exists()
    assert Case.objects.filter(pk=other.pk).exists()  # only the DPO's own organisation's cases
    # Other roles: 403.
    for user in (world.lead, world.users["jarva_manager"], world.users["police"]):
        client = fresh_auth(login(user))
        assert client.get("/dataskydd/gallring/").status_code == 403
        assert client.post("/dataskydd/gallring/kor/", {"confirm": "on"}).status_code == 403
    assert Case.objects.filter(pk=other.pk).exists()


def test_purge_job_for_all_organisations(world):
    age_case(world.case, days=days_since_birthday(5))
    job = job_start(actor=world.users["admin"], kind="dataprotection.purge", params={"dry_run": True})
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["due"] == 1 and job.result["purged"] == 0
    assert Case.objects.filter(pk=world.case.pk).exists()
    job = job_start(actor=world.users["admin"], kind="dataprotection.purge", params={})
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["purged"] == 1
    assert not Case.objects.exists()


def test_the_purge_asks_first_then_deletes(world, login):
    from samverkan.jobs.models import Job

    age_case(world.case, days=days_since_birthday(5))
    dpo = fresh_auth(login(world.users["jarva_dpo"]))
    first = dpo.post("/dataskydd/gallring/kor/", {"confirm": "on"})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Delete the cases due for good?" in body
    assert "The purge deletes everything about 1 case now" in body
    assert "Deleted cases cannot be brought back, by anyone." in body
    assert 'type="hidden" name="confirm" value="on"' in body
    assert Case.objects.filter(pk=world.case.pk).exists()
    assert not Job.objects.filter(kind="dataprotection.purge").exists()
    assert not AuditEvent.objects.filter(action__in=["retention.case_purged", "retention.purge_run"]).exists()

    response = dpo.post("/dataskydd/gallring/kor/", {"confirm": "on", "confirmed": "1"})
    assert response.status_code == 302 and "/jobb/" in response["Location"]
    assert not Case.objects.filter(pk=world.case.pk).exists()
    assert AuditEvent.objects.filter(action="retention.case_purged").count() == 1

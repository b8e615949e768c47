"""Retention of Trefas records: the defaults, an organisation's own rule overriding them
for its own records only, the purge (each record by its own period; what a kept record
points at stays; legal hold), the job, and the data-protection officer's pages (counts
only, own organisation, audited). Outsiders are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.jobs.registry import kinds
from samverkan.jobs.services import job_start
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import Person
from samverkan.trefas import retention
from samverkan.trefas.models import (
    ActionItem,
    ExitKind,
    ExitLink,
    ForumMeeting,
    Group,
    Incident,
    IncidentKind,
    IncidentLink,
    LinkRole,
    Listing,
    RatingChange,
    RecordType,
    Release,
    ReleaseKind,
    RetentionRule,
    Share,
    ShareState,
)
from samverkan.trefas.selectors.retention import due_records
from samverkan.trefas.services.retention import purge_run, rule_set
from tests.conftest import fast_login
from tests.factories import UserFactory
from tests.trefas.world import list_person, trefas_world
from tests.world import basis, fresh_auth, open_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def years_ago(n, days=1):
    return timezone.now() - timedelta(days=365 * n + n // 4 + days)


def remove(listing, years, days=1):
    Listing.objects.filter(pk=listing.pk).update(removed_at=years_ago(years, days), removal_reason="Test")


def share(world, listing, *, by="police", to=("soc",), state=ShareState.APPROVED, decided=None):
    user = world.users[by]
    s = Share.objects.create(
        forum=world.forum, listing=listing, from_organisation=user.organisation, proposed_by=user,
        proposed_at=decided or timezone.now(), topic="since_last", text="Testuppgift", basis=basis("osl-10-18a"),
        balancing_test="Testavvägning", state=state, decided_by=world.users[f"{by}_jurist"],
        decided_at=decided or timezone.now(), decision_reason="Skäl",
    )
    s.recipients.set([world.orgs[o] for o in to])
    return s


@pytest.fixture
def world():
    w = trefas_world()
    w.users["police_dpo"] = UserFactory(organisation=w.orgs["police"], roles=["dpo"])
    w.users["soc_dpo"] = UserFactory(organisation=w.orgs["soc"], roles=["dpo"])
    return w


def test_defaults_load_once_and_keep_a_change():
    assert retention.load() == len(RecordType.values)
    assert retention.load() == 0
    RetentionRule.objects.filter(organisation=None, record_type=RecordType.LISTING).update(years=4)
    assert retention.load() == 0
    assert RetentionRule.objects.get(organisation=None, record_type=RecordType.LISTING).years == 4
    assert retention.DEFAULT_YEARS == {"listing": 3, "share": 5, "incident": 5, "meeting": 5, "release": 2,
                                       "group": 3}


def test_listing_removed_three_years_ago_is_purged_with_its_history_and_person(world):
    old = list_person(world, by="police")
    recent = list_person(world, by="police")
    remove(old, 3)
    remove(recent, 2)
    person_id = old.person_id
    result = purge_run()
    assert result.deleted == {RecordType.LISTING: 1} and result.persons == 1
    assert not Listing.objects.filter(pk=old.pk).exists()
    assert not RatingChange.objects.filter(listing_id=old.pk).exists()
    assert not Person.objects.filter(pk=person_id).exists()
    assert Listing.objects.filter(pk=recent.pk).exists()
    event = AuditEvent.objects.filter(action="trefas.purged").get()
    assert '"deleted":1' in event.detail and "Fiktiv" not in event.detail


def test_an_organisations_rule_overrides_the_default_for_its_own_records_only(world):
    police_listing = list_person(world, by="police")
    soc_listing = list_person(world, by="soc")
    remove(police_listing, 2)
    remove(soc_listing, 2)
    rule_set(actor=world.users["police_dpo"], record_type=RecordType.LISTING, years=1)
    due = due_records(today=TODAY)
    assert due.due[RecordType.LISTING] == [police_listing.pk]
    purge_run()
    assert not Listing.objects.filter(pk=police_listing.pk).exists()
    assert Listing.objects.filter(pk=soc_listing.pk).exists()
    assert AuditEvent.objects.filter(action="trefas.retention_rule_changed").count() == 1


def test_a_listing_stays_while_a_share_about_it_must_be_kept(world):
    listing = list_person(world, by="police")
    remove(listing, 4)
    kept_share = share(world, listing, by="soc", decided=years_ago(2))
    result = purge_run()
    assert result.kept == {RecordType.LISTING: 1}
    assert Listing.objects.filter(pk=listing.pk).exists()
    Share.objects.filter(pk=kept_share.pk).update(decided_at=years_ago(5))
    result = purge_run()
    assert result.deleted == {RecordType.SHARE: 1, RecordType.LISTING: 1}
    assert not Listing.objects.filter(pk=listing.pk).exists()


def test_every_record_type_by_its_own_period(world):
    police, kv, city = world.users["police"], world.users["probation"], world.users["city_coord"]
    listing = list_person(world, by="police")
    incident_old = Incident.objects.create(
        forum=world.forum, kind=IncidentKind.SHOOTING, occurred_at=years_ago(5), place="Testtorget",
        registered_by=police, registered_by_organisation=police.organisation, registered_at=years_ago(5))
    incident_new = Incident.objects.create(
        forum=world.forum, kind=IncidentKind.SHOOTING, occurred_at=years_ago(4), place="Testtorget",
        registered_by=police, registered_by_organisation=police.organisation, registered_at=years_ago(4))
    sibling = Person.objects.create(
        organisation=world.orgs["soc"], identity_number=make_fictitious(TODAY.replace(year=TODAY.year - 12), 777),
        identity_kind="personnummer", first_name="Syskon", last_name="Fiktiv", birth_date=TODAY.replace(
            year=TODAY.year - 12), is_fictitious=True)
    IncidentLink.objects.create(incident=incident_old, role=LinkRole.RELATIVE, person=sibling,
                                recorded_by_organisation=world.orgs["soc"], recorded_by=world.users["soc"])
    IncidentLink.objects.create(incident=incident_old, role=LinkRole.VICTIM, listing=listing,
                                recorded_by_organisation=police.organisation, recorded_by=police)
    meeting = ForumMeeting.objects.create(forum=world.forum, scheduled_for=years_ago(5), created_by=city)
    ActionItem.objects.create(forum=world.forum, organisation=world.orgs["soc"], title="Orosanmälan",
                              due_at=years_ago(5), incident=incident_old, meeting=meeting)
    release_old = Release.objects.create(forum=world.forum, listing=listing, kind=ReleaseKind.RELEASE,
                                         date=(timezone.now() - timedelta(days=800)).date(), registered_by=kv,
                                         registered_by_organisation=kv.organisation)
    release_new = Release.objects.create(forum=world.forum, listing=listing, kind=ReleaseKind.LEAVE,
                                         date=TODAY, registered_by=kv, registered_by_organisation=kv.organisation)
    group = Group.objects.create(forum=world.forum, owner_organisation=police.organisation, name="Testgänget",
                                 created_by=police)
    Group.objects.filter(pk=group.pk).update(created_at=years_ago(3))
    result = purge_run()
    assert result.deleted == {"action": 1, RecordType.MEETING: 1, RecordType.RELEASE: 1, RecordType.INCIDENT: 1,
                              RecordType.GROUP: 1}
    assert not Incident.objects.filter(pk=incident_old.pk).exists()
    assert Incident.objects.filter(pk=incident_new.pk).exists()
    assert not Person.objects.filter(pk=sibling.pk).exists()  # the sibling's record went with its last use
    assert not ForumMeeting.objects.filter(pk=meeting.pk).exists()
    assert not Release.objects.filter(pk=release_old.pk).exists() and Release.objects.filter(pk=release_new.pk).exists()
    assert not Group.objects.filter(pk=group.pk).exists()
    assert Listing.objects.filter(pk=listing.pk).exists()  # still on the list


def test_legal_hold_on_the_sig_case_keeps_the_listing(world):
    listing = list_person(world, by="soc", age=16)
    remove(listing, 4)
    case = open_case(world.users["sig_coord"], identity=listing.person.identity_number)
    ExitLink.objects.create(listing=listing, kind=ExitKind.SIG_INTAKE, case=case, created_by=world.users["soc"],
                            created_by_organisation=world.orgs["soc"])
    type(case).objects.filter(pk=case.pk).update(legal_hold=True)
    result = purge_run()
    assert result.held == 1 and not result.deleted
    assert Listing.objects.filter(pk=listing.pk).exists()
    type(case).objects.filter(pk=case.pk).update(legal_hold=False)
    assert purge_run().deleted == {RecordType.LISTING: 1}


def test_the_job_is_registered_and_a_dry_run_deletes_nothing(world):
    assert "trefas.retention_purge" in kinds()
    listing = list_person(world, by="police")
    remove(listing, 3)
    job = job_start(actor=world.users["police_dpo"], kind="trefas.retention_purge",
                    params={"organisation_id": world.orgs["police"].pk, "dry_run": True})
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["due"]["listing"] == 1 and not job.result["deleted"]
    assert Listing.objects.filter(pk=listing.pk).exists()
    job = job_start(actor=world.users["police_dpo"], kind="trefas.retention_purge",
                    params={"organisation_id": world.orgs["soc"].pk})
    job.refresh_from_db()
    assert job.status == "succeeded" and Listing.objects.filter(pk=listing.pk).exists()  # not soc's record


def test_dpo_page_shows_counts_of_the_own_organisation_only(world):
    police_listing = list_person(world, by="police", first_name="Gallringsperson")
    remove(police_listing, 3)
    client = fast_login(world.users["soc_dpo"])
    page = client.get(reverse("trefas:retention"))
    assert page.status_code == 200
    assert dict(page.context["counts"])[str(RecordType.LISTING.label)] == 0  # the police's record, not soc's
    police = fast_login(world.users["police_dpo"])
    page = police.get(reverse("trefas:retention"))
    body = page.content.decode()
    assert dict(page.context["counts"])[str(RecordType.LISTING.label)] == 1
    assert "Gallringsperson" not in body and police_listing.person.last_name not in body
    assert AuditEvent.objects.filter(action="retention.list_viewed", subject_type="trefas_retention").count() == 2
    # Rules: own organisation only; bad input is refused clearly.
    assert police.post(reverse("trefas:retention_rules"), {"record_type": "listing", "years": "0"}).status_code == 400
    assert police.post(reverse("trefas:retention_rules"), {"record_type": "listing", "years": "4"}).status_code == 302
    assert RetentionRule.objects.get(record_type="listing", organisation=world.orgs["police"]).years == 4
    # The purge needs a confirmation and a fresh sign-in.
    fresh_auth(police)
    assert police.post(reverse("trefas:retention_run"), {}).status_code == 302
    assert Listing.objects.filter(pk=police_listing.pk).exists()


@pytest.mark.parametrize("persona", ["police", "city_coord", "soc_jurist", "sig_coord", "tax"])
def test_others_are_refused(world, persona):
    client = fresh_auth(fast_login(world.users[persona]))
    assert client.get(reverse("trefas:retention")).status_code == 403
    assert client.post(reverse("trefas:retention_rules"), {"record_type": "listing", "years": "1"}).status_code == 403
    assert client.post(reverse("trefas:retention_run"), {"confirm": "on"}).status_code == 403
    assert not RetentionRule.objects.exists()


def test_the_purge_asks_first_then_deletes(world):
    from samverkan.jobs.models import Job

    police_listing = list_person(world, by="police", first_name="Gallringsperson")
    remove(police_listing, 3)
    police = fresh_auth(fast_login(world.users["police_dpo"]))
    first = police.post(reverse("trefas:retention_run"), {"confirm": "on"})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Delete the Trefas records due for good?" in body
    assert "Deleted records cannot be brought back, by anyone." in body
    assert str(RecordType.LISTING.label) in body and "Gallringsperson" not in body
    assert Listing.objects.filter(pk=police_listing.pk).exists()
    assert not Job.objects.filter(kind="trefas.retention_purge").exists()
    assert not AuditEvent.objects.filter(action="trefas.purged").exists()

    response = police.post(reverse("trefas:retention_run"), {"confirm": "on", "confirmed": "1"})
    assert response.status_code == 302 and "/jobb/" in response["Location"]
    assert not Listing.objects.filter(pk=police_listing.pk).exists()

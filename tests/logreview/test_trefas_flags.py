"""Log review of Trefas: every Trefas read counts as an access to personal data, a read
concerning a person rated red is flagged like a protected identity, a listing counts as a
person for "many persons per day", and the review stays in its compartment."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.audit.services import bulk_append
from samverkan.logreview import rules, services
from samverkan.logreview.models import AccessReviewItem, Reason
from tests.trefas.world import list_person, trefas_world

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Stockholm")
MONTH = date(2025, 3, 1)
BIG = rules.ReviewRules(sample_size=10_000, many_subjects_per_day=1_000)
NONE_SAMPLED = rules.ReviewRules(sample_size=0, many_subjects_per_day=1_000)

TREFAS_READS = (
    Action.TREFAS_LIST_VIEWED, Action.TREFAS_PERSON_VIEWED, Action.TREFAS_MEETING_VIEWED,
    Action.TREFAS_INCIDENT_VIEWED, Action.TREFAS_RELEASES_VIEWED, Action.TREFAS_SHARES_VIEWED,
    Action.TREFAS_GROUPS_VIEWED,
)


def ts(d, hh, mm=0):
    return int(datetime(2025, 3, d, hh, mm, tzinfo=TZ).timestamp() * 1_000_000)


def read(user, action, *, subject_type="trefas_listing", subject_id="1", subject_org=None, detail=None,
         at=None):
    return {
        "action": str(action),
        "actor_id": user.pk,
        "actor_organisation_id": user.organisation_id,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "subject_organisation_id": subject_org or user.organisation_id,
        "detail": detail,
        "ts": at if at is not None else ts(4, 10),  # a Tuesday, office hours
    }


def items(org_id, review_rules):
    review = services.review_sample(organisation_id=org_id, month=MONTH, rules=review_rules)
    return {
        AuditEvent.objects.get(seq=i.event_id).subject_id: i
        for i in AccessReviewItem.objects.filter(review=review)
    }


def test_every_trefas_read_is_an_access_and_changes_are_not():
    w = trefas_world(personas=("police", "soc"))
    for action in TREFAS_READS:
        assert action.value in rules.ACCESS_ACTIONS
    police = w.users["police"]
    bulk_append([read(police, a, subject_id=f"read-{i}") for i, a in enumerate(TREFAS_READS)])
    bulk_append([read(police, Action.TREFAS_LISTED, subject_id="write"),
                 read(police, Action.TREFAS_FORUM_UPDATED, subject_type="trefas_forum", subject_id="forum")])
    got = items(w.orgs["police"].pk, BIG)
    assert set(got) == {f"read-{i}" for i in range(len(TREFAS_READS))}
    assert all(i.sampled for i in got.values())


def test_a_read_about_a_red_rated_person_is_flagged():
    w = trefas_world(personas=("police", "soc"))
    red = list_person(w, by="police", rating="red")
    soc = w.users["soc"]
    police_org = w.orgs["police"].pk
    bulk_append([
        read(soc, Action.TREFAS_PERSON_VIEWED, subject_id=red.pk, subject_org=police_org,
             detail={"red": True, "forum": w.forum.pk}),
        read(soc, Action.TREFAS_LIST_VIEWED, subject_type="trefas_forum", subject_id=w.forum.pk,
             subject_org=police_org, detail={"red": True, "rows": 3}),
        read(soc, Action.TREFAS_PERSON_VIEWED, subject_id="yellow", subject_org=police_org,
             detail={"red": False}),
    ])
    # The owning organisation's review (the police's records) and the reader's own both flag it.
    for org in (police_org, w.orgs["soc"].pk):
        got = items(org, NONE_SAMPLED)
        assert got[str(red.pk)].flag_red and not got[str(red.pk)].flag_protected
        assert got[str(w.forum.pk)].flag_red
        assert "yellow" not in got  # not sampled, not flagged
        assert str(Reason.RED_LISTED.label) in got[str(red.pk)].reason_labels
        assert got[str(red.pk)].flagged


def test_listings_count_as_persons_and_forum_reads_do_not():
    w = trefas_world(personas=("police",))
    police = w.users["police"]
    few = rules.ReviewRules(sample_size=0, many_subjects_per_day=3)
    bulk_append([read(police, Action.TREFAS_PERSON_VIEWED, subject_id=f"L{i}", at=ts(5, 9, i)) for i in range(4)])
    bulk_append([read(police, Action.TREFAS_LIST_VIEWED, subject_type="trefas_forum", subject_id=f"F{i}",
                      at=ts(6, 9, i)) for i in range(10)])
    got = items(w.orgs["police"].pk, few)
    many = [i for i in got.values() if i.flag_many_subjects]
    assert len(many) == 1 and many[0].subjects_that_day == 4
    assert AuditEvent.objects.get(seq=many[0].event_id).subject_type == "trefas_listing"


def test_another_organisations_review_does_not_see_trefas_reads():
    w = trefas_world(personas=("police", "skarholmen"))
    bulk_append([read(w.users["police"], Action.TREFAS_PERSON_VIEWED, subject_id="p", detail={"red": True})])
    assert items(w.orgs["skarholmen"].pk, BIG) == {}

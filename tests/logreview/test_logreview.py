"""Log review: sampling stays in the reviewer's compartment, every flag kind is detected,
marking reviewed works, is audited and is refused where it must be."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from samverkan.audit.models import AuditEvent
from samverkan.audit.services import bulk_append
from samverkan.logreview import rules, services
from samverkan.logreview.models import AccessReview, AccessReviewItem
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Europe/Stockholm")
MONTH = date(2025, 3, 1)  # contains the switch to summer time (30 March)
BIG = rules.ReviewRules(sample_size=10_000)


def ts(y, m, d, hh, mm=0):
    return int(datetime(y, m, d, hh, mm, tzinfo=TZ).timestamp() * 1_000_000)


def event(
    actor,
    *,
    action="case.viewed",
    subject_type="case",
    subject_id="c-1",
    subject_org=None,
    detail=None,
    at=None,
):
    return {
        "action": action,
        "actor_id": actor.pk,
        "actor_organisation_id": actor.organisation_id,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject_organisation_id": subject_org
        if subject_org is not None
        else actor.organisation_id,
        "detail": detail,
        "ts": at if at is not None else ts(2025, 3, 4, 10),
    }


@pytest.fixture
def world():
    a, b = OrganisationFactory(), OrganisationFactory()
    return {
        "a": a,
        "b": b,
        "a_user": UserFactory(organisation=a, roles=["caseworker"]),
        "b_user": UserFactory(organisation=b, roles=["caseworker"]),
        "a_reviewer": UserFactory(organisation=a, roles=["log_reviewer"]),
        "a_reviewer2": UserFactory(organisation=a, roles=["log_reviewer"]),
        "b_reviewer": UserFactory(organisation=b, roles=["log_reviewer"]),
    }


def items_of(review):
    return {i.event_id: i for i in AccessReviewItem.objects.filter(review=review)}


def seqs(**filters):
    return set(AuditEvent.objects.filter(**filters).values_list("seq", flat=True))


def test_sample_stays_within_the_organisations_compartment(world):
    a, b, au, bu = world["a"], world["b"], world["a_user"], world["b_user"]
    bulk_append([event(au, subject_id=f"a-{i}") for i in range(5)])  # A's staff, A's cases
    bulk_append([event(bu, subject_id="b-on-a", subject_org=a.pk)])  # B's staff on an A case
    bulk_append([event(bu, subject_id=f"bonly-{i}") for i in range(7)])  # B only
    bulk_append([event(au, action="auth.login", subject_type="", subject_id="")])  # not an access
    bulk_append([event(au, subject_id="other-month", at=ts(2025, 4, 2, 10))])  # next month
    review = services.review_sample(organisation_id=a.pk, month=MONTH, rules=BIG)
    got = set(items_of(review))
    assert got == seqs(action="case.viewed", subject_id__startswith="a-") | seqs(
        subject_id="b-on-a"
    )
    assert not got & seqs(subject_id__startswith="bonly-")
    assert not got & seqs(subject_id="other-month")
    assert review.accesses_in_scope == 6 and review.sample_size == 6
    # B's review never sees A's own events.
    review_b = services.review_sample(organisation_id=b.pk, month=MONTH, rules=BIG)
    assert not set(items_of(review_b)) & seqs(subject_id__startswith="a-")


def test_sample_size_and_rerun_keeps_the_sample(world):
    au = world["a_user"]
    bulk_append([event(au, subject_id=f"a-{i}", at=ts(2025, 3, 4, 9, i % 60)) for i in range(40)])
    review = services.review_sample(
        organisation_id=world["a"].pk,
        month=MONTH,
        rules=rules.ReviewRules(sample_size=7, many_subjects_per_day=100),
    )
    first = set(items_of(review))
    assert len(first) == 7 and review.sample_size == 7
    again = services.review_sample(
        organisation_id=world["a"].pk,
        month=MONTH,
        rules=rules.ReviewRules(sample_size=7, many_subjects_per_day=100),
    )
    assert set(items_of(again)) == first and AccessReview.objects.count() == 1
    assert AuditEvent.objects.filter(action="logreview.sampled").count() == 2


def test_every_flag_kind_is_detected(world):
    a, au, bu = world["a"], world["a_user"], world["b_user"]
    office = ts(2025, 3, 4, 10)  # Tuesday 10:00
    bulk_append(
        [
            event(
                au,
                action="case.emergency_access",
                subject_id="glass",
                detail={"flagged": True, "hours": 4},
                at=office,
            ),
            event(au, subject_id="glass-view", detail={"emergency": True}, at=office),
            event(au, subject_id="protected", detail={"protected": True}, at=office),
            event(au, subject_id="plain", at=office),
            event(au, subject_id="late", at=ts(2025, 3, 4, 22)),  # Tuesday 22:00
            event(au, subject_id="early", at=ts(2025, 3, 4, 6, 59)),
            event(au, subject_id="saturday", at=ts(2025, 3, 8, 11)),
            event(
                au, subject_id="after-dst", at=ts(2025, 3, 31, 19, 30)
            ),  # Monday after the switch
        ]
    )
    # 31 distinct cases in one day by B's user on A's cases; 30 by A's user on another day.
    bulk_append(
        [
            event(bu, subject_id=f"many-{i}", subject_org=a.pk, at=ts(2025, 3, 5, 9, i))
            for i in range(31)
        ]
    )
    bulk_append([event(au, subject_id=f"ok-{i}", at=ts(2025, 3, 6, 9, i)) for i in range(30)])
    review = services.review_sample(
        organisation_id=a.pk,
        month=MONTH,
        rules=rules.ReviewRules(sample_size=0, many_subjects_per_day=30),
    )
    items = items_of(review)
    by_subject = {AuditEvent.objects.get(seq=s).subject_id: i for s, i in items.items()}
    assert by_subject["glass"].flag_break_glass and by_subject["glass-view"].flag_break_glass
    assert by_subject["protected"].flag_protected and not by_subject["protected"].flag_break_glass
    assert "plain" not in by_subject  # nothing flagged it and the sample is empty
    for name in ("late", "early", "saturday", "after-dst"):
        assert by_subject[name].flag_off_hours, name
    many = [i for i in items.values() if i.flag_many_subjects]
    assert len(many) == 1 and many[0].subjects_that_day == 31
    assert AuditEvent.objects.get(seq=many[0].event_id).actor_id == bu.pk
    assert not any(s.startswith("ok-") for s in by_subject)
    assert all(not i.sampled for i in items.values())


def test_many_subjects_threshold_is_configurable(world):
    au = world["a_user"]
    bulk_append([event(au, subject_id=f"x-{i}", at=ts(2025, 3, 6, 9, i)) for i in range(6)])
    review = services.review_sample(
        organisation_id=world["a"].pk,
        month=MONTH,
        rules=rules.ReviewRules(sample_size=0, many_subjects_per_day=5),
    )
    assert [i.subjects_that_day for i in items_of(review).values() if i.flag_many_subjects] == [6]


def _review_with_item(world, actor_key="b_user"):
    actor = world[actor_key]
    bulk_append(
        [event(actor, subject_id="c-9", subject_org=world["a"].pk, detail={"protected": True})]
    )
    review = services.review_sample(organisation_id=world["a"].pk, month=MONTH, rules=BIG)
    return review, AccessReviewItem.objects.get(review=review)


def test_mark_reviewed_through_the_page_is_audited(world, logged_in):
    _review, item = _review_with_item(world)
    client = logged_in(world["a_reviewer"])
    page = client.get("/loggranskning/2025-3/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"#{item.event_id}" in body or str(item.event_id) in body
    assert world["b_user"].get_full_name() in body  # the acting user's name is shown
    assert "0 of 1 reviewed" in body or "0 av 1" in body
    response = client.post(
        f"/loggranskning/2025-3/{item.pk}/", {"outcome": "follow_up", "comment": "Ask why."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (
        item.outcome == "follow_up"
        and item.comment == "Ask why."
        and item.reviewed_by == world["a_reviewer"]
    )
    row = AuditEvent.objects.filter(action="logreview.item_reviewed").get()
    assert row.actor_id == world["a_reviewer"].pk and "Ask why" not in row.detail
    assert f'"item":{item.pk}' in row.detail
    assert AuditEvent.objects.filter(
        action="logreview.viewed", actor_id=world["a_reviewer"].pk
    ).exists()
    # follow-up without a comment is refused
    client.post(f"/loggranskning/2025-3/{item.pk}/", {"outcome": "follow_up", "comment": ""})
    item.refresh_from_db()
    assert item.comment == "Ask why."


def test_review_pages_refuse_others(world, logged_in):
    _review, item = _review_with_item(world)
    other = logged_in(world["b_reviewer"])
    assert other.get("/loggranskning/2025-3/").status_code == 404
    assert other.post(f"/loggranskning/2025-3/{item.pk}/", {"outcome": "ok"}).status_code == 404
    caseworker = logged_in(world["a_user"])
    assert caseworker.get("/loggranskning/").status_code == 403
    assert caseworker.get("/loggranskning/2025-3/").status_code == 403
    assert (
        caseworker.post(f"/loggranskning/2025-3/{item.pk}/", {"outcome": "ok"}).status_code == 403
    )
    item.refresh_from_db()
    assert item.reviewed_at is None


def test_own_accesses_are_reviewed_by_someone_else(world):
    _review, item = _review_with_item(world, actor_key="a_reviewer")
    with pytest.raises(ValidationError):
        services.item_mark_reviewed(actor=world["a_reviewer"], item=item, outcome="ok", comment="")
    done = services.item_mark_reviewed(
        actor=world["a_reviewer2"], item=item, outcome="ok", comment=""
    )
    assert done.reviewed_by == world["a_reviewer2"]
    with pytest.raises(PermissionDenied):
        services.item_mark_reviewed(actor=world["b_reviewer"], item=item, outcome="ok", comment="")


def test_command_and_job_sample_every_reviewing_organisation(world):
    bulk_append([event(world["a_user"]), event(world["b_user"])])
    call_command("logreview", "sample", "--month", "2025-03")
    assert set(AccessReview.objects.values_list("organisation_id", flat=True)) >= {
        world["a"].pk,
        world["b"].pk,
    }
    from samverkan.jobs import services as jobs
    from samverkan.jobs.models import Job

    job = jobs.job_start(
        actor=world["a_reviewer"],
        kind="logreview.sample",
        params={"month": "2025-03", "organisation": world["a"].pk},
    )
    job.refresh_from_db()
    if job.status != "succeeded":  # the thread backend runs after commit
        from samverkan.jobs.runner import run_job

        run_job(job.pk)
        job.refresh_from_db()
    assert Job.objects.get(pk=job.pk).status == "succeeded", job.message
    with pytest.raises(Exception):
        call_command("logreview", "sample", "--month", "March")


def test_month_arithmetic():
    assert rules.parse_month("2025-03") == date(2025, 3, 1)
    assert rules.previous_month(date(2025, 1, 15)) == date(2024, 12, 1)
    days = rules.day_bounds(MONTH, rules.ReviewRules())
    assert len(days) == 31
    assert days[29][1] - days[29][0] == 23 * 3600 * 1_000_000  # 30 March: 23 hours
    assert len(rules.office_intervals(MONTH, rules.ReviewRules())) == 21


def test_reviewer_sees_ids_never_the_participant_and_home_task(world, logged_in):
    from samverkan.cases import reference as programmes
    from samverkan.cases.models import Case, Programme
    from samverkan.directory.models import District
    from samverkan.directory.services import reference_data_load
    from samverkan.lib.identity_numbers import make_fictitious
    from samverkan.people.models import Person

    reference_data_load()
    programmes.load()
    pnr = make_fictitious(date(2010, 2, 2), 321)
    person = Person.objects.create(identity_number=pnr, identity_kind="personnummer", first_name="Hemlig",
                                   last_name="Hemligsson", birth_date=date(2010, 2, 2), is_fictitious=True)
    case = Case.objects.create(programme=Programme.objects.get(code="sig-unga-jarva"), person=person,
                               lead_organisation=world["a"], district=District.objects.get(code="jarva"),
                               intake_source="police", received_on=date(2025, 3, 1),
                               last_entry_at=datetime(2025, 3, 1, tzinfo=TZ))
    bulk_append([event(world["b_user"], subject_id=str(case.public_id), subject_org=world["a"].pk,
                       detail={"protected": True})])
    services.review_sample(organisation_id=world["a"].pk, month=MONTH, rules=BIG)
    client = logged_in(world["a_reviewer"])
    home = client.get("/").content.decode()
    assert "/loggranskning/2025-3/" in home
    body = client.get("/loggranskning/2025-3/").content.decode()
    assert str(case.public_id) in body
    assert "Hemligsson" not in body and pnr not in body
    assert f"/arenden/{case.public_id}" not in body  # no link into the case

"""Reminders (bevakning): generated from commitments, meetings, consents, retention
dates and follow-ups; the "my reminders" page shows only the user's own reminders on
cases they may still open; the digest e-mail carries counts and a link — never a name,
an identity number or any note text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import services as case_services
from samverkan.cases.models import TeamMember
from samverkan.consent.models import Consent
from samverkan.jobs.services import job_start
from samverkan.meetings.models import Attendee, Meeting
from samverkan.plans.models import Commitment
from samverkan.plans.services import plan_get_or_create
from samverkan.reminders import selectors, services
from samverkan.reminders.models import Reminder
from tests.world import PARTICIPANT_LAST, age_case, days_since_birthday, records_world

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Hemlig text om deltagaren"


@pytest.fixture
def world():
    return records_world()


def _commitment(world, *, recorder, responsible, days):
    plan = plan_get_or_create(case=world.case)
    return Commitment.objects.create(
        plan=plan, case=world.case, description=SECRET_NOTE, organisation=responsible.organisation,
        responsible=responsible, due_on=timezone.localdate() + timedelta(days=days),
        recorded_by_organisation=recorder.organisation, category="plan", created_by=recorder)


def _meeting(world, *, attendee, days):
    meeting = Meeting.objects.create(case=world.case, starts_at=timezone.now() + timedelta(days=days),
                                     place="Rinkeby", agenda=SECRET_NOTE, recorded_by_organisation=world.orgs["jarva"],
                                     created_by=world.lead)
    Attendee.objects.create(meeting=meeting, user=attendee, organisation=attendee.organisation)
    return meeting


def _consent(world, *, days):
    today = timezone.localdate()
    consent = Consent.objects.create(case=world.case, giver="young_person", given_on=today - timedelta(days=300),
                                     valid_from=today - timedelta(days=300), valid_to=today + timedelta(days=days),
                                     categories=["basic", "plan"], recorded_by=world.lead)
    consent.organisations.set([world.orgs["jarva"], world.orgs["police"]])
    return consent


def _kinds(user):
    return sorted(Reminder.objects.filter(user=user).values_list("kind", flat=True))


def test_refresh_generates_each_kind_for_the_right_people(world):
    _commitment(world, recorder=world.lead, responsible=world.users["jarva_cw"], days=3)
    _commitment(world, recorder=world.users["police"], responsible=world.users["police"], days=2)
    _meeting(world, attendee=world.users["jarva_cw"], days=2)
    _consent(world, days=10)
    result = services.reminders_refresh()
    assert result["created"] == Reminder.objects.count() > 0
    assert _kinds(world.users["jarva_cw"]) == ["commitment_due", "consent_expiring", "meeting"]
    assert _kinds(world.lead) == ["consent_expiring"]
    assert _kinds(world.users["jarva_manager"]) == ["consent_expiring"]
    assert _kinds(world.users["jarva_observer"]) == []  # observers only read
    assert _kinds(world.users["police"]) == ["commitment_due"]  # own org's commitment; consents: lead team only
    assert _kinds(world.users["skarholmen"]) == []
    assert _kinds(world.users["jarva_dpo"]) == []
    # Idempotent; a finished commitment's reminder is removed on the next refresh.
    assert services.reminders_refresh()["created"] == 0
    Commitment.objects.filter(responsible=world.users["jarva_cw"]).update(status="done")
    services.reminders_refresh()
    assert _kinds(world.users["jarva_cw"]) == ["consent_expiring", "meeting"]
    event = AuditEvent.objects.filter(action="reminder.refreshed").last()
    assert SECRET_NOTE not in event.detail


def test_commitment_the_user_cannot_see_gives_no_reminder(world):
    # Recorded by Järva, police responsible, no consent: the police cannot see it.
    _commitment(world, recorder=world.lead, responsible=world.users["police"], days=1)
    services.reminders_refresh()
    assert _kinds(world.users["police"]) == []


def test_retention_and_follow_up_reminders(world, login):
    access = world.access(world.lead)
    case_services.case_close(actor=world.lead, case=world.case, access=access, outcome="moved")
    from samverkan.cases.models import FollowUp

    FollowUp.objects.filter(case=world.case, months_after=6).update(due_on=timezone.localdate() + timedelta(days=5))
    services.reminders_refresh()
    assert _kinds(world.lead) == ["follow_up_due"]
    assert _kinds(world.users["police"]) == []
    # 30 days before the retention date: the lead organisation's DPO, not another district's.
    age_case(world.case, days=days_since_birthday(5, extra_days=-30))
    services.reminders_refresh()
    assert _kinds(world.users["jarva_dpo"]) == ["retention_date"]
    assert _kinds(world.users["skarholmen_dpo"]) == []
    page = login(world.users["jarva_dpo"]).get("/bevakningar/")
    assert page.status_code == 200
    body = page.content.decode()
    assert str(world.case.public_id)[:8] in body
    assert PARTICIPANT_LAST not in body


def test_my_reminders_page_only_own_and_visible(world, login):
    _consent(world, days=10)
    _meeting(world, attendee=world.users["jarva_cw"], days=2)
    services.reminders_refresh()
    page = login(world.users["jarva_cw"]).get("/bevakningar/")
    assert page.status_code == 200
    body = page.content.decode()
    assert PARTICIPANT_LAST in body  # the lead team sees the name (via person_view)
    assert len(selectors.reminders_visible(actor=world.users["jarva_cw"])) == 2
    # Someone else's reminder: 404 when marking it done.
    own = Reminder.objects.filter(user=world.users["jarva_cw"]).first()
    assert login(world.lead).post(f"/bevakningar/{own.pk}/klar/").status_code == 404
    assert not Reminder.objects.get(pk=own.pk).done
    # Removed from the team: the reminders disappear at once, and cannot be touched.
    member = TeamMember.objects.get(case=world.case, user=world.users["jarva_cw"], active=True)
    case_services.team_remove(actor=world.lead, case=world.case, access=world.access(world.lead),
                              member=member)
    assert selectors.reminders_visible(actor=world.users["jarva_cw"]) == []
    page = login(world.users["jarva_cw"]).get("/bevakningar/")
    assert PARTICIPANT_LAST not in page.content.decode()
    assert login(world.users["jarva_cw"]).post(f"/bevakningar/{own.pk}/klar/").status_code == 404
    # A user without CASE_VIEW or RETENTION_MANAGE: 403.
    from tests.factories import UserFactory

    auditor = UserFactory(organisation=world.orgs["jarva"], roles=["log_reviewer"])
    assert login(auditor).get("/bevakningar/").status_code == 403


def test_meeting_reminder_hidden_after_consent_withdrawal(world, login):
    # A meeting recorded by Järva, the police invited: visible only under the consents
    # (the 15-year-old's own and the guardian's).
    from datetime import date

    from samverkan.lib.identity_numbers import make_fictitious, parse
    from samverkan.people.services import guardian_add

    guardianship = guardian_add(actor=world.lead, child=world.case.person,
                                identity=parse(make_fictitious(date(1980, 3, 3), 12)), first_name="Vera",
                                last_name="Vårdnadshavare", is_fictitious=True)
    own = _consent(world, days=200)
    guardian = _consent(world, days=200)
    Consent.objects.filter(pk=guardian.pk).update(giver="guardian", guardianship=guardianship)
    Consent.objects.filter(pk__in=[own.pk, guardian.pk]).update(categories=["basic", "plan", "meeting"])
    meeting = _meeting(world, attendee=world.users["police"], days=3)
    services.reminders_refresh()
    assert case_access_for(actor=world.users["police"], case=world.case).can_see(
        recording_org_id=world.orgs["jarva"].pk, category="meeting", created_at=meeting.created_at)
    assert [r.reminder.kind for r in selectors.reminders_visible(actor=world.users["police"])] == ["meeting"]
    Consent.objects.filter(pk=own.pk).update(withdrawn_at=timezone.now())
    # The very next read hides it, before any refresh.
    assert selectors.reminders_visible(actor=world.users["police"]) == []
    assert Reminder.objects.filter(user=world.users["police"], kind="meeting").exists()
    services.reminders_refresh()
    assert not Reminder.objects.filter(user=world.users["police"], kind="meeting").exists()


def test_manual_reminder_on_case(world, login):
    url = f"/arenden/{world.case.public_id}/bevakningar/"
    police = login(world.users["police"])
    assert police.get(url).status_code == 200
    due = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert police.post(url, {"due_on": due, "note": "Ring skolan"}).status_code == 302
    reminder = Reminder.objects.get(user=world.users["police"])
    assert reminder.kind == "custom" and reminder.recorded_by_organisation == world.orgs["police"]
    assert login(world.users["skarholmen"]).get(url).status_code == 404
    assert login(world.users["skarholmen"]).post(url, {"due_on": due, "note": "x"}).status_code == 404
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert police.post(url, {"due_on": past, "note": "För sent"}).status_code == 200
    assert Reminder.objects.filter(user=world.users["police"]).count() == 1
    # Mark done through the page.
    assert police.post(f"/bevakningar/{reminder.pk}/klar/", {"done": "1"}).status_code == 302
    assert Reminder.objects.get(pk=reminder.pk).done


def test_digest_has_counts_and_link_only(world, login, settings):
    settings.SAMVERKAN_BASE_URL = "https://samverkan.example"
    _commitment(world, recorder=world.lead, responsible=world.users["jarva_cw"], days=3)
    _commitment(world, recorder=world.lead, responsible=world.users["jarva_cw"], days=4)
    _consent(world, days=5)
    Reminder.objects.create(user=world.users["jarva_cw"], case=world.case, kind="custom", note=SECRET_NOTE,
                            due_on=timezone.localdate(), recorded_by_organisation=world.orgs["jarva"])
    services.reminders_refresh()
    # A reminder on a case the user has left must not be counted.
    other = Reminder.objects.create(user=world.users["skarholmen"], case=world.case, kind="custom", note="x",
                                    due_on=timezone.localdate(), recorded_by_organisation=world.orgs["skarholmen"])
    mail.outbox.clear()
    result = services.digest_send()
    assert result["sent"] == 3  # caseworker, coordinator, manager (consents); not other_coordinator
    by_to = {m.to[0]: m for m in mail.outbox}
    assert world.users["skarholmen"].email not in by_to
    message = by_to[world.users["jarva_cw"].email]
    text = message.subject + message.body
    assert "2" in text and "https://samverkan.example/bevakningar/" in message.body
    person = world.case.person
    digits = person.identity_number
    for m in mail.outbox:
        content = m.subject + m.body
        for forbidden in (person.first_name, person.last_name, digits, digits[2:], digits[2:8] + "-" + digits[8:],
                          SECRET_NOTE, str(world.case.public_id), world.case.programme.name):
            assert forbidden not in content, forbidden
    assert other.pk  # kept, just not counted
    event = AuditEvent.objects.filter(action="reminder.digest_sent").get()
    assert '"sent":3' in event.detail


def test_jobs_and_commands(world, capsys):
    _consent(world, days=3)
    job = job_start(actor=world.users["admin"], kind="reminders.refresh")
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert Reminder.objects.filter(kind="consent_expiring").count() == 3
    mail.outbox.clear()
    job = job_start(actor=world.users["admin"], kind="reminders.digest")
    job.refresh_from_db()
    assert job.status == "succeeded" and len(mail.outbox) == 3
    call_command("reminders", "refresh")
    call_command("reminders", "digest")
    out = capsys.readouterr().out
    assert "created=0" in out and "sent=3" in out


def test_home_page_task(world, login):
    Reminder.objects.create(user=world.lead, case=world.case, kind="custom", note="x",
                            due_on=timezone.localdate(), recorded_by_organisation=world.orgs["jarva"])
    Reminder.objects.create(user=world.lead, case=world.case, kind="custom", note="y",
                            due_on=timezone.localdate() + timedelta(days=3), recorded_by_organisation=world.orgs["jarva"])
    from samverkan.home.selectors import home_for

    tasks = [t for t in home_for(user=world.lead).tasks if "/bevakningar/" in t.url]
    assert len(tasks) == 1 and tasks[0].count == 1
    assert not any("/bevakningar/" in t.url for t in home_for(user=world.users["police"]).tasks)


# --- Reminders follow the change at once (no nightly refresh needed) ---------------------


def test_booking_a_meeting_and_an_overdue_commitment_remind_at_once(world, login):
    from samverkan.meetings import services as meeting_services
    from samverkan.plans import services as plan_services

    cw = world.users["jarva_cw"]
    access = world.access(world.lead)
    member = TeamMember.objects.get(case=world.case, user=cw, active=True)
    assert Reminder.objects.filter(case=world.case).count() == 0
    meeting = meeting_services.meeting_create(
        actor=world.lead, case=world.case, access=access,
        starts_at=timezone.now() + timedelta(days=2), place="Rinkeby", attendees=[member])
    commitment = plan_services.commitment_create(
        actor=world.lead, case=world.case, access=access, description="Ring skolan",
        responsible=cw, due_on=timezone.localdate() - timedelta(days=3))
    assert _kinds(cw) == ["commitment_due", "meeting"]
    page = login(cw).get("/bevakningar/")
    body = page.content.decode()
    assert ("Overdue" in body and "This week" in body) or "Later" in body
    assert "You have no reminders" not in body
    # Marked done, it stays done while nothing changes; a new due date brings it back.
    reminder = Reminder.objects.get(user=cw, kind="commitment_due")
    services.reminder_set_done(actor=cw, reminder=reminder)
    services.refresh_for_case(world.case)
    assert Reminder.objects.get(pk=reminder.pk).done
    commitment.refresh_from_db()
    plan_services.commitment_update(
        actor=world.lead, case=world.case, access=access, commitment=commitment,
        expected_version=commitment.version, description="Ring skolan", responsible=cw,
        due_on=timezone.localdate() + timedelta(days=1), status="planned", follow_up_note="",
        goal=None, category="plan")
    assert not Reminder.objects.get(pk=reminder.pk).done
    # Completed: the reminder goes at once. Cancelled meeting: likewise.
    commitment.refresh_from_db()
    plan_services.commitment_follow_up(
        actor=world.lead, case=world.case, access=access, commitment=commitment,
        expected_version=commitment.version, status="done", follow_up_note="")
    meeting.refresh_from_db()
    meeting_services.meeting_cancel(actor=world.lead, case=world.case, access=access, meeting=meeting,
                                    expected_version=meeting.version)
    assert _kinds(cw) == []


def test_closing_the_case_and_team_changes_refresh_at_once(world):
    from samverkan.plans import services as plan_services

    cw = world.users["jarva_cw"]
    access = world.access(world.lead)
    plan_services.commitment_create(
        actor=world.lead, case=world.case, access=access, description="Ring skolan",
        responsible=cw, due_on=timezone.localdate() + timedelta(days=1))
    _consent(world, days=10)
    case_services.case_touch(case=world.case)  # a consent recorded outside the service
    assert "consent_expiring" in _kinds(world.lead)
    member = TeamMember.objects.get(case=world.case, user=cw, active=True)
    case_services.team_remove(actor=world.lead, case=world.case, access=access, member=member)
    assert _kinds(cw) == []
    case_services.case_close(actor=world.lead, case=world.case, access=access, outcome="moved")
    assert "consent_expiring" not in _kinds(world.lead)  # a closed case's consents no longer remind


def test_my_reminders_filters_order_and_groups(world, login):
    cw = world.users["jarva_cw"]
    _commitment(world, recorder=world.lead, responsible=cw, days=-2)
    _commitment(world, recorder=world.lead, responsible=cw, days=13)
    _meeting(world, attendee=cw, days=0.1)
    services.reminders_refresh()
    page = selectors.reminder_page(actor=cw)
    assert next(g.key for g in page.groups) == "overdue"
    assert sum(len(g.rows) for g in page.groups) == page.shown == page.total == 3
    assert {k for k, _label in page.kinds} == {"commitment_due", "meeting"}
    only_meetings = selectors.reminder_page(actor=cw, kind="meeting")
    assert [r.reminder.kind for g in only_meetings.groups for r in g.rows] == ["meeting"]
    only_this_case = selectors.reminder_page(actor=cw, case_public_id=str(world.case.public_id))
    assert only_this_case.shown == 3
    # A case or kind not among the user's reminders is ignored, never echoed to the log.
    other_case = selectors.reminder_page(actor=cw, case_public_id="00000000-0000-0000-0000-000000000000")
    assert other_case.shown == other_case.total == 3
    assert selectors.reminder_page(actor=cw, kind="Hemlig text").shown == 3
    assert AuditEvent.objects.filter(action="reminder.listed").last().subject_id == ""
    client = login(cw)
    body = client.get("/bevakningar/?typ=meeting").content.decode()
    assert "Commitment due" not in body.split("<h2", 1)[1]
    body = client.get(f"/bevakningar/?arende={world.case.public_id}&ordning=kind").content.decode()
    assert "Overdue" in body
    # Done ones are hidden unless asked for, then grouped last.
    services.reminder_set_done(actor=cw, reminder=Reminder.objects.filter(user=cw, kind="meeting").get())
    assert "done" not in [g.key for g in selectors.reminder_page(actor=cw).groups]
    assert [g.key for g in selectors.reminder_page(actor=cw, include_done=True).groups][-1] == "done"
    assert client.get("/bevakningar/?typ=bogus&ordning=bogus").status_code == 200


def test_group_rows_by_week():
    from datetime import date

    from samverkan.reminders.models import Reminder as R
    from samverkan.reminders.selectors import ReminderRow, group_rows

    today = date(2026, 12, 9)  # a Wednesday
    rows = [ReminderRow(reminder=R(pk=i, kind="custom", due_on=d), case=None, person=None, url="")
            for i, d in enumerate([date(2026, 12, 8), date(2026, 12, 13), date(2026, 12, 14)])]
    groups = group_rows(rows, today=today)
    assert [(g.key, [r.reminder.due_on.day for r in g.rows]) for g in groups] == [
        ("overdue", [8]), ("week", [13]), ("later", [14])]
    rows.append(ReminderRow(reminder=R(pk=9, kind="custom", due_on=date(2026, 12, 20)), case=None, person=None,
                            url=""))
    later = next(g for g in group_rows(rows, today=today, order="latest") if g.key == "later")
    assert [r.reminder.due_on.day for r in later.rows] == [20, 14]

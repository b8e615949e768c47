from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.cases.models import Case, Programme, TeamMember
from samverkan.meetings import selectors, services
from samverkan.meetings.models import Attendee, Meeting, Minutes
from samverkan.plans.models import Commitment
from tests.world import disclose, give_consent, withdraw

pytestmark = pytest.mark.django_db


def _team(world, *users):
    return list(TeamMember.objects.filter(case=world.case, active=True, user__in=users))


def _meeting(world, user=None, when=None, attendees=None, **kw):
    user = user or world.lead
    when = when or timezone.now() + timedelta(days=3)
    return services.meeting_create(
        actor=user,
        case=world.case,
        access=world.access(user),
        starts_at=when,
        place=kw.pop("place", "Rinkeby stadsdelskontor"),
        attendees=attendees
        if attendees is not None
        else _team(world, world.lead, world.users["police"]),
        **kw,
    )


def test_meeting_is_an_entry_of_the_calling_organisation(world):
    meeting = _meeting(world, agenda="Skolan")
    assert (meeting.recorded_by_organisation_id, meeting.category) == (world.orgs["jarva"].pk, "meeting")
    assert set(
        Attendee.objects.filter(meeting=meeting).values_list("organisation_id", flat=True)
    ) == {world.orgs["jarva"].pk, world.orgs["police"].pk}
    assert AuditEvent.objects.filter(action="meeting.created").count() == 1
    # Visible to the lead; the police need a consent covering "meeting" (or a disclosure).
    assert selectors.meetings_visible(case=world.case, access=world.access(world.lead)).count() == 1
    assert (
        selectors.meetings_visible(case=world.case, access=world.access(world.users["police"])).count()
        == 0
    )
    consent = give_consent(world, categories=["meeting"])
    assert (
        selectors.meetings_visible(case=world.case, access=world.access(world.users["police"])).count()
        == 1
    )
    withdraw(world, consent)
    assert (
        selectors.meetings_visible(case=world.case, access=world.access(world.users["police"])).count()
        == 0
    )
    disclose(world, to=world.orgs["police"], categories=["meeting"])
    assert (
        selectors.meetings_visible(case=world.case, access=world.access(world.users["police"])).count()
        == 1
    )
    # The disclosure went to the police only.
    assert (
        selectors.meetings_visible(case=world.case, access=world.access(world.users["school"])).count()
        == 0
    )


def test_attendees_must_be_on_the_team_and_roles(world):
    outsider_member = TeamMember(
        case=world.case, user=world.users["tax"], organisation=world.orgs["tax"], active=False
    )
    with pytest.raises(ValidationError):
        _meeting(world, attendees=[outsider_member])
    with pytest.raises(PermissionDenied):
        _meeting(world, user=world.users["jarva_observer"])
    meeting = _meeting(world)
    with pytest.raises(PermissionDenied):  # the police did not call it
        services.meeting_update(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            meeting=meeting,
            expected_version=1,
            starts_at=meeting.starts_at,
            place="x",
            attendees=[],
            agenda="",
            kind="follow_up",
            participant_attendance="invited",
        )


def test_meeting_update_conflict_and_cancel(world):
    meeting = _meeting(world)
    access = world.access(world.lead)
    args = dict(
        actor=world.lead,
        case=world.case,
        access=access,
        meeting=meeting,
        starts_at=meeting.starts_at,
        attendees=_team(world, world.lead),
        agenda="",
        kind="follow_up",
        participant_attendance="invited",
    )
    services.meeting_update(expected_version=1, place="Husby träff", **args)
    with pytest.raises(services.StaleEdit):
        services.meeting_update(expected_version=1, place="Tensta", **args)
    meeting.refresh_from_db()
    assert meeting.place == "Husby träff"
    assert list(Attendee.objects.filter(meeting=meeting).values_list("user_id", flat=True)) == [
        world.lead.pk
    ]
    services.meeting_cancel(
        actor=world.lead, case=world.case, access=access, meeting=meeting, expected_version=2
    )
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    with pytest.raises(ValidationError):
        services.minutes_create(
            actor=world.lead, case=world.case, access=access, meeting=meeting, text="x"
        )


def test_attendance_only_after_the_start(world):
    access = world.access(world.lead)
    future = _meeting(world)
    with pytest.raises(ValidationError):
        services.meeting_record_attendance(
            actor=world.lead,
            case=world.case,
            access=access,
            meeting=future,
            expected_version=1,
            attended_user_ids=[],
            participant_attendance="absent",
        )
    past = _meeting(world, when=timezone.now() - timedelta(hours=2))
    services.meeting_record_attendance(
        actor=world.lead,
        case=world.case,
        access=access,
        meeting=past,
        expected_version=1,
        attended_user_ids=[world.users["police"].pk],
        participant_attendance="attended",
    )
    past.refresh_from_db()
    assert (past.status, past.participant_attendance) == ("held", "attended")
    assert dict(Attendee.objects.filter(meeting=past).values_list("user_id", "attended")) == {
        world.lead.pk: False,
        world.users["police"].pk: True,
    }
    with pytest.raises(services.StaleEdit):
        services.meeting_record_attendance(
            actor=world.lead,
            case=world.case,
            access=access,
            meeting=past,
            expected_version=1,
            attended_user_ids=[],
            participant_attendance="absent",
        )


def test_signed_minutes_are_immutable_and_corrected_by_new_minutes(world):
    access = world.access(world.lead)
    meeting = _meeting(world, when=timezone.now() - timedelta(hours=1))
    draft = services.minutes_create(
        actor=world.lead, case=world.case, access=access, meeting=meeting, text="Utkast"
    )
    assert (draft.recorded_by_organisation_id, draft.category, draft.signed_at) == (
        world.orgs["jarva"].pk,
        "meeting",
        None,
    )
    decision = services.decision_add(
        actor=world.lead,
        case=world.case,
        access=access,
        minutes=draft,
        text="Polisen kontaktar skolan",
        responsible=world.users["police"],
        due_on=timezone.localdate() + timedelta(days=7),
    )
    assert decision.organisation_id == world.orgs["police"].pk
    with pytest.raises(services.StaleEdit):  # the decision changed the minutes
        services.minutes_sign(
            actor=world.lead, case=world.case, access=access, minutes=draft, expected_version=1
        )
    draft.refresh_from_db()
    signed = services.minutes_sign(
        actor=world.lead,
        case=world.case,
        access=access,
        minutes=draft,
        expected_version=draft.version,
    )
    assert signed.signed_at is not None
    with pytest.raises(ValidationError):
        services.minutes_update_draft(
            actor=world.lead,
            case=world.case,
            access=access,
            minutes=signed,
            expected_version=signed.version,
            text="Ändrat",
        )
    with pytest.raises(ValidationError):
        services.decision_add(
            actor=world.lead, case=world.case, access=access, minutes=signed, text="Till"
        )
    assert Minutes.objects.get(pk=signed.pk).text == "Utkast"
    correction = services.minutes_create(
        actor=world.lead,
        case=world.case,
        access=access,
        meeting=meeting,
        text="Rättat",
        corrects=signed,
        sign=True,
    )
    assert correction.corrects_id == signed.pk
    give_consent(world)
    with pytest.raises(PermissionDenied):  # only the recording organisation corrects
        services.minutes_create(
            actor=world.users["police"],
            case=world.case,
            access=world.access(world.users["police"]),
            meeting=meeting,
            text="x",
            corrects=signed,
        )
    assert AuditEvent.objects.filter(action="meeting.minutes_signed").count() == 2


def test_drafts_are_visible_to_their_author_only(world):
    give_consent(world)
    meeting = _meeting(world, when=timezone.now() - timedelta(hours=1))
    other_lead = world.users["jarva_observer"]  # same organisation, not the author
    services.minutes_create(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        meeting=meeting,
        text="Utkast",
    )
    assert selectors.minutes_visible(case=world.case, access=world.access(world.lead)).count() == 1
    assert selectors.minutes_visible(case=world.case, access=world.access(other_lead)).count() == 0
    assert (
        selectors.minutes_visible(case=world.case, access=world.access(world.users["police"])).count()
        == 0
    )


def test_minutes_of_another_organisation_need_consent_for_the_meeting_category(world):
    consent = give_consent(world, categories=["meeting"])
    meeting = _meeting(world, when=timezone.now() - timedelta(hours=1))
    services.minutes_create(
        actor=world.users["police"],
        case=world.case,
        access=world.access(world.users["police"]),
        meeting=meeting,
        text="Polisens protokoll",
        sign=True,
    )
    assert selectors.minutes_visible(case=world.case, access=world.access(world.lead)).count() == 1
    withdraw(world, consent)
    assert selectors.minutes_visible(case=world.case, access=world.access(world.lead)).count() == 0
    give_consent(world, categories=["plan"])  # scope excludes "meeting"
    assert selectors.minutes_visible(case=world.case, access=world.access(world.lead)).count() == 0


def test_decision_becomes_a_commitment_once(world):
    access = world.access(world.lead)
    meeting = _meeting(world, when=timezone.now() - timedelta(hours=1))
    minutes = services.minutes_create(
        actor=world.lead, case=world.case, access=access, meeting=meeting, text="Protokoll"
    )
    decision = services.decision_add(
        actor=world.lead,
        case=world.case,
        access=access,
        minutes=minutes,
        text="Boka läkartid",
        responsible=world.users["school"],
    )
    commitment = services.decision_to_commitment(
        actor=world.lead,
        case=world.case,
        access=access,
        decision=decision,
        description=decision.text,
        responsible=world.users["school"],
        due_on=timezone.localdate() + timedelta(days=5),
    )
    assert commitment.organisation_id == world.orgs["school"].pk
    assert commitment.recorded_by_organisation_id == world.orgs["jarva"].pk
    assert commitment.decision_link.decision_id == decision.pk
    with pytest.raises(ValidationError):
        services.decision_to_commitment(
            actor=world.lead,
            case=world.case,
            access=access,
            decision=decision,
            description="igen",
            responsible=world.users["school"],
            due_on=timezone.localdate(),
        )
    assert Commitment.objects.count() == 1
    assert AuditEvent.objects.filter(action="meeting.decision_committed").count() == 1


def test_next_follow_up_on_the_programme_cadence(world):
    access = world.access(world.lead)
    cadence = world.case.programme.meeting_cadence_days
    follow = selectors.next_follow_up(case=world.case, access=access)
    decided = timezone.localdate(world.case.decided_at)
    assert (
        follow.due_on == decided + timedelta(days=cadence)
        and follow.planned is None
        and not follow.overdue
    )
    held = _meeting(world, when=timezone.now() - timedelta(days=cadence + 5))
    follow = selectors.next_follow_up(case=world.case, access=access)
    assert follow.due_on == timezone.localdate(held.starts_at) + timedelta(days=cadence)
    assert follow.overdue
    # The cadence is the programme's setting.
    Programme.objects.filter(pk=world.case.programme_id).update(meeting_cadence_days=60)
    case = Case.objects.select_related("programme").get(pk=world.case.pk)
    assert not selectors.next_follow_up(case=case, access=access).overdue
    suggestion = selectors.meeting_suggestion(case=world.case, access=access)
    assert suggestion["place"] == "Rinkeby stadsdelskontor"
    assert {m.user_id for m in suggestion["attendees"]} == {world.lead.pk, world.users["police"].pk}
    assert timezone.localdate(suggestion["starts_at"]) > timezone.localdate()  # never in the past
    booked = _meeting(
        world,
        when=timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=4), time(13, 0))
        ),
    )
    follow = selectors.next_follow_up(case=world.case, access=access)
    assert follow.planned == booked and follow.due_on == timezone.localdate() + timedelta(days=4)
    # Meetings the viewer may not see do not count (the police, no consent).
    police_follow = selectors.next_follow_up(
        case=world.case, access=world.access(world.users["police"])
    )
    assert police_follow.planned is None and police_follow.last is None


def test_meetings_upcoming_for_actor_and_case(world):
    soon = _meeting(world, when=timezone.now() + timedelta(days=2))
    _meeting(world, when=timezone.now() + timedelta(days=40))
    _meeting(world, when=timezone.now() - timedelta(days=1))
    rows = selectors.meetings_upcoming(actor=world.lead, within_days=14)
    assert [r.meeting.pk for r in rows] == [soon.pk]
    assert selectors.meetings_upcoming(actor=world.users["police"]) == []  # not shared without consent
    give_consent(world, categories=["meeting"])
    assert [
        r.meeting.pk
        for r in selectors.meetings_upcoming(actor=world.users["police"], attending_only=True)
    ] == [soon.pk]
    assert selectors.meetings_upcoming(actor=world.users["school"], attending_only=True) == []
    assert (
        len(
            selectors.meetings_upcoming(
                case=world.case, access=world.access(world.lead), within_days=60
            )
        )
        == 2
    )
    assert selectors.meetings_upcoming(actor=world.users["skarholmen"]) == []
    assert Meeting.objects.count() == 3

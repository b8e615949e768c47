"""Meeting pages under a case: list with the next follow-up due, a meeting with its
attendees, minutes and decisions, and the forms that change them. Reads go through
cases.selectors.case_for_actor (404 outside the team) and meetings.selectors
(access.items_q); writes through meetings.services. A conflicting save answers 409 with
the editor's input kept and the stored version shown."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case
from samverkan.meetings import selectors, services
from samverkan.meetings.forms import (
    AttendanceForm,
    CancelForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    SignForm,
)
from samverkan.meetings.models import Meeting, MeetingStatus
from samverkan.plans import selectors as plan_selectors
from samverkan.plans.forms import CommitmentForm


def _case(request: HttpRequest, public_id: UUID) -> tuple[Case, CaseAccess]:
    return case_for_actor(actor=request.user, public_id=public_id)


def _context(case: Case, access: CaseAccess, **extra: Any) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "person": case_selectors.person_view(case=case, access=access),
        **extra,
    }


def _may(request: HttpRequest, access: CaseAccess, permission: Permission) -> bool:
    return (
        policy.has_permission(request.user, permission)
        and not access.emergency
        and access.team_role != "observer"
    )


def _own(request: HttpRequest, meeting: Meeting) -> bool:
    return meeting.recorded_by_organisation_id == request.user.organisation_id  # type: ignore[union-attr]


def _detail_url(case: Case, meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[case.public_id, meeting.public_id])


@require_permission(Permission.CASE_VIEW)
@require_GET
def meeting_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    meetings = selectors.meeting_list(actor=request.user, case=case, access=access)
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        _context(
            case,
            access,
            follow_up=selectors.next_follow_up(case=case, access=access, now=now),
            upcoming=[
                m for m in meetings if m.starts_at >= now and m.status == MeetingStatus.PLANNED
            ][::-1],
            earlier=[
                m
                for m in meetings
                if not (m.starts_at >= now and m.status == MeetingStatus.PLANNED)
            ],
            can_manage=_may(request, access, Permission.CASE_MEETING_MANAGE),
        ),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    team = selectors.attendee_choices(case=case)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        initial = selectors.meeting_suggestion(case=case, access=access)
        initial["starts_at"] = timezone.localtime(initial["starts_at"])
    form = MeetingForm(request.POST or None, team=team, new=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                case=case,
                access=access,
                starts_at=d["starts_at"],
                place=d["place"],
                attendees=list(d["attendees"]),
                agenda=d["agenda"],
                kind=d["kind"],
                participant_attendance=d["participant_attendance"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting is booked."))
            return redirect(_detail_url(case, meeting))
    return render(
        request, "meetings/meeting_form.html", _context(case, access, form=form, meeting=None)
    )


@require_permission(Permission.CASE_VIEW)
@require_GET
def meeting_detail(request: HttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    detail = selectors.meeting_detail(
        actor=request.user, case=case, access=access, public_id=meeting_id
    )
    meeting = detail.meeting
    can_manage = _may(request, access, Permission.CASE_MEETING_MANAGE)
    return render(
        request,
        "meetings/detail.html",
        _context(
            case,
            access,
            detail=detail,
            meeting=meeting,
            can_manage=can_manage,
            can_change=can_manage
            and _own(request, meeting)
            and meeting.status != MeetingStatus.CANCELLED,
            can_record=can_manage
            and _own(request, meeting)
            and meeting.status != MeetingStatus.CANCELLED
            and meeting.starts_at <= timezone.now(),
            can_write_minutes=can_manage and meeting.status != MeetingStatus.CANCELLED,
            can_commit=_may(request, access, Permission.CASE_PLAN_EDIT) and can_manage,
            cancel_form=CancelForm(initial={"version": meeting.version}),
        ),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    if not _own(request, meeting):
        raise PermissionDenied
    team = selectors.attendee_choices(case=case)
    invited = {a.user_id for a in meeting.attendees.all()}
    form = MeetingForm(
        request.POST or None,
        team=team,
        initial={
            "version": meeting.version,
            "kind": meeting.kind,
            "starts_at": timezone.localtime(meeting.starts_at),
            "place": meeting.place,
            "agenda": meeting.agenda,
            "participant_attendance": meeting.participant_attendance,
            "attendees": [m for m in team if m.user_id in invited],
        },
    )
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.meeting_update(
                actor=request.user,
                case=case,
                access=access,
                meeting=meeting,
                expected_version=d["version"],
                starts_at=d["starts_at"],
                place=d["place"],
                attendees=list(d["attendees"]),
                agenda=d["agenda"],
                kind=d["kind"],
                participant_attendance=d["participant_attendance"],
            )
        except services.StaleEdit:
            current = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(_detail_url(case, meeting))
    return render(
        request,
        "meetings/meeting_form.html",
        _context(case, access, form=form, meeting=meeting, current=current),
        status=status,
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_POST
def meeting_cancel(request: HttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(_detail_url(case, meeting))
    try:
        services.meeting_cancel(
            actor=request.user,
            case=case,
            access=access,
            meeting=meeting,
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleEdit:
        messages.error(
            request, _("The meeting changed after you opened it. Check it, then try again.")
        )
    except ValidationError as exc:  # e.g. the case is closed
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The meeting is cancelled."))
    return redirect(_detail_url(case, meeting))


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    if not _own(request, meeting):
        raise PermissionDenied
    attendees = meeting.attendees.select_related("user", "organisation")
    form = AttendanceForm(
        request.POST or None,
        attendees=attendees,
        initial={
            "version": meeting.version,
            "attended": [a for a in attendees if a.attended],
            "participant_attendance": meeting.participant_attendance
            if meeting.participant_attendance != "invited"
            else None,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.meeting_record_attendance(
                actor=request.user,
                case=case,
                access=access,
                meeting=meeting,
                expected_version=d["version"],
                attended_user_ids=[a.user_id for a in d["attended"]],
                participant_attendance=d["participant_attendance"],
            )
        except services.StaleEdit:
            current = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect(_detail_url(case, meeting))
    return render(
        request,
        "meetings/attendance_form.html",
        _context(case, access, form=form, meeting=meeting),
        status=status,
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def minutes_new(request: HttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    corrects = None
    corrects_param = request.GET.get("rattar", "")
    if corrects_param:
        try:
            corrects = selectors.minutes_for_actor(
                case=case, access=access, meeting=meeting, public_id=UUID(corrects_param)
            )
        except ValueError:
            corrects = None
    form = MinutesForm(
        request.POST or None, new=True, initial={"text": corrects.text if corrects else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_create(
                actor=request.user,
                case=case,
                access=access,
                meeting=meeting,
                text=form.cleaned_data["text"],
                sign=form.cleaned_data["sign"],
                corrects=corrects,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(_detail_url(case, meeting))
    return render(
        request,
        "meetings/minutes_form.html",
        _context(case, access, form=form, meeting=meeting, minutes=None, corrects=corrects),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def minutes_edit(
    request: HttpRequest, public_id: UUID, meeting_id: UUID, minutes_id: UUID
) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    minutes = selectors.minutes_for_actor(
        case=case, access=access, meeting=meeting, public_id=minutes_id
    )
    if minutes.author_id != request.user.pk:
        raise PermissionDenied
    form = MinutesForm(
        request.POST or None, initial={"version": minutes.version, "text": minutes.text}
    )
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update_draft(
                actor=request.user,
                case=case,
                access=access,
                minutes=minutes,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
            )
        except services.StaleEdit:
            current = selectors.minutes_for_actor(
                case=case, access=access, meeting=meeting, public_id=minutes_id
            )
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(_detail_url(case, meeting))
    return render(
        request,
        "meetings/minutes_form.html",
        _context(case, access, form=form, meeting=meeting, minutes=minutes, current=current),
        status=status,
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_POST
def minutes_sign(
    request: HttpRequest, public_id: UUID, meeting_id: UUID, minutes_id: UUID
) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    minutes = selectors.minutes_for_actor(
        case=case, access=access, meeting=meeting, public_id=minutes_id
    )
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(_detail_url(case, meeting))
    try:
        services.minutes_sign(
            actor=request.user,
            case=case,
            access=access,
            minutes=minutes,
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleEdit:
        messages.error(
            request, _("The minutes changed after you opened them. Read them again, then sign.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The minutes are signed."))
    return redirect(_detail_url(case, meeting))


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def decision_new(
    request: HttpRequest, public_id: UUID, meeting_id: UUID, minutes_id: UUID
) -> HttpResponse:
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    minutes = selectors.minutes_for_actor(
        case=case, access=access, meeting=meeting, public_id=minutes_id
    )
    if minutes.author_id != request.user.pk or minutes.signed_at is not None:
        raise PermissionDenied
    form = DecisionForm(request.POST or None, team=selectors.attendee_choices(case=case))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_add(
                actor=request.user,
                case=case,
                access=access,
                minutes=minutes,
                text=d["text"],
                responsible=d["responsible"].user if d["responsible"] else None,
                due_on=d["due_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision is added to the minutes."))
            return redirect(_detail_url(case, meeting))
    return render(
        request,
        "meetings/decision_form.html",
        _context(case, access, form=form, meeting=meeting, minutes=minutes),
    )


@require_permission(Permission.CASE_PLAN_EDIT)
@require_http_methods(["GET", "POST"])
def decision_commit(
    request: HttpRequest, public_id: UUID, meeting_id: UUID, decision_id: UUID
) -> HttpResponse:
    """The plan's commitment form, filled in from the decision; saving adds it."""
    case, access = _case(request, public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    decision = selectors.decision_for_actor(
        case=case, access=access, meeting=meeting, public_id=decision_id
    )
    if hasattr(decision, "commitment_link"):
        messages.info(request, _("This decision is already a commitment in the plan."))
        return redirect(_detail_url(case, meeting))
    team = case_selectors.team_for_case(case=case)
    form = CommitmentForm(
        request.POST or None,
        goals=plan_selectors.goal_choices(case=case, access=access),
        team=team,
        new=True,
        initial={
            "description": decision.text,
            "responsible": team.filter(user_id=decision.responsible_id).first()
            if decision.responsible_id
            else None,
            "due_on": decision.due_on or timezone.localdate() + timedelta(days=14),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decision_to_commitment(
                actor=request.user,
                case=case,
                access=access,
                decision=decision,
                description=d["description"],
                responsible=d["responsible"].user,
                due_on=d["due_on"],
                goal=d["goal"],
                category=d["category"],
                status=d["status"],
                follow_up_note=d["follow_up_note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision is now a commitment in the plan."))
            return redirect(_detail_url(case, meeting))
    return render(
        request,
        "plans/commitment_form.html",
        _context(
            case,
            access,
            form=form,
            commitment=None,
            full=True,
            prefilled_from_decision=True,
            back_url=_detail_url(case, meeting),
        ),
    )

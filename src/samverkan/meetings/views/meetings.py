"""Meeting pages under a case: the list with the next follow-up due, a meeting with its
attendees, and the forms that plan, change, cancel and record attendance (minutes and
decisions: views.minutes). Reads go through caseaccess.selectors.case_for_actor (404
outside the team) and meetings.selectors (the sharing rule); writes through
meetings.services. A conflicting save answers 409 with the editor's input kept and the
stored version shown."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.meetings import selectors, services
from samverkan.meetings.forms import (
    AttendanceForm,
    CancelForm,
    MeetingForm,
)
from samverkan.meetings.models import MeetingStatus
from samverkan.meetings.views.common import detail_url, page_context


@require_permission(Permission.CASE_VIEW)
@require_GET
def meeting_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meetings = selectors.meeting_list(actor=request.user, case=case, access=access)
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        page_context(
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
            can_manage=access.may(CaseAction.MANAGE_MEETING),
        ),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    team = selectors.attendee_choices(case=case)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        initial = selectors.meeting_suggestion(case=case, access=access)
        initial["starts_at"] = timezone.localtime(initial["starts_at"])
    form = MeetingForm(request.POST or None, team=team, new=True, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.clashes_confirmed(
            selectors.meetings_clashing(case=case, access=access, starts_at=form.cleaned_data["starts_at"])
        )
    ):
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
            return redirect(detail_url(case, meeting))
    return render(
        request, "meetings/meeting_form.html", page_context(case, access, form=form, meeting=None)
    )


@require_permission(Permission.CASE_VIEW)
@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    detail = selectors.meeting_detail(
        actor=request.user, case=case, access=access, public_id=meeting_id
    )
    meeting = detail.meeting
    can_manage = access.may(CaseAction.MANAGE_MEETING)
    return render(
        request,
        "meetings/detail.html",
        page_context(
            case,
            access,
            detail=detail,
            meeting=meeting,
            can_manage=can_manage,
            can_change=access.may(CaseAction.MANAGE_MEETING, meeting)
            and meeting.status != MeetingStatus.CANCELLED,
            can_record=access.may(CaseAction.MANAGE_MEETING, meeting)
            and meeting.status != MeetingStatus.CANCELLED
            and meeting.starts_at <= timezone.now(),
            can_write_minutes=can_manage and meeting.status != MeetingStatus.CANCELLED,
            can_commit=access.may(CaseAction.EDIT_PLAN) and can_manage,
            cancel_form=CancelForm(initial={"version": meeting.version}),
        ),
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    access.require(CaseAction.MANAGE_MEETING, meeting)  # the organisation's own meeting
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
    if (
        request.method == "POST"
        and form.is_valid()
        and form.clashes_confirmed(
            selectors.meetings_clashing(
                case=case, access=access, starts_at=form.cleaned_data["starts_at"], exclude=meeting
            )
            # a moved meeting only (the form holds whole minutes)
            if form.cleaned_data["starts_at"] != meeting.starts_at.replace(second=0, microsecond=0)
            else []
        )
    ):
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
            return redirect(detail_url(case, meeting))
    return render(
        request,
        "meetings/meeting_form.html",
        page_context(case, access, form=form, meeting=meeting, current=current),
        status=status,
    )


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect(detail_url(case, meeting))
    # Only someone who may cancel it is asked; anyone else gets the service's answer.
    if (
        meeting.status == MeetingStatus.PLANNED
        and access.may(CaseAction.MANAGE_MEETING, meeting)
        and not confirmed(request)
    ):
        return confirm_page(
            request,
            heading=_("Cancel the meeting?"),
            consequence=_(
                "The meeting of %(day)s is marked as cancelled for the whole team of the case."
            )
            % {"day": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")},
            irreversible=_(
                "A cancelled meeting cannot be planned again: plan a new meeting instead."
            ),
            submit=_("Yes, cancel the meeting"),
            cancel_label=_("No, keep the meeting"),
            destructive=True,
            cancel_url=detail_url(case, meeting),
            details=[(_("Place"), meeting.place)],
            header="cases/_case_header.html",
            context=page_context(case, access),
        )
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
    return redirect(detail_url(case, meeting))


@require_permission(Permission.CASE_MEETING_MANAGE)
@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedHttpRequest, public_id: UUID, meeting_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    meeting = selectors.meeting_for_actor(case=case, access=access, public_id=meeting_id)
    access.require(CaseAction.MANAGE_MEETING, meeting)  # the organisation's own meeting
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
            return redirect(detail_url(case, meeting))
    return render(
        request,
        "meetings/attendance_form.html",
        page_context(case, access, form=form, meeting=meeting),
        status=status,
    )

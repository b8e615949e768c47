"""The forum's meetings: the list, planning and cancelling, the meeting page (agenda and
joint picture, attendance, who was discussed, minutes, actions decided) and its PDF.

Every view starts with ``forum_for_actor`` (404 for anyone outside the forum) and asks the
forum decision (``access.require``: 403 for a member whose role does not allow it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.agenda_pdf import agenda_pdf
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.forms.meetings import (
    ActionForm,
    AttendanceForm,
    DiscussedForm,
    MeetingPlanForm,
    MinutesForm,
    VersionedForm,
)
from samverkan.trefas.models import Forum, ForumMeeting, MeetingStatus
from samverkan.trefas.selectors import meetings as selectors
from samverkan.trefas.selectors.agenda import agenda_for
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.services import actions as action_services
from samverkan.trefas.services import meetings as services


def _meeting_url(forum: Forum, meeting: ForumMeeting) -> str:
    return reverse("trefas:meeting", args=[forum.pk, meeting.pk])


def _context(forum: Forum, access: TrefasAccess, **extra: Any) -> dict[str, Any]:
    return {"forum": forum, "access": access, **extra}


def _recordable(meeting: ForumMeeting) -> bool:
    return meeting.signed_at is None and meeting.status != MeetingStatus.CANCELLED


@require_permission(Permission.TREFAS_VIEW)
@require_GET
def meeting_list(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    overview = selectors.meetings_overview(forum=forum, access=access)
    return render(request, "trefas/meetings.html", _context(forum, access, overview=overview))


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.RUN_MEETINGS)
    form = MeetingPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(actor=request.user, access=access, forum=forum,
                                            scheduled_for=form.cleaned_data["scheduled_for"],
                                            place=form.cleaned_data["place"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting is planned."))
            return redirect(_meeting_url(forum, meeting))
    return render(request, "trefas/meeting_form.html", _context(forum, access, form=form))


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    """A confirmation page, then the cancellation."""
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.RUN_MEETINGS)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    form = VersionedForm(request.POST or None, initial={"version": meeting.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, access=access, meeting=meeting,
                                    expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("trefas:meetings", forum.pk)
    return render(request, "trefas/meeting_cancel.html", _context(forum, access, form=form, meeting=meeting),
                  status=status)


@require_permission(Permission.TREFAS_VIEW)
@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    """The agenda with each person's joint picture, and the meeting's record."""
    forum, access = forum_for_actor(request.user, forum_id)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    agenda = agenda_for(actor=request.user, forum=forum, access=access, meeting=meeting)
    record = selectors.meeting_record(meeting=meeting)
    return render(request, "trefas/meeting.html", _context(
        forum, access, meeting=meeting, agenda=agenda, record=record, recordable=_recordable(meeting),
    ))


@require_permission(Permission.TREFAS_VIEW)
@require_GET
def meeting_pdf(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    content = agenda_pdf(actor=request.user, forum=forum, access=access, meeting=meeting)
    response = HttpResponse(content, content_type="application/pdf")
    # No name in the file name: it ends up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="agenda-{meeting.pk}.pdf"'
    return response


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.RUN_MEETINGS)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    members = selectors.member_choices(forum=forum)
    record = selectors.meeting_record(meeting=meeting)
    form = AttendanceForm(
        request.POST or None,
        members=[(m.user_id, f"{m.name} ({m.organisation_name})") for m in members],
        initial={"version": meeting.version, "present": sorted(record.present_user_ids)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(actor=request.user, access=access, meeting=meeting,
                                       present_user_ids=form.cleaned_data["present"],
                                       expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect(_meeting_url(forum, meeting))
    return render(request, "trefas/meeting_attendance.html",
                  _context(forum, access, form=form, meeting=meeting), status=status)


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_discussed(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.RUN_MEETINGS)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    choices = selectors.listing_choices(forum=forum, access=access)
    record = selectors.meeting_record(meeting=meeting)
    form = DiscussedForm(
        request.POST or None,
        listings=[(c.listing_id, c.label) for c in choices],
        initial={"version": meeting.version, "listings": sorted(record.discussed_ids)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.discussions_record(actor=request.user, access=access, meeting=meeting,
                                        listing_ids=form.cleaned_data["listings"],
                                        expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved who was discussed."))
            return redirect(_meeting_url(forum, meeting))
    return render(request, "trefas/meeting_discussed.html",
                  _context(forum, access, form=form, meeting=meeting), status=status)


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    """Write or change the draft minutes; a concurrent save answers 409 with the stored
    text beside the editor's. Signed minutes open no editor: back to the meeting."""
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.RUN_MEETINGS)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    if meeting.signed_at is not None:
        messages.info(request, _("The minutes are signed and can no longer be changed."))
        return redirect(_meeting_url(forum, meeting))
    form = MinutesForm(request.POST or None, initial={"version": meeting.version, "minutes": meeting.minutes})
    status = 200
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(actor=request.user, access=access, meeting=meeting,
                                  text=form.cleaned_data["minutes"], expected_version=form.cleaned_data["version"])
        except StaleEdit:
            current = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
            status = form.show_conflict(current.version)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(_meeting_url(forum, meeting))
    return render(request, "trefas/meeting_minutes.html",
                  _context(forum, access, form=form, meeting=meeting, current=current), status=status)


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_sign(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    """A confirmation page showing the minutes as they will be signed, then the signature."""
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.RUN_MEETINGS)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    form = VersionedForm(request.POST or None, initial={"version": meeting.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_sign(actor=request.user, access=access, meeting=meeting,
                                  expected_version=form.cleaned_data["version"])
        except StaleEdit:
            meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
            form = VersionedForm(initial={"version": meeting.version})
            form.add_error(None, _("The minutes changed after you opened them. Read them again, then sign."))
            status = 409
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The minutes are signed."))
            return redirect(_meeting_url(forum, meeting))
    return render(request, "trefas/meeting_sign.html", _context(forum, access, form=form, meeting=meeting),
                  status=status)


@require_permission(Permission.TREFAS_VIEW)
@require_http_methods(["GET", "POST"])
def meeting_action_new(request: AuthenticatedHttpRequest, forum_id: int, meeting_id: int) -> HttpResponse:
    """A decision of the meeting becomes an action of one member organisation."""
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.DECIDE_ACTIONS)
    meeting = selectors.meeting_for_forum(forum=forum, meeting_id=meeting_id)
    organisations = {o.pk: o for o in selectors.member_organisations(forum=forum)}
    members = {m.user_id: m for m in selectors.member_choices(forum=forum)}
    listings = selectors.listing_choices(forum=forum, access=access)
    form = ActionForm(
        request.POST or None,
        organisations=[(pk, o.name) for pk, o in organisations.items()],
        members=[(m.user_id, f"{m.name} ({m.organisation_name})") for m in members.values()],
        listings=[(c.listing_id, c.label) for c in listings],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action_services.action_create(
                actor=request.user, access=access, forum=forum, organisation=organisations[data["organisation"]],
                title=data["title"], due_at=form.due_at,
                responsible=selectors.member_user(forum=forum, user_id=data["responsible"])
                if data["responsible"] else None,
                meeting=meeting,
                listing=selectors.listing_for_forum(forum=forum, listing_id=data["listing"])
                if data["listing"] else None,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The action is added."))
            return redirect(_meeting_url(forum, meeting))
    return render(request, "trefas/action_form.html", _context(forum, access, form=form, meeting=meeting))

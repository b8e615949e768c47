"""The weekly EST meeting record of an area (opening, the record's details, actions
decided, the follow-up of earlier actions, closing) and the list of open actions.

Every view finds the area or action through the scope selectors (404 outside the scope)
and the services ask the decision (403 for a reader who may not run the meeting). The
guard lets reporters in so that an external reporter gets the same 404 as anyone else
outside the scope, rather than a 403 that would confirm the page exists for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.forms.meetings import (
    ActionFilterForm,
    ActionForm,
    ActionStatusForm,
    FollowUpForm,
    RecordForm,
    VersionedForm,
)
from samverkan.picture.selectors import meetings as selectors
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.selectors.week import parse_week
from samverkan.picture.services import meetings as services

IN_SCOPE = (Permission.PICTURE_VIEW, Permission.PICTURE_REPORT)


def _meeting_url(area_code: str, week: str) -> str:
    return reverse("picture:meeting", kwargs={"area": area_code, "week": week})


def _record_form(page: selectors.MeetingPage, data: Any = None) -> RecordForm:
    meeting = page.meeting
    assert meeting is not None
    initial = {
        "version": meeting.version, "held_on": meeting.held_on, "seen": meeting.seen,
        "participants": [o.pk for o in meeting.participants.all()],
    }
    return RecordForm(data, initial=initial, parties=page.parties)


def _follow_up_form(row: selectors.FollowUpRow, data: Any = None) -> FollowUpForm:
    recorded = row.recorded
    initial = {
        "version": row.action.version,
        "status": recorded.status if recorded else row.action.status,
        "note": recorded.note if recorded else "",
    }
    return FollowUpForm(data, initial=initial, prefix=f"f{row.action.pk}", about=f"follow-up-{row.action.pk}")


def _render(
    request: AuthenticatedHttpRequest, page: selectors.MeetingPage, access: LocalAccess, *,
    record_form: RecordForm | None = None, action_form: ActionForm | None = None,
    follow_up_forms: dict[int, FollowUpForm] | None = None, status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"page": page, "access": access}
    if page.editable:
        context["record_form"] = record_form or _record_form(page)
        context["action_form"] = action_form or ActionForm(parties=page.parties)
        bound = follow_up_forms or {}
        context["follow_up_rows"] = [(row, bound.get(row.action.pk) or _follow_up_form(row)) for row in page.follow_ups]
    else:
        context["follow_up_rows"] = [(row, None) for row in page.follow_ups]
    return render(request, "picture/meeting.html", context, status=status)


def _load(request: AuthenticatedHttpRequest, area: str, week: str, *, audit_read: bool = False) -> tuple[
    LocalAccess, selectors.MeetingPage
]:
    access = local_access_for(request.user)
    area_obj = selectors.area_in_scope(access=access, code=area)
    week_start = parse_week(week)
    page = selectors.meeting_page(actor=request.user, access=access, area=area_obj, week_start=week_start,
                                  audit_read=audit_read)
    return access, page


@require_permission(*IN_SCOPE)
@require_GET
def meeting(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    access, page = _load(request, area, week, audit_read=True)
    return _render(request, page, access)


@require_permission(*IN_SCOPE)
@require_POST
def meeting_open(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    access = local_access_for(request.user)
    area_obj = selectors.area_in_scope(access=access, code=area)
    week_start = parse_week(week)
    try:
        services.meeting_open(actor=request.user, access=access, area=area_obj, week_start=week_start)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The record of the week's meeting is open."))
    return redirect(_meeting_url(area_obj.code, week))


def _editable_page(request: AuthenticatedHttpRequest, area: str, week: str) -> tuple[
    LocalAccess, selectors.MeetingPage
]:
    """The page of a record the person may edit: 404 without a record, 403 for a reader."""
    access, page = _load(request, area, week)
    if page.meeting is None:
        raise Http404
    access.require(LocalAction.RUN_MEETING, page.area)
    return access, page


@require_permission(*IN_SCOPE)
@require_POST
def meeting_record(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    access, page = _editable_page(request, area, week)
    assert page.meeting is not None
    if page.meeting.closed:
        messages.error(request, _("The record is closed and can no longer be changed."))
        return redirect(_meeting_url(page.area.code, page.week))
    form = RecordForm(request.POST, parties=page.parties)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                actor=request.user, access=access, meeting=page.meeting, held_on=data["held_on"],
                participant_ids=data["participants"], seen=data["seen"], expected_version=data["version"],
            )
        except StaleEdit:
            status = form.show_conflict(stored_version(page.meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The record is saved."))
            return redirect(_meeting_url(page.area.code, page.week))
    return _render(request, page, access, record_form=form, status=status)


def _closed_refusal(request: AuthenticatedHttpRequest, page: selectors.MeetingPage) -> HttpResponse | None:
    assert page.meeting is not None
    if page.meeting.closed:
        messages.error(request, _("The record is closed and can no longer be changed."))
        return redirect(_meeting_url(page.area.code, page.week))
    return None


@require_permission(*IN_SCOPE)
@require_POST
def meeting_action_add(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    access, page = _editable_page(request, area, week)
    assert page.meeting is not None
    refused = _closed_refusal(request, page)
    if refused is not None:
        return refused
    form = ActionForm(request.POST, parties=page.parties)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(actor=request.user, access=access, meeting=page.meeting, text=data["text"],
                                organisation_id=data["organisation"], due_on=data["due_on"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The action is added. Add another, or close the record when the meeting "
                                        "is over."))
            return redirect(_meeting_url(page.area.code, page.week) + "#actions")
    return _render(request, page, access, action_form=form)


@require_permission(*IN_SCOPE)
@require_POST
def meeting_follow_up(request: AuthenticatedHttpRequest, area: str, week: str, action_id: int) -> HttpResponse:
    access, page = _editable_page(request, area, week)
    assert page.meeting is not None
    refused = _closed_refusal(request, page)
    if refused is not None:
        return refused
    row = next((r for r in page.follow_ups if r.action.pk == action_id), None)
    if row is None:
        raise Http404
    form = FollowUpForm(request.POST, prefix=f"f{action_id}", about=f"follow-up-{action_id}")
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_follow_up(actor=request.user, access=access, meeting=page.meeting, action=row.action,
                                      status=data["status"], note=data["note"], expected_version=data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(row.action))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect(_meeting_url(page.area.code, page.week) + "#follow-up")
    return _render(request, page, access, follow_up_forms={action_id: form}, status=status)


@require_permission(*IN_SCOPE)
@require_http_methods(["GET", "POST"])
def meeting_close(request: AuthenticatedHttpRequest, area: str, week: str) -> HttpResponse:
    """The confirmation page, saying what can no longer be changed, and the closing."""
    access, page = _editable_page(request, area, week)
    assert page.meeting is not None
    refused = _closed_refusal(request, page)
    if refused is not None:
        return refused
    form = VersionedForm(request.POST or None, initial={"version": page.meeting.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_close(actor=request.user, access=access, meeting=page.meeting,
                                   expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(page.meeting))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The record is closed."))
            return redirect(_meeting_url(page.area.code, page.week))
    return render(request, "picture/meeting_close.html", {"page": page, "form": form}, status=status)


# --- the list of open actions --------------------------------------------------------


def _filters(form: ActionFilterForm) -> selectors.ActionFilters:
    """The valid filters (a choice that is not offered, e.g. an area outside the scope,
    is dropped and shown as an error on its field)."""
    if not form.is_bound:
        return selectors.ActionFilters()
    form.is_valid()
    data = form.cleaned_data
    return selectors.ActionFilters(
        area_id=data.get("area"), mine=bool(data.get("mine")), overdue=bool(data.get("overdue")),
        order=data.get("order") or selectors.Order.DUE,
    )


def _render_actions(request: AuthenticatedHttpRequest, access: LocalAccess, *,
                    status_forms: dict[int, ActionStatusForm] | None = None, status: int = 200) -> HttpResponse:
    areas = selectors.areas_for_actions(access=access)
    filter_form = ActionFilterForm(request.GET or None, areas=areas)
    overview = selectors.actions_overview(actor=request.user, access=access, filters=_filters(filter_form),
                                          page_number=request.GET.get("page"))
    bound = status_forms or {}
    rows = []
    for row in overview.rows:
        form = None
        if access.may(LocalAction.UPDATE_ACTION, row.action):
            form = bound.get(row.action.pk) or ActionStatusForm(
                initial={"version": row.action.version, "status": row.action.status}, prefix=f"a{row.action.pk}",
                about=f"action-{row.action.pk}",
            )
        rows.append((row, form))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "picture/actions.html", {
        "access": access, "overview": overview, "rows": rows, "filter_form": filter_form,
        "query": query.urlencode(),
    }, status=status)


@require_permission(*IN_SCOPE)
@require_GET
def actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_actions(request, local_access_for(request.user))


@require_permission(*IN_SCOPE)
@require_POST
def action_status(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    access = local_access_for(request.user)
    action = selectors.action_for_actor(access=access, action_id=action_id)
    access.require(LocalAction.UPDATE_ACTION, action)
    form = ActionStatusForm(request.POST, prefix=f"a{action.pk}", about=f"action-{action.pk}")
    status = 200
    if form.is_valid():
        try:
            services.action_update_status(actor=request.user, access=access, action=action,
                                          status=form.cleaned_data["status"],
                                          expected_version=form.cleaned_data["version"])
        except StaleEdit:
            status = form.show_conflict(stored_version(action))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The action is updated."))
            return redirect(reverse("picture:actions") + (f"?{request.GET.urlencode()}" if request.GET else ""))
    return _render_actions(request, access, status_forms={action.pk: form}, status=status)

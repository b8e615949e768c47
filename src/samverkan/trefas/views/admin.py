"""Forum administration, under /trefas/admin/ (TREFAS_FORUM_MANAGE: system
administrators): forums and their settings, member organisations, named members.

These pages show a forum's set-up only. A system administrator who is not a member of
the forum sees nothing of its list, shares, meetings or anyone it discusses here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.directory.selectors import areas_by_name, district_list, organisation_list
from samverkan.lib.concurrency import StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.forms.admin import ConfirmForm, ForumForm, ForumOrganisationForm, MemberForm
from samverkan.trefas.models import Forum
from samverkan.trefas.selectors import admin as selectors
from samverkan.trefas.services import admin as services


@require_permission(Permission.TREFAS_FORUM_MANAGE)
@require_GET
def forum_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "trefas/admin/forums.html", {"forums": list(selectors.forums_for_admin(actor=request.user))})


@require_permission(Permission.TREFAS_FORUM_MANAGE)
@require_http_methods(["GET", "POST"])
def forum_edit(request: AuthenticatedHttpRequest, forum_id: int | None = None) -> HttpResponse:
    forum = selectors.forum_for_admin(actor=request.user, forum_id=forum_id) if forum_id else Forum()
    form = ForumForm(
        request.POST or None, instance=forum, initial={"version": forum.version if forum_id else None},
        districts=district_list(), areas=areas_by_name(),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.forum_save(
                actor=request.user, forum=form.save(commit=False), districts=form.cleaned_data["districts"],
                areas=form.cleaned_data["areas"], expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit:
            status = show_conflict(form, stored_version(forum))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The forum is saved."))
            return redirect("trefas:admin_forum", forum_id=saved.pk)
    if request.method == "POST" and status == 200 and form.errors:
        status = 400
    return render(request, "trefas/admin/forum_edit.html", {
        "form": form, "forum": forum if forum_id else None,
        "title": _("Edit the forum's settings") if forum_id else _("New Trefas forum"),
    }, status=status)


@require_permission(Permission.TREFAS_FORUM_MANAGE)
@require_GET
def forum_detail(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_for_admin(actor=request.user, forum_id=forum_id)
    return render(request, "trefas/admin/forum.html", {
        "forum": forum,
        "organisations": selectors.forum_organisations(forum=forum),
        "members": selectors.forum_members(forum=forum),
        "districts": list(forum.districts.all()),
        "areas": list(forum.areas.all()),
    })


@require_permission(Permission.TREFAS_FORUM_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthenticatedHttpRequest, forum_id: int, membership_id: int | None = None
                      ) -> HttpResponse:
    forum = selectors.forum_for_admin(actor=request.user, forum_id=forum_id)
    row = selectors.forum_organisation(forum=forum, membership_id=membership_id) if membership_id else None
    initial = {"organisation": row.organisation_id, "kind": row.kind, "active": row.active} if row else {}
    form = ForumOrganisationForm(
        request.POST or None, initial=initial, organisations=organisation_list(include_inactive=row is not None),
        fixed=row is not None, was_active=bool(row and row.active),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.organisation_save(
                    actor=request.user, forum=forum, organisation=form.cleaned_data["organisation"],
                    kind=form.cleaned_data["kind"], active=bool(form.cleaned_data["active"]),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The member organisation is saved."))
                return redirect("trefas:admin_forum", forum_id=forum.pk)
        status = 400
    return render(request, "trefas/admin/organisation_edit.html", {
        "form": form, "forum": forum, "row": row,
        "title": _("Change a member organisation") if row else _("Add a member organisation"),
    }, status=status)


@require_permission(Permission.TREFAS_FORUM_MANAGE)
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthenticatedHttpRequest, forum_id: int, member_id: int | None = None) -> HttpResponse:
    forum = selectors.forum_for_admin(actor=request.user, forum_id=forum_id)
    member = selectors.forum_member(forum=forum, member_id=member_id) if member_id else None
    initial = {"user": member.user_id, "role": member.role} if member else {}
    form = MemberForm(request.POST or None, initial=initial, candidates=selectors.member_candidates(forum=forum),
                      fixed=member is not None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.member_save(actor=request.user, forum=forum, user=form.cleaned_data["user"],
                                     role=form.cleaned_data["role"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The member is saved."))
                return redirect("trefas:admin_forum", forum_id=forum.pk)
        status = 400
    return render(request, "trefas/admin/member_edit.html", {
        "form": form, "forum": forum, "member": member,
        "title": _("Change a member's role") if member else _("Name a member"),
    }, status=status)


@require_permission(Permission.TREFAS_FORUM_MANAGE)
@require_http_methods(["GET", "POST"])
def member_deactivate(request: AuthenticatedHttpRequest, forum_id: int, member_id: int) -> HttpResponse:
    """A confirmation page first: the person loses access to the forum at once."""
    forum = selectors.forum_for_admin(actor=request.user, forum_id=forum_id)
    member = selectors.forum_member(forum=forum, member_id=member_id)
    form = ConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.member_deactivate(actor=request.user, forum=forum, member=member)
            messages.success(request, _("The person no longer takes part in the forum."))
            return redirect("trefas:admin_forum", forum_id=forum.pk)
        status = 400
    return render(request, "trefas/admin/member_deactivate.html",
                  {"form": form, "forum": forum, "member": member}, status=status)

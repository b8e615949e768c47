"""The groups page (the relation view) and the police's changes to groups, memberships and
conflicts. HTTP only: forum_for_actor, then trefas.selectors.groups / services.groups. A
change with bad input is shown again on its own small page with the errors and the input
kept; a conflict status changed by someone else meanwhile answers 409 the same way."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.concurrency import StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.forms.groups import (
    ConflictForm,
    ConflictStatusForm,
    GroupForm,
    MembershipEndForm,
    MembershipForm,
)
from samverkan.trefas.models import Forum
from samverkan.trefas.selectors import groups as selectors
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.services import groups as services


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def groups(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    """Each visible group with its listed members and conflicts (active ones marked)."""
    forum, access = forum_for_actor(request.user, forum_id)
    page = selectors.groups_page(actor=request.user, access=access, forum=forum)
    own_groups = [(row.group.pk, row.group.name) for row in page.groups if row.owned]
    context: dict[str, Any] = {"forum": forum, "access": access, "page": page}
    if page.may_manage:
        context.update(group_form=GroupForm(), conflict_form=ConflictForm(groups=own_groups))
        for row in page.groups:
            if row.owned:  # one form per group, with ids of its own
                row.member_form = MembershipForm(listings=page.listings, auto_id=f"id_g{row.group.pk}_%s")
    return render(request, "trefas/groups.html", context)


def _again(request: AuthenticatedHttpRequest, forum: Forum, access: TrefasAccess, form: Form,
           title: str, status: int = 400) -> HttpResponse:
    return render(request, "trefas/group_change.html",
                  {"forum": forum, "access": access, "form": form, "title": title}, status=status)


def _done(request: AuthenticatedHttpRequest, forum: Forum, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("trefas:groups", forum_id=forum.pk)


@require_POST
@require_permission(Permission.TREFAS_LIST_MANAGE)
def group_new(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.MANAGE_GROUPS)
    form = GroupForm(request.POST)
    if form.is_valid():
        try:
            services.group_create(actor=request.user, access=access, forum=forum, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, forum, _("The group is recorded."))
    return _again(request, forum, access, form, _("Record a group"))


@require_POST
@require_permission(Permission.TREFAS_LIST_MANAGE)
def group_member_add(request: AuthenticatedHttpRequest, forum_id: int, group_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    group = selectors.own_group(access=access, group_id=group_id)
    access.require(TrefasAction.MANAGE_GROUPS, group)
    page_listings = selectors.listing_choices(access=access)
    form = MembershipForm(request.POST, listings=page_listings)
    if form.is_valid():
        data = form.cleaned_data
        try:
            listing = selectors.listing_in_forum(access=access, listing_id=data["listing"])
            services.membership_add(actor=request.user, access=access, group=group, listing=listing,
                                    since=data["since"], until=data["until"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, forum, _("The person is recorded as a member of the group."))
    return _again(request, forum, access, form, _("Add a member to %(group)s") % {"group": group.name})


@require_POST
@require_permission(Permission.TREFAS_LIST_MANAGE)
def group_member_end(request: AuthenticatedHttpRequest, forum_id: int, membership_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    membership = selectors.group_membership(access=access, membership_id=membership_id)
    access.require(TrefasAction.MANAGE_GROUPS, membership.group)
    form = MembershipEndForm(request.POST)
    if form.is_valid() and membership.until is None and not confirmed(request):
        until = form.cleaned_data["until"]
        if until >= membership.since:  # an earlier date gets the service's error on the form instead
            name = selectors.member_shown(actor=request.user, access=access, membership=membership)
            return confirm_page(
                request,
                heading=_("End the membership of %(name)s in %(group)s?")
                % {"name": name, "group": membership.group.name},
                consequence=_(
                    "%(name)s is recorded as a member of %(group)s until %(until)s. The groups page then "
                    "shows the membership as ended."
                )
                % {"name": name, "group": membership.group.name, "until": until.isoformat()},
                irreversible=_(
                    "An ended membership cannot be reopened and its end date cannot be changed. If they "
                    "join the group again, record a new membership."
                ),
                submit=_("Yes, end the membership"),
                destructive=True,
                cancel_url=reverse("trefas:groups", args=[forum.pk]),
                details=[
                    (_("Group"), membership.group.name),
                    (_("Member since"), membership.since.isoformat()),
                    (_("Member until"), until.isoformat()),
                ],
                header="trefas/_forum_header.html",
                context={"forum": forum, "access": access},
            )
    if form.is_valid():
        try:
            services.membership_end(actor=request.user, access=access, membership=membership,
                                    until=form.cleaned_data["until"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, forum, _("The membership is ended."))
    return _again(request, forum, access, form, _("End a membership"))


@require_POST
@require_permission(Permission.TREFAS_LIST_MANAGE)
def conflict_new(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.MANAGE_GROUPS)
    own = selectors.own_group_choices(access=access)
    form = ConflictForm(request.POST, groups=own)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_record(
                actor=request.user, access=access,
                group_a=selectors.own_group(access=access, group_id=data["group_a"]),
                group_b=selectors.own_group(access=access, group_id=data["group_b"]),
                status=data["status"], since=data["since"], note=data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _done(request, forum, _("The conflict is recorded."))
    return _again(request, forum, access, form, _("Record a conflict"))


@require_POST
@require_permission(Permission.TREFAS_LIST_MANAGE)
def conflict_status(request: AuthenticatedHttpRequest, forum_id: int, conflict_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    conflict = selectors.group_conflict(access=access, conflict_id=conflict_id)
    access.require(TrefasAction.MANAGE_GROUPS, conflict.group_a)
    form = ConflictStatusForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conflict_set_status(actor=request.user, access=access, conflict=conflict, status=data["status"],
                                         since=data["since"], note=data["note"], version=data["version"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except StaleEdit:
            status = show_conflict(form, stored_version(conflict))
        else:
            return _done(request, forum, _("The conflict's status is saved."))
    title = _("Conflict between %(a)s and %(b)s") % {"a": conflict.group_a.name, "b": conflict.group_b.name}
    return _again(request, forum, access, form, title, status=status)

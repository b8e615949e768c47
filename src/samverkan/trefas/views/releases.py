"""Releases and leaves: the forum's coming releases, registering one (Kriminalvården),
a release's page with its plan, cancelling (with confirmation). The conditions are not a
field: the page links to sharing them (the shares topic, ``trefas:share_new``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import CONFLICT_STATUS, STALE_KEPT, StaleEdit
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.forms.releases import PlanActionForm, ReleaseForm, VersionForm
from samverkan.trefas.models import ActionStatus, Forum, Release
from samverkan.trefas.selectors import releases as selectors
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.selectors.incidents import listing_choices, listing_for
from samverkan.trefas.services import actions as action_services
from samverkan.trefas.services import releases as services


def _share_url(forum_id: int, listing_id: int) -> str | None:
    """Where the conditions are shared (the shares topic's page), if it is installed."""
    try:
        return reverse("trefas:share_new", kwargs={"forum_id": forum_id, "listing_id": listing_id})
    except NoReverseMatch:
        return None


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def release_list(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    rows = selectors.releases_for_forum(actor=request.user, access=access)
    return render(request, "trefas/releases.html", {
        "forum": forum, "access": access,
        "upcoming": [r for r in rows if r.upcoming], "ended": [r for r in rows if not r.upcoming],
    })


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def release_new(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.REGISTER_RELEASE)
    form = ReleaseForm(request.POST or None, listings=listing_choices(access=access))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        listing = listing_for(access=access, listing_id=d["listing"])
        try:
            release = services.release_register(actor=request.user, access=access, listing=listing,
                                                kind=d["kind"], on=d["date"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The release or leave is registered. The forum is reminded before it."))
            return redirect("trefas:release", forum_id=forum.pk, release_id=release.pk)
    return render(request, "trefas/release_new.html", {"forum": forum, "access": access, "form": form})


def _release_page(request: AuthenticatedHttpRequest, forum: Forum, access: TrefasAccess, release: Release, *,
                  form: PlanActionForm | None = None, error: str = "", status: int = 200) -> HttpResponse:
    page = selectors.release_page(actor=request.user, access=access, release=release)
    if form is None and page.upcoming and access.may(TrefasAction.PLAN_RELEASE):
        form = PlanActionForm(organisations=selectors.forum_organisations(access=access))
    return render(request, "trefas/release.html", {
        "forum": forum, "access": access, "page": page, "form": form, "error": error,
        "share_url": _share_url(forum.pk, release.listing_id),
    }, status=status)


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def release_detail(request: AuthenticatedHttpRequest, forum_id: int, release_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    release = selectors.release_for(access=access, release_id=release_id)
    return _release_page(request, forum, access, release)


@require_POST
@require_permission(Permission.TREFAS_VIEW)
def release_action_new(request: AuthenticatedHttpRequest, forum_id: int, release_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    release = selectors.release_for(access=access, release_id=release_id)
    access.require(TrefasAction.PLAN_RELEASE)
    form = PlanActionForm(request.POST, organisations=selectors.forum_organisations(access=access))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.release_action_add(actor=request.user, access=access, release=release,
                                        organisation=d["organisation"], title=d["title"], due_on=d["due_on"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The action is added to the plan."))
            return redirect("trefas:release", forum_id=forum.pk, release_id=release.pk)
    return _release_page(request, forum, access, release, form=form, status=400)


@require_POST
@require_permission(Permission.TREFAS_VIEW)
def release_action_done(request: AuthenticatedHttpRequest, forum_id: int, release_id: int,
                        action_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    release = selectors.release_for(access=access, release_id=release_id)
    action = selectors.release_action_for(access=access, release=release, action_id=action_id)
    access.require(TrefasAction.UPDATE_ACTION, action)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        action_services.action_set_status(actor=request.user, access=access, action=action,
                                          status=ActionStatus.DONE, expected_version=version)
    except (StaleEdit, ValidationError):  # (changed meanwhile, or already done)
        return _release_page(request, forum, access, release, error=str(STALE_KEPT), status=CONFLICT_STATUS)
    messages.success(request, _("The action is marked done."))
    return redirect("trefas:release", forum_id=forum.pk, release_id=release.pk)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def release_cancel(request: AuthenticatedHttpRequest, forum_id: int, release_id: int) -> HttpResponse:
    """Cancelling asks for confirmation first (GET shows what will happen)."""
    forum, access = forum_for_actor(request.user, forum_id)
    release = selectors.release_for(access=access, release_id=release_id)
    access.require(TrefasAction.CANCEL_RELEASE, release)
    status, error = 200, ""
    if request.method == "POST":
        form = VersionForm(request.POST)
        try:
            services.release_cancel(actor=request.user, access=access, release=release,
                                    expected_version=form.cleaned_data["version"] if form.is_valid() else None)
        except StaleEdit:
            status, error = CONFLICT_STATUS, str(STALE_KEPT)
        else:
            messages.success(request, _("The release or leave is cancelled, with its open actions."))
            return redirect("trefas:releases", forum_id=forum.pk)
    return render(request, "trefas/release_cancel.html",
                  {"forum": forum, "access": access, "release": release, "error": error}, status=status)

"""The list: the forum's main page, a person's page (the joint picture), nominating,
rating and removing. Every view starts with forum_for_actor (404 for anyone who does
not take part in the forum) and asks the forum decision for each action (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.trefas.decision import TrefasAction
from samverkan.trefas.forms.listing import ListFilterForm, NominateForm, RateForm, RemoveForm
from samverkan.trefas.models import Rating
from samverkan.trefas.selectors.forums import forum_for_actor
from samverkan.trefas.selectors.listing import FLAGS, forum_areas, forum_list, listing_for_actor, name_for
from samverkan.trefas.selectors.person import person_picture, picture_counts
from samverkan.trefas.services import listing as services

RATED_BY_SOMEONE_ELSE = gettext_lazy(
    "Someone else rated this person while you were editing, so nothing was saved. The rating "
    "shown above is the one now stored; what you entered is still in the form. Save again "
    "to replace it with yours."
)


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def forum(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    """The forum's page: the list, red first, with its filters."""
    forum, access = forum_for_actor(request.user, forum_id)
    filter_form = ListFilterForm({"rating": request.GET.get("rating", ""), "flag": request.GET.get("flag", "")})
    filters = filter_form.filters()
    rows = forum_list(forum=forum, access=access, rating=filters["rating"], flag=filters["flag"])
    red = sum(1 for row in rows if row.is_red)
    services.list_record_view(actor=request.user, forum=forum, shown=len(rows), red=red,
                              protected=sum(1 for row in rows if row.protected), filters=filters)
    return render(request, "trefas/forum.html", {
        "forum": forum,
        "access": access,
        "rows": rows,
        "red_count": red,
        "filter_form": filter_form,
        "filters": filters,
        "filtered": any(filters.values()),
        "flags": FLAGS,
        "may_nominate": access.may(TrefasAction.NOMINATE),
        "may_rate": access.may(TrefasAction.RATE),
    })


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def nominate(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    forum, access = forum_for_actor(request.user, forum_id)
    access.require(TrefasAction.NOMINATE)
    areas = forum_areas(forum)
    form = NominateForm(request.POST or None, areas=areas)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                listing = services.listing_nominate(
                    actor=request.user, forum=forum, access=access, identity=d["identity"],
                    first_name=d["first_name"], last_name=d["last_name"],
                    protected_identity=d["protected_identity"], area=d["area"],
                    nomination_reason=d["nomination_reason"], source_reference=d["source_reference"],
                    rating=d["rating"], rating_reason=d["rating_reason"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The person is on the list."))
                return redirect("trefas:person", forum_id=forum.pk, listing_id=listing.pk)
    return render(request, "trefas/nominate.html", {"forum": forum, "access": access, "form": form}, status=status)


def _listing_page(request: AuthenticatedHttpRequest, forum_id: int, listing_id: int) -> tuple[Any, Any, Any]:
    forum, access = forum_for_actor(request.user, forum_id)
    listing = listing_for_actor(forum=forum, access=access, listing_id=listing_id)
    return forum, access, listing


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def person(request: AuthenticatedHttpRequest, forum_id: int, listing_id: int) -> HttpResponse:
    """A person on the list: who, the rating and its history, and the joint picture."""
    forum, access, listing = _listing_page(request, forum_id, listing_id)
    picture = person_picture(actor=request.user, access=access, listing=listing)
    services.person_record_view(actor=request.user, listing=listing, counts=picture_counts(picture))
    return render(request, "trefas/person.html", {
        "forum": forum,
        "access": access,
        "listing": listing,
        "picture": picture,
        "removed": listing.removed_at is not None,
    })


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def rate(request: AuthenticatedHttpRequest, forum_id: int, listing_id: int) -> HttpResponse:
    """Set or confirm a person's rating, with a reason."""
    forum, access, listing = _listing_page(request, forum_id, listing_id)
    access.require(TrefasAction.RATE, listing)
    if listing.removed_at is not None:
        return redirect("trefas:person", forum_id=forum.pk, listing_id=listing.pk)
    form = RateForm(request.POST or None, initial={"version": listing.version, "rating": listing.rating})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.listing_rate(
                    actor=request.user, forum=forum, access=access, listing=listing, rating=d["rating"],
                    reason=d["rating_reason"], expected_version=d["version"],
                )
            except StaleEdit:
                listing = listing_for_actor(forum=forum, access=access, listing_id=listing.pk)
                status = show_conflict(form, stored_version(listing), message=RATED_BY_SOMEONE_ELSE)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The rating is saved."))
                return redirect("trefas:person", forum_id=forum.pk, listing_id=listing.pk)
    else:
        services.person_record_view(actor=request.user, listing=listing, counts={"page": "rate"})
    return render(request, "trefas/rate.html", {
        "forum": forum, "access": access, "listing": listing, "form": form,
        "name": name_for(access, listing), "rating_label": Rating(listing.rating).label,
    }, status=status)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.TREFAS_VIEW)
def remove(request: AuthenticatedHttpRequest, forum_id: int, listing_id: int) -> HttpResponse:
    """Take a person off the list: a confirmation page first (it cannot be undone)."""
    forum, access, listing = _listing_page(request, forum_id, listing_id)
    access.require(TrefasAction.REMOVE, listing)
    if listing.removed_at is not None:
        return redirect("trefas:person", forum_id=forum.pk, listing_id=listing.pk)
    form = RemoveForm(request.POST or None, initial={"version": listing.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.listing_remove(
                    actor=request.user, forum=forum, access=access, listing=listing,
                    reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
                )
            except StaleEdit:
                status = show_conflict(form, stored_version(listing))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The person is no longer on the list."))
                return redirect("trefas:forum", forum_id=forum.pk)
    else:
        services.person_record_view(actor=request.user, listing=listing, counts={"page": "remove"})
    return render(request, "trefas/remove.html", {
        "forum": forum, "access": access, "listing": listing, "form": form, "name": name_for(access, listing),
    }, status=status)

"""Directory screens: everyone with directory:organisation:view reads; system
administrators (directory:organisation:manage) create and edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access import policy
from samverkan.access.actor import ActorRequest
from samverkan.access.guards import public, require_permission
from samverkan.access.middleware import mark_shared_asset
from samverkan.access.permissions import Permission
from samverkan.directory import selectors, services
from samverkan.directory.forms import (
    AreaForm,
    ClassificationForm,
    DistrictForm,
    IdentityForm,
    OrganisationForm,
)
from samverkan.directory.models import (
    DEFAULT_PRIMARY_COLOUR,
    Area,
    District,
    Organisation,
    OrganisationKind,
)
from samverkan.lib.colours import HEX_COLOUR
from samverkan.lib.concurrency import show_conflict, stored_version


def _edit(
    request: ActorRequest,
    *,
    model: Any,
    form_class: Any,
    pk: int | None,
    list_url: str,
    title_new: str,
    title_edit: str,
) -> HttpResponse:
    instance = get_object_or_404(model, pk=pk) if pk else model()
    form = form_class(
        request.POST or None,
        instance=instance,
        initial={"version": getattr(instance, "version", None)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_save(
                actor=request.user,
                instance=form.save(commit=False),
                expected_version=form.cleaned_data.get("version"),
            )
        except services.StaleEdit:
            status = show_conflict(form, stored_version(instance))
        else:
            messages.success(request, _("Saved."))
            return redirect(list_url)
    return render(
        request,
        "directory/edit.html",
        {
            "form": form,
            "title": title_edit if pk else title_new,
            "back_url": list_url,
        },
        status=status,
    )


@require_permission(Permission.DIRECTORY_VIEW)
@require_GET
def organisation_list(request: ActorRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in OrganisationKind.values:
        kind = ""
    return render(
        request,
        "directory/organisation_list.html",
        {
            "organisations": selectors.organisation_list(kind=kind, include_inactive=True),
            "kinds": OrganisationKind.choices,
            "kind": kind,
            "can_manage": policy.has_permission(request.user, Permission.DIRECTORY_MANAGE),
        },
    )


@require_permission(Permission.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: ActorRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=Organisation,
        form_class=OrganisationForm,
        pk=pk,
        list_url="directory:organisation_list",
        title_new=_("New organisation"),
        title_edit=_("Edit organisation"),
    )


@require_permission(Permission.DIRECTORY_VIEW)
@require_GET
def district_list(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "directory/district_list.html",
        {
            "districts": selectors.district_list(),
            "can_manage": policy.has_permission(request.user, Permission.DIRECTORY_MANAGE),
        },
    )


@require_permission(Permission.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def district_edit(request: ActorRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=District,
        form_class=DistrictForm,
        pk=pk,
        list_url="directory:district_list",
        title_new=_("New district"),
        title_edit=_("Edit district"),
    )


@require_permission(Permission.DIRECTORY_VIEW)
@require_GET
def area_list(request: ActorRequest) -> HttpResponse:
    areas = list(selectors.area_list())
    rows = [(area, selectors.current_classification(area)) for area in areas]
    return render(
        request,
        "directory/area_list.html",
        {
            "rows": rows,
            "can_manage": policy.has_permission(request.user, Permission.DIRECTORY_MANAGE),
        },
    )


@require_permission(Permission.DIRECTORY_VIEW)
@require_GET
def area_detail(request: ActorRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(selectors.area_list(), pk=pk)
    return render(
        request,
        "directory/area_detail.html",
        {
            "area": area,
            "classifications": list(area.classifications.all()),
            "can_manage": policy.has_permission(request.user, Permission.DIRECTORY_MANAGE),
        },
    )


@require_permission(Permission.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def area_edit(request: ActorRequest, pk: int | None = None) -> HttpResponse:
    return _edit(
        request,
        model=Area,
        form_class=AreaForm,
        pk=pk,
        list_url="directory:area_list",
        title_new=_("New area"),
        title_edit=_("Edit area"),
    )


@require_permission(Permission.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def area_classify(request: ActorRequest, pk: int) -> HttpResponse:
    area = get_object_or_404(Area, pk=pk)
    form = ClassificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.area_classify(
            actor=request.user,
            area=area,
            list_year=d["list_year"],
            classification=d["classification"],
            published_on=d["published_on"],
            source=d["source"],
        )
        messages.success(request, _("Saved."))
        return redirect("directory:area_detail", pk=area.pk)
    return render(
        request,
        "directory/edit.html",
        {
            "form": form,
            "title": _("Classification of %(area)s") % {"area": area.name},
            "back_url": "directory:area_list",
        },
    )


# --- The organisation's identity -----------------------------------------------------


@require_permission(Permission.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def identity_edit(request: ActorRequest) -> HttpResponse:
    """The organisation's name, logo, colour and contact details (system administrators)."""
    stored = selectors.identity_for_edit()
    initial = {
        "version": stored.version if stored.name else None,
        "name": stored.name,
        "primary_colour": stored.primary_colour,
        "address": stored.address,
        "phone": stored.phone,
        "email": stored.email,
        "website": stored.website,
    }
    form = IdentityForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.identity_save(
                actor=request.user,
                values={name: data[name] for name in services.IDENTITY_FIELDS},
                logo_png=form.logo_png,
                remove_logo=bool(data.get("remove_logo")),
                expected_version=data.get("version"),
            )
        except services.StaleEdit:
            status = show_conflict(form, selectors.identity().version)
        else:
            messages.success(request, _("Saved. The headers, documents and e-mails now use it."))
            return redirect("directory:identity_edit")
    return render(
        request,
        "directory/identity.html",
        {"form": form, "stored": selectors.identity()},
        status=status,
    )


def _public_asset(response: HttpResponse) -> HttpResponse:
    # The URL carries the identity's version (?v=): a new identity is a new URL. Kept by
    # the browser for staff too (every staff page links both), not fetched per page.
    response["X-Content-Type-Options"] = "nosniff"
    return mark_shared_asset(response, max_age=86400)


@public
@require_GET
def identity_logo(request: HttpRequest) -> HttpResponse:
    """The logo (a PNG re-encoded by directory.logo); 404 when there is none. Public:
    the residents' pages show it too."""
    png = selectors.identity_logo()
    if not png:
        raise Http404
    return _public_asset(HttpResponse(png, content_type="image/png"))


@public
@require_GET
def identity_theme(request: HttpRequest) -> HttpResponse:
    """The stylesheet that themes the headers with the organisation's colour (a CSS
    custom property, --sv-brand). A stylesheet, not an inline style: the pages' CSP
    allows styles from this site only. The colour was validated as #rrggbb."""
    colour = selectors.identity().primary_colour
    if not HEX_COLOUR.match(colour):  # never print anything else into CSS
        colour = DEFAULT_PRIMARY_COLOUR
    css = render_to_string("directory/theme.css", {"colour": colour})
    return _public_asset(HttpResponse(css, content_type="text/css; charset=utf-8"))

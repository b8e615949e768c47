"""The catalogue pages for system administrators: incident categories, each area's named
places, and which external organisations report in which areas (adding one is confirmed
on a second page, removing one too). Edits carry the version they loaded (409 on a stale
one, keeping the input)."""

from __future__ import annotations

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
from samverkan.lib.concurrency import StaleEdit, show_conflict, stored_version
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.forms.catalogue import CategoryForm, ConfirmForm, PlaceForm, ReporterForm
from samverkan.picture.models import Category, Place
from samverkan.picture.selectors import catalogue as selectors
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.services import catalogue as services


def _access(request: AuthenticatedHttpRequest) -> LocalAccess:
    access = local_access_for(request.user)
    access.require(LocalAction.MANAGE_CATALOGUE)
    return access


@require_GET
@require_permission(Permission.PICTURE_CATALOGUE_MANAGE)
def catalogue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _access(request)
    return render(request, "picture/catalogue.html",
                  {"categories": list(selectors.categories()), "areas": list(selectors.areas())})


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PICTURE_CATALOGUE_MANAGE)
def category_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    access = _access(request)
    instance = selectors.category_for(pk=pk) if pk else Category()
    form = CategoryForm(request.POST or None, instance=instance, initial={"version": instance.version if pk else None})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, access=access, instance=form.save(commit=False),
                                   expected_version=form.cleaned_data.get("version"))
        except StaleEdit:
            status = show_conflict(form, stored_version(instance))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The category is saved."))
            return redirect("picture:catalogue")
    return render(request, "picture/catalogue_form.html", {
        "form": form, "title": _("Edit the category") if pk else _("New category"),
        "back_url": reverse("picture:catalogue"),
    }, status=status)


@require_GET
@require_permission(Permission.PICTURE_CATALOGUE_MANAGE)
def area_catalogue(request: AuthenticatedHttpRequest, area_code: str) -> HttpResponse:
    _access(request)
    area = selectors.area_for(code=area_code)
    return render(request, "picture/catalogue_area.html", {
        "area": area, "places": list(selectors.places_of_area(area=area)),
        "reporters": list(selectors.reporters_of_area(area=area)),
    })


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PICTURE_CATALOGUE_MANAGE)
def place_edit(request: AuthenticatedHttpRequest, area_code: str, pk: int | None = None) -> HttpResponse:
    access = _access(request)
    area = selectors.area_for(code=area_code)
    instance = selectors.place_for(area=area, pk=pk) if pk else Place(area=area)
    form = PlaceForm(request.POST or None, instance=instance, initial={"version": instance.version if pk else None})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.place_save(actor=request.user, access=access, area=area, instance=form.save(commit=False),
                                expected_version=form.cleaned_data.get("version"))
        except StaleEdit:
            status = show_conflict(form, stored_version(instance))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The named place is saved."))
            return redirect("picture:catalogue_area", area_code=area.code)
    return render(request, "picture/catalogue_form.html", {
        "form": form, "title": (_("Edit the named place") if pk else _("New named place")) + f" – {area.name}",
        "back_url": reverse("picture:catalogue_area", args=[area.code]),
    }, status=status)


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PICTURE_CATALOGUE_MANAGE)
def reporter_add(request: AuthenticatedHttpRequest, area_code: str) -> HttpResponse:
    """Choose the organisation, then confirm on a second page (a hidden ``confirm``)."""
    access = _access(request)
    area = selectors.area_for(code=area_code)
    form = ReporterForm(request.POST or None, organisations=selectors.external_organisations(area=area))
    confirming = False
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm"]:
            confirming = True
        else:
            try:
                services.reporter_add(actor=request.user, access=access, area=area,
                                      organisation=form.cleaned_data["organisation"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The organisation now reports in the area."))
                return redirect("picture:catalogue_area", area_code=area.code)
    return render(request, "picture/catalogue_reporter_add.html",
                  {"area": area, "form": form, "confirming": confirming})


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PICTURE_CATALOGUE_MANAGE)
def reporter_remove(request: AuthenticatedHttpRequest, area_code: str, pk: int) -> HttpResponse:
    access = _access(request)
    area = selectors.area_for(code=area_code)
    row = selectors.reporter_for(area=area, pk=pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reporter_remove(actor=request.user, access=access, row=row)
        messages.success(request, _("The organisation no longer reports in the area. Its reports are kept."))
        return redirect("picture:catalogue_area", area_code=area.code)
    return render(request, "picture/catalogue_reporter_remove.html", {"area": area, "row": row, "form": form})

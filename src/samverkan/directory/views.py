"""Directory screens: everyone with directory:organisation:view reads; system
administrators (directory:organisation:manage) create and edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access import policy
from samverkan.access.actor import ActorRequest
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.directory import selectors, services
from samverkan.directory.forms import AreaForm, ClassificationForm, DistrictForm, OrganisationForm
from samverkan.directory.models import Area, District, Organisation, OrganisationKind
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

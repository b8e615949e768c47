"""Reporting an incident (phone first), the reporter's own reports, one report, its photo
and withdrawing it. Every page asks the area scope (LocalAccess): a report outside it is
404; the report form offers only the areas the person may report in, and the service
refuses any other (a forged form) with 403."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.concurrency import CONFLICT_STATUS, STALE_KEPT, StaleEdit
from samverkan.lib.form_errors import apply_validation_error
from samverkan.picture.decision import LocalAction
from samverkan.picture.forms.reports import ReportForm, WithdrawForm
from samverkan.picture.models import ReportStatus
from samverkan.picture.selectors import reports as selectors
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.services import reports as services
from samverkan.picture.services.photos import photo_content_type

PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PICTURE_REPORT)
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    access.require(LocalAction.REPORT)
    areas = list(selectors.reporting_areas(access=access))
    categories = list(selectors.active_categories())
    places = selectors.places_of(areas=areas)
    form = ReportForm(request.POST or None, request.FILES or None, areas=areas, categories=categories, places=places)
    photo_lost = False
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            data = services.ReportInput(
                area=d["area"], category=d["category"], occurred_at=d["occurred_at"], place=d["place"],
                lat=d["lat"], lon=d["lon"], text=d["text"], photo=d["photo"], no_names_confirmed=d["no_names"],
            )
            try:
                report = services.report_create(actor=request.user, access=access, data=data)
            except ValidationError as exc:
                apply_validation_error(form, exc, rename={"occurred_at": "when_time"})
            else:
                messages.success(request, _("Thank you. Your report is saved."))
                return redirect("picture:report_detail", public_id=report.public_id)
        # A browser cannot be given a file back: say so when one was attached.
        photo_lost = bool(request.FILES.get("photo")) and not form.has_error("photo")
    map_data = selectors.map_data(areas=areas, places=places, tile_url=settings.PICTURE_TILE_URL)
    map_data["labels"] = {
        "pointSet": _("A point is marked on the map."),
        "pointRemoved": _("The point is removed."),
        "placeChosen": _("Named place chosen:"),
    }
    return render(request, "picture/report_new.html", {
        "form": form, "access": access, "map_data": map_data, "photo_lost": photo_lost,
        "max_photo": settings.PICTURE_PHOTO_MAX_BYTES,
    })


@require_GET
@require_permission(Permission.PICTURE_REPORT)
def my_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    page = Paginator(selectors.my_reports(access=access), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "picture/report_list.html", {"page": page, "access": access})


@require_GET
@require_permission(Permission.PICTURE_REPORT, Permission.PICTURE_VIEW)
def report_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    access = local_access_for(request.user)
    report = selectors.report_for(access=access, public_id=public_id)
    services.report_viewed(actor=request.user, report=report)
    return render(request, "picture/report_detail.html", {
        "report": report, "access": access, "active": report.status == ReportStatus.ACTIVE,
    })


@require_GET
@require_permission(Permission.PICTURE_REPORT, Permission.PICTURE_VIEW)
def report_photo(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponseBase:
    """The photo, to those who may see the report; never cached, never a public URL."""
    access = local_access_for(request.user)
    report = selectors.report_for(access=access, public_id=public_id)
    if not report.photo:
        raise Http404
    try:
        handle = report.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.report_viewed(actor=request.user, report=report, photo=True)
    name = report.photo.name or ""
    response = FileResponse(handle, content_type=photo_content_type(name))
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
@require_permission(Permission.PICTURE_REPORT)
def report_withdraw(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    access = local_access_for(request.user)
    report = selectors.report_for(access=access, public_id=public_id)
    if not access.may(LocalAction.WITHDRAW_REPORT, report):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None, initial={"version": report.version})
    error, status = "", 200
    if report.status != ReportStatus.ACTIVE:
        error = _("This report is already withdrawn.")
    elif request.method == "POST" and form.is_valid():
        try:
            services.report_withdraw(actor=request.user, access=access, report=report,
                                     expected_version=form.cleaned_data["version"])
        except StaleEdit:
            error, status = str(STALE_KEPT), CONFLICT_STATUS
        else:
            messages.success(request, _("The report is withdrawn. It no longer counts in the week's picture."))
            return redirect("picture:my_reports")
    return render(request, "picture/report_withdraw.html",
                  {"report": report, "form": form, "error": error, "access": access}, status=status)

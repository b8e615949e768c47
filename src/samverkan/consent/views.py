"""The disclosure register and the legal-basis catalogue (organisation-wide pages).

A case's own consent and disclosure pages ask the case decision and live above it:
casepages/views/consent.py."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.consent import selectors, services
from samverkan.consent.forms import (
    LegalBasisForm,
    RegisterFilterForm,
)
from samverkan.consent.models import Disclosure
from samverkan.lib.form_errors import apply_validation_error
from samverkan.lib.params import page_number
from samverkan.lib.spreadsheets import csv_lines


def _register_csv(rows: list[Disclosure]) -> Iterator[str]:
    """For Swedish Excel (lib.spreadsheets.csv_lines); descriptions and reasons are
    typed by users: every cell inert."""
    return csv_lines(
        [
            [
                _("Decided at"),
                _("Track"),
                _("Outcome"),
                _("Case"),
                _("Statutory basis"),
                _("From"),
                _("To"),
                _("Categories"),
                _("What is disclosed"),
                _("Balancing test"),
                _("Reason for refusal"),
                _("Decided by"),
            ],
            *(
                [
                    d.decided_at,
                    d.get_track_display(),
                    d.get_outcome_display(),
                    # A Trefas row has no case: never a case reference to follow.
                    str(d.case.public_id) if d.case is not None else "",
                    d.basis.reference,
                    d.from_organisation.name,
                    d.to_organisation.name,
                    ", ".join(selectors.category_labels(d.categories)),
                    d.description,
                    d.balancing_test,
                    d.refusal_reason,
                    d.decided_by.get_full_name(),
                ]
                for d in rows
            ),
        ]
    )


@require_permission(Permission.DISCLOSURE_REGISTER_VIEW)
@require_GET
def disclosure_register(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    direction = form.cleaned_data["direction"] if form.is_valid() else ""
    page_obj, rows = selectors.disclosure_register(
        actor=request.user, direction=direction, page=page_number(request.GET.get("page"))
    )
    return render(
        request,
        "consent/register.html",
        {
            "form": form,
            "direction": direction,
            "page_obj": page_obj,
            "rows": [(d, selectors.category_labels(d.categories)) for d in rows],
        },
    )


@require_permission(Permission.DISCLOSURE_REGISTER_VIEW)
@require_GET
def disclosure_register_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    form = RegisterFilterForm(request.GET or None)
    direction = form.cleaned_data["direction"] if form.is_valid() else ""
    rows = selectors.disclosure_register_export(actor=request.user, direction=direction)
    response = StreamingHttpResponse(_register_csv(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="disclosures-{stamp}.csv"'
    return response


# --- legal-basis catalogue (system administrators) ----------------------------------------------


@require_permission(Permission.LEGAL_BASIS_MANAGE)
@require_GET
def legal_basis_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "consent/legal_basis_list.html", {"bases": selectors.legal_bases_catalogue()}
    )


@require_permission(Permission.LEGAL_BASIS_MANAGE)
@require_http_methods(["GET", "POST"])
def legal_basis_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    basis = selectors.legal_basis_get(pk=pk) if pk is not None else None
    form = LegalBasisForm(request.POST or None, instance=basis)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_save(actor=request.user, basis=basis, data=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The legal basis is saved."))
            return redirect("consent:legal_basis_list")
    return render(request, "consent/legal_basis_form.html", {"form": form, "basis": basis})


@require_permission(Permission.LEGAL_BASIS_MANAGE)
@require_POST
def legal_basis_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    basis = selectors.legal_basis_get(pk=pk)
    active = request.POST.get("active") == "1"
    services.legal_basis_set_active(actor=request.user, basis=basis, active=active)
    messages.success(
        request,
        _("The legal basis is back in use.")
        if active
        else _("The legal basis is retired. Disclosures already recorded under it keep it."),
    )
    return redirect("consent:legal_basis_list")

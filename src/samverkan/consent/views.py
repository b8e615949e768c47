"""Consent, disclosures and the legal-basis catalogue.

Case pages (under /arenden/<case>/…) get the case through cases.selectors.case_for_actor
(404 outside the team). Recording and withdrawing consent is for the lead
organisation's team; disclosures are recorded by any team member whose role may decide
them, from their own organisation."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case
from samverkan.consent import selectors, services
from samverkan.consent.forms import (
    ConsentForm,
    DisclosureForm,
    LegalBasisForm,
    RegisterFilterForm,
    WithdrawForm,
)
from samverkan.consent.models import Disclosure
from samverkan.lib.params import page_number


def _case(request: HttpRequest, public_id: UUID) -> tuple[Case, policy.CaseAccess]:
    return case_selectors.case_for_actor(actor=request.user, public_id=public_id)


def _allowed(
    request: HttpRequest, access: policy.CaseAccess, permission: Permission, lead_only: bool
) -> bool:
    if lead_only and not access.is_lead_team:
        return False
    try:
        policy.require_case_permission(actor=request.user, access=access, permission=permission)
    except PermissionDenied:
        return False
    return True


def _require(
    request: HttpRequest, access: policy.CaseAccess, permission: Permission, lead_only: bool
) -> None:
    if not _allowed(request, access, permission, lead_only):
        raise PermissionDenied


def _base(
    request: HttpRequest, case: Case, access: policy.CaseAccess, **extra: Any
) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "person": case_selectors.person_view(case=case, access=access),
        **extra,
    }


def _add_errors(form: Any, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    mapping = mapping or {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = mapping.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- consent -------------------------------------------------------------------------------


@require_permission(Permission.CASE_VIEW)
@require_GET
def consent_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    can_manage = _allowed(request, access, Permission.CASE_CONSENT_MANAGE, lead_only=True)
    return render(
        request,
        "consent/list.html",
        _base(
            request,
            case,
            access,
            overview=selectors.consent_overview(case=case, access=access),
            can_manage=can_manage,
            withdraw_form=WithdrawForm() if can_manage else None,
        ),
    )


def _consent_form(request: HttpRequest, case: Case) -> ConsentForm:
    from samverkan.people.selectors import guardianships_for_case

    team, others = selectors.consent_organisation_choices(case=case)
    return ConsentForm(
        request.POST or None,
        request.FILES or None,
        guardianships=guardianships_for_case(case=case),
        team_organisations=team,
        other_organisations=others,
    )


@require_permission(Permission.CASE_CONSENT_MANAGE)
@require_http_methods(["GET", "POST"])
def consent_record(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    _require(request, access, Permission.CASE_CONSENT_MANAGE, lead_only=True)
    form = _consent_form(request, case)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.consent_record(
                actor=request.user,
                case=case,
                access=access,
                giver=d["giver"],
                guardianship=d["guardianship"],
                given_on=d["given_on"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
                organisations=d["all_organisations"],
                categories=d["categories"],
                document=d["document"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("consent:list", public_id=case.public_id)
    return render(request, "consent/record.html", _base(request, case, access, form=form))


@require_permission(Permission.CASE_CONSENT_MANAGE)
@require_POST
def consent_withdraw(request: HttpRequest, public_id: UUID, consent_id: int) -> HttpResponse:
    """Withdrawal takes effect at once: the next request no longer shares under it."""
    case, access = _case(request, public_id)
    _require(request, access, Permission.CASE_CONSENT_MANAGE, lead_only=True)
    consent = selectors.consent_for_case(case=case, consent_id=consent_id)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.consent_withdraw(
            actor=request.user, case=case, access=access, consent=consent, note=note
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent is withdrawn. Sharing under it has stopped."))
    return redirect("consent:list", public_id=case.public_id)


@require_permission(Permission.CASE_VIEW)
@require_GET
def consent_document(request: HttpRequest, public_id: UUID, consent_id: int) -> FileResponse:
    """The signed form, for the lead organisation's team; always as a download."""
    case, access = _case(request, public_id)
    document = selectors.consent_document(
        actor=request.user, case=case, access=access, consent_id=consent_id
    )
    return FileResponse(
        document.consent.document.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )


# --- disclosures ---------------------------------------------------------------------------


@require_permission(Permission.CASE_VIEW)
@require_GET
def disclosure_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    rows = selectors.disclosures_visible(actor=request.user, case=case, access=access)
    return render(
        request,
        "consent/disclosures.html",
        _base(
            request,
            case,
            access,
            rows=[(d, selectors.category_labels(d.categories)) for d in rows],
            can_disclose=_allowed(request, access, Permission.CASE_DISCLOSE, lead_only=False),
        ),
    )


@require_permission(Permission.CASE_DISCLOSE)
@require_http_methods(["GET", "POST"])
def disclosure_record(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    _require(request, access, Permission.CASE_DISCLOSE, lead_only=False)
    form = DisclosureForm(
        request.POST or None,
        bases=selectors.legal_bases(),
        recipients=selectors.disclosure_recipients(actor=request.user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.disclosure_record(
                actor=request.user,
                case=case,
                access=access,
                basis=d["basis"],
                to_organisation=d["to_organisation"],
                categories=d["categories"],
                description=d["description"],
                balancing_test=d["balancing_test"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The disclosure is recorded in the register."))
            return redirect("consent:disclosures", public_id=case.public_id)
    return render(request, "consent/disclosure_form.html", _base(request, case, access, form=form))


class _Echo:
    def write(self, value: str) -> str:
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _inert(value: str) -> str:
    """Spreadsheet formula injection: prefix cells a spreadsheet could read as a formula."""
    if value[:1] in _FORMULA_START or value.lstrip(" ")[:1] in _FORMULA_START:
        return "'" + value
    return value


def _register_csv(rows: list[Disclosure]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(
        [
            _("Decided at"),
            _("Case"),
            _("Statutory basis"),
            _("From"),
            _("To"),
            _("Categories"),
            _("What is disclosed"),
            _("Balancing test"),
            _("Decided by"),
        ]
    )
    for d in rows:
        yield writer.writerow(
            [
                timezone.localtime(d.decided_at).strftime("%Y-%m-%d %H:%M"),
                str(d.case.public_id),
                _inert(d.basis.reference),
                _inert(d.from_organisation.name),
                _inert(d.to_organisation.name),
                _inert(", ".join(selectors.category_labels(d.categories))),
                _inert(d.description),
                _inert(d.balancing_test),
                _inert(d.decided_by.get_full_name()),
            ]
        )


@require_permission(Permission.DISCLOSURE_REGISTER_VIEW)
@require_GET
def disclosure_register(request: HttpRequest) -> HttpResponse:
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
def disclosure_register_export(request: HttpRequest) -> StreamingHttpResponse:
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
def legal_basis_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "consent/legal_basis_list.html", {"bases": selectors.legal_bases_catalogue()}
    )


@require_permission(Permission.LEGAL_BASIS_MANAGE)
@require_http_methods(["GET", "POST"])
def legal_basis_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    basis = selectors.legal_basis_get(pk=pk) if pk is not None else None
    form = LegalBasisForm(request.POST or None, instance=basis)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_save(actor=request.user, basis=basis, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The legal basis is saved."))
            return redirect("consent:legal_basis_list")
    return render(request, "consent/legal_basis_form.html", {"form": form, "basis": basis})


@require_permission(Permission.LEGAL_BASIS_MANAGE)
@require_POST
def legal_basis_active(request: HttpRequest, pk: int) -> HttpResponse:
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

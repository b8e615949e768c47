"""A case's consent and disclosure pages (under /arenden/<case>/…, URL names consent:*).

The case comes from caseaccess.selectors.case_for_actor (404 outside the team).
Recording and withdrawing consent is for the lead organisation's team; disclosures are
recorded by any team member whose role may decide them, from their own organisation:
CaseAccess.may(CaseAction.MANAGE_CONSENT / DISCLOSE)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import Case
from samverkan.consent import selectors, services
from samverkan.consent.forms import ConsentForm, DisclosureForm, WithdrawForm
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.lib.form_errors import apply_validation_error
from samverkan.people.selectors import guardianships_for_case


def _base(
    request: AuthenticatedHttpRequest, case: Case, access: CaseAccess, **extra: Any
) -> dict[str, Any]:
    return {
        "case": case,
        "access": access,
        "person": case_selectors.person_view(case=case, access=access),
        **extra,
    }


# --- consent -------------------------------------------------------------------------------


@require_permission(Permission.CASE_VIEW)
@require_GET
def consent_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    can_manage = access.may(CaseAction.MANAGE_CONSENT)
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


def _consent_form(request: AuthenticatedHttpRequest, case: Case) -> ConsentForm:
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
def consent_record(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.MANAGE_CONSENT)
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
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("consent:list", public_id=case.public_id)
    return render(request, "consent/record.html", _base(request, case, access, form=form))


@require_permission(Permission.CASE_CONSENT_MANAGE)
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, public_id: UUID, consent_id: int) -> HttpResponse:
    """Withdrawal takes effect at once: the next request no longer shares under it."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.MANAGE_CONSENT)
    consent = selectors.consent_for_case(case=case, consent_id=consent_id)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if consent.withdrawn_at is None and not confirmed(request):
        return confirm_page(
            request,
            heading=_("Record that the consent is withdrawn?"),
            consequence=_(
                "Sharing under this consent stops at once, for every organisation: from the next "
                "page they open, they no longer see what it allowed them to see."
            ),
            irreversible=_(
                "A withdrawal cannot be undone. Sharing again needs a new consent, signed by the "
                "person."
            ),
            submit=_("Yes, the consent is withdrawn"),
            cancel_url=reverse("consent:list", args=[case.public_id]),
            details=[
                (_("Signed on"), consent.given_on.isoformat()),
                (_("Valid"), f"{consent.valid_from.isoformat()} – {consent.valid_to.isoformat()}"),
                (_("Note on the withdrawal"), note or "–"),
            ],
            header="cases/_case_header.html",
            context=_base(request, case, access),
        )
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
def consent_document(request: AuthenticatedHttpRequest, public_id: UUID, consent_id: int) -> FileResponse:
    """The signed form, for the lead organisation's team; always as a download."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
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
def disclosure_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    rows = selectors.disclosures_visible(actor=request.user, case=case, access=access)
    return render(
        request,
        "consent/disclosures.html",
        _base(
            request,
            case,
            access,
            rows=[(d, selectors.category_labels(d.categories)) for d in rows],
            can_disclose=access.may(CaseAction.DISCLOSE),
        ),
    )


@require_permission(Permission.CASE_DISCLOSE)
@require_http_methods(["GET", "POST"])
def disclosure_record(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    access.require(CaseAction.DISCLOSE)
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
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The disclosure is recorded in the register."))
            return redirect("consent:disclosures", public_id=case.public_id)
    return render(request, "consent/disclosure_form.html", _base(request, case, access, form=form))


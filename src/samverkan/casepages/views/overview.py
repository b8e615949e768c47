"""Case pages: my cases, look-up, the case overview (which gathers consent and recent
journal notes), the intake decision and the programme transfer. What the viewer may
see and do: their CaseAccess (samverkan.caseaccess)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.casepages import selectors as page_selectors
from samverkan.casepages.forms import CaseListForm
from samverkan.cases import selectors, services
from samverkan.cases.forms.intake import DecisionForm, EmergencyForm, LookupForm
from samverkan.cases.models import CaseStatus, TeamRole
from samverkan.consent.selectors import effective_consent_for_case
from samverkan.journal.selectors import recent_notes
from samverkan.lib.identity_numbers import IdentityNumberError
from samverkan.lib.params import page_number
from samverkan.trefas.selectors.exits import trefas_links_for_case


@require_permission(Permission.CASE_VIEW)
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("name")
def my_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My cases with filters and sorting (GET, a query string a link may carry) and the
    search by name (POST only: a name is personal data and must not enter a URL, and
    so the web server's access log, the browser history or a Referer header). A POST
    without a name is the same list as a GET: redirected to it."""
    data = request.POST.copy() if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        data.pop("name", None)  # a name is never read from a URL
    form = CaseListForm(data, programmes=page_selectors.programmes_in_caseload(actor=request.user))
    query = form.query()
    if request.method == "POST" and not query.name and "name" not in form.errors:
        filters = form.filter_query_string()
        return redirect(reverse("cases:list") + (f"?{filters}" if filters else ""))
    page_obj, rows = page_selectors.my_cases(actor=request.user, query=query,
                                             page=page_number(request.POST.get("page") or request.GET.get("page")))
    return render(request, "cases/list.html", {
        "rows": rows, "page_obj": page_obj, "form": form, "query": query,
        "searching": bool(query.name), "filter_query": form.filter_query_string(),
        "several_leads": len({r.lead_organisation for r in rows}) > 1,
        "can_intake": policy.has_permission(request.user, Permission.CASE_INTAKE)
        and selectors.programmes_for_intake(actor=request.user).exists(),
    })


@require_permission(Permission.PERSON_LOOKUP)
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("identity")
def lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Exact look-up by identity number. POST only, so the number never enters a URL."""
    form = LookupForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = page_selectors.person_lookup(actor=request.user, identity_text=request.POST["identity"],
                                                  purpose=form.cleaned_data["purpose"])
        except IdentityNumberError as exc:
            form.add_error("identity", exc.message)
    return render(request, "cases/lookup.html", {
        "form": form, "result": result,
        "emergency_form": EmergencyForm(),
    })


@require_permission(Permission.CASE_VIEW)
@require_GET
def detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    consent = access.consent or effective_consent_for_case(case=case, today=timezone.localdate())
    return render(request, "cases/detail.html", {
        "case": case, "access": access, "person": selectors.person_view(case=case, access=access),
        "team": selectors.team_summary(case=case), "consent": consent,
        "recent_notes": recent_notes(case=case, access=access),
        "decision_form": DecisionForm() if case.status == CaseStatus.INTAKE and access.is_lead_team else None,
        "successor": selectors.successor_offer(case=case) if access.is_lead_coordinator else None,
        "team_role_label": TeamRole(access.team_role).label if access.team_role in TeamRole.values else "",
        "can_manage_team": access.may(CaseAction.MANAGE_TEAM),
        # Only to a viewer who takes part in the forum (Trefas asks its forum decision).
        "trefas_links": trefas_links_for_case(actor=request.user, case=case),
    })


@require_permission(Permission.CASE_DECIDE)
@require_POST
def decide(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.case_decide(actor=request.user, case=case, access=access,
                                 accepted=form.cleaned_data["decision"] == "accept",
                                 reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision is recorded."))
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("cases:detail", public_id=case.public_id)


@require_permission(Permission.CASE_TEAM_MANAGE)
@require_POST
def transfer(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    try:
        services.case_transfer_programme(actor=request.user, case=case, access=access)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The case continues in %(programme)s with its plan and team.")
                         % {"programme": case.programme.name})
    return redirect("cases:detail", public_id=case.public_id)

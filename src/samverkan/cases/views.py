"""Case pages: my cases, intake, look-up, the case overview, decision, team,
emergency access and programme transfer. Sharing rules: access.policy."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.reauth import require_recent_auth
from samverkan.cases import selectors, services
from samverkan.cases.forms import DecisionForm, EmergencyForm, IntakeForm, LookupForm, TeamAddForm
from samverkan.cases.models import Case, CaseStatus, TeamRole
from samverkan.consent.selectors import effective_consent_for_case
from samverkan.lib.identity_numbers import IdentityNumberError
from samverkan.lib.params import page_number


@require_permission(Permission.CASE_VIEW)
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page_obj, rows = selectors.my_cases(actor=request.user, status=status,
                                        page=page_number(request.GET.get("page")))
    return render(request, "cases/list.html", {
        "rows": rows, "page_obj": page_obj, "status": status, "statuses": CaseStatus.choices,
        "can_intake": policy.has_permission(request.user, Permission.CASE_INTAKE)
        and selectors.programmes_for_intake(actor=request.user).exists(),
    })


@require_permission(Permission.CASE_INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programmes_for_intake(actor=request.user)
    if not programmes.exists():
        return render(request, "cases/intake_unavailable.html", status=403)
    form = IntakeForm(request.POST or None, programmes=programmes,
                      organisations=selectors.referring_organisations())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_intake(
                actor=request.user, programme=d["programme"], identity=d["identity"],
                first_name=d["first_name"], last_name=d["last_name"], intake_source=d["intake_source"],
                referred_by=d["referred_by"], received_on=d["received_on"],
                intake_summary=d["intake_summary"], protected_identity=d["protected_identity"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The intake is registered. Decide on it when the assessment is done."))
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/intake.html", {"form": form})


@require_permission(Permission.PERSON_LOOKUP)
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Exact look-up by identity number. POST only, so the number never enters a URL."""
    form = LookupForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = selectors.person_lookup(actor=request.user, identity_text=request.POST["identity"],
                                             purpose=form.cleaned_data["purpose"])
        except IdentityNumberError as exc:
            form.add_error("identity", exc.message)
    return render(request, "cases/lookup.html", {
        "form": form, "result": result,
        "emergency_form": EmergencyForm(),
    })


def _case(request: HttpRequest, public_id: UUID) -> tuple[Case, policy.CaseAccess]:
    return selectors.case_for_actor(actor=request.user, public_id=public_id)


@require_permission(Permission.CASE_VIEW)
@require_GET
def detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    from samverkan.journal.selectors import recent_notes

    consent = access.consent or effective_consent_for_case(case=case, today=timezone.localdate())
    return render(request, "cases/detail.html", {
        "case": case, "access": access, "person": selectors.person_view(case=case, access=access),
        "team": selectors.team_summary(case=case), "consent": consent,
        "recent_notes": recent_notes(case=case, access=access),
        "decision_form": DecisionForm() if case.status == CaseStatus.INTAKE and access.is_lead_team else None,
        "successor": selectors.successor_offer(case=case) if policy.is_lead_coordinator(access) else None,
        "team_role_label": TeamRole(access.team_role).label if access.team_role in TeamRole.values else "",
        "can_manage_team": policy.is_lead_coordinator(access)
        and policy.has_permission(request.user, Permission.CASE_TEAM_MANAGE),
    })


@require_permission(Permission.CASE_DECIDE)
@require_POST
def decide(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
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


@require_permission(Permission.CASE_VIEW)
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    can_manage = policy.is_lead_coordinator(access) and policy.has_permission(request.user, Permission.CASE_TEAM_MANAGE)
    form = TeamAddForm(request.POST or None, users=selectors.team_candidates(case=case)) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.team_add(actor=request.user, case=case, access=access, user=form.cleaned_data["user"],
                                  team_role=form.cleaned_data["team_role"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Added to the team."))
                return redirect("cases:team", public_id=case.public_id)
    return render(request, "cases/team.html", {
        "case": case, "access": access, "person": selectors.person_view(case=case, access=access),
        "team": selectors.team_for_case(case=case), "form": form, "can_manage": can_manage,
    })


@require_permission(Permission.CASE_TEAM_MANAGE)
@require_POST
def team_remove(request: HttpRequest, public_id: UUID, member_id: int) -> HttpResponse:
    case, access = _case(request, public_id)
    member = policy.get_or_404(selectors.team_for_case(case=case), pk=member_id)
    try:
        services.team_remove(actor=request.user, case=case, access=access, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed from the team."))
    return redirect("cases:team", public_id=case.public_id)


@require_permission(Permission.CASE_BREAK_GLASS)
@require_recent_auth
@require_POST
def emergency(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Break the glass for a case led by the user's own organisation (from the look-up)."""
    case = selectors.case_for_emergency(actor=request.user, public_id=public_id)
    form = EmergencyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the emergency in at least 20 characters."))
        return redirect("cases:lookup")
    services.emergency_access_grant(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    messages.warning(request, _("Emergency access for %(h)d hours. It is logged and will be reviewed.")
                     % {"h": services.EMERGENCY_ACCESS_HOURS})
    return redirect("cases:detail", public_id=case.public_id)


@require_permission(Permission.CASE_TEAM_MANAGE)
@require_POST
def transfer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    case, access = _case(request, public_id)
    try:
        services.case_transfer_programme(actor=request.user, case=case, access=access)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The case continues in %(programme)s with its plan and team.")
                         % {"programme": case.programme.name})
    return redirect("cases:detail", public_id=case.public_id)

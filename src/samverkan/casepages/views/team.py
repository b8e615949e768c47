"""A case's team: who is on it, and (the lead coordinator) adding and removing members."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from samverkan.access import policy
from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.selectors import case_for_actor
from samverkan.cases import selectors, services
from samverkan.cases.forms.team import TeamAddForm, TeamSearchForm
from samverkan.frontend.confirm import confirm_page, confirmed
from samverkan.frontend.picker import picker_search


@require_permission(Permission.CASE_VIEW)
@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("q")
def team(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The team, and for the lead coordinator the picker of people to add. The picker's
    search by name is a POST answered with the page itself, never a URL
    (frontend.picker); a search without words is the page as a GET: redirected to it."""
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    can_manage = access.may(CaseAction.MANAGE_TEAM)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    search = picker_search(request, TeamSearchForm)
    if search.cleared:
        return redirect("cases:team", public_id=case.public_id)
    candidates = selectors.team_candidates(case=case, search=search.words) if can_manage else None
    adding = request.method == "POST" and not search.searching
    form = TeamAddForm(request.POST if adding else None, users=candidates) if can_manage else None
    if adding and form is not None and form.is_valid():
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
        "search": search.form, "words": search.words, "shown": len(candidates) if candidates is not None else 0,
        "limit": selectors.TEAM_CANDIDATES_SHOWN,
    }, status=400 if search.form.errors else 200)


@require_permission(Permission.CASE_TEAM_MANAGE)
@require_POST
def team_remove(request: AuthenticatedHttpRequest, public_id: UUID, member_id: int) -> HttpResponse:
    case, access = case_for_actor(actor=request.user, public_id=public_id)
    member = policy.get_or_404(selectors.team_for_case(case=case), pk=member_id)
    access.require(CaseAction.MANAGE_TEAM)
    if not confirmed(request):
        name = member.user.get_full_name() or member.user.username
        return confirm_page(
            request,
            heading=_("Remove %(name)s from the team?") % {"name": name},
            consequence=_(
                "%(name)s (%(organisation)s) will no longer see the case or work on it, from now on."
            )
            % {"name": name, "organisation": member.organisation.name},
            irreversible=_(
                "The removal cannot be undone: it stays in the case's history. To give them access "
                "again, add them to the team anew."
            ),
            submit=_("Yes, remove from the team"),
            destructive=True,
            cancel_url=reverse("cases:team", args=[case.public_id]),
            details=[(_("Role"), member.get_team_role_display())],
            header="cases/_case_header.html",
            context={
                "case": case,
                "access": access,
                "person": selectors.person_view(case=case, access=access),
            },
        )
    try:
        services.team_remove(actor=request.user, case=case, access=access, member=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed from the team."))
    return redirect("cases:team", public_id=case.public_id)

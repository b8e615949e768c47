"""The prevention overview, /brottsforebyggande/ (PREVENTION_VIEW): each municipality and
district the person sees with its current lägesbild and åtgärdsplan, coordinators and
yearly cycle. A person with the permission but no scope (e.g. an agency's staff) gets
the page saying there is nothing for them: the index of a section is not an object
outside their scope (that would be 404)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.selectors.overview import prevention_overview


@require_permission(Permission.PREVENTION_VIEW)
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = local_access_for(request.user)
    today = timezone.localdate()
    scopes = prevention_overview(actor=request.user, access=access, today=today)
    return render(request, "prevention/overview.html", {"scopes": scopes, "access": access, "year": today.year})

"""The Trefas start page: the forums the user takes part in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.trefas.selectors.forums import forum_for_actor, forums_for


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def forum_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "trefas/forums.html", {"forums": list(forums_for(request.user))})


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def forum_detail(request: AuthenticatedHttpRequest, forum_id: int) -> HttpResponse:
    """The forum's page: the list (the list topic fills it in: views/listing.py)."""
    forum, access = forum_for_actor(request.user, forum_id)
    return render(request, "trefas/forum.html", {"forum": forum, "access": access})

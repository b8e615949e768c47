"""The Trefas start page: the forums the user takes part in, and their unread notices.
(A forum's own page is the list: views/listing.py.)"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.trefas.selectors.forums import forums_for
from samverkan.trefas.selectors.notices import unread_count


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def forum_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "trefas/forums.html", {
        "forums": list(forums_for(request.user)),
        "unread_notices": unread_count(actor=request.user),
    })

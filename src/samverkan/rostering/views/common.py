"""Helpers the rostering views share: permissions for expert pages, the expert whose calendar
is asked for and downloads.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse

from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.rostering import selectors
from samverkan.rostering.models import Expert

EXPERT_PERMS = (Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response



def _calendar_expert(request: AuthenticatedHttpRequest, pk: int | None) -> Expert:
    if pk is None:
        expert = selectors.own_expert(actor=request.user)
        if expert is None:
            raise Http404
        return expert
    return selectors.get_expert(actor=request.user, pk=pk)

"""The user's notices (no forum): unread first; mark one or all as read."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission
from samverkan.accounts.http import AuthenticatedHttpRequest
from samverkan.lib.params import whole_number
from samverkan.trefas.selectors.notices import notices_for
from samverkan.trefas.services.notices import notices_mark_read


@require_GET
@require_permission(Permission.TREFAS_VIEW)
def notices(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = notices_for(actor=request.user)
    return render(request, "trefas/notices.html", {
        "rows": rows, "unread": sum(1 for row in rows if row.unread),
    })


@require_POST
@require_permission(Permission.TREFAS_VIEW)
def notices_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark the user's own notices read: all (``all``) or one (``notice``); anything else
    marks nothing."""
    if request.POST.get("all"):
        notices_mark_read(actor=request.user)
    else:
        notice_id = whole_number(request.POST.get("notice"))
        if notice_id is not None:
            notices_mark_read(actor=request.user, notice_ids=[notice_id])
    return redirect("trefas:notices")

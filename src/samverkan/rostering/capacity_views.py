"""The capacity planner page and its decision memo (filled in below)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.access.guards import require_permission
from samverkan.access.permissions import Permission


@require_permission(Permission.CAPACITY_VIEW)
@require_GET
def capacity(request: HttpRequest) -> HttpResponse:
    return render(request, "rostering/capacity.html", {})


@require_permission(Permission.CAPACITY_VIEW)
@require_GET
def capacity_memo(request: HttpRequest) -> HttpResponse:
    return render(request, "rostering/capacity.html", {})

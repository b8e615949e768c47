"""The UI kit's one view: the staff language switch."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from samverkan.access.guards import public


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    # Stores the choice in a first-party cookie only; no tracking.
    return django_set_language(request)

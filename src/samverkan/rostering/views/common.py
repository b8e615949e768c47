"""Helpers the rostering views share: permissions for expert pages, the expert whose calendar
is asked for, form errors and downloads.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from samverkan.access.permissions import Permission
from samverkan.rostering import selectors
from samverkan.rostering.models import Expert

EXPERT_PERMS = (Permission.ROSTER_VIEW, Permission.ROSTER_MANAGE, Permission.EXPERT_MANAGE_OWN)


def _form_errors(form: object, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)  # type: ignore[attr-defined]
    else:
        for message in exc.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response



def _calendar_expert(request: HttpRequest, pk: int | None) -> Expert:
    if pk is None:
        expert = selectors.own_expert(actor=request.user)
        if expert is None:
            raise Http404
        return expert
    return selectors.get_expert(actor=request.user, pk=pk)

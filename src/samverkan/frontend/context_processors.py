from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.frontend.languages import staff_languages


def shell(request: HttpRequest) -> dict[str, Any]:
    """Navigation entries the current user may follow (computed from permissions)."""
    user = getattr(request, "user", None)
    perms = policy.permissions_of(user)
    return {
        "nav_perms": {p.name: (p in perms) for p in Permission},
        "demo_mode": settings.SAMVERKAN_DEMO_MODE,
    }


def languages(request: HttpRequest) -> dict[str, object]:
    """The staff shell's language switcher offers only the staff languages."""
    return {"STAFF_LANGUAGES": staff_languages()}

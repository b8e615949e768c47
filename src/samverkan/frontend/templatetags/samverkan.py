from __future__ import annotations

from typing import Any

from django import template

from samverkan.access import policy
from samverkan.frontend.navigation import staff_menu as render_menu

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def staff_menu(context: Any) -> str:
    """The staff menu for the current user and page (frontend/navigation.py)."""
    request = context["request"]
    return render_menu(perms=policy.permissions_of(request.user), path=request.path)

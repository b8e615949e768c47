from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

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


@register.filter
def ltr(value: Any) -> str:
    """Isolate a number, time, telephone number or address written left to right, so an
    Arabic page shows "08-508 00 000" and "2025-2026" in their own order:
    <bdi dir="ltr">value</bdi> (escaped). Keeps a msgid free of markup:
    {% blocktranslate with period=promise.period|ltr %}."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)

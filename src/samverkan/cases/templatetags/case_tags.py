from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from samverkan.cases import navigation

register = template.Library()


@register.simple_tag
def case_nav(case: Any, access: Any = None) -> list[dict[str, str]]:
    """The case's sub-pages the viewer may open, as the viewer's case decision (``access``)
    says. Without it only the pages every team member may open: never a dead end."""
    return [{"label": str(item.label), "url": reverse(item.url_name, args=[case.public_id])}
            for item in navigation.items(access) if access is not None or item.shown is navigation.TEAM]

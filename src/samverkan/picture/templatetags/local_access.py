"""Templates ask the area scope, never compare organisation or area ids:

    {% load local_access %}
    {% local_may access "update_action" action as ok %}{% if ok %}…{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.picture.decision import LocalAccess

register = template.Library()


@register.simple_tag
def local_may(access: LocalAccess | None, action: str, entry: Any = None) -> bool:
    """LocalAccess.may(action, entry); False without an access (fail closed)."""
    if access is None:
        return False
    return access.may(action, entry)

"""Templates ask the forum decision, never compare organisation ids:

    {% load trefas %}
    {% trefas_may access "update_action" action as ok %}{% if ok %}…{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.trefas import navigation
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.navigation import ForumNavItem

register = template.Library()


@register.simple_tag
def trefas_may(access: TrefasAccess | None, action: str, entry: Any = None) -> bool:
    """TrefasAccess.may(action, entry); False without an access (fail closed)."""
    if access is None:
        return False
    return access.may(action, entry)


@register.simple_tag
def forum_nav(access: TrefasAccess | None) -> list[ForumNavItem]:
    """The forum's tabs this member sees."""
    return [] if access is None else navigation.items(access)

"""Templates ask the case decision, never compare organisation ids:

    {% load caseaccess %}
    {% case_may access "follow_up" commitment as ok %}{% if ok %}…{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template

from samverkan.caseaccess.decision import CaseAccess

register = template.Library()


@register.simple_tag
def case_may(access: CaseAccess | None, action: str, entry: Any = None) -> bool:
    """CaseAccess.may(action, entry); False without an access (fail closed)."""
    if access is None:
        return False
    return access.may(action, entry)

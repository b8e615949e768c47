"""``{{ event.action|action_label }}``: an audit action's plain-language label."""

from __future__ import annotations

from django import template

from samverkan.audit.labels import action_label as _label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _label(action)

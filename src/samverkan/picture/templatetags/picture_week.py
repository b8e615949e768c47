"""Template helpers of the weekly picture.

``optional_url`` links to a page another part of the picture provides (the report form,
a report's page) only when its URL name exists, so the week pages never fail on a page
that is not installed:

    {% optional_url "picture:report" as report_url %}{% if report_url %}…{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from samverkan.picture.selectors.week_compare import number

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: Any) -> str:
    """reverse(name, args); "" when the URL name (or that form of it) does not exist."""
    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return ""


@register.filter
def week_number(value: float) -> str:
    """An average as people read it (picture.selectors.week_compare.number)."""
    return number(float(value))

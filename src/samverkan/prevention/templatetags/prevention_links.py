"""``{% url_or_none "name" arg ... as href %}``: the URL, or "" when no page has that
name. The overview links the lägesbild and the åtgärdsplan by the names of their pages
(``prevention:situation``, ``prevention:plan``); until those pages are installed, the
overview shows the titles without a link instead of failing."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_or_none(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""

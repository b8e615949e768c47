"""The UI kit for pages of the residents' site (the public pages and the tip channel):
the mark that puts a view on the public site, and rendering with the public language
switcher. The layout is ``frontend/public/base.html`` (with ``field.html`` and
``errors.html`` beside it) and its stylesheet ``frontend/public.css``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from samverkan.frontend.languages import html_lang, public_languages

MARK = "samverkan_public_site"


def public_site(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view as a page of the public site (all public languages)."""
    setattr(func, MARK, True)
    return func


def is_public_site(view_func: Callable[..., object]) -> bool:
    return bool(getattr(view_func, MARK, False))


def render_public(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    ctx = {"public_languages": public_languages(), "html_lang": html_lang(get_language() or "sv")}
    ctx.update(context or {})
    return render(request, template, ctx, status=status)

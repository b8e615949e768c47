"""Rendering public pages: the language switcher's data and the <html lang> tag."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from samverkan.public.languages import html_lang, public_languages


def render_public(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    ctx = {"public_languages": public_languages(), "html_lang": html_lang(get_language() or "sv")}
    ctx.update(context or {})
    return render(request, template, ctx, status=status)

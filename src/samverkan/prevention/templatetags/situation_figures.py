"""The lägesbild's figures as people read them in the page's language (Swedish: 1 234,5):
grouped thousands, the decimals a figure has and no trailing zeros."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        decimals = len(text.split(".")[1]) if "." in text else 0
        return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True,
                                     force_grouping=True)
    return formats.number_format(value, use_l10n=True, force_grouping=True)

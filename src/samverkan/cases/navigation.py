"""Sub-pages of a case. Each app that adds a case page registers it in its AppConfig.ready
(order = position in the case navigation)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class CaseNavItem:
    order: int
    label: str | Promise
    url_name: str  # reversed with the case's public_id


_ITEMS: dict[str, CaseNavItem] = {}


def register(*, order: int, label: str | Promise, url_name: str) -> None:
    _ITEMS[url_name] = CaseNavItem(order, label, url_name)


def items() -> list[CaseNavItem]:
    return sorted(_ITEMS.values(), key=lambda i: i.order)

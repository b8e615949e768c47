"""The forum's own pages (tabs under the forum's name). Each topic registers its page in
TrefasConfig.ready (order = position); a tab is shown when ``shown(access)`` allows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from samverkan.trefas.decision import TrefasAccess


def _members(access: TrefasAccess) -> bool:
    return True


@dataclass(frozen=True)
class ForumNavItem:
    order: int
    label: str | Promise
    url_name: str  # reversed with the forum's id
    shown: Callable[[TrefasAccess], bool] = _members


_ITEMS: dict[str, ForumNavItem] = {}


def register(*, order: int, label: str | Promise, url_name: str,
             shown: Callable[[TrefasAccess], bool] = _members) -> None:
    _ITEMS[url_name] = ForumNavItem(order, label, url_name, shown)


def items(access: TrefasAccess) -> list[ForumNavItem]:
    return sorted((i for i in _ITEMS.values() if i.shown(access)), key=lambda i: i.order)

"""Sub-pages of a case. Each app that adds a case page registers it in its AppConfig.ready
(order = position in the case navigation); a page only some of the case's team may open
says so with ``shown`` (asked with the viewer's case decision), so nobody is shown a link
that answers 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from samverkan.cases.actions import CaseGate


def _team(access: CaseGate) -> bool:
    return True


TEAM = _team  # "shown to every team member" (the default)


@dataclass(frozen=True)
class CaseNavItem:
    order: int
    label: str | Promise
    url_name: str  # reversed with the case's public_id
    shown: Callable[[CaseGate], bool] = _team


_ITEMS: dict[str, CaseNavItem] = {}


def register(*, order: int, label: str | Promise, url_name: str,
             shown: Callable[[CaseGate], bool] = _team) -> None:
    _ITEMS[url_name] = CaseNavItem(order, label, url_name, shown)


def items(access: CaseGate | None = None) -> list[CaseNavItem]:
    """The case's sub-pages, in order; with ``access``, only those the viewer may open."""
    shown = (i for i in _ITEMS.values() if access is None or i.shown(access))
    return sorted(shown, key=lambda i: i.order)

"""Lägesbilder for the situation tests, made through the services (so every test also
runs the real rules): a Järva draft by jarva_coord, the city's by city_coord."""

from __future__ import annotations

from datetime import date

from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.selectors import situation as selectors
from samverkan.prevention.services import situation as services


def scope_of(world, persona: str, key: str) -> selectors.ScopeChoice:
    """The persona's scope choice whose label or key matches ``key`` ("m" or a district code)."""
    access = local_access_for(world[persona])
    for choice in selectors.scope_choices(access):
        if key == "m" and choice.key == "m":
            return choice
        if key in world.districts and choice.district_id == world.districts[key].pk:
            return choice
    raise LookupError(key)


def start(world, persona: str = "jarva_coord", key: str = "jarva", *, copy: bool = False, title: str = "Järva 2026"):
    user = world[persona]
    return services.create_version(
        actor=user, access=local_access_for(user), scope=scope_of(world, persona, key), title=title,
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), copy=copy,
    )


def fresh(report):
    report.refresh_from_db()
    return report

"""The demo staff of the Trefas forum: the city's coordinator against lethal violence
(the forum's coordinator), a social worker, a police officer, a probation officer, a
prison officer, and the jurists of the city's social services and of the police. Same
password, authenticator and recovery codes as the other demo personas."""

from __future__ import annotations

from typing import Any

from samverkan.accounts.models import User
from samverkan.demo.individual_track.staff import ensure_demo_staff
from samverkan.demo.personas import Persona
from samverkan.demo.trefas.common import ORGS, SEED

# key -> (username, organisation key, role codes, description); the forum role is in forum.py.
TREFAS_STAFF_BY_KEY: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "coordinator": ("trefas.samordnare", "city", ("coordinator",),
                    "Trefas: the city's coordinator against lethal violence (forum coordinator)"),
    "soc": ("trefas.socialsekreterare", "soc", ("caseworker",), "Trefas: social worker, Järva social services"),
    "police": ("trefas.polis", "police", ("caseworker",), "Trefas: police officer, LPO Rinkeby"),
    "probation": ("trefas.frivard", "probation", ("caseworker",), "Trefas: probation officer, frivården"),
    "prison": ("trefas.anstalt", "prison", ("caseworker",), "Trefas: prison officer, anstalten Täby"),
    "soc_jurist": ("trefas.jurist.stad", "soc", ("jurist",),
                   "Trefas: jurist of the city (Järva social services)"),
    "police_jurist": ("trefas.jurist.polis", "police", ("jurist",), "Trefas: jurist of the police"),
}
TREFAS_STAFF: list[tuple[str, str, tuple[str, ...], str]] = [
    (username, ORGS[org], roles, description)
    for username, org, roles, description in TREFAS_STAFF_BY_KEY.values()
]

# The same staff as personas (the shape of ``demo.personas.PERSONAS``), for whoever lists
# the demo's people: the accessibility crawl of the browser tests logs in as them.
TREFAS_PERSONAS: list[Persona] = [
    Persona(username, organisation, roles, description) for username, organisation, roles, description in TREFAS_STAFF
]


def ensure_trefas_staff() -> tuple[dict[str, User], list[dict[str, Any]]]:
    """The forum's demo staff by key, and their rows for the persona table."""
    rows = ensure_demo_staff(TREFAS_STAFF, seed=SEED)
    users = {
        key: User.objects.get(username=username, is_demo=True)
        for key, (username, _o, _r, _d) in TREFAS_STAFF_BY_KEY.items()
    }
    return users, rows

"""The demo personas: fictitious staff users across seven organisations.

Every persona is marked ``is_demo=True``; their names come from Faker's sv_SE
provider with a fixed seed, so they are invented and stable between runs.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-samverkan-2026"


@dataclass(frozen=True)
class Persona:
    username: str
    organisation: str  # Organisation.short_code
    roles: tuple[str, ...]
    description: str


PERSONAS: list[Persona] = [
    Persona("admin", "sthlm-stadsledningskontoret", ("system_admin",), "System administrator"),
    Persona("revisor", "sthlm-stadsledningskontoret", ("system_auditor",), "System auditor (all audit logs)"),
    Persona("jarva.handlaggare", "sdf-jarva", ("caseworker",), "Caseworker, Järva social services"),
    Persona("jarva.samordnare", "sdf-jarva", ("coordinator",), "SIG coordinator, Järva"),
    Persona("jarva.chef", "sdf-jarva", ("manager",), "Unit manager, Järva"),
    Persona("jarva.admin", "sdf-jarva", ("org_admin",), "Organisation administrator, Järva"),
    Persona("jarva.logg", "sdf-jarva", ("log_reviewer",), "Log reviewer, Järva"),
    Persona("skarholmen.handlaggare", "sdf-skarholmen", ("caseworker",), "Caseworker, Skärholmen social services"),
    Persona("socialforvaltningen.dso", "sthlm-socialforvaltningen", ("dpo",), "Data-protection officer"),
    Persona("polis.rinkeby", "lpo-rinkeby", ("caseworker",), "Police officer, LPO Rinkeby"),
    Persona("polis.admin", "lpo-rinkeby", ("org_admin",), "Organisation administrator, LPO Rinkeby"),
    Persona("frivarden", "frivarden-stockholm", ("caseworker",), "Probation officer, frivården Stockholm"),
    Persona("skola", "sthlm-utbildningsforvaltningen", ("caseworker",), "School welfare officer"),
    Persona("skatteverket", "skatteverket", ("caseworker",), "Investigator, Skatteverket"),
]

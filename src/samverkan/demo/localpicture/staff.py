"""The local-picture demo's people and fictitious reporting organisations: the city's
crime-prevention coordinator, Järva's trygghetssamordnare, a police officer of
Lokalpolisområde Rinkeby, and reporters of a fictitious housing company and a fictitious
shop (registered, with ReportingArea rows, for the areas they report in). Same password,
authenticator and recovery codes as the other demo personas."""

from __future__ import annotations

from typing import Any

from samverkan.accounts.models import User
from samverkan.demo.individual_track.staff import ensure_demo_staff
from samverkan.demo.localpicture.common import FICTITIOUS, ORGS, SEED
from samverkan.demo.personas import Persona
from samverkan.directory.models import Area, Organisation, OrganisationKind
from samverkan.picture.models import ReportingArea

# Fictitious external reporting organisations: key -> (short code, name, kind, area codes).
EXTERNAL_ORGS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "housing": ("demo-bostadsbolaget-hemma", f"Bostadsbolaget Hemma AB {FICTITIOUS}", OrganisationKind.HOUSING,
                ("rinkeby-tensta", "husby")),
    "shop": ("demo-livsbutiken-torget", f"Livsbutiken på Torget {FICTITIOUS}", OrganisationKind.BUSINESS,
             ("husby",)),
}

# key -> (username, organisation key or short code, role codes, description)
LOCAL_PICTURE_STAFF_BY_KEY: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "city": ("trygghet.stad", ORGS["city"], ("coordinator",),
             "Local picture: the city's crime-prevention coordinator"),
    "jarva": ("trygghet.jarva", ORGS["jarva"], ("coordinator",),
              "Local picture: trygghetssamordnare (coordinator), Järva"),
    "police": ("trygghet.polis", ORGS["police_rinkeby"], ("caseworker",),
               "Local picture: police officer, LPO Rinkeby"),
    "housing": ("trygghet.bostad", EXTERNAL_ORGS["housing"][0], ("reporter",),
                "Local picture: incident reporter, a fictitious housing company"),
    "shop": ("trygghet.butik", EXTERNAL_ORGS["shop"][0], ("reporter",),
             "Local picture: incident reporter, a fictitious shop"),
}
LOCAL_PICTURE_STAFF: list[tuple[str, str, tuple[str, ...], str]] = list(LOCAL_PICTURE_STAFF_BY_KEY.values())

# The same as personas (the shape of demo.personas.PERSONAS), for whoever lists the demo's
# people: the persona table load_demo prints, the accessibility crawl of the browser tests.
LOCAL_PICTURE_PERSONAS: list[Persona] = [
    Persona(username, organisation, roles, description)
    for username, organisation, roles, description in LOCAL_PICTURE_STAFF
]


def ensure_external_orgs() -> dict[str, Organisation]:
    """The fictitious housing company and shop, and the areas they report in."""
    areas = {a.code: a for a in Area.objects.all()}
    orgs = {}
    for key, (code, name, kind, area_codes) in EXTERNAL_ORGS.items():
        org, _made = Organisation.objects.get_or_create(short_code=code, defaults={"name": name, "kind": kind})
        orgs[key] = org
        for area_code in area_codes:
            if area_code in areas:
                ReportingArea.objects.get_or_create(organisation=org, area=areas[area_code])
    return orgs


def ensure_local_picture_staff() -> tuple[dict[str, User], dict[str, Organisation], list[dict[str, Any]]]:
    """The demo staff by key, the fictitious organisations by key, and the staff's rows
    for the persona table."""
    orgs = ensure_external_orgs()
    rows = ensure_demo_staff(LOCAL_PICTURE_STAFF, seed=SEED)
    users = {
        key: User.objects.get(username=username, is_demo=True)
        for key, (username, _o, _r, _d) in LOCAL_PICTURE_STAFF_BY_KEY.items()
    }
    return users, orgs, rows

"""Reference data shipped with Samverkan: real public organisations and places.

These are public bodies and police-published facts, not personal data. Classifications
are only those the project has a source for (the police's 2023 list, see
shared/docs/legal-facts.md); other list years are recorded by a system administrator
from the police's publications (Directory → Vulnerable areas → Record a classification).
Centre points are approximate, for orientation only.
"""

from __future__ import annotations

from typing import Any

# (short_code, name, kind, parent short_code or None)
ORGANISATIONS: list[tuple[str, str, str, str | None]] = [
    # The eleven agencies of the motion (KS 2019/1899)
    ("skatteverket", "Skatteverket", "agency", None),
    ("arbetsformedlingen", "Arbetsförmedlingen", "agency", None),
    ("ekobrottsmyndigheten", "Ekobrottsmyndigheten", "agency", None),
    ("tullverket", "Tullverket", "agency", None),
    ("forsakringskassan", "Försäkringskassan", "agency", None),
    ("kriminalvarden", "Kriminalvården", "agency", None),
    ("sakerhetspolisen", "Säkerhetspolisen", "agency", None),
    ("kustbevakningen", "Kustbevakningen", "agency", None),
    ("migrationsverket", "Migrationsverket", "agency", None),
    ("polismyndigheten", "Polismyndigheten", "agency", None),
    ("aklagarmyndigheten", "Åklagarmyndigheten", "agency", None),
    # Others the seed document names
    ("kronofogden", "Kronofogden", "agency", None),
    ("region-stockholm", "Region Stockholm", "region", None),
    ("sbff", "Storstockholms brandförsvar", "other_public", None),
    ("frivarden-stockholm", "Kriminalvården, frivården Stockholm", "agency", "kriminalvarden"),
    ("kv-anstalt-taby", "Kriminalvården, anstalten Täby", "agency", "kriminalvarden"),
    ("polisregion-stockholm", "Polisregion Stockholm", "police_region", "polismyndigheten"),
    ("lpo-rinkeby", "Lokalpolisområde Rinkeby", "police_area", "polisregion-stockholm"),
    ("lpo-skarholmen", "Lokalpolisområde Skärholmen", "police_area", "polisregion-stockholm"),
    ("lpo-vasterort", "Lokalpolisområde Västerort", "police_area", "polisregion-stockholm"),
    ("lpo-farsta", "Lokalpolisområde Farsta", "police_area", "polisregion-stockholm"),
    # Stockholms stad
    ("sthlm-stadsledningskontoret", "Stockholms stad, stadsledningskontoret", "municipal", None),
    ("sthlm-socialforvaltningen", "Stockholms stad, socialförvaltningen", "municipal", None),
    ("sthlm-utbildningsforvaltningen", "Stockholms stad, utbildningsförvaltningen", "school", None),
]

# The 11 stadsdelsområden since 1 July 2023: (code, name)
DISTRICTS: list[tuple[str, str]] = [
    ("bromma", "Bromma"),
    ("enskede-arsta-vantor", "Enskede-Årsta-Vantör"),
    ("farsta", "Farsta"),
    ("hagersten-alvsjo", "Hägersten-Älvsjö"),
    ("hasselby-vallingby", "Hässelby-Vällingby"),
    ("jarva", "Järva"),
    ("kungsholmen", "Kungsholmen"),
    ("norra-innerstaden", "Norra innerstaden"),
    ("skarholmen", "Skärholmen"),
    ("skarpnack", "Skarpnäck"),
    ("sodermalm", "Södermalm"),
]

# (code, name, district code, police area code, (lat, lon)) — police list 2023
AREAS: list[tuple[str, str, str, str, tuple[str, str]]] = [
    ("rinkeby-tensta", "Rinkeby/Tensta", "jarva", "lpo-rinkeby", ("59.3880", "17.9280")),
    ("husby", "Husby", "jarva", "lpo-rinkeby", ("59.4100", "17.9260")),
    ("bredang", "Bredäng", "skarholmen", "lpo-skarholmen", ("59.2950", "17.9330")),
    ("varberg", "Vårberg", "skarholmen", "lpo-skarholmen", ("59.2760", "17.8900")),
    (
        "hasselby-vallingby",
        "Hässelby/Vällingby",
        "hasselby-vallingby",
        "lpo-vasterort",
        ("59.3640", "17.8700"),
    ),
    (
        "hagsatra-ragsved",
        "Hagsätra/Rågsved",
        "enskede-arsta-vantor",
        "lpo-farsta",
        ("59.2630", "18.0200"),
    ),
]

SOURCE_2023 = "Polismyndigheten, Lägesbild över utsatta områden 2023"
CLASSIFICATIONS_2023: dict[str, str] = {
    "rinkeby-tensta": "particularly_vulnerable",
    "husby": "particularly_vulnerable",
    "bredang": "vulnerable",
    "varberg": "vulnerable",
    "hasselby-vallingby": "vulnerable",
    "hagsatra-ragsved": "vulnerable",
}


# The municipality every municipal reference body (sthlm-*, the district administrations)
# belongs to: its staff see the local picture of that municipality's districts.
MUNICIPALITY = "Stockholm"
MUNICIPAL_PREFIXES = ("sthlm-", "sdf-")


def municipality_of(short_code: str) -> str:
    return MUNICIPALITY if short_code.startswith(MUNICIPAL_PREFIXES) else ""


def district_administration_code(district_code: str) -> str:
    return f"sdf-{district_code}"


def counts() -> dict[str, Any]:
    return {
        "organisations": len(ORGANISATIONS) + len(DISTRICTS),
        "districts": len(DISTRICTS),
        "areas": len(AREAS),
    }

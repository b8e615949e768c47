"""The shipped catalogue of statutory bases for disclosure without consent
(legal-facts.md). Configurable data: an administrator may edit, add or retire entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from samverkan.consent.models import LegalBasis

# What load() counts, for the summary line of `samverkan load_reference_data`.
LOADED = "legal bases"

CRIME_INVESTIGATORS = [
    "polismyndigheten",
    "aklagarmyndigheten",
    "sakerhetspolisen",
    "tullverket",
    "ekobrottsmyndigheten",
    "kustbevakningen",
]

LEGAL_BASES: list[dict[str, Any]] = [
    {
        "code": "osl-10-2",
        "reference": "OSL 10 kap. 2 §",
        "title": "Nödvändigt för den egna verksamheten",
        "description": (
            "Uppgiften behöver lämnas för att den utlämnande myndigheten ska kunna fullgöra sin "
            "egen verksamhet."
        ),
    },
    {
        "code": "osl-10-15a",
        "reference": "OSL 10 kap. 15 a §",
        "valid_from": date(2025, 12, 1),
        "title": (
            "Förebygga, förhindra, upptäcka eller utreda brott, eller stoppa felaktiga "
            "utbetalningar"
        ),
        "description": "Kräver en dokumenterad intresseavvägning.",
    },
    {
        "code": "osl-10-18a",
        "reference": "OSL 10 kap. 18 a §",
        "max_subject_age": 21,
        "recipient_codes": ["polismyndigheten", "sakerhetspolisen", "tullverket"],
        "title": (
            "Socialtjänsten till Polisen, Säkerhetspolisen eller Tullverket om person under 21 år"
        ),
        "description": (
            "Konkreta omständigheter tyder på risk för brottslig verksamhet och utlämnandet skadar "
            "inte planerade eller pågående insatser."
        ),
    },
    {
        "code": "osl-10-18c",
        "reference": "OSL 10 kap. 18 c §",
        "recipient_codes": ["polismyndigheten"],
        "title": "Risk för allvarligt våld mot närstående",
        "description": (
            "Uppgiften lämnas till Polismyndigheten för att förhindra våld mot en närstående."
        ),
    },
    {
        "code": "osl-10-20",
        "reference": "OSL 10 kap. 20 §",
        "max_subject_age": 18,
        "recipient_codes": ["polismyndigheten"],
        "requires_review": False,  # an immediate intervention cannot wait for a jurist
        "title": "Person under 18 i allvarlig fara eller som begår brott",
        "description": "Uppgiften behövs för ett omedelbart ingripande av Polisen.",
    },
    {
        "code": "osl-10-21",
        "reference": "OSL 10 kap. 21 §",
        "max_subject_age": 18,
        "recipient_codes": ["polismyndigheten", "aklagarmyndigheten"],
        "title": "Misstanke om allvarliga brott mot person under 18",
        "description": "Uppgiften lämnas till åklagare eller Polisen.",
    },
    {
        "code": "osl-10-23",
        "reference": "OSL 10 kap. 23 §",
        "recipient_codes": CRIME_INVESTIGATORS,
        "title": "Utredning av begånget brott med minst sex månaders fängelse i straffskalan",
        "description": (
            "Uppgiften angår misstanke om ett begånget brott med minimistraff sex månader."
        ),
    },
    {
        "code": "osl-10-28",
        "reference": "OSL 10 kap. 28 §",
        "requires_balancing_test": False,
        "requires_review": False,  # a duty to inform set by law
        "title": "Uppgiftsskyldighet i lag eller förordning",
        "description": "En uppgiftsskyldighet i lag eller förordning bryter sekretessen.",
    },
    {
        "code": "lag-2016-774",
        "reference": "Lag (2016:774)",
        "recipient_kinds": ["agency", "police_area", "police_region"],
        "title": "Samverkan mot organiserad brottslighet",
        "description": (
            "Inom regeringsbeslutad samverkan ska angivna myndigheter lämna uppgifter efter en "
            "intresseavvägning."
        ),
    },
]


def load() -> int:
    """Create missing catalogue entries (existing ones keep an administrator's edits)."""
    created = 0
    for entry in LEGAL_BASES:
        data = dict(entry)
        code = data.pop("code")
        _obj, was_created = LegalBasis.objects.get_or_create(
            code=code, defaults={"kind": "statute", **data}
        )
        created += int(was_created)
    return created

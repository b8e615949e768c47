"""The shipped checklist after an incident (ChecklistTemplate rows); run by
`samverkan load_reference_data` and the demo.

Only missing templates are created: a template an administrator has edited (its title,
its hours, switched off) keeps the edit, and one they removed by switching it off stays
off. The titles are the forum's working language (Swedish) and name no person.
"""

from __future__ import annotations

from samverkan.trefas import retention
from samverkan.trefas.models import ChecklistTemplate, MemberKind

# What load() counts, for the command's summary line.
LOADED = "Trefas checklist templates"

# (code, done by, title, within hours). Every one applies to every kind of incident.
DEFAULT_CHECKLIST: tuple[tuple[str, str, str, int], ...] = (
    ("police-weapons-search", MemberKind.POLICE,
     "Vapensök och kontroll av personer med koppling till händelsen", 4),
    ("police-suspect-checks", MemberKind.POLICE, "Gripanden och kontroller av misstänkta", 12),
    # After a report of concern (19 kap. 1 §) social services assess at once whether the
    # child needs protection (socialtjänstlagen 2025:400, 20 kap. 1 §).
    ("social-sibling-protection", MemberKind.SOCIAL_SERVICES,
     "Skyddsbedömning för syskon under 18 (SoL 2025:400 20 kap. 1 §)", 24),
    ("social-family-contact", MemberKind.SOCIAL_SERVICES, "Kontakt med familjen", 48),
    ("probation-network-clients", MemberKind.PROBATION,
     "Kontroll av klienter i nätverket som har permission eller ska friges", 24),
    ("prison-network-clients", MemberKind.PRISON,
     "Kontroll av klienter i nätverket som har permission eller ska friges", 24),
    ("school-sibling-safety", MemberKind.SCHOOL, "Trygghet för syskon i skolan", 48),
    ("city-convene-forum", MemberKind.CITY_COORDINATOR, "Kalla samman forumet", 24),
)


def load() -> int:
    """Create the shipped checklist templates and default retention rules that are
    missing; returns how many."""
    created = 0
    for order, (code, member_kind, title, hours) in enumerate(DEFAULT_CHECKLIST, start=1):
        _template, was_created = ChecklistTemplate.objects.get_or_create(
            code=code,
            defaults={"member_kind": member_kind, "title": title, "deadline_hours": hours,
                      "order": order * 10, "incident_kind": ""},
        )
        created += int(was_created)
    return created + retention.load()

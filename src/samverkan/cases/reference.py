"""The shipped programmes: SIG unga (12-18) and SIG unga vuxna (19-29) for each Stockholm
district with a police-listed area. An administrator adds others (e.g. SSPF 12-21) as data."""

from __future__ import annotations

from samverkan.cases.models import Programme
from samverkan.directory.models import District

# What load() counts, for the summary line of `samverkan load_reference_data`.
LOADED = "programmes"

PARTICIPATING_KINDS = ["district_administration", "police_area", "police_region", "agency", "school",
                       "municipal", "region", "ngo", "housing"]


def load() -> int:
    """Create missing programmes for every district that has a listed area."""
    created = 0
    for district in District.objects.filter(areas__isnull=False).distinct().order_by("code"):
        adult, new_adult = Programme.objects.get_or_create(
            code=f"sig-unga-vuxna-{district.code}",
            defaults={"name": f"SIG unga vuxna – {district.name}", "min_age": 19, "max_age": 29,
                      "participating_kinds": PARTICIPATING_KINDS},
        )
        young, new_young = Programme.objects.get_or_create(
            code=f"sig-unga-{district.code}",
            defaults={"name": f"SIG unga – {district.name}", "min_age": 12, "max_age": 18,
                      "participating_kinds": PARTICIPATING_KINDS, "successor": adult},
        )
        adult.districts.add(district)
        young.districts.add(district)
        created += int(new_adult) + int(new_young)
    return created

"""What the local-picture demo topics share: the seed, the fictitious markers and the
``Loader`` (the day, the seeded generator, the organisations, users, areas and
categories the story uses)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.directory.models import Area, District, Organisation
from samverkan.picture.models import Category, Place

SEED = 20261123
FICTITIOUS = "(fiktiv)"
SITUATION_TITLE = f"Lägesbild Stockholms stad {FICTITIOUS}"
AREA_CODES = ("rinkeby-tensta", "husby", "bredang", "varberg", "hasselby-vallingby", "hagsatra-ragsved")

# Organisation key -> short code of a shipped reference organisation.
ORGS = {
    "city": "sthlm-stadsledningskontoret",
    "jarva": "sdf-jarva",
    "skarholmen": "sdf-skarholmen",
    "hasselby": "sdf-hasselby-vallingby",
    "enskede": "sdf-enskede-arsta-vantor",
    "police_region": "polisregion-stockholm",
    "police_rinkeby": "lpo-rinkeby",
    "police_skarholmen": "lpo-skarholmen",
    "police_vasterort": "lpo-vasterort",
    "police_farsta": "lpo-farsta",
    "fire": "sbff",
}


def aware(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Loader:
    """The state one load shares: every random draw comes from ``rng`` in the same
    order, so the demo is the same on every machine."""

    today: date
    rng: random.Random
    orgs: dict[str, Organisation]
    users: dict[str, User]
    areas: dict[str, Area]
    districts: dict[str, District]
    categories: dict[str, Category]
    places: dict[str, list[Place]] = field(default_factory=dict)
    # (category code) -> reports in the year, for the lägesbild's own table.
    year_counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, today: date, users: dict[str, User], orgs: dict[str, Organisation]) -> Loader:
        by_code = {o.short_code: o for o in Organisation.objects.filter(short_code__in=ORGS.values())}
        return cls(
            today=today,
            rng=random.Random(SEED),  # noqa: S311 - reproducible demo data, not security
            orgs={**{key: by_code[code] for key, code in ORGS.items() if code in by_code}, **orgs},
            users=users,
            areas={
                a.code: a
                for a in Area.objects.filter(code__in=AREA_CODES).select_related("district__administration",
                                                                                  "police_area")
            },
            districts={d.code: d for d in District.objects.filter(code__in=("jarva", "skarholmen"))},
            categories={c.code: c for c in Category.objects.all()},
        )

    @property
    def doc_year(self) -> int:
        """The year of the decided documents: this year once its plan could be decided
        (from July), else last year — so no decision lies in the future."""
        return self.today.year if self.today >= date(self.today.year, 7, 1) else self.today.year - 1

"""The local-picture test world, shared by the picture, prevention and agreement suites:
the city and the police with their areas, district staff of two districts, external
reporters (a housing company, a shop, an association) registered for their areas, an
unrelated agency, and a system administrator. Built on tests/world.py's reference data
(the six listed areas: Rinkeby/Tensta and Husby in Järva under Lokalpolisområde
Rinkeby; Bredäng and Vårberg in Skärholmen under Lokalpolisområde Skärholmen; …).

Rows are written directly (no services), so every suite can stand on it; suites that test
a service call the service themselves. Every organisation made here and every person is
fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from samverkan.directory.models import Area, District, Organisation, OrganisationKind
from samverkan.picture import reference as categories
from samverkan.picture.models import Category, IncidentReport, ReportingArea, WeekCount, week_start_of
from tests.factories import UserFactory
from tests.world import reference_data

# key -> short code of a shipped reference organisation
LOCAL_ORGS: dict[str, str] = {
    "city": "sthlm-stadsledningskontoret",  # the city's own body: every area of Stockholm
    "jarva": "sdf-jarva",  # Järva district administration: Rinkeby/Tensta, Husby
    "skarholmen": "sdf-skarholmen",  # Skärholmen district administration: Bredäng, Vårberg
    "police_rinkeby": "lpo-rinkeby",  # Rinkeby/Tensta, Husby
    "police_skarholmen": "lpo-skarholmen",  # Bredäng, Vårberg
    "police_region": "polisregion-stockholm",  # all six
    "tax": "skatteverket",  # an agency with no area
}
# Fictitious external reporting organisations: key -> (short code, name, kind, area codes)
EXTERNAL_ORGS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "housing": ("fiktiva-bostader", "Fiktiva Bostäder AB (fiktiv)", OrganisationKind.HOUSING,
                ("rinkeby-tensta", "husby")),
    "shop": ("fiktiva-butiken", "Fiktiva Butiken (fiktiv)", OrganisationKind.BUSINESS, ("husby",)),
    "association": ("fiktiva-foreningen", "Fiktiva föreningen (fiktiv)", OrganisationKind.NGO, ("bredang",)),
}

# persona -> (organisation key, role codes)
LOCAL_PERSONAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "city_coord": ("city", ("coordinator",)),  # city-wide documents, every area
    "jarva_coord": ("jarva", ("coordinator",)),  # runs Järva's weekly meetings
    "jarva_staff": ("jarva", ("caseworker",)),  # e.g. a trygghetsvärd of the district
    "skarholmen_coord": ("skarholmen", ("coordinator",)),
    "police_rinkeby": ("police_rinkeby", ("caseworker",)),
    "police_rinkeby_lead": ("police_rinkeby", ("coordinator",)),
    "police_skarholmen": ("police_skarholmen", ("caseworker",)),
    "police_region": ("police_region", ("manager",)),
    "housing_a": ("housing", ("reporter",)),
    "housing_b": ("housing", ("reporter",)),  # the same company: still sees only own reports
    "shop": ("shop", ("reporter",)),
    "association": ("association", ("reporter",)),
    "tax": ("tax", ("coordinator",)),  # an unrelated agency: no area, no document
    "admin": ("city", ("system_admin",)),
}
AREAS = ("rinkeby-tensta", "husby", "bredang", "varberg", "hasselby-vallingby", "hagsatra-ragsved")


@dataclass
class LocalWorld:
    orgs: dict[str, Organisation]
    users: dict[str, Any]
    areas: dict[str, Area]
    districts: dict[str, District]
    categories: dict[str, Category]
    reports: list[IncidentReport] = field(default_factory=list)

    def __getitem__(self, persona: str) -> Any:
        return self.users[persona]


def local_orgs() -> dict[str, Organisation]:
    reference_data()
    by_code = {o.short_code: o for o in Organisation.objects.filter(short_code__in=LOCAL_ORGS.values())}
    orgs = {key: by_code[code] for key, code in LOCAL_ORGS.items()}
    areas = {a.code: a for a in Area.objects.filter(code__in=AREAS)}
    for key, (code, name, kind, area_codes) in EXTERNAL_ORGS.items():
        org, _made = Organisation.objects.get_or_create(short_code=code, defaults={"name": name, "kind": kind})
        orgs[key] = org
        for area_code in area_codes:
            ReportingArea.objects.get_or_create(organisation=org, area=areas[area_code])
    return orgs


def build_local_world(personas: tuple[str, ...] | list[str] | None = None) -> LocalWorld:
    """The organisations, areas, categories and a user per persona (all by default)."""
    orgs = local_orgs()
    categories.load()
    users = {}
    for name in personas or LOCAL_PERSONAS:
        org, roles = LOCAL_PERSONAS[name]
        users[name] = UserFactory(organisation=orgs[org], roles=list(roles))
    return LocalWorld(
        orgs=orgs,
        users=users,
        areas={a.code: a for a in Area.objects.filter(code__in=AREAS)},
        districts={d.code: d for d in District.objects.filter(code__in=("jarva", "skarholmen"))},
        categories={c.code: c for c in Category.objects.all()},
    )


def add_report(world: LocalWorld, who: str, area: str, category: str = "graffiti", *,
               when: datetime | None = None, text: str = "Klotter på väggen vid tunnelbanan.") -> IncidentReport:
    """A report written directly (and its week count), as the report service would."""
    user = world.users[who]
    area_obj = world.areas[area]
    moment = when or timezone.now() - timedelta(hours=1)
    report = IncidentReport.objects.create(
        area=area_obj, category=world.categories[category], lat=area_obj.centre_lat, lon=area_obj.centre_lon,
        occurred_at=moment, text=text, organisation=user.organisation, source_kind=user.organisation.kind,
        reporter=user,
    )
    count, _made = WeekCount.objects.get_or_create(
        area=area_obj, week_start=week_start_of(timezone.localtime(moment)), category=world.categories[category],
        source_kind=user.organisation.kind,
    )
    WeekCount.objects.filter(pk=count.pk).update(count=count.count + 1)
    world.reports.append(report)
    return report

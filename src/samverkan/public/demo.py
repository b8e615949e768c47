"""Fictitious content for the public pages in a demo (and the benchmark): citizen
promises, a tip routing table and, for areas that have no action group yet, a demo
group with premises and a published roster around today. Idempotent; every expert
it creates is marked is_demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.actiongroups.models import (
    MOTION_AGENCY_CODES,
    ActionGroup,
    GroupStatus,
    PositionRequirement,
    Premises,
    PremisesKind,
)
from samverkan.agreement.models import CitizenPromise
from samverkan.directory.models import Area, Organisation
from samverkan.public import cache as public_cache
from samverkan.rostering.models import (
    Expert,
    RosterAssignment,
    RosterPlan,
    RosterVersion,
    VersionStatus,
)
from samverkan.tips.models import RoutingRule, TipTopic

PROMISES = [
    (
        "Fler vuxna på torget på kvällarna",
        "Polisen och staden finns på torget fredag och lördag kväll. Kom fram och prata med oss.",
    ),
    (
        "Tryggare vägar till skolan",
        "Vi ser över belysning och buskage längs skolvägarna "
        "och åtgärdar det ni anmäler inom två veckor.",
    ),
]
SHIFTS = [("D", 6, 8), ("E", 14, 8), ("N", 22, 8)]


def _routing(area: Area, orgs: dict[str, Organisation]) -> int:
    created = 0
    targets: list[tuple[str, Organisation | None]] = [("", area.police_area)]
    if area.district.administration is not None:
        targets.append((TipTopic.YOUNG_PERSON, area.district.administration))
    targets += [
        (TipTopic.WELFARE_FRAUD, orgs.get("forsakringskassan")),
        (TipTopic.WEAPONS, orgs.get("tullverket")),
        (TipTopic.DRUGS, orgs.get("tullverket")),
    ]
    for topic, org in targets:
        if org is not None:
            created += int(
                RoutingRule.objects.get_or_create(area=area, topic=topic, organisation=org)[1]
            )
    return created


def _group(area: Area, agencies: list[Organisation]) -> ActionGroup:
    group = ActionGroup.objects.create(
        name=f"Aktionsgrupp {area.name}",
        code=f"ag-{area.code}"[:40],
        status=GroupStatus.OPERATING,
        around_the_clock=True,
        contact_phone="08-508 00 000",
        contact_notes="Demo: fiktiva kontaktuppgifter.",
    )
    group.areas.add(area)
    Premises.objects.create(
        group=group,
        address=f"{area.name} centrum 1 (demo)",
        kind=PremisesKind.OFFICE_MODULE,
        valid_from=timezone.localdate() - timedelta(days=60),
        capacity=30,
    )
    for agency in agencies:
        PositionRequirement.objects.create(group=group, agency=agency, positions=2)
    return group


def _roster(group: ActionGroup, agencies: list[Organisation]) -> None:
    today = timezone.localdate()
    plan, _ = RosterPlan.objects.get_or_create(
        group=group, period_start=today - timedelta(days=1), defaults={"weeks": 4}
    )
    if plan.versions.filter(status=VersionStatus.PUBLISHED).exists():
        return
    version = RosterVersion.objects.create(
        plan=plan, number=1, status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    tz = timezone.get_current_timezone()
    rows = []
    for agency in agencies:
        experts = []
        for n in range(6):
            expert = Expert.objects.create(
                agency=agency, first_name="Demo", last_name=f"Expert {agency.pk}-{n}", is_demo=True
            )
            expert.home_groups.add(group)
            experts.append(expert)
        for day in range(3):
            date = today - timedelta(days=1) + timedelta(days=day)
            for s, (code, hour, hours) in enumerate(SHIFTS):
                start = timezone.make_aware(datetime(date.year, date.month, date.day, hour), tz)
                for k in range(2):
                    expert = experts[(s * 2 + k) % len(experts)]
                    rows.append(
                        RosterAssignment(
                            version=version,
                            shift_id=f"{group.code}-{date.isoformat()}-{code}",
                            shift_code=code,
                            starts_at=start,
                            ends_at=start + timedelta(hours=hours),
                            expert=expert,
                            agency=agency,
                        )
                    )
    RosterAssignment.objects.bulk_create(rows)


@transaction.atomic
def public_demo_load() -> dict[str, Any]:
    orgs = {o.short_code: o for o in Organisation.objects.all()}
    agencies = [orgs[c] for c in MOTION_AGENCY_CODES if c in orgs]
    counts = {"promises": 0, "routing_rules": 0, "groups": 0}
    for area in Area.objects.select_related("district__administration", "police_area"):
        for title, text in PROMISES:
            counts["promises"] += int(
                CitizenPromise.objects.get_or_create(
                    area=area,
                    title=title,
                    defaults={"text": text, "period": "2025–2026", "published": True},
                )[1]
            )
        counts["routing_rules"] += _routing(area, orgs)
        if not area.action_groups.exists() and agencies:
            group = _group(area, agencies)
            _roster(group, agencies)
            counts["groups"] += 1
    transaction.on_commit(public_cache.invalidate)
    return counts

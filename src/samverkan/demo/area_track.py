"""Demo data for the area track: action groups in Husby and Rinkeby/Tensta, the
outreach to the agencies in various states, fictitious experts (Faker sv_SE, marked
``is_demo``) and a solved, published roster for the current four weeks.

Idempotent: an existing group, expert or published roster is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from faker import Faker

from samverkan.accounts.models import User
from samverkan.actiongroups import services as groups
from samverkan.actiongroups.models import ActionGroup, Outreach, Premises
from samverkan.directory.models import Area, Organisation
from samverkan.rostering.models import Expert, RosterPlan, VersionStatus
from samverkan.rostering.services import experts as expert_services
from samverkan.rostering.services import rosters as roster_services

COORDINATOR = "jarva.samordnare"  # a municipal coordinator persona (demo/personas.py)
EXPERTS_PER_STAFFED_AGENCY = 10

# Husby (operating): where each agency stands, and the positions its experts fill.
HUSBY: dict[str, tuple[str, int]] = {
    "polismyndigheten": ("staffed", 2),
    "skatteverket": ("staffed", 2),
    "forsakringskassan": ("staffed", 2),
    "arbetsformedlingen": ("staffed", 2),
    "kriminalvarden": ("staffed", 2),
    "tullverket": ("staffed", 2),
    "migrationsverket": ("experts_named", 0),
    "ekobrottsmyndigheten": ("agreed", 0),
    "aklagarmyndigheten": ("in_dialogue", 0),
    "kustbevakningen": ("contacted", 0),
    "sakerhetspolisen": ("declined", 0),
}
RINKEBY: dict[str, str] = {
    "polismyndigheten": "agreed",
    "skatteverket": "in_dialogue",
    "forsakringskassan": "contacted",
    "arbetsformedlingen": "contacted",
    "kriminalvarden": "in_dialogue",
}
QUALIFICATIONS = ["arabiska", "somaliska", "tigrinja", "persiska", "turkiska", "engelska"]


def _coordinator() -> User:
    return User.objects.get(username=COORDINATOR, is_demo=True)


def _group(actor: User, *, code: str, name: str, area: str, status_path: list[str]) -> ActionGroup:
    group = ActionGroup.objects.filter(code=code).first()
    if group is not None:
        return group
    group = groups.group_create(
        actor=actor,
        name=name,
        code=code,
        areas=[Area.objects.get(code=area)],
        contact_phone="08-508 00 000",
        contact_email=f"aktionsgrupp.{code}@demo.invalid",
    )
    for status in status_path:
        group = groups.group_set_status(
            actor=actor, group=group, status=status, expected_version=group.version
        )
    return group


def _outreach(
    actor: User, group: ActionGroup, states: dict[str, str], fake: Faker, agreed: dict[str, int]
) -> None:
    for o in Outreach.objects.filter(group=group).select_related("agency"):
        status = states.get(o.agency.short_code, "not_contacted")
        if o.status != "not_contacted" or status == "not_contacted":
            continue
        start = timezone.localdate() - dt.timedelta(days=60)
        groups.contact_log(
            actor=actor,
            outreach=o,
            contacted_on=start,
            who=fake.job()[:60],
            channel="email",
            summary="Första kontakt om motionens aktionsgrupp: två experter dygnet runt.",
        )
        o.refresh_from_db()
        if status in ("in_dialogue", "agreed", "experts_named", "staffed", "declined"):
            groups.contact_log(
                actor=actor,
                outreach=o,
                contacted_on=start + dt.timedelta(days=14),
                who="Regionchef",
                channel="meeting",
                summary="Möte om bemanning, lokaler och schema.",
            )
        groups.outreach_update(
            actor=actor,
            outreach=o,
            status=status,
            expected_version=o.version,
            declined_reason="Myndigheten kan inte placera personal i en öppen lokal."
            if status == "declined"
            else "",
            agreed_experts=agreed.get(o.agency.short_code),
        )


def _experts(actor: User, group: ActionGroup, agency: Organisation, fake: Faker, n: int) -> None:
    have = Expert.objects.filter(agency=agency, home_groups=group).count()
    for i in range(have, n):
        expert = Expert(
            agency=agency,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            contract_hours_per_week=40 if i % 5 else 36,
            night_allowed=i % 7 != 3,
            qualifications=[QUALIFICATIONS[i % len(QUALIFICATIONS)]] if i % 3 == 0 else [],
            avoided_shift_codes=["N"] if i % 4 == 1 else [],
            wanted_shift_codes=["D"] if i % 4 == 2 else [],
            is_demo=True,
        )
        expert_services.expert_save(actor=actor, expert=expert, home_groups=[group])


def _link_persona(username: str, agency_code: str) -> None:
    """Give a demo persona of an agency an expert record, so their calendar shows."""
    user = User.objects.filter(username=username, is_demo=True).first()
    if user is None or Expert.objects.filter(user=user).exists():
        return
    expert = (
        Expert.objects.filter(agency__short_code=agency_code, user__isnull=True, is_demo=True)
        .order_by("pk")
        .first()
    )
    if expert is not None:
        Expert.objects.filter(pk=expert.pk).update(
            user=user, first_name=user.first_name, last_name=user.last_name
        )


def load_area_track(*, solve_seconds: float | None = None) -> dict[str, Any]:
    """Create the area-track demo (see the module docstring). Returns counts."""
    actor = _coordinator()
    fake = Faker("sv_SE")
    fake.seed_instance(20260404)
    husby = _group(
        actor, code="husby", name="Husby", area="husby", status_path=["forming", "operating"]
    )
    rinkeby = _group(
        actor,
        code="rinkeby-tensta",
        name="Rinkeby/Tensta",
        area="rinkeby-tensta",
        status_path=["forming"],
    )
    _outreach(
        actor,
        husby,
        {k: v[0] for k, v in HUSBY.items()},
        fake,
        {
            k: EXPERTS_PER_STAFFED_AGENCY
            for k, (s, _p) in HUSBY.items()
            if s in ("staffed", "experts_named")
        },
    )
    _outreach(actor, rinkeby, RINKEBY, fake, {"polismyndigheten": 10})
    if not Premises.objects.filter(group=husby).exists():
        groups.premises_save(
            actor=actor,
            group=husby,
            premises=Premises(
                address="Husby torg (kontorsmodul)",
                description="Den blå kontorsmodulen vid Husby torg, mitt emot tunnelbanans uppgång. "
                "Ingången är vid rampen.",
                kind="office_module",
                valid_from=timezone.localdate() - dt.timedelta(days=30),
                capacity=30,
            ),
        )
    if not Premises.objects.filter(group=rinkeby).exists():
        groups.premises_save(
            actor=actor,
            group=rinkeby,
            premises=Premises(
                address="Rinkebystråket (lokal under ombyggnad)",
                kind="permanent",
                valid_from=timezone.localdate() + dt.timedelta(days=60),
                capacity=28,
            ),
        )
    agencies = {o.short_code: o for o in Organisation.objects.filter(short_code__in=HUSBY)}
    husby.refresh_from_db()
    positions = {agencies[code].pk: count for code, (_s, count) in HUSBY.items()}
    current = dict(husby.positions.values_list("agency_id", "positions"))
    if current != positions:
        groups.positions_set(
            actor=actor, group=husby, positions=positions, expected_version=husby.version
        )
    for code, (status, _count) in HUSBY.items():
        if status in ("staffed", "experts_named"):
            _experts(actor, husby, agencies[code], fake, EXPERTS_PER_STAFFED_AGENCY)
    _link_persona("skatteverket", "skatteverket")
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday())
    plan = RosterPlan.objects.filter(
        group=husby, period_start=start
    ).first() or roster_services.plan_get_or_create(actor=actor, group=husby, period_start=start, weeks=4)
    published = plan.versions.filter(status=VersionStatus.PUBLISHED).exists()
    if not published:
        seconds = solve_seconds or settings.DEMO_ROSTER_SECONDS
        version = roster_services.solve_plan(plan=plan, actor_id=actor.pk, time_limit_s=seconds)
        if not version.violations and version.solver_status in ("optimal", "feasible"):
            roster_services.version_publish(actor=actor, version=version)
            published = True
    return {
        "groups": 2,
        "experts": Expert.objects.filter(is_demo=True).count(),
        "published": published,
    }

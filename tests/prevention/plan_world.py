"""The åtgärdsplan's test world: tests/picture/world.py's people and areas, with a decided
lägesbild for Järva (two prioritised problems, the first naming Husby) and one for the
city, written directly; and helpers that build plans and measures through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import DocumentStatus, PreventionPlan, Problem, SituationReport
from samverkan.prevention.services import plans as services
from tests.picture.world import LocalWorld, build_local_world

TODAY = timezone.localdate()
START = date(TODAY.year, 1, 1)
END = date(TODAY.year, 12, 31)


@dataclass
class PlanWorld:
    local: LocalWorld
    jarva_report: SituationReport
    city_report: SituationReport
    problems: dict[str, Problem]

    def __getitem__(self, persona: str) -> Any:
        return self.local[persona]

    def access(self, persona: str) -> Any:
        return local_access_for(self.local[persona])


def _report(*, district: Any, title: str) -> SituationReport:
    return SituationReport.objects.create(
        municipality="Stockholm", district=district, title=title, period_start=START, period_end=END,
        status=DocumentStatus.DECIDED, decided_by_body="Stadsdelsnämnden", decided_on=START,
        decision_reference="§ 12",
    )


def build_plan_world() -> PlanWorld:
    local = build_local_world()
    jarva = _report(district=local.districts["jarva"], title="Lägesbild Järva")
    city = _report(district=None, title="Lägesbild Stockholm")
    jarva.participants.set([local.orgs["jarva"], local.orgs["police_rinkeby"]])
    problems = {
        "drugs": Problem.objects.create(report=jarva, priority=1, title="Öppen narkotikahandel vid torget"),
        "vandalism": Problem.objects.create(report=jarva, priority=2, title="Skadegörelse i trapphus"),
        "city": Problem.objects.create(report=city, priority=1, title="Otrygghet i centrum"),
    }
    problems["drugs"].areas.set([local.areas["husby"]])
    return PlanWorld(local=local, jarva_report=jarva, city_report=city, problems=problems)


def measure_data(world: PlanWorld, *, problem: str = "drugs", org: str = "police_rinkeby", **changes: Any
                 ) -> services.MeasureData:
    values: dict[str, Any] = {
        "problem_id": world.problems[problem].pk, "title": "Fler polispatruller på torget",
        "organisation_id": world.local.orgs[org].pk, "starts_on": START, "ends_on": END,
        "indicator": "Rapporterade incidenter per månad", "indicator_unit": "incidenter",
        "baseline": Decimal("40"), "target": Decimal("20"), "resources": "Två poliser kvällstid",
        "public": True, "public_summary": "Polisen är oftare på torget på kvällarna.",
    }
    values.update(changes)
    return services.MeasureData(**values)


def jarva_plan(world: PlanWorld, *, measures: int = 1) -> PreventionPlan:
    """A draft plan of Järva by its coordinator, with ``measures`` measures on the first problem."""
    actor = world["jarva_coord"]
    plan = services.plan_create(actor=actor, access=world.access("jarva_coord"), situation_report=world.jarva_report,
                                title="Åtgärdsplan Järva", period_start=START, period_end=END)
    for n in range(measures):
        services.measure_save(actor=actor, access=world.access("jarva_coord"), plan=plan,
                              data=measure_data(world, title=f"Åtgärd {n + 1}"))
    return plan


def decide(world: PlanWorld, plan: PreventionPlan, persona: str = "jarva_coord") -> PreventionPlan:
    actor, access = world[persona], world.access(persona)
    plan = services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.AGREED,
                                    expected_version=plan.version, date=TODAY - timedelta(days=2))
    return services.plan_transition(actor=actor, access=access, plan=plan, to=DocumentStatus.DECIDED,
                                    expected_version=plan.version, body="Stadsdelsnämnden Järva",
                                    date=TODAY - timedelta(days=1), reference="§ 7")

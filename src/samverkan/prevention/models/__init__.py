"""The prevention tables by topic: the lägesbild and its parts, the åtgärdsplan and its
measures, the coordinating function and its yearly cycle."""

from samverkan.prevention.models.common import DocumentStatus, Scope
from samverkan.prevention.models.coordination import Coordinator, CycleStep, CycleStepKind
from samverkan.prevention.models.plans import Measure, MeasureProgress, MeasureStatus, PreventionPlan
from samverkan.prevention.models.situation import (
    CitizenDialogue,
    Problem,
    SituationReport,
    StatisticSource,
    StatisticTable,
)

__all__ = [
    "CitizenDialogue",
    "Coordinator",
    "CycleStep",
    "CycleStepKind",
    "DocumentStatus",
    "Measure",
    "MeasureProgress",
    "MeasureStatus",
    "PreventionPlan",
    "Problem",
    "Scope",
    "SituationReport",
    "StatisticSource",
    "StatisticTable",
]

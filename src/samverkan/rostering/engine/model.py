"""Data the roster engine works on. Plain frozen dataclasses, no Django.

The Django app (samverkan.rostering) builds a Problem from its tables, runs the engine
in a background job, and stores the Roster. The validator, the solver, the explainer and
the capacity planner all speak these types, so a roster from another system (CSV) can be
validated the same way.

Times are naive datetimes in the group's local time (Europe/Stockholm); the Django side
converts. Hours are floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass(frozen=True)
class Rules:
    """Working-time rules (arbetstidslagen 1982:673). Every value is configurable because
    collective agreements deviate; defaults are the statute's."""

    daily_rest_hours: float = 11.0  # § 13: ≥ 11 consecutive hours per 24 h
    weekly_rest_hours: float = 36.0  # § 14: ≥ 36 consecutive hours per 7 days
    # § 5: ordinary time ≤ 40 h/week on average over the period
    max_week_average_hours: float = 40.0
    night_average_hours_per_24h: float = 8.0  # § 13 a: night workers ≤ 8 h per 24 h on average
    night_start: time = time(22, 0)  # § 13 a: night = 22:00–06:00
    night_end: time = time(6, 0)
    night_worker_min_night_hours: float = 3.0  # works ≥ 3 h of night on a shift → night shift
    max_shift_hours: float = 12.0  # no single shift longer than this
    schedule_notice_days: int = 14  # § 12: changes announced 2 weeks ahead (re-planning pins)
    # Leave days lower the ordinary-hours cap pro rata (a week of vacation is not worked up
    # in the other weeks of the period): cap = min(contract, average) × (days − leave days) / 7.
    leave_reduces_hours: bool = True
    # § 15: no more than 5 hours of work in a row without a break. A property of the shift
    # pattern (Shift.breaks); the validator checks it and the solver uses no shift breaking it.
    break_after_hours: float = 5.0
    # § 10 b: total time ≤ 48 h per 7 days on average over a calculation period of at most
    # 4 months; 16 weeks is the longest whole number of weeks inside 4 months. Checked over
    # the period together with the previous periods' hours (Problem.history).
    total_week_average_hours: float = 48.0
    total_reference_weeks: int = 16
    # § 14 read over every rolling 7-day window (stricter; some agreements ask for it)
    # instead of the fixed 7-day blocks from the period's first day.
    weekly_rest_rolling: bool = False


@dataclass(frozen=True)
class Weights:
    """Soft-constraint weights (configurable). Larger = more important."""

    fairness_nights: int = 10  # minimise max − min nights within an agency (per group)
    fairness_weekends: int = 10  # … weekend shifts
    fairness_holidays: int = 10  # … public-holiday shifts
    preference: int = 2  # per honoured wanted / violated avoided shift
    change: int = 100  # per changed assignment against the published roster (re-planning)


@dataclass(frozen=True)
class Shift:
    """One shift of one action group: e.g. group 'husby', 2026-12-01 06:00-14:00."""

    id: str
    group: str
    start: datetime
    end: datetime
    code: str = ""  # e.g. "D" (06–14), "E" (14–22), "N" (22–06)
    is_weekend: bool = False
    is_holiday: bool = False
    # Breaks within the shift (start, end). None: not described (e.g. a roster from another
    # system), so the break rule (ATL § 15) cannot be checked; () : no break at all.
    breaks: tuple[tuple[datetime, datetime], ...] | None = None

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Requirement:
    """``count`` experts of ``agency`` needed on ``shift_id`` (holding every
    qualification in ``qualifications``)."""

    shift_id: str
    agency: str
    count: int
    qualifications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Leave:
    start: datetime
    end: datetime
    kind: str = "vacation"  # vacation | sick | training | other


@dataclass(frozen=True)
class Expert:
    id: str
    agency: str
    groups: frozenset[str]  # home group(s) and groups the expert may also serve
    contract_hours_per_week: float = 40.0
    night_allowed: bool = True
    qualifications: frozenset[str] = frozenset()
    leave: tuple[Leave, ...] = ()
    wanted_shift_codes: frozenset[str] = frozenset()  # e.g. {"D"}
    avoided_shift_codes: frozenset[str] = frozenset()  # e.g. {"N"}
    avoided_weekdays: frozenset[int] = frozenset()  # 0 = Monday


@dataclass(frozen=True)
class Assignment:
    shift_id: str
    expert_id: str
    agency: str  # the position's agency (equals the expert's agency)


@dataclass(frozen=True)
class PriorWork:
    """Work of an expert before the period: a shift of the previous published roster(s),
    fixed. The rules that reach over the period's start (daily rest, weekly rest, the total
    time of ATL § 10 b) are checked together with it."""

    expert_id: str
    start: datetime
    end: datetime
    shift_id: str = ""

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass
class Roster:
    assignments: list[Assignment] = field(default_factory=list)


@dataclass
class Problem:
    period_start: date
    days: int
    shifts: list[Shift]
    requirements: list[Requirement]
    experts: list[Expert]
    rules: Rules = field(default_factory=Rules)
    weights: Weights = field(default_factory=Weights)
    # Re-planning: the published roster and the moment before which nothing may change.
    published: Roster | None = None
    pinned_until: datetime | None = None
    # The end of the previous published period(s): work before ``period_start`` (a night
    # shift may reach into the period), and the moment from which it is complete
    # (``history_from``; None: no history, the period stands alone).
    history: list[PriorWork] = field(default_factory=list)
    history_from: datetime | None = None
    # Re-planning at ``replanned_at``: shifts starting within ``rules.schedule_notice_days``
    # of it keep their published people (ATL § 12) unless ``notice_override`` says why not
    # (a sickness repair); the solver's replan pins them, the validator checks it.
    replanned_at: datetime | None = None
    notice_override: str = ""


@dataclass(frozen=True)
class Violation:
    # coverage | agency | overlap | daily_rest | weekly_rest | weekly_hours | contract_hours |
    # night_average | night_not_allowed | leave | qualification | group | shift_length |
    # breaks | total_hours | pinned | notice | unknown  (definitions: validator.py)
    rule: str
    message: str  # in words, for people; no personal data beyond the expert id
    expert_id: str = ""
    shift_id: str = ""


@dataclass(frozen=True)
class Explanation:
    """One reason in words, with its template code and parameters so that the Django layer
    can translate it (templates: explain.TEMPLATES[code].format(**params) == text)."""

    code: str
    params: dict[str, object]
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class SolveResult:
    status: str  # optimal | feasible | infeasible | unknown | cancelled
    roster: Roster | None
    objective: float | None = None
    bound: float | None = None
    explanation: list[str] = field(default_factory=list)  # why infeasible, in words
    stats: dict[str, float] = field(default_factory=dict)  # first_feasible_s, wall_s, changes, …
    explanation_details: list[Explanation] = field(default_factory=list)  # same, structured

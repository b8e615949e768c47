"""The participants of the story: how many cases of each state per district and
programme, their outcomes and consent states, drawn from the fixed seed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from samverkan.demo.individual_track.common import ANCHOR, RECENT_ADULT_SERIAL, SEED, Spec
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import Person

# (district, programme kind, number of cases, statuses in order)
PLAN: list[tuple[str, str, dict[str, int]]] = [
    ("jarva", "young", {"intake": 4, "active": 14, "closed": 8, "declined": 2}),
    ("jarva", "adult", {"intake": 2, "active": 9, "closed": 6, "declined": 1}),
    ("skarholmen", "young", {"intake": 1, "active": 5, "closed": 3, "declined": 1}),
    ("skarholmen", "adult", {"intake": 1, "active": 3, "closed": 2}),
]
OUTCOMES = [
    "plan_completed",
    "plan_completed",
    "new_crime_or_custody",
    "plan_completed",
    "moved",
    "plan_completed",
    "consent_withdrawn",
    "transferred",
    "plan_completed",
    "new_crime_or_custody",
    "other",
    "plan_completed",
    "moved",
    "plan_completed",
    "new_crime_or_custody",
    "plan_completed",
    "deceased",
    "plan_completed",
    "other",
]
CONSENT_STATES = [
    "valid",
    "valid",
    "expired",
    "valid",
    "withdrawn",
    "valid",
    "missing",
    "partial",
    "valid",
    "valid",
    "expired",
    "valid",
]


def participant_specs(today: date) -> list[Spec]:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    specs: list[Spec] = []
    index = 0
    outcome_iter = iter(OUTCOMES * 3)
    for district, kind, statuses in PLAN:
        for status, n in statuses.items():
            for _k in range(n):
                index += 1
                # Ages at ANCHOR well inside the programme's range, so intakes stay
                # eligible for years as the demo is re-loaded.
                age = rng.randint(13, 15) if kind == "young" else rng.randint(20, 26)
                birth = ANCHOR - timedelta(days=365 * age + rng.randint(0, 364))
                received = {
                    "intake": rng.randint(3, 25),
                    "declined": rng.randint(60, 300),
                    "active": rng.randint(40, 420),
                    "closed": rng.randint(300, 640),
                }[status]
                specs.append(
                    Spec(
                        index=index,
                        district=district,
                        kind=kind,
                        status=status,
                        birth=birth,
                        serial=100 + index,
                        received_days_ago=received,
                        intake_source=rng.choice(
                            ["police", "police", "social_services", "own_application", "other"]
                        ),
                        protected=index in (5, 33),
                        consent=CONSENT_STATES[index % len(CONSENT_STATES)],
                        guardians=(2 if rng.random() < 0.7 else 1) if kind == "young" else 0,
                        outcome=next(outcome_iter) if status == "closed" else "",
                        duration_days=rng.randint(90, 260) if status == "closed" else 0,
                    )
                )
    # The participant who turned 18 recently: the guardians' consent lapsed at 18.
    specs.append(
        Spec(
            index=index + 1,
            district="jarva",
            kind="young",
            status="active",
            birth=today.replace(year=today.year - 18) - timedelta(days=20),
            serial=RECENT_ADULT_SERIAL,
            received_days_ago=250,
            intake_source="social_services",
            protected=False,
            consent="lapsed_at_18",
            guardians=2,
        )
    )
    return specs


def already_loaded(spec: Spec) -> bool:
    if spec.serial == RECENT_ADULT_SERIAL:  # born relative to today: found by its serial
        return Person.objects.filter(
            is_fictitious=True, identity_number__regex=rf"^[0-9]{{8}}{RECENT_ADULT_SERIAL}[0-9]$"
        ).exists()
    return Person.objects.filter(identity_number=make_fictitious(spec.birth, spec.serial)).exists()

"""What the individual-track topics share: the fixed seed and anchor, a participant's
``Spec``, the ``Loader`` (the day, the seeded generators, the organisations, users and
programmes the story uses) and the small helpers every topic needs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from faker import Faker

from samverkan.accounts.models import User
from samverkan.caseaccess.decision import CaseAccess
from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases.models import Case, Programme
from samverkan.directory.models import Organisation

SEED = 20260315
ANCHOR = date(2026, 1, 1)  # birth dates are fixed relative to this day (stable identity numbers)
RECENT_ADULT_SERIAL = 918  # reserved serial: the participant who turned 18 recently


@dataclass(frozen=True)
class Spec:
    index: int
    district: str  # district code
    kind: str  # "young" | "adult"
    status: str
    birth: date
    serial: int
    received_days_ago: int
    intake_source: str
    protected: bool
    consent: str
    guardians: int
    outcome: str = ""
    duration_days: int = 0


def demo_user(username: str) -> User:
    return User.objects.get(username=username, is_demo=True)


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Loader:
    """The state one load shares between the topics: every random draw comes from
    ``fake`` and ``rng`` in the same order, so the demo is the same on every machine."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.fake = Faker("sv_SE")
        self.fake.seed_instance(SEED)
        self.rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data
        self.orgs = {
            o.short_code: o
            for o in Organisation.objects.filter(
                short_code__in=[
                    "sdf-jarva",
                    "sdf-skarholmen",
                    "lpo-rinkeby",
                    "frivarden-stockholm",
                    "sthlm-utbildningsforvaltningen",
                ]
            )
        }
        self.users = {
            u: demo_user(u)
            for u in [
                "jarva.samordnare",
                "jarva.handlaggare",
                "polis.rinkeby",
                "frivarden",
                "skola",
                "skarholmen.handlaggare",
                "skarholmen.samordnare",
            ]
        }
        self.programmes = {
            p.code: p
            for p in Programme.objects.filter(
                code__in=[
                    "sig-unga-jarva",
                    "sig-unga-vuxna-jarva",
                    "sig-unga-skarholmen",
                    "sig-unga-vuxna-skarholmen",
                ]
            )
        }
        self.created = 0

    def access(self, user: User, case: Case) -> CaseAccess:
        return case_access_for(actor=user, case=case, today=self.today)

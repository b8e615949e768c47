"""What the Trefas demo topics share: the fixed seed, the forum's short code, the
identity-number serials and the ``Loader`` (the day, the seeded generators, the
organisations and users the story uses)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from samverkan.accounts.models import User
from samverkan.directory.models import Area, Organisation
from samverkan.trefas.models import Forum, Listing

SEED = 20261007
FORUM_CODE = "trefas-jarva-demo"
# Identity-number serials of the Trefas demo people: the individual track uses 100-199
# (participants), 500-899 (guardians) and 918; the test world uses 900 and up.
SERIALS = range(700, 760)
SIBLING_SERIAL = 760

# Organisation key -> short code; the kind each takes part as is in forum.py.
ORGS = {
    "soc": "sdf-jarva",
    "police": "lpo-rinkeby",
    "probation": "frivarden-stockholm",
    "prison": "kv-anstalt-taby",
    "city": "sthlm-stadsledningskontoret",
}


def aware(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@dataclass
class Loader:
    """The state one load shares between the topics: every random draw comes from
    ``fake`` and ``rng`` in the same order, so the demo is the same on every machine."""

    today: date
    now: datetime
    fake: Faker
    rng: random.Random
    orgs: dict[str, Organisation]
    users: dict[str, User]
    areas: dict[str, Area]
    forum: Forum | None = None
    listings: list[Listing] = field(default_factory=list)

    @classmethod
    def start(cls, today: date, users: dict[str, User]) -> Loader:
        fake = Faker("sv_SE")
        fake.seed_instance(SEED)
        by_code = {o.short_code: o for o in Organisation.objects.filter(short_code__in=ORGS.values())}
        return cls(
            today=today,
            now=timezone.now(),
            fake=fake,
            rng=random.Random(SEED + 1),  # noqa: S311 - reproducible demo data, not security
            orgs={key: by_code[code] for key, code in ORGS.items()},
            users=users,
            areas={a.code: a for a in Area.objects.filter(code__in=["rinkeby-tensta", "husby"])},
        )

    def days_ago(self, days: float, hour: int = 10) -> datetime:
        return aware(self.today - timedelta(days=int(days)), hour)

    def org_of(self, user_key: str) -> Organisation:
        org = self.users[user_key].organisation
        assert org is not None
        return org

"""The list: 40 invented people aged 15-25 in Rinkeby/Tensta and Husby, rated red (6),
yellow (14) and green (20), with rating histories over the last months; the police's two
groups with members and the active conflict between them."""

from __future__ import annotations

from datetime import date, timedelta

from samverkan.demo.trefas.common import SERIALS, Loader
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.people.models import IdentityKind, Person
from samverkan.trefas.models import (
    Conflict,
    ConflictStatus,
    Group,
    GroupMembership,
    Listing,
    Rating,
    RatingChange,
)

RATINGS = [Rating.RED] * 6 + [Rating.YELLOW] * 14 + [Rating.GREEN] * 20
# Who nominated each person, by index: mostly the police's mapping of the networks.
NOMINATORS = ["police"] * 30 + ["soc"] * 7 + ["probation"] * 3
AGES = [15, 16, 16, 17, 17, 18, 18, 19, 19, 19, 20, 20, 20, 21, 21, 22, 22, 23, 24, 25]

NOMINATION_REASONS = {
    "police": [
        "Kartlagd i kriminellt nätverk i Rinkeby; misstänkt för vapenbrott.",
        "Kartlagd i nätverk i Husby; tidigare dömd för grovt rån.",
        "Förekommer i nätverkets narkotikaförsäljning; umgås med personer på listan.",
        "Omnämnd i flera underrättelser om hot mellan grupperna.",
    ],
    "soc": [
        "Socialtjänsten ser risk efter upprepade orosanmälningar om våld och hot.",
        "Ungdom som dragits in i nätverket; familjen har bett om hjälp.",
    ],
    "probation": [
        "Frivårdsklient med koppling till nätverket; villkorligt frigiven.",
    ],
}
RATING_REASONS = {
    Rating.RED: [
        "Utpekad som måltavla i den aktiva konflikten; uppgifter om hot senaste veckan.",
        "Uppgifter om tillgång till skjutvapen och nära koppling till konflikten.",
        "Närstående till skjuten person; uppgifter om planerad hämnd.",
    ],
    Rating.YELLOW: [
        "Umgås i nätverket men inga nya händelser sedan förra mötet.",
        "Har slutat skolan och dras in i nätverkets försäljning.",
        "Nyligen frigiven; följs upp av frivården.",
        "Hotad i sociala medier; bedöms inte som akut.",
    ],
    Rating.GREEN: [
        "Lugnt sedan förra mötet; har fått praktikplats.",
        "Flyttat från området och har ingen känd kontakt med nätverket.",
        "Deltar i SIG och följer planen.",
        "Inga nya uppgifter; familjen är ett stöd.",
    ],
}


def birth_for(loader: Loader, age: int) -> date:
    """A birth date that makes the person ``age`` today (15-25 whenever the demo loads)."""
    today = loader.today
    days_after_birthday = loader.rng.randint(20, 330)
    last_birthday = today - timedelta(days=days_after_birthday)
    return date(last_birthday.year - age, last_birthday.month, min(last_birthday.day, 28))


def _history(loader: Loader, final: str, listed_days_ago: int, stale: bool) -> list[tuple[int, str]]:
    """(days ago, rating) from the listing to the last review, ending on ``final``; the
    extra points after the last change are confirmations of the rating."""
    before = {
        Rating.RED: [Rating.YELLOW],
        Rating.YELLOW: [loader.rng.choice([Rating.GREEN, Rating.RED])],
        Rating.GREEN: [Rating.YELLOW] if loader.rng.random() < 0.6 else [],
    }[Rating(final)]
    last = loader.rng.randint(25, 50) if stale else loader.rng.randint(3, 18)
    middle = len(before) + loader.rng.randint(0, 2) - 1
    days = sorted({loader.rng.randint(last + 1, listed_days_ago - 1) for _ in range(max(middle, 0))}, reverse=True)
    points = [listed_days_ago, *days, last]
    ratings = [*before, *[final] * (len(points) - len(before))]
    return list(zip(points, ratings, strict=True))


def _set_days_ago(history: list[tuple[int, str]]) -> int:
    """When the current rating was set: the first point of the trailing run of it."""
    final = history[-1][1]
    k = len(history) - 1
    while k > 0 and history[k - 1][1] == final:
        k -= 1
    return history[k][0]


def list_people(loader: Loader) -> list[Listing]:
    assert loader.forum is not None
    order = list(range(40))
    loader.rng.shuffle(order)  # ratings, nominators and ages mixed, the same on every machine
    listings = []
    for n, i in enumerate(order):
        by = NOMINATORS[i]
        rating = RATINGS[n]
        user = loader.users[by]
        org = loader.org_of(by)
        age = AGES[(n * 7) % len(AGES)] if by != "probation" else 19 + n % 5
        birth = birth_for(loader, age)
        area = loader.areas["rinkeby-tensta" if n % 5 < 3 else "husby"]
        person = Person.objects.create(
            organisation=org,
            identity_number=make_fictitious(birth, SERIALS[n]),
            identity_kind=IdentityKind.PERSONNUMMER,
            first_name=loader.fake.first_name_male() if n % 6 else loader.fake.first_name_female(),
            last_name=loader.fake.last_name(),
            birth_date=birth,
            city="Stockholm",
            protected_identity=(n == 33),
            is_fictitious=True,
        )
        listed_days_ago = loader.rng.randint(100, 420)
        history = _history(loader, rating, listed_days_ago, stale=(rating == Rating.GREEN and n % 4 == 0))
        reason = loader.rng.choice(RATING_REASONS[rating])
        set_days_ago = _set_days_ago(history)
        reviewed_days_ago = history[-1][0]
        listing = Listing.objects.create(
            forum=loader.forum,
            person=person,
            nominated_by_organisation=org,
            nominated_by=user,
            nomination_reason=loader.rng.choice(NOMINATION_REASONS[by]),
            source_reference=(f"PM-2026-{4100 + n}" if by == "police" else f"Dnr {by.upper()}-2026-{300 + n}"),
            area=area,
            rating=rating,
            rating_reason=reason,
            rating_set_by=user,
            rating_set_at=loader.days_ago(set_days_ago, 14),
            rating_reviewed_at=loader.days_ago(reviewed_days_ago, 14),
        )
        Listing.objects.filter(pk=listing.pk).update(listed_at=loader.days_ago(listed_days_ago, 9))
        previous = ""
        changes = []
        for days, step in history:
            setter = loader.rng.choice(["police", "police", "soc", "coordinator"])
            changes.append(RatingChange(
                listing=listing, rating=step, previous_rating=previous,
                reason=reason if days == reviewed_days_ago else loader.rng.choice(RATING_REASONS[Rating(step)]),
                set_by=loader.users[setter], set_by_organisation=loader.org_of(setter),
                set_at=loader.days_ago(days, 14),
            ))
            previous = step
        RatingChange.objects.bulk_create(changes)
        listings.append(listing)
    loader.listings = listings
    return listings


def make_groups(loader: Loader) -> tuple[Group, Group]:
    """Two groups the police own, their members (police-nominated people rated red or
    yellow) and the active conflict between them."""
    assert loader.forum is not None
    police = loader.users["police"]
    a = Group.objects.create(
        forum=loader.forum, owner_organisation=loader.orgs["police"], name="Gruppen Falken (fiktiv)",
        description="Nätverk med bas i Rinkeby; narkotikaförsäljning och vapen.", created_by=police,
    )
    b = Group.objects.create(
        forum=loader.forum, owner_organisation=loader.orgs["police"], name="Gruppen Vråken (fiktiv)",
        description="Nätverk med bas i Husby; utbrytare ur Falken.", created_by=police,
    )
    candidates = [
        listing for listing in loader.listings
        if listing.nominated_by_organisation_id == loader.orgs["police"].pk
        and listing.rating in (Rating.RED, Rating.YELLOW)
    ]
    memberships = []
    for k, listing in enumerate(candidates[:14]):
        group = a if k % 2 == 0 else b
        memberships.append(GroupMembership(
            group=group, listing=listing, since=loader.today - timedelta(days=loader.rng.randint(90, 500)),
            recorded_by=police,
        ))
    GroupMembership.objects.bulk_create(memberships)
    Conflict.objects.create(
        forum=loader.forum, group_a=a, group_b=b, status=ConflictStatus.ACTIVE,
        since=loader.today - timedelta(days=63),
        note="Konflikten blossade upp efter ett rån mellan grupperna; flera hot sedan dess.",
        recorded_by=police,
    )
    return a, b


def members_of(group: Group) -> list[Listing]:
    return [m.listing for m in GroupMembership.objects.filter(group=group).select_related("listing__person")
            .order_by("pk")]

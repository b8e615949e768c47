"""Named places per area and a year of EST incident reports.

The year ends today. Per area and day a seeded Poisson draw gives the number of
reports; the rate has the seasons of the real thing: more in summer (and in the
evenings, more so in summer), fireworks and fires around New Year, broken lighting in
the dark season (October to February). Each area has one or two clear hotspots (a named
place with its own category and a higher share). Reports come from the district's staff,
the police, the fire service and, where registered, the fictitious housing company and
shop; the demo reporters' own reports carry their user (they see them), the background
reports only their organisation. Texts are about places, never people.

About 20 000 reports (settings.DEMO_INCIDENT_SHARE of them: the tests draw a tenth):
bulk_create in batches; the weekly counts (WeekCount) are summed in memory and written once.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.demo.localpicture.common import Loader, aware
from samverkan.directory.models import Area, Organisation
from samverkan.picture.models import IncidentReport, Place, WeekCount, week_start_of

# Area -> ((place name, d_lat, d_lon), ...): fictitious but plausible names, near the centre.
PLACES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "rinkeby-tensta": (("Torget", 0.0, 0.0), ("Tunnelbaneuppgången", 0.0015, -0.002),
                       ("Bollplanen", -0.002, 0.0025), ("Gångtunneln vid skolan", 0.0025, 0.0015)),
    "husby": (("Husby centrum", 0.0, 0.0), ("Tunnelbaneuppgången", -0.001, 0.0015),
              ("Parkeringsdäcket", 0.002, -0.002)),
    "bredang": (("Bredängs torg", 0.0, 0.0), ("Tunnelbaneuppgången", 0.001, 0.001),
                ("Badplatsen", -0.003, -0.002)),
    "varberg": (("Vårbergs centrum", 0.0, 0.0), ("Gångbron", 0.0015, -0.0015)),
    "hasselby-vallingby": (("Vällingby torg", 0.0, 0.0), ("Tunnelbaneuppgången", 0.001, 0.002),
                           ("Idrottsplatsen", -0.002, -0.001)),
    "hagsatra-ragsved": (("Hagsätra torg", 0.0, 0.0), ("Tunnelbaneuppgången", -0.001, 0.001),
                         ("Skogsstigen", 0.002, 0.003)),
}

# Area -> mean reports per day (before the seasons) and its hotspots:
# (place name, category, share of the area's reports).
RATES: dict[str, tuple[float, tuple[tuple[str, str, float], ...]]] = {
    "rinkeby-tensta": (14.0, (("Torget", "drug-dealing", 0.16), ("Tunnelbaneuppgången", "unsafe-gathering", 0.10))),
    "husby": (11.0, (("Parkeringsdäcket", "vehicle", 0.12), ("Husby centrum", "vandalism", 0.08))),
    "bredang": (7.5, (("Bredängs torg", "unsafe-gathering", 0.12),)),
    "varberg": (5.5, (("Gångbron", "graffiti", 0.15),)),
    "hasselby-vallingby": (7.0, (("Vällingby torg", "littering", 0.10),)),
    "hagsatra-ragsved": (6.5, (("Skogsstigen", "broken-lighting", 0.12),)),
}

# The ordinary mix of categories (weights), before seasons.
MIX = {
    "vandalism": 16, "graffiti": 18, "littering": 16, "fire": 4, "drug-dealing": 6, "unsafe-gathering": 10,
    "broken-lighting": 8, "threat": 4, "break-in": 5, "vehicle": 7,
}

TEXTS: dict[str, tuple[str, ...]] = {
    "vandalism": ("Krossad ruta i entrédörren.", "Sönderslagen papperskorg.", "Trasig bänk i parken.",
                  "Skadad hissknapp i trapphuset."),
    "graffiti": ("Klotter på väggen vid entrén.", "Nytt klotter i gångtunneln.", "Klotter på elskåpet.", ""),
    "littering": ("Mycket skräp runt soptunnorna.", "Grovsopor ställda vid porten.", "Skräp på lekplatsen.", ""),
    "fire": ("Brand i papperskorg, släckt.", "Raketer avfyrade mot fasaden.", "Brand i soprum.",
             "Smällare i trapphuset."),
    "drug-dealing": ("Öppen försäljning vid torget på kvällen.", "Försäljning vid uppgången.", ""),
    "unsafe-gathering": ("Större grupp samlad vid uppgången sent på kvällen.", "Samling som skapade otrygghet.",
                         ""),
    "broken-lighting": ("Belysningen släckt längs gångvägen.", "Trasig lampa i gångtunneln.",
                        "Mörkt vid busshållplatsen."),
    "threat": ("Personal kände sig hotad vid entrén.", "Trakasserier vid hållplatsen.", ""),
    "break-in": ("Inbrottsförsök i källarförråd.", "Uppbruten dörr till cykelrum.", ""),
    "vehicle": ("Övergiven bil utan skyltar.", "Mopeder kör på gångvägen.", "Bil som spelar hög musik nattetid."),
}

# Relative weight of each hour of the day (0-23): mostly afternoon and evening.
HOURS = (1, 1, 1, 0.5, 0.3, 0.3, 0.5, 1, 2, 2, 2, 2.5, 3, 3, 3.5, 4, 5, 6, 7, 7, 6.5, 5, 3.5, 2)


def make_places(loader: Loader) -> int:
    created = 0
    for code, places in PLACES.items():
        area = loader.areas.get(code)
        if area is None or area.centre_lat is None or area.centre_lon is None:
            continue
        rows = []
        for name, d_lat, d_lon in places:
            place, made = Place.objects.get_or_create(area=area, name=name, defaults={
                "lat": _dec(float(area.centre_lat) + d_lat), "lon": _dec(float(area.centre_lon) + d_lon),
            })
            created += int(made)
            rows.append(place)
        loader.places[code] = rows
    return created


def _dec(value: float) -> Decimal:
    return Decimal(f"{value:.5f}")


def season_factor(day: date) -> float:
    """Summer is busier (June to August up to 1.5 times), the dark winter calmer (0.8)."""
    return {6: 1.35, 7: 1.5, 8: 1.45, 5: 1.15, 9: 1.1, 12: 0.85, 1: 0.8, 2: 0.8}.get(day.month, 1.0)


def _new_year(day: date) -> bool:
    return (day.month == 12 and day.day >= 27) or (day.month == 1 and day.day <= 2)


def _dark(day: date) -> bool:
    return day.month in (10, 11, 12, 1, 2)


def _poisson(rng: object, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()  # type: ignore[attr-defined]
        if p <= limit:
            return k
        k += 1


def _season_key(day: date) -> tuple[bool, bool, bool]:
    return _new_year(day), _dark(day), day.month in (6, 7, 8)


@lru_cache(maxsize=16)
def _category_weights(key: tuple[bool, bool, bool]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """(codes, cumulative weights) of the categories for a kind of day."""
    new_year, dark, summer = key
    weights = dict(MIX)
    if new_year:
        weights["fire"] += 60  # fireworks and fires around New Year
        weights["vandalism"] += 10
    if dark:
        weights["broken-lighting"] += 24
    if summer:
        weights["broken-lighting"] = 3  # the light summer nights: few notice a broken lamp
        weights["unsafe-gathering"] += 8
        weights["littering"] += 6
    return tuple(weights), tuple(itertools.accumulate(weights.values()))


@lru_cache(maxsize=16)
def _hour_weights(key: tuple[bool, bool, bool]) -> tuple[float, ...]:
    new_year, _dark_season, summer = key
    weights = list(HOURS)
    if summer:  # long light summer evenings
        for h in (20, 21, 22, 23):
            weights[h] *= 1.6
    if new_year:
        weights[0] *= 8
        weights[23] *= 4
    return tuple(itertools.accumulate(weights))


def _sources(loader: Loader, area: Area) -> list[tuple[Organisation, User | None, float]]:
    """(organisation, demo user or None, weight) of who reports in ``area``."""
    admin = area.district.administration
    police = area.police_area
    sources: list[tuple[Organisation, User | None, float]] = []
    if admin is not None:
        is_jarva = area.district.code == "jarva"
        sources.append((admin, None, 4.0))
        if is_jarva:
            sources.append((admin, loader.users["jarva"], 0.4))
    if police is not None:
        sources.append((police, loader.users["police"] if police.short_code == "lpo-rinkeby" else None, 1.5))
    if "fire" in loader.orgs:
        sources.append((loader.orgs["fire"], None, 0.4))
    if area.code in ("rinkeby-tensta", "husby"):
        sources.append((loader.orgs["housing"], loader.users["housing"], 0.6))
        sources.append((loader.orgs["housing"], None, 2.0))
    if area.code == "husby":
        sources.append((loader.orgs["shop"], loader.users["shop"], 0.5))
    return sources


def make_year_of_reports(loader: Loader) -> int:
    """About a year of reports (see the module's docstring) and their weekly counts;
    returns how many."""
    reports, counts, year_counts = draw_year(loader)
    IncidentReport.objects.bulk_create(reports, batch_size=2000)
    WeekCount.objects.bulk_create(
        [WeekCount(area_id=a, week_start=w, category_id=c, source_kind=s, count=n) for (a, w, c, s), n in
         counts.items()],
        batch_size=2000,
    )
    loader.year_counts = dict(year_counts)
    return len(reports)


def draw_year(
    loader: Loader,
) -> tuple[list[IncidentReport], Counter[tuple[int, date, int, str]], Counter[str]]:
    """The year's reports (unsaved), their counts per area, week, category and source, and
    per category; the same for the same day and seed, whatever the hour: the year ends
    yesterday (a report "later today" would depend on the clock)."""
    rng = loader.rng
    volume = float(settings.DEMO_INCIDENT_SHARE)
    first = loader.today - timedelta(days=365)
    reports: list[IncidentReport] = []
    counts: Counter[tuple[int, date, int, str]] = Counter()
    year_counts: Counter[str] = Counter()
    for code in PLACES:
        area = loader.areas.get(code)
        if area is None or area.centre_lat is None or area.centre_lon is None:
            continue
        lat0, lon0 = float(area.centre_lat), float(area.centre_lon)
        places = {p.name: p for p in loader.places.get(code, [])}
        mean, hotspots = RATES[code]
        sources = _sources(loader, area)
        source_cum = list(itertools.accumulate(w for _o, _u, w in sources))
        place_list = list(places.values())
        for offset in range(365):
            day = first + timedelta(days=offset)
            key = _season_key(day)
            codes, category_cum = _category_weights(key)
            hour_cum = _hour_weights(key)
            lam = volume * mean * season_factor(day) * (1.5 if _new_year(day) else 1.0)
            for _n in range(_poisson(rng, lam)):
                draw = rng.random()
                place, category = None, None
                for name, hotspot_category, share in hotspots:
                    if draw < share:
                        place, category = places.get(name), hotspot_category
                        break
                    draw -= share
                if category is None:
                    category = rng.choices(codes, cum_weights=category_cum)[0]
                    if rng.random() < 0.45 and place_list:
                        place = rng.choice(place_list)
                hour = rng.choices(range(24), cum_weights=hour_cum)[0]
                moment = aware(day, hour, rng.randrange(60))
                org, user, _w = rng.choices(sources, cum_weights=source_cum)[0]
                if place is not None:
                    lat, lon = place.lat, place.lon
                else:
                    lat = _dec(lat0 + rng.uniform(-0.004, 0.004))
                    lon = _dec(lon0 + rng.uniform(-0.006, 0.006))
                week = week_start_of(timezone.localtime(moment))
                reports.append(IncidentReport(
                    public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    area=area, category=loader.categories[category], place=place, lat=lat, lon=lon,
                    occurred_at=moment, week_start=week, text=rng.choice(TEXTS[category]),
                    organisation=org, source_kind=org.kind, reporter=user,
                ))
                counts[(area.pk, week, loader.categories[category].pk, org.kind)] += 1
                year_counts[category] += 1
    return reports, counts, year_counts


def latest_week(loader: Loader) -> date:
    """The Monday of the last full week."""
    return week_start_of(loader.today) - timedelta(days=7)


__all__ = ["draw_year", "latest_week", "make_places", "make_year_of_reports", "season_factor"]

"""The city-wide lägesbild (decided) with a table from the app's own reports and one
imported from a fictitious safety survey, three prioritised problems with causes and a
citizen dialogue; the åtgärdsplan decided from it with measures linked to the problems,
indicators whose progress moves over the year, two measures public in plain words; the
coordinators of the city and of Järva, and this year's cycle of both."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from samverkan.demo.localpicture.common import FICTITIOUS, SITUATION_TITLE, Loader
from samverkan.prevention.models import (
    CitizenDialogue,
    Coordinator,
    CycleStep,
    CycleStepKind,
    DocumentStatus,
    Measure,
    MeasureProgress,
    MeasureStatus,
    PreventionPlan,
    Problem,
    SituationReport,
    StatisticSource,
    StatisticTable,
)

SURVEY = f"Trygghetsmätning i stadens utsatta områden {FICTITIOUS} — demo, inga verkliga siffror"
# (area code, share who feel unsafe outdoors late in the evening, %, previous survey)
SURVEY_ROWS = (("rinkeby-tensta", 46, 51), ("husby", 42, 44), ("bredang", 33, 31), ("varberg", 29, 30),
               ("hasselby-vallingby", 27, 29), ("hagsatra-ragsved", 31, 34))

# (priority, title, description, causes, area codes)
PROBLEMS = (
    (1, "Öppen narkotikaförsäljning vid centrumtorg",
     "Försäljningen vid torgen i Rinkeby och Husby skapar otrygghet och rekryterar unga.",
     "Få vuxna på platsen kvällstid, platser som är svåra att överblicka, efterfrågan från andra delar av "
     "regionen.", ("rinkeby-tensta", "husby")),
    (2, "Otrygghet kvällstid vid tunnelbaneuppgångar",
     "Samlingar, dålig belysning och skadegörelse gör att många undviker uppgångarna efter mörkrets inbrott.",
     "Belysning som inte lagas i tid, få öppna verksamheter på kvällen.",
     ("rinkeby-tensta", "husby", "bredang", "hagsatra-ragsved")),
    (3, "Anlagda bränder och skadegörelse kring nyår",
     "Fyrverkerier och smällare mot fasader och personer, bränder i soprum och papperskorgar.",
     "Lättillgängliga pyrotekniska varor, få vuxna ute på nyårsnatten.", ("rinkeby-tensta", "bredang", "varberg")),
)

# (problem priority, title, organisation key, indicator, unit, baseline, target, public summary or "")
MEASURES = (
    (1, "Vuxennärvaro på torgen fredag och lördag kväll", "jarva",
     "Anmälningar om öppen försäljning per månad", "anmälningar", 40, 20,
     "Fler vuxna från staden och föreningar finns på torget på helgkvällar."),
    (1, "Riktad polisnärvaro och kameraövervakning vid Torget", "police_rinkeby",
     "Andel som känner sig trygga på torget", "procent", 38, 55, ""),
    (2, "Belysning lagas inom fem dagar", "housing",
     "Dagar från anmälan till lagad belysning", "dagar", 21, 5,
     "Trasig belysning vid uppgångar och gångvägar lagas inom fem dagar."),
    (3, "Nyårsvandringar och tidig information om fyrverkerier", "city",
     "Anlagda bränder nyårshelgen", "bränder", 30, 15, ""),
)


def _share(step: int, steps: int, baseline: float, target: float, wobble: float) -> Decimal:
    """Where an indicator stands after ``step`` of ``steps`` follow-ups: most of the way
    toward the target, not a straight line."""
    progress = min(1.0, (step / steps) ** 0.8 * 0.85 + wobble)
    return Decimal(f"{baseline + (target - baseline) * progress:.1f}")


def make_documents(loader: Loader) -> tuple[SituationReport, PreventionPlan, list[Problem]]:
    year = loader.doc_year
    city = loader.orgs["city"]
    participants = [loader.orgs[k] for k in ("city", "jarva", "skarholmen", "police_region", "police_rinkeby")
                    if k in loader.orgs]
    report = SituationReport.objects.create(
        municipality="Stockholm", title=SITUATION_TITLE + f" {year}", period_start=date(year, 1, 1),
        period_end=date(year, 12, 31), status=DocumentStatus.DECIDED, agreed_on=date(year, 3, 10),
        decided_by_body=f"Kommunstyrelsen {FICTITIOUS}", decided_on=date(year, 3, 25),
        decision_reference=f"KS {year}/0412 {FICTITIOUS}", created_by=loader.users["city"],
        summary="Den gemensamma lägesbilden för stadens sex utsatta områden, framtagen med polisen, "
                "stadsdelsförvaltningarna och bostadsbolagen. Demo: allt innehåll är påhittat.",
        consequences="Otryggheten är störst kvällstid vid centrumtorg och tunnelbaneuppgångar. Många boende "
                     "undviker vissa platser efter mörkrets inbrott.",
        other_information="Skolnärvaro, öppna fritidsverksamheter och belysning har betydelse för tryggheten.",
        analysis="Problemen samlas kring få platser och tider. Där vuxna finns på plats och fel lagas snabbt "
                 "minskar anmälningarna.",
    )
    report.participants.set(participants)
    categories = {c.code: c for c in loader.categories.values()}
    app_rows = [
        {"label": categories[code].name_sv, "value": n, "previous": None}
        for code, n in sorted(loader.year_counts.items(), key=lambda item: -item[1]) if code in categories
    ]
    StatisticTable.objects.create(
        report=report, title="Anmälda händelser i de sex områdena, senaste året", order=10,
        source_kind=StatisticSource.APP, source="Samverkan, lokal lägesbild (EST)", year=year, unit="händelser",
        rows=app_rows, note="Räknat från rapporterna i Samverkan när tabellen lades till.",
    )
    names = {code: area.name for code, area in loader.areas.items()}
    StatisticTable.objects.create(
        report=report, title=f"Andel som känner sig otrygga ute sent på kvällen {FICTITIOUS}", order=20,
        source_kind=StatisticSource.IMPORTED, source=SURVEY, year=year - 1, unit="procent",
        rows=[{"label": names.get(code, code), "value": now, "previous": before} for code, now, before in SURVEY_ROWS],
        note="Påhittade siffror för demonstrationen.",
    )
    problems = []
    for priority, title, description, causes, codes in PROBLEMS:
        problem = Problem.objects.create(report=report, priority=priority, title=title, description=description,
                                         causes=causes)
        problem.areas.set([loader.areas[c] for c in codes if c in loader.areas])
        problems.append(problem)
    CitizenDialogue.objects.create(
        report=report, held_on=date(year, 2, 12), place=f"Biblioteket i Rinkeby {FICTITIOUS}",
        participants="Omkring 40 boende, varav 12 unga, och tre föreningar",
        notes="Många vill ha fler vuxna ute på kvällarna och bättre belysning vid uppgångarna. Unga efterfrågar "
              "öppna lokaler på helger.",
    )
    plan = PreventionPlan.objects.create(
        municipality="Stockholm", title=f"Åtgärdsplan Stockholms stad {year} {FICTITIOUS}", situation_report=report,
        period_start=date(year, 1, 1), period_end=date(year + 1, 12, 31), status=DocumentStatus.DECIDED,
        agreed_on=date(year, 6, 1), decided_by_body=f"Kommunstyrelsen {FICTITIOUS}", decided_on=date(year, 6, 15),
        decision_reference=f"KS {year}/0733 {FICTITIOUS}", created_by=loader.users["city"],
        summary="Fyra åtgärder för de tre prioriterade problemen. Demo: allt innehåll är påhittat.",
    )
    plan.participants.set(participants)
    by_priority = {p.priority: p for p in problems}
    measures = []
    for order, (priority, title, org_key, indicator, unit, baseline, target, public) in enumerate(MEASURES):
        measures.append(Measure.objects.create(
            plan=plan, problem=by_priority[priority], title=title, organisation=loader.orgs.get(org_key, city),
            starts_on=date(year, 7, 1), ends_on=date(year + 1, 12, 31), resources="Inom befintlig budget",
            indicator=indicator, indicator_unit=unit, baseline=Decimal(baseline), target=Decimal(target),
            status=MeasureStatus.ONGOING if order != 3 else MeasureStatus.PLANNED,
            public=bool(public), public_summary=public, order=order * 10,
        ))
    _progress(loader, measures)
    return report, plan, problems


def _progress(loader: Loader, measures: list[Measure]) -> int:
    """A follow-up every other month from the plan's start up to today: the indicator
    moves toward the target (the last measure has not started)."""
    start = date(loader.doc_year, 8, 1)
    dates: list[date] = []
    day = start
    while day <= loader.today and len(dates) < 9:
        dates.append(day)
        day = date(day.year + (day.month + 1) // 12, (day.month + 1) % 12 + 1, 1)
    rows = []
    for measure in measures[:3]:
        for i, when in enumerate(dates, start=1):
            wobble = loader.rng.uniform(-0.08, 0.05)
            rows.append(MeasureProgress(
                measure=measure, recorded_on=when, status=MeasureStatus.ONGOING,
                note="Följt upp på samverkansmötet.", recorded_by=loader.users["city"],
                indicator_value=_share(i, max(len(dates), 4), float(measure.baseline), float(measure.target),
                                       wobble),
            ))
    MeasureProgress.objects.bulk_create(rows)
    return len(rows)


def make_coordination(loader: Loader) -> int:
    """The coordinators of the city and of Järva, and this year's cycle of both: the
    steps whose usual date has passed are done, the follow-up may be overdue."""
    jarva = loader.districts.get("jarva")
    Coordinator.objects.create(
        municipality="Stockholm", user=loader.users["city"], since=date(loader.doc_year - 1, 9, 1),
        tasks="Samordnar stadens brottsförebyggande arbete, håller ihop lägesbild, åtgärdsplan och årshjul och "
              "är kontakt mot Polisregion Stockholm.",
    )
    if jarva is not None:
        Coordinator.objects.create(
            municipality="Stockholm", district=jarva, user=loader.users["jarva"], since=date(loader.doc_year, 1, 15),
            tasks="Trygghetssamordnare: leder EST-mötet varje vecka, följer upp medborgarlöftena och den lokala "
                  "överenskommelsen med Lokalpolisområde Rinkeby.",
        )
    year = loader.today.year
    done_on = {CycleStepKind.PICTURE: date(year, 3, 25), CycleStepKind.PLAN: date(year, 6, 15)}
    due = {CycleStepKind.PICTURE: date(year, 3, 31), CycleStepKind.PLAN: date(year, 6, 30),
           CycleStepKind.FOLLOW_UP: date(year, 11, 30)}
    steps = []
    for district in (None, jarva):
        for kind, due_on in due.items():
            finished = done_on.get(kind)
            steps.append(CycleStep(
                municipality="Stockholm", district=district, year=year, kind=kind, due_on=due_on,
                done_on=finished if finished is not None and finished < loader.today - timedelta(days=1) else None,
            ))
    CycleStep.objects.bulk_create(steps)
    return len(steps)

"""The local-picture demo: a year of fictitious reports with its seasons and hotspots,
counts of every part, fictitious markers, no identity numbers or names in texts,
deterministic and idempotent, and the personas reach their pages."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count, Sum
from django.test import override_settings
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.accounts.reference import ensure_default_roles
from samverkan.agreement.models import (
    Agreement,
    AgreementStatus,
    CitizenPromise,
    CollaborationForum,
    Commitment,
    CommitmentReview,
    FollowUpMeeting,
    ForumDecision,
    PresenceReport,
    PromiseProgress,
    Signatory,
)
from samverkan.audit.models import AuditEvent
from samverkan.demo.localpicture import FICTITIOUS, LOCAL_PICTURE_PERSONAS, SITUATION_TITLE, load_local_picture
from samverkan.demo.localpicture.common import Loader
from samverkan.demo.localpicture.reports import draw_year, make_places
from samverkan.demo.localpicture.staff import EXTERNAL_ORGS, ensure_local_picture_staff
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.picture.models import ActionStatus, IncidentReport, Place, ReportingArea, WeekAction, WeekCount
from samverkan.prevention.models import (
    CitizenDialogue,
    Coordinator,
    CycleStep,
    DocumentStatus,
    Measure,
    MeasureProgress,
    PreventionPlan,
    Problem,
    SituationReport,
    StatisticSource,
)
from tests.conftest import fast_login
from tests.world import rolled_back

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)
PERSONNUMMER = re.compile(r"\b(19|20)?\d{6}[-+]?\d{4}\b")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (a year of reports: ~5 s), in a transaction
    rolled back when the module ends; each test runs in a savepoint of it."""
    # The whole year: its size, seasons and hotspots are checked.
    with override_settings(DEMO_INCIDENT_SHARE=1.0), django_db_blocker.unblock(), rolled_back():
        ensure_default_roles()
        reference_data_load()
        audit_before = AuditEvent.objects.count()
        rows = load_local_picture(today=TODAY)
        yield {"rows": rows, "audit_before": audit_before}


def _a_year_of_reports_with_weekly_counts(demo):
    total = IncidentReport.objects.count()
    assert 15_000 <= total <= 30_000
    assert WeekCount.objects.aggregate(n=Sum("count"))["n"] == total
    per_area = dict(IncidentReport.objects.values_list("area__code").annotate(n=Count("pk")))
    assert set(per_area) == {"rinkeby-tensta", "husby", "bredang", "varberg", "hasselby-vallingby",
                             "hagsatra-ragsved"}
    first = IncidentReport.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    last = IncidentReport.objects.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    assert (TODAY - first.date()).days >= 360 and last.date() <= TODAY
    # Every report's week is the Monday of when it happened (bulk_create bypasses save()).
    for report in IncidentReport.objects.order_by("?")[:200]:
        local_day = timezone.localtime(report.occurred_at).date()
        assert report.week_start.weekday() == 0 and 0 <= (local_day - report.week_start).days < 7


def _the_seasons_and_the_hotspots_show(demo):
    by_month = Counter(d.month for d in IncidentReport.objects.values_list("occurred_at", flat=True))
    assert by_month[7] > by_month[2] * 1.4  # summer evenings
    fires = Counter(
        (d.month, d.day) for d in IncidentReport.objects.filter(category__code="fire")
        .values_list("occurred_at", flat=True)
    )
    new_year = sum(n for (m, d), n in fires.items() if (m == 12 and d >= 27) or (m == 1 and d <= 2))
    assert new_year > sum(fires.values()) * 0.15  # 8 days of 365 carry well over a seventh of the fires
    lighting = Counter(d.month for d in IncidentReport.objects.filter(category__code="broken-lighting")
                       .values_list("occurred_at", flat=True))
    assert lighting[11] > lighting[7] * 1.5  # the dark season
    torget = IncidentReport.objects.filter(area__code="rinkeby-tensta", place__name="Torget",
                                           category__code="drug-dealing").count()
    assert torget > IncidentReport.objects.filter(area__code="rinkeby-tensta").count() * 0.12
    evening = IncidentReport.objects.filter(occurred_at__hour__gte=17).count()
    assert evening > IncidentReport.objects.count() * 0.4


def _places_personas_and_reporting_areas(demo):
    assert Place.objects.filter(area__code="rinkeby-tensta", name="Tunnelbaneuppgången").exists()
    assert Place.objects.values("area").distinct().count() == 6
    for code, name, _kind, areas in EXTERNAL_ORGS.values():
        org = Organisation.objects.get(short_code=code)
        assert FICTITIOUS in org.name == name
        assert sorted(ReportingArea.objects.filter(organisation=org).values_list("area__code", flat=True)) == \
            sorted(areas)
    assert [r["username"] for r in demo["rows"]] == [p.username for p in LOCAL_PICTURE_PERSONAS]
    housing = IncidentReport.objects.filter(reporter__username="trygghet.bostad")
    assert housing.exists() and set(housing.values_list("area__code", flat=True)) <= {"rinkeby-tensta", "husby"}


def _meetings_documents_agreements_and_the_cycle(demo):
    statuses = set(WeekAction.objects.values_list("status", flat=True))
    assert {ActionStatus.DONE, ActionStatus.NOT_DONE, ActionStatus.OPEN} <= statuses
    report = SituationReport.objects.get(title__startswith=SITUATION_TITLE)
    assert report.status == DocumentStatus.DECIDED and report.district is None
    tables = {t.source_kind: t for t in report.tables.all()}
    assert sum(r["value"] for r in tables[StatisticSource.APP].rows) == IncidentReport.objects.count()
    assert FICTITIOUS in tables[StatisticSource.IMPORTED].source
    assert Problem.objects.filter(report=report).count() == 3
    assert CitizenDialogue.objects.filter(report=report).exists()
    plan = PreventionPlan.objects.get(situation_report=report)
    assert plan.status == DocumentStatus.DECIDED and plan.decided_on <= TODAY
    assert Measure.objects.filter(plan=plan, public=True).exclude(public_summary="").count() == 2
    assert all(m.problem.report_id == report.pk for m in Measure.objects.filter(plan=plan))
    values = list(MeasureProgress.objects.filter(measure__order=0).values_list("indicator_value", flat=True))
    assert len(values) >= 3 and values[-1] < values[0]  # the indicator moves toward its (lower) target
    city, local = Agreement.objects.order_by("kind")
    assert (city.status, local.status, local.parent) == (AgreementStatus.SIGNED, AgreementStatus.SIGNED, city)
    assert all(FICTITIOUS in s.name for s in Signatory.objects.all()) and Signatory.objects.count() == 4
    assert len(set(Commitment.objects.values_list("status", flat=True))) >= 4
    assert FollowUpMeeting.objects.filter(agreement=local).count() == 2
    assert CommitmentReview.objects.count() == 2 * Commitment.objects.count()
    assert CitizenPromise.objects.filter(agreement=local).exists()
    assert PromiseProgress.objects.filter(promise__agreement=local).count() >= 3
    assert PresenceReport.objects.values("week_start").distinct().count() == 8
    assert CollaborationForum.objects.count() == 1 and ForumDecision.objects.count() == 3
    assert Coordinator.objects.filter(district__isnull=True).count() == 1
    assert Coordinator.objects.filter(district__code="jarva").count() == 1
    assert CycleStep.objects.filter(year=TODAY.year).count() == 6
    assert CycleStep.objects.filter(year=TODAY.year, done_on__isnull=True, due_on__lt=TODAY).exists()  # overdue


def _no_identity_numbers_or_names_in_texts_and_no_audit(demo):
    texts = set(IncidentReport.objects.values_list("text", flat=True))
    texts |= set(WeekAction.objects.values_list("text", flat=True))
    texts |= set(PromiseProgress.objects.values_list("public_text", flat=True))
    assert texts and not any(PERSONNUMMER.search(t) for t in texts)
    assert not any(re.search(r"\d", t) for t in set(IncidentReport.objects.values_list("text", flat=True)))
    names = {n.lower() for pair in User.objects.values_list("first_name", "last_name") for n in pair if n}
    words = {w.strip(".,").lower() for t in texts for w in t.split()}
    assert names and not names & words  # no person's name in any text
    assert AuditEvent.objects.count() == demo["audit_before"]  # the demo's rows are nobody's work


# One load serves several checks: loading a year of reports takes seconds.
def test_the_demo_s_contents(demo):
    _a_year_of_reports_with_weekly_counts(demo)
    _the_seasons_and_the_hotspots_show(demo)
    _places_personas_and_reporting_areas(demo)
    _meetings_documents_agreements_and_the_cycle(demo)
    _no_identity_numbers_or_names_in_texts_and_no_audit(demo)


def test_deterministic_and_idempotent(demo):
    counts = IncidentReport.objects.count(), Agreement.objects.count(), Coordinator.objects.count()
    load_local_picture(today=TODAY)  # loaded already: nothing more
    assert (IncidentReport.objects.count(), Agreement.objects.count(), Coordinator.objects.count()) == counts
    users, orgs, _rows = ensure_local_picture_staff()

    def draw():
        loader = Loader.start(TODAY, users, orgs)
        make_places(loader)
        reports, weeks, _per_category = draw_year(loader)
        return [(r.public_id, r.area_id, r.category_id, r.place_id, r.occurred_at, r.lat, r.lon, r.text,
                 r.organisation_id, r.reporter_id) for r in reports], weeks

    first, second = draw(), draw()
    assert first == second and len(first[0]) == counts[0]
    stored = set(IncidentReport.objects.values_list("public_id", flat=True))
    assert {row[0] for row in first[0]} == stored  # the stored year is the one the seed draws


def test_the_personas_reach_their_pages(demo):
    city = fast_login(User.objects.get(username="trygghet.stad"))
    body = city.get("/brottsforebyggande/").content.decode()
    assert SITUATION_TITLE in body and "govuk-tag--red" in body  # the follow-up is overdue
    jarva = fast_login(User.objects.get(username="trygghet.jarva"))
    assert "Trygghetssamordnare" in jarva.get("/brottsforebyggande/").content.decode()
    housing = fast_login(User.objects.get(username="trygghet.bostad"))
    assert housing.get("/brottsforebyggande/").status_code == 403

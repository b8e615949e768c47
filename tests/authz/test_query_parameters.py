"""No query parameter gives a server error (issue 9 §6).

Every view that reads its query string (``LIST_VIEWS``; the last test checks the table
against the source, so a new parameter cannot be left out) is requested as a persona
allowed to see it, first with no parameters (it must answer 200, or the property below
would only exercise a refusal), then with parameters Hypothesis draws from huge,
negative and non-numeric numbers, digits of other scripts, unicode, NUL bytes, empty
and very long strings: the answer is always a page, a redirect, 400 or 404, never 500.
The rule the lists follow is samverkan.lib.params (tested in tests/lib/test_params.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from samverkan.logreview import rules as review_rules
from samverkan.logreview import services as review_services
from tests.conftest import fast_login
from tests.factories import OrganisationFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "samverkan"
OK = {200, 302, 400, 404}

CAPACITY = ["positions", "pattern", "absence", "weekly_hours", "areas", "cost_skatteverket"]
WEEK_FILTERS = ["category", "source", "time", "day", "page"]
AUDIT = ["actor", "organisation", "subject_type", "subject_id", "action", "category", "date_from",
         "date_to", "before"]

# (route name, persona, URL kwargs (name -> world key or callable), query parameters)
LIST_VIEWS: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("cases:list", "jarva_coord", {}, ["status", "page", "programme", "consent", "role", "overdue", "sort", "name"]),
    ("journal:notes", "jarva_coord", {"public_id": "case"}, ["page", "category"]),
    ("plans:commitment_new", "jarva_coord", {"public_id": "case"}, ["mal"]),
    ("meetings:minutes_new", "jarva_coord", {"public_id": "case", "meeting_id": "meeting_jarva"},
     ["rattar"]),
    ("reminders:mine", "jarva_coord", {}, ["klara"]),
    ("consent:register", "jarva_manager", {}, ["direction", "page"]),
    ("consent:register_export", "jarva_manager", {}, ["direction"]),
    ("followup:overview", "jarva_manager", {}, ["ar"]),
    ("followup:export_csv", "jarva_manager", {}, ["ar"]),
    ("followup:export_xlsx", "jarva_manager", {}, ["ar"]),
    ("logreview:review", "jarva_reviewer", {"year": "year", "month": "month"},
     ["reason", "state", "page"]),
    ("audit:event_list", "auditor", {}, AUDIT),
    ("audit:event_export", "auditor", {}, AUDIT),
    ("accounts:user_list", "sysadmin", {}, ["organisation"]),
    ("accounts:login", None, {}, ["next"]),
    ("directory:organisation_list", "jarva_coord", {}, ["kind"]),
    ("tips:inbox", "jarva_coord", {}, ["status", "topic", "area"]),
    ("tips:export", "jarva_coord", {}, ["status", "topic", "area"]),
    ("tips:submit", None, {}, ["omrade"]),
    ("rostering:capacity", "city_coord", {}, CAPACITY),
    ("rostering:capacity_memo", "city_coord", {}, CAPACITY),
    ("rostering:version_detail", "city_coord", {"pk": "version"}, ["vecka"]),
    ("rostering:export_pdf", "city_coord", {"pk": "version"}, ["vecka"]),
    ("public:set_language", None, {"lang": "sv"}, ["next"]),
    ("trefas:forum", "jarva_coord", {"forum_id": "trefas_forum"}, ["rating", "flag"]),
    ("picture:area_week", "jarva_coord", {"area": "husby", "week": "week"}, WEEK_FILTERS),
    ("picture:district_week", "jarva_coord", {"district": "jarva", "week": "week"}, WEEK_FILTERS),
    ("picture:week_pdf", "jarva_coord", {"area": "husby", "week": "week"}, WEEK_FILTERS),
    ("picture:actions", "jarva_coord", {}, ["area", "mine", "overdue", "order", "page"]),
    ("picture:my_reports", "jarva_coord", {}, ["page"]),
    ("prevention:situation_participants", "jarva_coord", {"report_id": "situation_jarva"}, ["q"]),
    ("prevention:coordinator_add", "jarva_coord", {"scope": "jarva"}, ["q"]),
    ("agreement:presence_report", "police", {"agreement_id": "agreement_jarva", "promise_id": "presence_husby"},
     ["week"]),
]

NASTY = [
    "", "0", "-1", "1", "00", "+1", " 1", "1 ", "1.0", "1e400", "NaN", "inf", "-0",
    "99999999999999999999", "9" * 5000, str(2**63), str(2**63 - 1), str(-(2**63) - 1),
    "²", "٣", "１２", "\x00", "1\x00", "\x00" * 3, "é", "🙂", "' OR 1=1 --", "%00", "x" * 3000,
    "9999-12-31", "0001-01-01", "2024-02-30", "00000000-0000-0000-0000-000000000000",
    "social", "from", "to", "open", "3x8", "2x12", "//evil.example", "javascript:alert(1)",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=2**31, max_value=10**40).map(str),  # beyond any id column
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=600),
)


@pytest.fixture(scope="module")
def extra(world: World, django_db_blocker) -> dict[str, Any]:
    """Personas and objects the case world has none of: an auditor, a system
    administrator, a log reviewer with this month's review, and a roster version."""
    from samverkan.actiongroups import services as group_services
    from samverkan.directory.models import Area
    from samverkan.rostering.models import RosterVersion
    from samverkan.rostering.services import rosters as roster_services

    with django_db_blocker.unblock():
        jarva = world.orgs["jarva"]
        city = OrganisationFactory(kind="municipal", short_code="qp-city")
        people = {
            "auditor": UserFactory(organisation=jarva, roles=["system_auditor"]),
            "sysadmin": UserFactory(organisation=jarva, roles=["system_admin"]),
            "jarva_reviewer": UserFactory(organisation=jarva, roles=["log_reviewer"]),
            "city_coord": UserFactory(organisation=city, roles=["coordinator"]),
        }
        today = timezone.localdate()
        month = dt.date(today.year, today.month, 1)
        review_services.review_sample(
            organisation_id=jarva.pk, month=month, rules=review_rules.ReviewRules(sample_size=50)
        )
        group = group_services.group_create(
            actor=people["city_coord"], name="Husby", code="qp-husby",
            areas=[Area.objects.get(code="husby")],
        )
        plan = roster_services.plan_get_or_create(
            actor=people["city_coord"], group=group, period_start=today, weeks=2
        )
        version = RosterVersion.objects.create(plan=plan, number=1)
        # A Trefas forum the case world's coordinator takes part in (the list's filters).
        from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation, MemberKind

        forum = Forum.objects.create(name="Trefas (query parameters)", code="qp-trefas")
        ForumOrganisation.objects.create(forum=forum, organisation=jarva, kind=MemberKind.SOCIAL_SERVICES,
                                         joined_on=today)
        ForumMember.objects.create(forum=forum, user=world.users["jarva_coord"], role="coordinator")
        # The local picture's documents of Järva (a draft lägesbild; an agreement with the
        # police presence it promises in Husby).
        from samverkan.agreement.models import Agreement, AgreementKind, PresencePromise
        from samverkan.directory.models import District, Organisation
        from samverkan.prevention.models import SituationReport

        district = District.objects.get(code="jarva")
        situation = SituationReport.objects.create(
            municipality="Stockholm", district=district, title="Lägesbild (query parameters)",
            period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 12, 31))
        agreement = Agreement.objects.create(
            kind=AgreementKind.LOCAL, title="Överenskommelse (query parameters)", municipality="Stockholm",
            district=district, police=Organisation.objects.get(short_code="lpo-rinkeby"),
            valid_from=dt.date(today.year, 1, 1), valid_to=dt.date(today.year + 1, 12, 31))
        presence = PresencePromise.objects.create(agreement=agreement, area=Area.objects.get(code="husby"),
                                                  what="Kommunpoliser", unit="poliser", per_week=2)
        clients = {name: fast_login(user) for name, user in {**world.users, **people}.items()}
    iso = today.isocalendar()
    return {"clients": clients, "version": version.pk, "year": month.year, "month": month.month,
            "trefas_forum": forum.pk, "situation_jarva": situation.pk, "agreement_jarva": agreement.pk,
            "presence_husby": presence.pk, "week": f"{iso.year}-W{iso.week:02d}"}


def _url(world: World, extra: dict[str, Any], name: str, kwargs: dict[str, Any]) -> str:
    values = {key: extra[key] for key in ("version", "year", "month", "trefas_forum", "situation_jarva",
                                          "agreement_jarva", "presence_husby", "week")}
    values["case"] = world.case.public_id
    resolved = {}
    for key, ref in kwargs.items():
        if ref in values:
            resolved[key] = values[ref]
        elif ref in world.objects:
            resolved[key] = world.objects[ref].public_id
        else:
            resolved[key] = ref
    return reverse(name, kwargs=resolved)


def _get(extra: dict[str, Any], persona: str | None, url: str, params: dict[str, Any]):
    client = extra["clients"][persona] if persona else Client()
    response = client.get(url, params)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # an export fails while it streams
    return response


def _row_id(row: tuple[str, str | None, dict[str, Any], list[str]]) -> str:
    return row[0]


@pytest.mark.parametrize("row", LIST_VIEWS, ids=_row_id)
def test_the_persona_may_open_the_view(world, extra, row):
    name, persona, kwargs, _params = row
    expected = 302 if name == "public:set_language" else 200
    assert _get(extra, persona, _url(world, extra, name, kwargs), {}).status_code == expected


@pytest.mark.parametrize("row", LIST_VIEWS, ids=_row_id)
def test_no_query_parameter_gives_a_server_error(world, extra, row):
    name, persona, kwargs, names = row
    url = _url(world, extra, name, kwargs)

    @hsettings(max_examples=15, deadline=None, database=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.dictionaries(st.sampled_from(names), st.one_of(VALUES, st.lists(VALUES, max_size=3)),
                           min_size=1))
    def check(params: dict[str, Any]) -> None:
        status = _get(extra, persona, url, params).status_code
        assert status in OK, (name, params, status)

    check()


@pytest.mark.parametrize(
    ("row", "params"),
    [
        (row, {p: value})
        for row in LIST_VIEWS
        for p in row[3]
        for value in ("99999999999999999999", "-1", "²", "\x00", "9999-12-31")
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else repr(v),
)
def test_known_nasty_values(world, extra, row, params):
    """The values that broke pages before, each on its own (fast, and a readable failure)."""
    name, persona, kwargs, _names = row
    assert _get(extra, persona, _url(world, extra, name, kwargs), params).status_code in OK


_GET_PARAM = re.compile(r"""request\.GET\.get\(\s*["'](\w+)["']""")
_GET_FORM = re.compile(r"(\w+Form)\(\s*request\.GET")


def _app_folder(route_name: str) -> str:
    """The app folder of the view a route name resolves to (a namespace may gather the
    patterns of several apps: "cases" pages live in casepages and cases, "audit" pages
    in logreview)."""
    namespace, name = route_name.split(":")

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, [*namespaces, pattern.namespace] if pattern.namespace else namespaces)
            elif pattern.name == name and namespaces and namespaces[-1] == namespace:
                yield pattern.callback

    return next(walk(get_resolver().url_patterns, [])).__module__.split(".")[1]


def test_every_query_parameter_in_the_source_is_walked():
    """Each ``request.GET.get("name")`` in a view module, and each form bound to
    request.GET, is covered by a row of LIST_VIEWS of that app."""
    covered: dict[str, set[str]] = {}
    for name, _persona, _kwargs, params in LIST_VIEWS:
        covered.setdefault(_app_folder(name), set()).update(params)
    forms = {"AuditFilterForm": set(AUDIT), "RegisterFilterForm": {"direction"},
             "CapacityForm": set(CAPACITY), "WeekFilterForm": set(WEEK_FILTERS),
             "ActionFilterForm": {"area", "mine", "overdue", "order"}, "CandidateSearchForm": {"q"}}
    missing = []
    for path in SRC.glob("*/**/*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        app = path.relative_to(SRC).parts[0]
        for param in _GET_PARAM.findall(text):
            if param not in covered.get(app, set()):
                missing.append(f"{app}: ?{param}")
        for form in _GET_FORM.findall(text):
            if form not in forms or not forms[form] <= covered.get(app, set()):
                missing.append(f"{app}: {form}")
    assert not missing, f"query parameters no row of LIST_VIEWS walks: {missing}"

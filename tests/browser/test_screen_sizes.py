"""Staff and residents' pages on a phone (390 px, and 320 px for the page width) and on a
desktop (1280 px): the page itself never scrolls sideways (a table wider than the
screen scrolls inside its own focusable, labelled ``.sv-scroll`` region), the roster
week shows all seven days on a desktop, and axe finds nothing — every rule it runs by
default (WCAG 2.1 A/AA and best practices such as ``region``), any impact.

One data setup and one browser context per persona for the whole module: the module
fixture builds the world, visits every page at every width once and records what it
measured; the tests only read the record (so they are quick, and each page and width
fails on its own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import axe_violations, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("screen_sizes")]

PHONE, NARROWEST, DESKTOP = 390, 320, 1280
AXE_WIDTHS = (PHONE, DESKTOP)
WIDTHS = (NARROWEST, PHONE, DESKTOP)
PAGES = ("case list", "case", "statistics", "roster week", "residents' areas", "residents' area")

# The widest elements outside a scrolling region, for the failure message.
_WIDEST = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.sv-scroll, .table-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 1) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' (' + Math.round(r.right) + 'px)');
  }
  return out.slice(0, 5);
}"""

# Tables wider than the space they have that are not in a scroll region a keyboard
# user can reach and a screen reader can name (tabindex="0", role="region", a label).
_UNREACHABLE_TABLES = """() => {
  const out = [];
  for (const table of document.querySelectorAll('main table')) {
    const region = table.closest('.sv-scroll, .table-scroll');
    const box = (region || table.parentElement).getBoundingClientRect();
    if (table.getBoundingClientRect().width <= box.width + 1 && !region) continue;
    const named = region && (region.getAttribute('aria-label') ||
      (region.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => id && document.getElementById(id)));
    if (!region || region.getAttribute('tabindex') !== '0' || region.getAttribute('role') !== 'region' || !named) {
      out.push((table.querySelector('caption') || table).textContent.trim().slice(0, 60));
    }
  }
  return out;
}"""

# The roster's day headers that are not wholly on the screen (inside the viewport and
# inside the region that would otherwise hide them behind a scroll).
_HIDDEN_DAYS = """() => {
  const grid = document.querySelector('[data-testid=roster-grid]');
  if (!grid) return ['no roster grid'];
  const region = grid.closest('.sv-scroll');
  const frame = region ? region.getBoundingClientRect() : {left: 0, right: window.innerWidth};
  const left = Math.max(0, frame.left), right = Math.min(window.innerWidth, frame.right);
  const days = [...grid.querySelectorAll('thead th')].slice(1);
  if (days.length !== 7) return ['found ' + days.length + ' days'];
  return days.filter(th => { const r = th.getBoundingClientRect(); return r.left < left - 1 || r.right > right + 1; })
             .map(th => th.textContent.trim());
}"""


# Words of sidebar labels and menu entries split over two lines ("Ansvari|g").
_BROKEN_WORDS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.govuk-summary-list__key, .govuk-service-navigation__link')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""


@dataclass
class Measured:
    status: int
    overflow: int  # how many pixels the page is wider than the window
    widest: list[str] = field(default_factory=list)
    unreachable_tables: list[str] = field(default_factory=list)
    hidden_days: list[str] = field(default_factory=list)
    broken_words: list[str] = field(default_factory=list)
    axe: list[dict[str, Any]] = field(default_factory=list)


def _build() -> dict[str, Any]:
    """A case (with a team and notes) led by Järva's coordinator, Järva's manager for the
    statistics, and an operating action group in a Järva area with a published roster
    for this week: three agencies, three shifts a day, two named experts a shift."""
    from samverkan.actiongroups.models import ActionGroup, GroupStatus, PositionRequirement, Premises, PremisesKind
    from samverkan.agreement.models import CitizenPromise
    from samverkan.directory.models import Area, Organisation
    from samverkan.rostering.models import Expert, RosterAssignment, RosterPlan, RosterVersion, VersionStatus
    from tests.world import build_world

    world = build_world(
        personas=("jarva_coord", "jarva_cw", "jarva_observer", "police", "probation", "school", "jarva_manager"),
        guardians=1,
    )
    area = Area.objects.filter(district__code="jarva").order_by("code").first()
    assert area is not None, "the reference data has areas in Järva"
    group = ActionGroup.objects.create(
        name="Aktionsgrupp Järva centrum",
        code="jarva-centrum",
        status=GroupStatus.OPERATING,
        around_the_clock=True,
        contact_phone="08-123 456 78",
        contact_email="jarva@example.invalid",
    )
    group.areas.add(area)
    Premises.objects.create(
        group=group,
        address="Järva torg 1",
        kind=PremisesKind.OFFICE_MODULE,
        valid_from=timezone.localdate() - dt.timedelta(days=30),
    )
    agencies = list(Organisation.objects.filter(short_code__in=("lpo-rinkeby", "skatteverket", "tullverket")))
    assert len(agencies) == 3
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    plan = RosterPlan.objects.create(group=group, period_start=monday, weeks=2)
    version = RosterVersion.objects.create(plan=plan, number=1, status=VersionStatus.PUBLISHED, solver_status="optimal")
    shifts = (("D", 7), ("E", 15), ("N", 23))
    assignments = []
    for a, agency in enumerate(agencies):
        PositionRequirement.objects.create(group=group, agency=agency, positions=2)
        experts = [
            Expert.objects.create(agency=agency, first_name=first, last_name=last, is_demo=True)
            for first, last in (
                ("Annika", f"Lindqvist-Öberg {a}"),
                ("Mohammed", f"Abdirahman {a}"),
                ("Sara", f"Johansson {a}"),
                ("Erik", f"Nyström {a}"),
            )
        ]
        for expert in experts:
            expert.home_groups.add(group)
        for day in range(7):
            for s, (code, hour) in enumerate(shifts):
                starts = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(hour)))
                for expert in (experts[(day + s) % 4], experts[(day + s + 1) % 4]):
                    assignments.append(
                        RosterAssignment(
                            version=version,
                            shift_id=f"{agency.short_code}-{day}-{code}",
                            shift_code=code,
                            starts_at=starts,
                            ends_at=starts + dt.timedelta(hours=8),
                            expert=expert,
                            agency=agency,
                        )
                    )
    RosterAssignment.objects.bulk_create(assignments)
    CitizenPromise.objects.create(
        area=area, title="Tryggare torg", text="Vi finns på torget varje kväll.", period="2026", published=True
    )
    return {
        "users": {"coordinator": world.users["jarva_coord"], "manager": world.users["jarva_manager"], "resident": None},
        "paths": {
            "case list": ("coordinator", "/arenden/"),
            "case": ("coordinator", world.url),
            "roster week": ("coordinator", f"/bemanning/versioner/{version.pk}/"),
            "statistics": ("manager", "/statistik/"),
            "residents' areas": ("resident", "/omraden/"),
            "residents' area": ("resident", f"/omraden/{area.code}/"),
        },
    }


def _measure(page: Any, url: str, name: str, width: int) -> Measured:
    response = page.goto(url)
    result = Measured(
        status=response.status if response else 0,
        overflow=page.evaluate("document.documentElement.scrollWidth - window.innerWidth"),
        unreachable_tables=page.evaluate(_UNREACHABLE_TABLES),
        broken_words=page.evaluate(_BROKEN_WORDS),
    )
    if result.overflow > 0:
        result.widest = page.evaluate(_WIDEST)
    if name == "roster week":
        result.hidden_days = page.evaluate(_HIDDEN_DAYS)
    if width in AXE_WIDTHS:
        result.axe = axe_violations(page)
    return result


def _flush() -> None:
    """Empty the tables as a transactional test's end does (tests/conftest.py lifts the
    append-only guards for it), and put back the rows data migrations seed (roles), so
    that the next test starts from the database the migrations left."""
    from django.core.management import call_command
    from django.db import connection

    from samverkan.accounts.reference import ensure_default_roles
    from tests.conftest import _guards

    for guard in _guards():
        guard.remove(connection)
    try:
        call_command("flush", verbosity=0, interactive=False)
    finally:
        for guard in _guards():
            guard.install(connection)
    ensure_default_roles()


@pytest.fixture(scope="module")
def measured(browser, live_server, django_db_setup, django_db_blocker) -> dict[tuple[str, int], Measured]:
    """Every page at every width, measured once (see the module's docstring)."""
    from samverkan.accounts.reference import ensure_default_roles

    base = live_server.url
    results: dict[tuple[str, int], Measured] = {}
    live_server._live_server_modified_settings.enable()  # the live server's host (pytest-django)
    try:
        # Database access for this fixture and for the live server's thread alike.
        with django_db_blocker.unblock():
            try:
                ensure_default_roles()  # an earlier transactional test's flush emptied them
                world = _build()
                cookies = {name: session_cookie(user, base) for name, user in world["users"].items() if user}
                for persona in world["users"]:
                    context = browser.new_context(locale="sv-SE")
                    context.set_default_timeout(15_000)
                    if persona in cookies:
                        context.add_cookies([cookies[persona]])
                    page = context.new_page()
                    for width in WIDTHS:
                        page.set_viewport_size({"width": width, "height": 800})
                        for name, (who, path) in world["paths"].items():
                            if who == persona:
                                results[(name, width)] = _measure(page, base + path, name, width)
                    context.close()
            finally:
                _flush()
    finally:
        live_server._live_server_modified_settings.disable()
    return results


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_the_page_never_scrolls_sideways(measured, name, width):
    result = measured[(name, width)]
    assert result.status == 200, f"{name}: HTTP {result.status}"
    assert result.overflow <= 0, f"{name} at {width} px is {result.overflow} px too wide: {result.widest}"
    assert not result.unreachable_tables, (
        f"{name} at {width} px: tables wider than their space outside a focusable, labelled scroll region: "
        f"{result.unreachable_tables}"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_labels_and_menu_entries_never_break_mid_word(measured, name, width):
    """The case page's sidebar ("Ansvarig" beside its value in a third of the page) and
    the menu: a word wraps whole onto the next line, never split."""
    assert not measured[(name, width)].broken_words, f"{name} at {width} px"


@pytest.mark.parametrize("width", AXE_WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_nothing(measured, name, width):
    assert not measured[(name, width)].axe, f"axe on {name} at {width} px: {measured[(name, width)].axe}"


def test_the_roster_week_shows_all_seven_days_on_a_desktop(measured):
    assert measured[("roster week", DESKTOP)].hidden_days == []


def test_on_a_phone_the_roster_week_scrolls_in_its_region_not_the_page(measured):
    """The other side of the desktop test: on a phone the seven days do not fit, and
    they are in the labelled region rather than pushing the page wider."""
    phone = measured[("roster week", PHONE)]
    assert phone.hidden_days, "seven day columns cannot all fit 390 px"
    assert phone.overflow <= 0 and not phone.unreachable_tables

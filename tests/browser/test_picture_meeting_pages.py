"""The weekly EST meeting's pages in a real browser on a phone (320 and 390 px wide):
the runner's open record (with an action decided and last week's action to follow up),
the name warning, the closing confirmation, the list of actions, and a reader's closed
record. The page never scrolls sideways (tables scroll in their own region) and axe
(WCAG 2.1 AA) finds nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, login
from tests.browser.test_trefas_phone import _WIDEST
from tests.picture.meeting_helpers import add_action, close_meeting, last_week, meeting_url, open_meeting, this_week
from tests.picture.world import build_local_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390)


def _check(page, url: str, failures: list, width: int) -> None:
    if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
        failures.append((width, url, "scrolls sideways", page.evaluate(_WIDEST)))
    violations = axe_violations(page)
    if violations:
        failures.append((width, url, "axe", violations))


def test_the_meeting_pages_fit_a_phone_and_pass_axe(live_server, page_factory):
    world = build_local_world(["jarva_coord", "jarva_staff"])
    earlier = open_meeting(world, "jarva_coord", "rinkeby-tensta", last_week())
    add_action(world, "jarva_coord", earlier, org="police_rinkeby", text="Öka närvaron vid torget kvällstid.")
    close_meeting(world, "jarva_coord", earlier)
    meeting = open_meeting(world, "jarva_coord", "rinkeby-tensta", this_week())
    add_action(world, "jarva_coord", meeting, org="housing", text="Laga belysningen i porten på Hagstråket.")
    base = live_server.url
    runner_pages = [
        meeting_url("rinkeby-tensta", this_week()),
        meeting_url("rinkeby-tensta", this_week(), "meeting_close"),
        "/trygghet/atgarder/",
    ]
    failures: list = []
    page = page_factory()
    login(page, base, world["jarva_coord"])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in runner_pages:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            _check(page, path, failures, width)
    # The name warning: the error summary and the confirmation checkbox.
    page.goto(base + runner_pages[0])
    page.fill("#id_seen", "Anna Svensson syntes vid Rinkeby Centrum.")
    page.click("form[action$='/uppgifter/'] button[type=submit]")
    page.wait_for_selector("#id_names_checked")
    _check(page, "names warning", failures, 390)
    page.context.close()

    reader = page_factory()
    login(reader, base, world["jarva_staff"])
    for width in WIDTHS:
        reader.set_viewport_size({"width": width, "height": 800})
        for path in (meeting_url("rinkeby-tensta", last_week()), meeting_url("rinkeby-tensta", this_week())):
            response = reader.goto(base + path)
            assert response is not None and response.status == 200, path
            _check(reader, path, failures, width)
    assert not failures, "\n".join(str(f) for f in failures)

"""The main Trefas pages on a phone (320 and 390 px wide), with the demo forum's data: the
page itself never scrolls sideways (a wide table scrolls inside its own ``.sv-scroll``
region), and axe (WCAG 2.1 AA) finds nothing."""

from __future__ import annotations

import pytest

from samverkan.demo.trefas.common import FORUM_CODE
from samverkan.trefas.models import ForumMeeting, Incident, Listing, Rating, Release
from tests.browser.conftest import axe_violations, load_demo_database, login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 390)
# What makes the page itself wider than the screen: the widest element outside a
# scrolling region, for the failure message.
_WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.sv-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 1) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
      ' (' + Math.round(r.right) + 'px)');
  }
  return out.slice(0, 5);
}"""


def _pages(forum_id: int) -> dict[str, list[str]]:
    """The pages to check, per demo persona who sees them."""
    base = f"/trefas/{forum_id}/"
    red = Listing.objects.filter(forum_id=forum_id, rating=Rating.RED, removed_at__isnull=True).order_by("pk").first()
    meeting = ForumMeeting.objects.filter(forum_id=forum_id).order_by("-scheduled_for").first()
    incident = Incident.objects.filter(forum_id=forum_id).order_by("-occurred_at").first()
    release = Release.objects.filter(forum_id=forum_id).order_by("date").first()
    assert red and meeting and incident and release, "the Trefas demo has a red person, a meeting, an incident, a release"
    return {
        "trefas.samordnare": [
            base, f"{base}person/{red.pk}/", f"{base}moten/", f"{base}moten/{meeting.pk}/",
            f"{base}handelser/", f"{base}handelser/{incident.pk}/", f"{base}frigivningar/",
            f"{base}frigivningar/{release.pk}/", f"{base}grupper/", f"{base}atgarder/", "/trefas/notiser/",
        ],
        "trefas.polis": [f"{base}delningar/", f"{base}grupper/"],
        "trefas.jurist.polis": [f"{base}delningar/"],
    }


def test_trefas_pages_fit_a_phone(live_server, page_factory):
    from samverkan.accounts.models import User

    load_demo_database()
    forum_id = ForumMeeting.objects.filter(forum__code=FORUM_CODE).values_list("forum_id", flat=True).first()
    assert forum_id is not None
    failures = []
    for username, paths in _pages(forum_id).items():
        page = page_factory()
        login(page, live_server.url, User.objects.get(username=username))
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response is not None and response.status == 200, f"{username} {path}: {response and response.status}"
                if not page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
                    failures.append((username, width, path, "scrolls sideways", page.evaluate(_WIDEST)))
                violations = axe_violations(page)
                if violations:
                    failures.append((username, width, path, "axe", violations))
        page.context.close()
    assert not failures, "\n".join(str(f) for f in failures)

"""The Trefas track in a real browser, as its members work: the police list a person and
rate them red → the forum's members get a notice (and an e-mail without any name) → the
police propose a share to social services → the police's jurist approves it → social
services see it on the person's page → the coordinator holds the meeting (agenda with the
red person first, an action, attendance, who was discussed, minutes signed after a
confirmation) → an incident with its checklist, one item marked done → a release in three
weeks and its reminder → social services start a way out into a SIG intake. axe (WCAG 2.1
AA) on every page visited.

Buttons and links are found by their (Swedish) names: ``sv(msgid)`` is what the page
shows, so the test follows the msgids, not a copy of the translations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from samverkan.cases.models import Case, Programme
from samverkan.consent.models import LegalBasis
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.trefas import reference as trefas_reference
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    ExitLink,
    ForumMeeting,
    Incident,
    Listing,
    Notice,
    NoticeKind,
    Rating,
    Release,
    Share,
    ShareState,
)
from samverkan.trefas.services.releases import release_reminders_send
from tests.browser.conftest import assert_accessible, login
from tests.trefas.world import trefas_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sv(msgid: str) -> str:
    """What a page in Swedish shows for ``msgid``."""
    with translation.override("sv"):
        return str(translation.gettext(msgid))


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    assert_accessible(page)


def press(page, name: str, url_glob: str, *, role: str = "button") -> None:
    """Click the button (or link) named ``name`` in the main content, wait for ``url_glob``,
    check the page it leads to."""
    page.locator("main").get_by_role(role, name=name, exact=True).click()
    page.wait_for_url(url_glob)
    assert_accessible(page)


def test_trefas_journey(live_server, page_factory):
    world = trefas_world(personas=("city_coord", "soc", "police", "prison", "police_jurist"))
    trefas_reference.load()  # the shipped incident checklist
    base = live_server.url
    forum_url = f"{base}/trefas/{world.forum.pk}/"
    today = timezone.localdate()
    pages = {}
    for name in ("police", "soc", "police_jurist", "city_coord", "prison"):
        pages[name] = page_factory()
        login(pages[name], base, world.users[name])

    # 1. The police put a person on the list (yellow), then rate them red.
    police = pages["police"]
    visit(police, f"{base}/trefas/")
    visit(police, forum_url)
    press(police, sv("Put a person on the list"), "**/nominera/", role="link")
    birth = today.replace(year=today.year - 19) - timedelta(days=40)
    identity = make_fictitious(birth, 451)
    police.fill("#id_identity", identity)
    police.fill("#id_first_name", "Resan")
    police.fill("#id_last_name", "Testperson")
    police.fill("#id_nomination_reason", "Kartlagd i nätverket kring torget.")
    police.fill("#id_source_reference", "PM-2026-17")
    police.select_option("#id_rating", Rating.YELLOW)
    police.fill("#id_rating_reason", "Umgås med personer i en aktiv konflikt.")
    press(police, sv("Put on the list"), "**/person/*/")
    listing = Listing.objects.get(person__first_name="Resan")
    person_url = f"{forum_url}person/{listing.pk}/"
    assert police.url == person_url
    press(police, sv("Rate or confirm"), "**/bedom/", role="link")
    police.select_option("#id_rating", Rating.RED)
    police.fill("#id_rating_reason", "Hot om vedergällning efter gårdagens bråk.")
    press(police, sv("Save the rating"), person_url)
    listing.refresh_from_db()
    assert listing.rating == Rating.RED
    assert police.locator("main .govuk-summary-list .govuk-tag--red").count() == 1

    # 2. The forum's members are told: a notice in the app, an e-mail without the person.
    soc = pages["soc"]
    visit(soc, f"{base}/trefas/notiser/")
    assert soc.locator("main").get_by_role("link", name=sv(NoticeKind.RED_RATING.label)).count() == 1
    assert mail.outbox, "setting red sends e-mail to the members"
    assert world.users["soc"].email in {m.to[0] for m in mail.outbox}
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in ("Resan", "Testperson", identity, identity[2:], "vedergällning", f"/person/{listing.pk}"):
            assert secret not in text

    # 3. The police propose a share to social services; the police's jurist approves it.
    press(police, sv("Propose a share about the person"), "**/dela/", role="link")
    police.fill("#id_text", "Gripen för vapenbrott i går; släppt i väntan på rättegång.")
    police.select_option("#id_basis", str(LegalBasis.objects.get(code="osl-10-2").pk))
    police.fill("#id_balancing_test", "Risken för grovt våld väger tyngre än sekretessintresset.")
    police.get_by_label(world.orgs["soc"].name, exact=True).check()
    press(police, sv("Propose the share"), "**/delningar/")
    share = Share.objects.get(listing=listing)
    assert share.state == ShareState.PROPOSED

    jurist = pages["police_jurist"]
    visit(jurist, f"{forum_url}delningar/")
    queue_item = jurist.locator("main section", has=jurist.get_by_role("heading", name=re.compile("Resan")))
    queue_item.get_by_label(sv("Approve: the receivers may see it")).check()
    queue_item.get_by_label(sv("Reason")).fill("Nödvändigt för socialtjänstens skyddsbedömning.")
    queue_item.get_by_role("button", name=sv("Record the decision")).click()
    yes = jurist.locator("main form:has(input[name=confirmed]) button[type=submit] >> nth=0")
    yes.wait_for()  # the confirmation: who will see it, and that it cannot be taken back
    assert_accessible(jurist)
    yes.click()
    jurist.wait_for_url("**/delningar/")
    assert_accessible(jurist)
    share.refresh_from_db()
    assert share.state == ShareState.APPROVED

    visit(soc, person_url)
    assert soc.locator("main").get_by_text("Gripen för vapenbrott i går").count() == 1

    # 4. The coordinator plans the meeting, opens its agenda (the red person first), adds an
    # action for social services, records attendance and who was discussed, writes and signs.
    coord = pages["city_coord"]
    visit(coord, f"{forum_url}moten/")
    press(coord, sv("Plan a meeting"), "**/moten/nytt/", role="link")
    held = timezone.localtime() - timedelta(hours=1)
    coord.fill("#id_scheduled_for", held.strftime("%Y-%m-%dT%H:%M"))
    coord.fill("#id_place", "Rinkeby polisstation, rum 3")
    press(coord, sv("Plan the meeting"), "**/moten/*/")
    meeting = ForumMeeting.objects.get(forum=world.forum)
    meeting_url = f"{forum_url}moten/{meeting.pk}/"
    assert coord.url == meeting_url
    first = coord.locator("main section.sv-card").first
    assert "Resan" in first.get_by_role("heading", level=4).inner_text()
    assert first.locator(".govuk-tag--red").count() == 1

    press(coord, sv("Add an action"), "**/atgard/", role="link")
    coord.select_option("#id_organisation", label=world.orgs["soc"].name)
    coord.fill("#id_title", "Kontakta familjen och gör en skyddsbedömning")
    coord.fill("#id_due_on", (today + timedelta(days=7)).isoformat())
    coord.select_option("#id_listing", str(listing.pk))
    press(coord, sv("Add the action"), meeting_url)
    action = ActionItem.objects.get(meeting=meeting)
    assert action.organisation_id == world.orgs["soc"].pk

    press(coord, sv("Record attendance"), "**/narvaro/", role="link")
    for box in coord.locator("input[name=present]").all():
        box.check()
    press(coord, sv("Save the attendance"), meeting_url)
    press(coord, sv("Mark who was discussed"), "**/genomgangna/", role="link")
    coord.get_by_label(re.compile("Resan")).check()
    press(coord, sv("Save"), meeting_url)
    press(coord, sv("Write the minutes"), "**/protokoll/", role="link")
    coord.fill("#id_minutes", "Genomgång av läget. Socialtjänsten kontaktar familjen.")
    press(coord, sv("Save the draft"), meeting_url)
    press(coord, sv("Sign the minutes"), "**/justera/", role="link")
    press(coord, sv("Yes, sign the minutes"), meeting_url)
    meeting.refresh_from_db()
    assert meeting.signed_at is not None and meeting.attendance.filter(present=True).count() >= 1

    # 5. The police register a shooting; the checklist appears; social services mark their
    # own item done.
    visit(police, f"{forum_url}handelser/")
    press(police, sv("Register an incident"), "**/handelser/ny/", role="link")
    police.select_option("#id_kind", "shooting")
    police.fill("#id_occurred_at", (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    police.fill("#id_place", "Rinkeby torg")
    press(police, sv("Register the incident"), "**/handelser/*/")
    incident = Incident.objects.get(forum=world.forum)
    incident_url = f"{forum_url}handelser/{incident.pk}/"
    checklist = ActionItem.objects.filter(incident=incident)
    assert checklist.filter(organisation=world.orgs["soc"]).exists()
    assert police.locator("main ol li.sv-card").count() == checklist.count()

    visit(soc, incident_url)
    soc_item = checklist.filter(organisation=world.orgs["soc"]).order_by("due_at", "pk").first()
    soc.locator("main").get_by_role("button", name=re.compile(re.escape(soc_item.title))).click()
    soc.wait_for_url(incident_url)
    assert_accessible(soc)
    soc_item.refresh_from_db()
    assert soc_item.status == ActionStatus.DONE

    # 6. The prison registers a release in three weeks; the daily job reminds the forum
    # (four weeks before is due now).
    prison = pages["prison"]
    visit(prison, f"{forum_url}frigivningar/")
    press(prison, sv("Register a release or leave"), "**/frigivningar/ny/", role="link")
    prison.select_option("#id_listing", str(listing.pk))
    prison.get_by_label(sv("Release"), exact=True).check()
    prison.fill("#id_date", (today + timedelta(weeks=3)).isoformat())
    press(prison, sv("Register"), "**/frigivningar/*/")
    release = Release.objects.get(listing=listing)
    assert release_reminders_send(today=today)["releases"] == 1
    release.refresh_from_db()
    assert release.reminders_sent == [4]
    assert Notice.objects.filter(user=world.users["city_coord"], kind=NoticeKind.RELEASE_SOON).count() == 1
    visit(coord, f"{base}/trefas/notiser/")
    assert coord.locator("main").get_by_role("link", name=sv(NoticeKind.RELEASE_SOON.label)).count() == 1
    visit(coord, f"{forum_url}frigivningar/")

    # 7. Social services start a way out: a SIG intake; the case shows the Trefas link.
    visit(soc, person_url)
    press(soc, sv("Start a way out (a SIG intake or an exit programme)"), "**/vag-ut/", role="link")
    soc.select_option("#id_programme", str(Programme.objects.get(code="sig-unga-vuxna-jarva").pk))
    soc.fill("#id_intake_summary", "Vill lämna kriminaliteten; samtycke efterfrågas.")
    press(soc, sv("Register the intake"), "**/arenden/*-*-*-*-*/")
    case = Case.objects.get()
    assert ExitLink.objects.get(listing=listing).case_id == case.pk
    trefas_link = soc.locator("main").get_by_role("link", name=sv("open on the list"))
    assert trefas_link.get_attribute("href").endswith(f"/person/{listing.pk}/")
    visit(soc, person_url)
    assert soc.locator("main").get_by_role("link", name=sv("Open the SIG case")).count() == 1

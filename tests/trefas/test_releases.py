"""Releases and leaves: only Kriminalvården registers (the police 403, outsiders 404),
cancelling with confirmation by the registering organisation, the release plan, and the
reminder job at 4 and 1 weeks before: exactly once each, e-mails without personal data."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.jobs import registry, schedule
from samverkan.trefas.models import ActionItem, ActionStatus, Notice, NoticeKind, Rating, Release, ReleaseKind
from samverkan.trefas.selectors.forums import forum_access
from samverkan.trefas.services.releases import release_register, release_reminders_send
from tests.conftest import fast_login
from tests.trefas.world import MEMBERS, OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _release(world, listing, *, days=28, by="probation", kind=ReleaseKind.RELEASE):
    return release_register(actor=world.users[by], access=forum_access(world.users[by], world.forum.pk),
                            listing=listing, kind=kind, on=timezone.localdate() + timedelta(days=days))


def test_kriminalvarden_registers_a_release_the_police_may_not(world):
    listing = list_person(world, by="police", rating=Rating.RED)
    url = f"/trefas/{world.forum.pk}/frigivningar/ny/"
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    for name in ("prison", "probation"):
        assert fast_login(world.users[name]).get(url).status_code == 200, name
    response = fast_login(world.users["prison"]).post(
        url, {"listing": listing.pk, "kind": ReleaseKind.LEAVE, "date": day})
    release = Release.objects.get(listing=listing)
    assert response.status_code == 302
    assert response["Location"] == f"/trefas/{world.forum.pk}/frigivningar/{release.pk}/"
    assert release.registered_by_organisation_id == world.orgs["prison"].pk
    event = AuditEvent.objects.get(action=Action.TREFAS_RELEASE_REGISTERED)
    assert json.loads(event.detail)["red"] is True
    for name in ("police", "soc", "city_coord", "school", "kv_jurist"):
        client = fast_login(world.users[name])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"listing": listing.pk, "kind": ReleaseKind.RELEASE, "date": day}).status_code == 403
    assert Release.objects.count() == 1


def test_a_date_in_the_past_is_refused(world):
    listing = list_person(world)
    response = fast_login(world.users["probation"]).post(f"/trefas/{world.forum.pk}/frigivningar/ny/", {
        "listing": listing.pk, "kind": ReleaseKind.RELEASE,
        "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
    })
    assert response.status_code == 200
    assert "The date has passed." in response.content.decode()
    assert not Release.objects.exists()


def test_every_member_sees_the_releases_outsiders_get_404(world):
    listing = list_person(world, first_name="Frigiven")
    release = _release(world, listing)
    base = f"/trefas/{world.forum.pk}/frigivningar/"
    for name in MEMBERS:
        response = fast_login(world.users[name]).get(base)
        assert response.status_code == 200, name
        assert "Frigiven" in response.content.decode(), name
    for name in OUTSIDERS:
        client = fast_login(world.users[name])
        for url in (base, base + "ny/", f"{base}{release.pk}/", f"{base}{release.pk}/avbryt/"):
            assert client.get(url).status_code == 404, (name, url)
        assert client.post(f"{base}{release.pk}/avbryt/", {"version": release.version}).status_code == 404
        assert client.post(f"{base}{release.pk}/atgard/", {}).status_code == 404
    assert Release.objects.get(pk=release.pk).cancelled_at is None


def test_the_release_page_links_kriminalvarden_to_sharing_the_conditions(world, monkeypatch):
    from django.urls import NoReverseMatch

    from samverkan.trefas.views import releases as views

    listing = list_person(world)
    release = _release(world, listing)
    url = f"/trefas/{world.forum.pk}/frigivningar/{release.pk}/"

    def no_shares(name, kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(views, "reverse", no_shares)
    response = fast_login(world.users["probation"]).get(url)
    assert response.status_code == 200 and response.context["share_url"] is None
    monkeypatch.setattr(views, "reverse", lambda name, kwargs: f"/share/{kwargs['forum_id']}/{kwargs['listing_id']}/")
    share = f'href="/share/{world.forum.pk}/{listing.pk}/"'
    assert share in fast_login(world.users["probation"]).get(url).content.decode()
    police = fast_login(world.users["police"]).get(url)
    assert police.status_code == 200 and share not in police.content.decode()


def test_cancelling_asks_first_and_only_the_registering_organisation_may(world):
    listing = list_person(world)
    release = _release(world, listing, by="probation")
    item = ActionItem.objects.create(forum=world.forum, organisation=world.orgs["soc"], title="Boende",
                                     due_at=timezone.now() + timedelta(days=3), release=release)
    url = f"/trefas/{world.forum.pk}/frigivningar/{release.pk}/avbryt/"
    for name in ("prison", "police", "city_coord"):
        assert fast_login(world.users[name]).get(url).status_code == 403, name
        assert fast_login(world.users[name]).post(url, {"version": release.version}).status_code == 403, name
    client = fast_login(world.users["probation"])
    confirm = client.get(url)
    assert confirm.status_code == 200
    release.refresh_from_db()
    assert release.cancelled_at is None  # asking changes nothing
    assert client.post(url, {"version": release.version - 1}).status_code == 409
    assert client.post(url, {"version": release.version}).status_code == 302
    release.refresh_from_db()
    item.refresh_from_db()
    assert release.cancelled_at is not None and item.status == ActionStatus.CANCELLED
    assert AuditEvent.objects.filter(action=Action.TREFAS_RELEASE_UPDATED, subject_id=str(release.pk)).exists()


def test_the_plan_is_made_by_the_coordinator_or_kriminalvarden(world):
    listing = list_person(world)
    release = _release(world, listing)
    url = f"/trefas/{world.forum.pk}/frigivningar/{release.pk}/atgard/"
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"organisation": world.orgs["soc"].pk, "title": "Ordna boende", "due_on": due}
    for name in ("police", "school", "soc", "soc_jurist"):
        assert fast_login(world.users[name]).post(url, data).status_code == 403, name
    assert fast_login(world.users["city_coord"]).post(url, data).status_code == 302
    assert fast_login(world.users["prison"]).post(url, {**data, "title": "Kontakt med frivården"}).status_code == 302
    actions = ActionItem.objects.filter(release=release)
    assert actions.count() == 2
    assert all(a.listing_id == listing.pk and a.organisation_id == world.orgs["soc"].pk for a in actions)
    # An organisation outside the forum is not a choice.
    response = fast_login(world.users["city_coord"]).post(url, {**data, "organisation": world.orgs["tax"].pk})
    assert response.status_code == 400
    assert actions.count() == 2
    # The soc member marks the soc item done on the release page.
    item = actions.first()
    done_url = f"/trefas/{world.forum.pk}/frigivningar/{release.pk}/atgarder/{item.pk}/klar/"
    assert fast_login(world.users["police"]).post(done_url, {"version": item.version}).status_code == 403
    assert fast_login(world.users["soc"]).post(done_url, {"version": item.version}).status_code == 302
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE


# --- Reminders ----------------------------------------------------------------------------


def test_the_reminder_job_is_registered_and_scheduled():
    assert registry.get("trefas.release_reminders")
    assert any(e.kind == "trefas.release_reminders" and e.period == "daily" for e in schedule.SCHEDULE)


def test_reminders_at_four_and_one_weeks_exactly_once_without_personal_data(world):
    listing = list_person(world, first_name="Hemligsson", rating=Rating.RED)
    release = _release(world, listing, days=40)
    member_ids = {world.users[n].pk for n in MEMBERS}

    def run(days_before):
        mail.outbox.clear()
        return release_reminders_send(today=release.date - timedelta(days=days_before))

    assert run(29)["releases"] == 0  # not yet
    result = run(28)
    assert result == {"releases": 1, "notices": len(MEMBERS), "emails": len(MEMBERS)}
    notices = Notice.objects.filter(kind=NoticeKind.RELEASE_SOON, release=release)
    assert set(notices.values_list("user_id", flat=True)) == member_ids
    assert {m.to[0] for m in mail.outbox} == {world.users[n].email for n in MEMBERS}
    person = listing.person
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (person.first_name, person.last_name, person.identity_number, person.identity_number[2:8],
                       str(release.date), release.date.strftime("%Y-%m-%d"), world.forum.name):
            assert secret not in text
    assert run(28)["releases"] == 0 and mail.outbox == []  # the same day again
    assert run(20)["releases"] == 0  # between the two
    assert run(7)["releases"] == 1
    assert run(6)["releases"] == 0 and run(1)["releases"] == 0
    assert notices.count() == 2 * len(MEMBERS)
    release.refresh_from_db()
    assert sorted(release.reminders_sent) == [1, 4]
    events = AuditEvent.objects.filter(action=Action.TREFAS_RELEASE_REMINDED)
    assert [json.loads(e.detail)["releases"] for e in events] == [0, 1, 0, 0, 1, 0, 0]


def test_a_late_registration_gets_one_reminder_and_cancelled_ones_none(world):
    late = _release(world, list_person(world), days=5)
    cancelled = _release(world, list_person(world), days=7)
    Release.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    world.forum.release_reminder_weeks = [2]
    world.forum.save(update_fields=["release_reminder_weeks"])
    other_listing = list_person(world)
    custom = _release(world, other_listing, days=14)
    result = release_reminders_send(today=timezone.localdate())
    assert result["releases"] == 2  # late (2 weeks are past) and custom (exactly 2 weeks)
    late.refresh_from_db()
    assert late.reminders_sent == [2]
    assert not Notice.objects.filter(release=cancelled).exists()
    assert Notice.objects.filter(release=custom).count() == len(MEMBERS)
    assert release_reminders_send(today=timezone.localdate())["releases"] == 0

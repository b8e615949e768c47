"""The Trefas demo: fictitious, idempotent, and every state the pages show is in it."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.db.models import Count, F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import Role, User
from samverkan.accounts.reference import ensure_default_roles
from samverkan.audit.models import AuditEvent
from samverkan.consent import reference as legal_bases
from samverkan.consent.models import Disclosure, DisclosureOutcome
from samverkan.demo.trefas import FORUM_CODE, TREFAS_STAFF, load_trefas
from samverkan.directory.services import reference_data_load
from samverkan.people.models import Person
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    Conflict,
    ConflictStatus,
    ExitLink,
    Forum,
    ForumMeeting,
    ForumMember,
    ForumRole,
    Group,
    Incident,
    IncidentLink,
    Listing,
    MeetingStatus,
    RatingChange,
    Release,
    ReleaseKind,
    Share,
    ShareState,
)
from tests.conftest import fast_login
from tests.world import rolled_back

pytestmark = pytest.mark.django_db

TREFAS_MODELS = (Forum, ForumMember, Listing, RatingChange, Group, Conflict, Share, ForumMeeting, ActionItem,
                 Incident, IncidentLink, Release, ExitLink, Disclosure, Person)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in TREFAS_MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The forum's demo loaded once for the module, in a transaction rolled back when the
    module ends; each test runs in a savepoint of it."""
    with django_db_blocker.unblock(), rolled_back():
        ensure_default_roles()
        reference_data_load()
        legal_bases.load()
        audit_before = AuditEvent.objects.count()
        rows = load_trefas()
        yield {"rows": rows, "forum": Forum.objects.get(code=FORUM_CODE), "audit_before": audit_before}


def test_loads_twice_without_creating_anything_twice(demo):
    first = _counts()
    rows = load_trefas()
    assert _counts() == first
    assert [r["username"] for r in rows] == [username for username, *_rest in TREFAS_STAFF]
    assert Forum.objects.filter(code=FORUM_CODE).count() == 1
    # Written directly with the models: the demo leaves no audit events of its own.
    assert AuditEvent.objects.count() == demo["audit_before"]


def test_forty_fictitious_people_aged_15_to_25_across_the_ratings(demo):
    listings = Listing.objects.filter(forum=demo["forum"], removed_at__isnull=True).select_related("person")
    assert listings.count() == 40
    assert not Person.objects.filter(is_fictitious=False).exists()
    today = timezone.localdate()
    assert all(15 <= x.person.age_on(today) <= 25 for x in listings)
    spread = dict(listings.values_list("rating").annotate(n=Count("pk")).order_by())
    assert spread == {"red": 6, "yellow": 14, "green": 20}
    # Plausible histories: every listing has one, some changed, the last entry is the rating.
    for x in listings:
        history = list(x.rating_changes.order_by("-set_at", "-pk"))
        assert history and history[0].rating == x.rating
        assert x.rating_set_at <= x.rating_reviewed_at <= timezone.now()
    assert RatingChange.objects.exclude(previous_rating="").exclude(rating=F("previous_rating")).exists()
    assert {x.area.code for x in listings} == {"rinkeby-tensta", "husby"}
    assert all(x.nomination_reason for x in listings)
    # Someone is overdue for review (not reviewed for one cycle).
    assert listings.filter(rating_reviewed_at__lt=timezone.now() - timedelta(days=21)).exists()


def test_members_roles_and_groups_in_an_active_conflict(demo):
    forum = demo["forum"]
    roles = dict(ForumMember.objects.filter(forum=forum).values_list("user__username", "role"))
    assert roles["trefas.samordnare"] == ForumRole.COORDINATOR
    assert roles["trefas.jurist.stad"] == roles["trefas.jurist.polis"] == ForumRole.JURIST
    assert forum.organisations.count() == 5
    assert set(forum.organisations.values_list("organisation__short_code", flat=True)) >= {"kv-anstalt-taby"}
    groups = list(Group.objects.filter(forum=forum))
    assert len(groups) == 2 and all(g.owner_organisation.short_code == "lpo-rinkeby" for g in groups)
    assert all(g.memberships.count() >= 3 for g in groups)
    assert Conflict.objects.filter(forum=forum, status=ConflictStatus.ACTIVE).count() == 1


def test_shares_in_every_state_with_their_register_rows(demo):
    shares = Share.objects.filter(forum=demo["forum"])
    assert set(shares.values_list("state", flat=True)) == set(ShareState.values)
    assert set(shares.values_list("basis__code", flat=True)) >= {"osl-10-15a", "osl-10-18a", "osl-10-20",
                                                                 "osl-10-28"}
    today = timezone.localdate()
    for share in shares.select_related("listing__person", "basis"):
        rows = Disclosure.objects.filter(track="trefas", source_type="trefas.share", source_id=str(share.pk))
        recipients = set(share.recipients.values_list("pk", flat=True))
        if share.state in (ShareState.PROPOSED, ShareState.WITHDRAWN):
            assert not rows.exists() and share.decided_at is None
            continue
        assert {r.to_organisation_id for r in rows} == recipients
        assert all(r.case_id is None and r.basis_id == share.basis_id for r in rows)
        if share.listing is not None:
            assert all(r.person_id == share.listing.person_id for r in rows)
        expected = DisclosureOutcome.REFUSED if share.state == ShareState.REFUSED else DisclosureOutcome.DISCLOSED
        assert {r.outcome for r in rows} == {expected}
        if share.state == ShareState.REFUSED:
            assert share.decision_reason and all(r.refusal_reason for r in rows)
        if share.state == ShareState.NO_REVIEW:
            assert not share.basis.requires_review
        if share.state == ShareState.APPROVED:
            assert share.basis.requires_review and share.decided_by.roles.filter(code="jurist").exists()
            assert share.decided_by.organisation_id == share.from_organisation_id
        if share.basis.code == "osl-10-18a":
            assert share.listing.person.age_on(today) < 21
        if share.basis.code == "osl-10-20":
            assert share.listing.person.age_on(today) < 18
    assert shares.filter(state=ShareState.WITHDRAWN, withdrawn_at__isnull=False).exists()


def test_meetings_every_21_days_with_minutes_and_actions(demo):
    forum = demo["forum"]
    held = list(ForumMeeting.objects.filter(forum=forum, status=MeetingStatus.HELD).order_by("scheduled_for"))
    assert len(held) >= 5
    assert all((b.scheduled_for - a.scheduled_for).days == 21 for a, b in itertools.pairwise(held))
    assert all(m.minutes and m.signed_by and m.signed_at for m in held)
    assert all(m.attendance.exists() and m.discussions.exists() for m in held)
    planned = ForumMeeting.objects.filter(forum=forum, status=MeetingStatus.PLANNED)
    assert planned.count() == 1 and planned.get().scheduled_for > timezone.now()
    actions = ActionItem.objects.filter(forum=forum, meeting__isnull=False)
    now = timezone.now()
    assert actions.filter(status=ActionStatus.DONE).exists()
    assert actions.filter(status=ActionStatus.OPEN, due_at__lt=now).exists()  # overdue
    assert actions.filter(status=ActionStatus.OPEN, due_at__gt=now).exists()


def test_the_shooting_has_half_its_checklist_done_and_its_people_linked(demo):
    incident = Incident.objects.get(forum=demo["forum"])
    assert incident.kind == "shooting"
    assert timedelta(days=1) < timezone.now() - incident.occurred_at < timedelta(days=3)
    items = list(incident.actions.all())
    assert len(items) >= 6
    assert sum(i.status == ActionStatus.DONE for i in items) == len(items) // 2
    assert all(i.due_at > incident.registered_at for i in items)
    kinds = set(incident.forum.organisations.filter(organisation_id__in=[i.organisation_id for i in items])
                .values_list("kind", flat=True))
    assert kinds >= {"police", "social_services", "city_coordinator"}
    links = {link.role: link for link in incident.links.all()}
    assert links["victim"].listing_id and links["suspect"].listing_id
    sibling = links["relative"]
    assert sibling.listing_id is None and sibling.person.is_fictitious
    assert sibling.recorded_by_organisation.short_code == "sdf-jarva"
    assert sibling.person.age_on(timezone.localdate()) < 18
    assert Listing.objects.filter(pk=links["victim"].listing_id, review_requested_at__isnull=False).exists()


def test_a_release_in_three_weeks_and_an_exit(demo):
    release = Release.objects.get(forum=demo["forum"])
    assert release.kind == ReleaseKind.RELEASE
    assert release.date == timezone.localdate() + timedelta(days=21)
    assert release.registered_by_organisation.short_code == "kv-anstalt-taby"
    assert release.actions.count() >= 2
    assert ExitLink.objects.filter(listing__forum=demo["forum"], kind="exit_programme").count() == 1


def test_the_personas_open_the_forum_an_outsider_gets_404(demo):
    forum = demo["forum"]
    for username in ("trefas.samordnare", "trefas.jurist.polis", "trefas.anstalt"):
        user = User.objects.get(username=username)
        assert user.is_demo and user.totpdevice_set.filter(confirmed=True).exists()
        assert fast_login(user).get(f"/trefas/{forum.pk}/").status_code == 200, username
    outsider = User.objects.create(username="not.in.forum", organisation=forum.organisations.first().organisation)
    outsider.roles.set(Role.objects.filter(code="coordinator"))
    TOTPDevice.objects.create(user=outsider, name="t", confirmed=True)
    assert fast_login(outsider).get(f"/trefas/{forum.pk}/").status_code == 404

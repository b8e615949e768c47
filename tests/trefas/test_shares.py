"""Shares under law, reviewed by a jurist (issue 10 §4): who sees a share in each state,
proposing (the basis's age and recipient limits, the balancing test), the jurist's queue
and decisions (refusal reason, two jurists at once), withdrawal, notices, and a page cost
that does not grow with shares the viewer cannot see."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.consent.models import Disclosure, LegalBasis
from samverkan.trefas.models import ForumMember, ForumRole, Notice, NoticeKind, Share, ShareState, ShareTopic
from samverkan.trefas.selectors.forums import forum_access
from samverkan.trefas.selectors.shares import shares_page
from samverkan.trefas.services import shares as services
from tests.conftest import fast_login
from tests.factories import UserFactory
from tests.trefas.world import OUTSIDERS, list_person, trefas_world

pytestmark = pytest.mark.django_db

BALANCING = "Risken för grovt våld väger tyngre än sekretessintresset i detta läge (test)."
STATES = ("proposed", "approved", "refused", "no_review", "withdrawn")
# Police shares with social services and frivården. Who sees the share in which state:
PROPOSER_ORG = ("police", "police_jurist")
RECIPIENTS = ("soc", "soc_jurist", "probation", "kv_jurist")
NOT_RECIPIENTS = ("school", "city_coord", "city_jurist", "prison")


@pytest.fixture
def world():
    return trefas_world()


def access(world, name):
    return forum_access(world.users[name], world.forum.pk)


def basis(code):
    return LegalBasis.objects.get(code=code)


def propose(world, listing=None, *, by="police", code="osl-10-2", to=("soc", "probation"), text="MARKER-share",
            group=None, topic=ShareTopic.SINCE_LAST):
    return services.share_propose(
        actor=world.users[by], access=access(world, by), forum=world.forum, listing=listing, group=group,
        topic=ShareTopic.GROUP if group is not None else topic, text=text, basis=basis(code),
        balancing_test=BALANCING, recipients=[world.orgs[o] for o in to],
    )


def decide(world, share, *, approve=True, by="police_jurist", reason="Ok enligt prövning"):
    share.refresh_from_db()
    return services.share_decide(actor=world.users[by], access=access(world, by), share=share, approve=approve,
                                 reason=reason, version=share.version)


def share_in_state(world, state, listing=None, **kwargs):
    """A police share about ``listing`` brought to ``state`` through the services."""
    listing = listing or list_person(world, by="police")
    if state == "no_review":
        return propose(world, listing, code="osl-10-28", **kwargs)
    share = propose(world, listing, **kwargs)
    if state in ("approved", "withdrawn"):
        decide(world, share)
    elif state == "refused":
        decide(world, share, approve=False, reason="Inte nödvändigt (test)")
    if state == "withdrawn":
        share.refresh_from_db()
        services.share_withdraw(actor=world.users["police"], access=access(world, "police"), share=share,
                                version=share.version)
    share.refresh_from_db()
    assert share.state == state
    return share


def _seen_ids(world, name):
    page = shares_page(actor=world.users[name], access=access(world, name), forum=world.forum)
    return {r.share.pk for r in (*page.queue, *page.own, *page.received)}


@pytest.mark.parametrize("state", STATES)
def test_each_state_is_seen_by_exactly_the_right_organisations(world, state):
    share = share_in_state(world, state, text=f"MARKER-{state}")
    visible = state in ("approved", "no_review")
    for name in PROPOSER_ORG:
        assert share.pk in _seen_ids(world, name), name
    for name in RECIPIENTS:
        assert (share.pk in _seen_ids(world, name)) is visible, name
        body = fast_login(world.users[name]).get(reverse("trefas:shares", args=[world.forum.pk])).content.decode()
        assert (f"MARKER-{state}" in body) is visible, name
    for name in NOT_RECIPIENTS:
        assert share.pk not in _seen_ids(world, name), name
        response = fast_login(world.users[name]).get(reverse("trefas:shares", args=[world.forum.pk]))
        assert response.status_code == 200
        assert f"MARKER-{state}" not in response.content.decode(), name
    for name in OUTSIDERS:
        client = fast_login(world.users[name])
        assert client.get(reverse("trefas:shares", args=[world.forum.pk])).status_code == 404, name
        assert client.get(reverse("trefas:share_withdraw", args=[world.forum.pk, share.pk])).status_code == 404
    # The counts: only the owning organisation's jurist has anything to review.
    for name in ("soc_jurist", "kv_jurist", "city_jurist"):
        page = shares_page(actor=world.users[name], access=access(world, name), forum=world.forum)
        assert page.queue == [], name
    queue = shares_page(actor=world.users["police_jurist"], access=access(world, "police_jurist"),
                        forum=world.forum).queue
    assert [r.share.pk for r in queue] == ([share.pk] if state == "proposed" else [])


@pytest.mark.parametrize("state", STATES)
def test_notices_reach_no_one_who_may_not_see_the_share(world, state):
    share = share_in_state(world, state)
    users = set(Notice.objects.filter(share=share).values_list("user_id", "kind"))
    expected = set()
    if state != "no_review":
        expected.add((world.users["police_jurist"].pk, NoticeKind.SHARE_TO_REVIEW))
    if state in ("approved", "refused", "withdrawn"):
        expected.add((world.users["police"].pk, NoticeKind.SHARE_DECIDED))
    assert users == expected


def test_age_limited_basis_is_refused_for_a_too_old_person(world):
    old = list_person(world, by="soc", age=22)
    with pytest.raises(ValidationError) as exc:
        propose(world, old, by="soc", code="osl-10-18a", to=("police",))
    assert "under 21" in " ".join(exc.value.message_dict["basis"])
    assert not Share.objects.exists()
    young = list_person(world, by="soc", age=19)
    share = propose(world, young, by="soc", code="osl-10-18a", to=("police",))
    assert share.state == ShareState.PROPOSED


def test_age_error_is_shown_on_the_form_and_the_input_kept(world):
    old = list_person(world, by="soc", age=22)
    client = fast_login(world.users["soc"])
    url = reverse("trefas:share_new", args=[world.forum.pk, old.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"topic": ShareTopic.MEASURES, "text": "Vi har kontakt med familjen (test)",
                                 "basis": basis("osl-10-18a").pk, "balancing_test": BALANCING,
                                 "recipients": [world.orgs["police"].pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "under 21" in body and "Vi har kontakt med familjen (test)" in body
    assert not Share.objects.exists()


def test_recipient_limits_of_the_basis_and_the_forum(world):
    listing = list_person(world, by="soc", age=19)
    with pytest.raises(ValidationError) as exc:  # 18 a § only to the police
        propose(world, listing, by="soc", code="osl-10-18a", to=("school",))
    assert "basis" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # not a member organisation of the forum
        propose(world, listing, by="soc", to=("tax",))
    assert "recipients" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # not one's own
        propose(world, listing, by="soc", to=("soc",))
    assert "recipients" in exc.value.message_dict


def test_balancing_test_required_when_the_basis_asks_for_it(world):
    listing = list_person(world)
    with pytest.raises(ValidationError) as exc:
        services.share_propose(actor=world.users["police"], access=access(world, "police"), forum=world.forum,
                               listing=listing, topic=ShareTopic.SINCE_LAST, text="Något hände (test)",
                               basis=basis("osl-10-2"), balancing_test="kort", recipients=[world.orgs["soc"]])
    assert "balancing_test" in exc.value.message_dict
    share = services.share_propose(actor=world.users["police"], access=access(world, "police"), forum=world.forum,
                                   listing=listing, topic=ShareTopic.SINCE_LAST, text="Något hände (test)",
                                   basis=basis("osl-10-28"), balancing_test="", recipients=[world.orgs["soc"]])
    assert share.state == ShareState.NO_REVIEW


def test_no_review_basis_is_visible_at_once_and_registered(world):
    share = share_in_state(world, "no_review", text="MARKER-now")
    assert share.pk in _seen_ids(world, "soc")
    rows = Disclosure.objects.filter(source_type="trefas.share", source_id=str(share.pk))
    assert sorted(rows.values_list("to_organisation_id", flat=True)) == sorted(
        [world.orgs["soc"].pk, world.orgs["probation"].pk])
    assert {r.outcome for r in rows} == {"disclosed"}
    assert AuditEvent.objects.filter(action="trefas.share_proposed", subject_id=str(share.pk)).exists()


def test_only_members_with_the_permission_propose_and_only_jurists_decide(world):
    listing = list_person(world)
    with pytest.raises(PermissionDenied):
        propose(world, listing, by="police_jurist")
    share = propose(world, listing)
    for name in ("police", "soc_jurist", "city_coord"):
        with pytest.raises(PermissionDenied):
            decide(world, share, by=name)
    response = fast_login(world.users["soc_jurist"]).post(
        reverse("trefas:share_decide", args=[world.forum.pk, share.pk]), {"decision": "approve", "version": 1})
    assert response.status_code == 404  # not visible to another organisation at all
    share.refresh_from_db()
    assert share.state == ShareState.PROPOSED


def test_refusal_needs_a_reason(world):
    share = propose(world, list_person(world))
    client = fast_login(world.users["police_jurist"])
    queue = client.get(reverse("trefas:shares", args=[world.forum.pk])).content.decode()
    assert f'name="version" value="{share.version}"' in queue and "MARKER-share" in queue
    url = reverse("trefas:share_decide", args=[world.forum.pk, share.pk])
    response = client.post(url, {"decision": "refuse", "reason": "", "version": share.version})
    assert response.status_code == 400
    share.refresh_from_db()
    assert share.state == ShareState.PROPOSED
    response = client.post(url, {"decision": "refuse", "reason": "Inte proportionerligt", "version": share.version,
                                 "confirmed": "1"})
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.state == ShareState.REFUSED and share.decision_reason == "Inte proportionerligt"
    assert AuditEvent.objects.filter(action="trefas.share_refused", subject_id=str(share.pk)).exists()


def test_two_jurists_deciding_at_once(world):
    second = UserFactory(organisation=world.orgs["police"], roles=["jurist"])
    ForumMember.objects.create(forum=world.forum, user=second, role=ForumRole.JURIST)
    share = propose(world, list_person(world))
    url = reverse("trefas:share_decide", args=[world.forum.pk, share.pk])
    first = fast_login(world.users["police_jurist"]).post(url, {"decision": "approve", "version": 1, "confirmed": "1"})
    assert first.status_code == 302
    late = fast_login(second).post(url, {"decision": "refuse", "reason": "MIN-MOTIVERING", "version": 1,
                                         "confirmed": "1"})
    assert late.status_code == 409
    body = late.content.decode()
    assert "MIN-MOTIVERING" in body  # nothing typed is lost
    assert str(ShareState.APPROVED.label) in body
    share.refresh_from_db()
    assert share.state == ShareState.APPROVED and share.decided_by_id == world.users["police_jurist"].pk
    rows = Disclosure.objects.filter(source_id=str(share.pk))
    assert rows.count() == 2 and set(rows.values_list("outcome", flat=True)) == {"disclosed"}
    # The service says the same to a direct caller.
    with pytest.raises(services.ShareAlreadyDecided):
        services.share_decide(actor=second, access=forum_access(second, world.forum.pk), share=share,
                              approve=False, reason="x", version=share.version)


def test_withdraw_after_confirmation(world):
    share = share_in_state(world, "approved")
    client = fast_login(world.users["police"])
    url = reverse("trefas:share_withdraw", args=[world.forum.pk, share.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Yes, withdraw the share" in page.content.decode()  # the confirmation step
    before = Disclosure.objects.count()
    assert client.post(url, {"version": share.version}).status_code == 302
    share.refresh_from_db()
    assert share.state == ShareState.WITHDRAWN
    assert Disclosure.objects.count() == before  # the register gets nothing new
    assert AuditEvent.objects.filter(action="trefas.share_withdrawn", subject_id=str(share.pk)).exists()
    assert share.pk not in _seen_ids(world, "soc")
    # Another organisation cannot withdraw, not even one that received it.
    other = share_in_state(world, "approved")
    assert fast_login(world.users["soc"]).post(
        reverse("trefas:share_withdraw", args=[world.forum.pk, other.pk]), {"version": other.version}
    ).status_code == 403


def test_a_group_share_is_the_groups_owners_only(world):
    from samverkan.trefas.services.groups import group_create

    group = group_create(actor=world.users["police"], access=access(world, "police"), forum=world.forum,
                         name="Nätverk A (test)")
    share = propose(world, group=group)
    assert share.state == ShareState.PROPOSED
    decide(world, share)
    assert Disclosure.objects.filter(source_id=str(share.pk), person__isnull=True).count() == 2
    with pytest.raises(ValidationError):  # an age-limited basis needs a person
        propose(world, group=group, code="osl-10-20", to=("police",), by="police")
    response = fast_login(world.users["soc"]).get(reverse("trefas:group_share_new", args=[world.forum.pk, group.pk]))
    assert response.status_code == 403  # soc sees the group (approved share) but does not own it


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_cost_does_not_grow_with_invisible_shares(world):
    listing = list_person(world, by="police")
    propose(world, listing)  # one in the police jurist's queue
    url = reverse("trefas:shares", args=[world.forum.pk])
    client = fast_login(world.users["police_jurist"])
    soc_listing = list_person(world, by="soc")
    propose(world, soc_listing, by="soc", to=("police",), text="INVISIBLE-SHARE")
    small = _count(client, url)
    for _i in range(19):
        propose(world, soc_listing, by="soc", to=("police",), text="INVISIBLE-SHARE")
    assert _count(client, url) == small
    assert "INVISIBLE" not in client.get(url).content.decode()


def test_a_decision_on_a_share_asks_first_then_is_recorded(world):
    share = propose(world, list_person(world))
    client = fast_login(world.users["police_jurist"])
    url = reverse("trefas:share_decide", args=[world.forum.pk, share.pk])
    first = client.post(url, {"decision": "approve", "reason": "", "version": share.version})
    assert first.status_code == 200
    body = first.content.decode()
    assert "Approve the share?" in body and "MARKER-share" in body
    assert world.orgs["soc"].name in body and world.orgs["probation"].name in body
    assert "What the receivers have read cannot be taken back" in body and "Yes, approve the share" in body
    share.refresh_from_db()
    assert share.state == ShareState.PROPOSED
    assert not Disclosure.objects.filter(source_id=str(share.pk)).exists()
    assert not AuditEvent.objects.filter(action__in=["trefas.share_approved", "trefas.share_refused"]).exists()

    assert client.post(url, {"decision": "approve", "reason": "", "version": share.version,
                             "confirmed": "1"}).status_code == 302
    share.refresh_from_db()
    assert share.state == ShareState.APPROVED
    assert Disclosure.objects.filter(source_id=str(share.pk)).count() == 2

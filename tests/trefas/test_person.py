"""A listed person's page: the header as the viewer may see it, and the joint picture:
shares only as the forum decision allows (a school sees approved shares addressed to it,
never proposed, refused or withdrawn ones), groups only where visible, incidents,
releases, exits (the SIG case linked only to those who may open it), open actions; a
fixed number of queries however much there is; audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.actions import Action
from samverkan.audit.models import AuditEvent
from samverkan.cases.models import TeamMember, TeamRole
from samverkan.consent.models import LegalBasis
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.trefas.models import (
    ActionItem,
    ExitKind,
    ExitLink,
    Group,
    GroupMembership,
    Incident,
    IncidentKind,
    IncidentLink,
    LinkRole,
    Rating,
    Release,
    ReleaseKind,
    Share,
    ShareState,
    ShareTopic,
)
from tests.conftest import fast_login
from tests.trefas.world import OUTSIDERS, list_person, trefas_world
from tests.world import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def _url(world, listing):
    return reverse("trefas:person", args=[world.forum.pk, listing.pk])


def _share(world, listing, *, by, text, state, to, topic=ShareTopic.SINCE_LAST, group=None):
    user = world.users[by]
    share = Share.objects.create(
        forum=world.forum, listing=None if group else listing, group=group,
        from_organisation=user.organisation, proposed_by=user,
        proposed_at=timezone.now(), topic=topic, text=text, basis=LegalBasis.objects.order_by("pk").first(),
        balancing_test="Avvägning gjord", state=state,
    )
    share.recipients.set([world.orgs[k] for k in to])
    return share


def _fill(world, listing, n):
    """n of everything about the person."""
    police = world.users["police"]
    for i in range(n):
        _share(world, listing, by="police", text=f"Polisdelning {i}", state=ShareState.APPROVED, to=["soc", "school"])
        _share(world, listing, by="soc", text=f"Socdelning {i}", state=ShareState.NO_REVIEW, to=["police"],
               topic=ShareTopic.MEASURES)
        group = Group.objects.create(forum=world.forum, owner_organisation=world.orgs["police"],
                                     name=f"Grupp {i}", created_by=police)
        GroupMembership.objects.create(group=group, listing=listing, since=timezone.localdate(), recorded_by=police)
        incident = Incident.objects.create(
            forum=world.forum, kind=IncidentKind.SHOOTING, occurred_at=timezone.now() - timedelta(days=i),
            place=f"Torget {i}", registered_by=police, registered_by_organisation=world.orgs["police"],
            registered_at=timezone.now())
        IncidentLink.objects.create(incident=incident, role=LinkRole.VICTIM, listing=listing,
                                    recorded_by_organisation=world.orgs["police"], recorded_by=police)
        Release.objects.create(forum=world.forum, listing=listing, kind=ReleaseKind.LEAVE,
                               date=timezone.localdate() + timedelta(days=10 + i),
                               registered_by=world.users["prison"],
                               registered_by_organisation=world.orgs["prison"])
        ExitLink.objects.create(listing=listing, kind=ExitKind.EXIT_PROGRAMME, programme_name=f"Avhopp {i}",
                                created_by=world.users["soc"], created_by_organisation=world.orgs["soc"])
        ActionItem.objects.create(forum=world.forum, organisation=world.orgs["soc"], title=f"Åtgärd {i}",
                                  due_at=timezone.now() + timedelta(days=i), listing=listing)


def test_outsiders_get_404(world):
    listing = list_person(world)
    for name in OUTSIDERS:
        assert fast_login(world.users[name]).get(_url(world, listing)).status_code == 404, name


def test_the_header_and_rating_history(world):
    listing = list_person(world, rating=Rating.RED, first_name="Huvud", age=20)
    response = fast_login(world.users["probation"]).get(_url(world, listing))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Huvud" in body and ">20<" in body
    assert "Testskäl" in body  # the rating reason and its history
    assert "TEST-REF-1" not in body  # the police's own reference
    assert "TEST-REF-1" in fast_login(world.users["police"]).get(_url(world, listing)).content.decode()
    event = AuditEvent.objects.filter(action=Action.TREFAS_PERSON_VIEWED).latest("seq")
    detail = json.loads(event.detail)
    assert event.subject_id == str(listing.pk) and detail["red"] is True
    assert "Huvud" not in event.detail


def test_protected_identity_on_the_person_page(world):
    listing = list_person(world, by="police", first_name="Dold", protected=True)
    body = fast_login(world.users["soc"]).get(_url(world, listing)).content.decode()
    assert "Dold" not in body and listing.person.last_name not in body
    assert "Protected identity" in body
    assert "Dold" in fast_login(world.users["police"]).get(_url(world, listing)).content.decode()
    event = AuditEvent.objects.filter(action=Action.TREFAS_PERSON_VIEWED).latest("seq")
    assert json.loads(event.detail)["protected"] is True


def test_school_sees_approved_shares_addressed_to_it_only(world):
    listing = list_person(world)
    _share(world, listing, by="police", text="Godkänd till skolan", state=ShareState.APPROVED, to=["school"])
    _share(world, listing, by="police", text="Utan granskning till skolan", state=ShareState.NO_REVIEW,
           to=["school"])
    _share(world, listing, by="police", text="Väntar på juristen", state=ShareState.PROPOSED, to=["school"])
    _share(world, listing, by="police", text="Avslagen av juristen", state=ShareState.REFUSED, to=["school"])
    _share(world, listing, by="police", text="Återtagen delning", state=ShareState.WITHDRAWN, to=["school"])
    _share(world, listing, by="police", text="Godkänd bara till soc", state=ShareState.APPROVED, to=["soc"])
    school = fast_login(world.users["school"]).get(_url(world, listing)).content.decode()
    assert "Godkänd till skolan" in school and "Utan granskning till skolan" in school
    for hidden in ("Väntar på juristen", "Avslagen av juristen", "Återtagen delning", "Godkänd bara till soc"):
        assert hidden not in school, hidden
    police = fast_login(world.users["police"]).get(_url(world, listing)).content.decode()
    for own in ("Godkänd till skolan", "Väntar på juristen", "Avslagen av juristen", "Återtagen delning"):
        assert own in police, own  # the own organisation's shares in every state
    soc = fast_login(world.users["soc"]).get(_url(world, listing)).content.decode()
    assert "Godkänd bara till soc" in soc and "Godkänd till skolan" not in soc


def test_groups_only_where_visible(world):
    listing = list_person(world)
    police = world.users["police"]
    group = Group.objects.create(forum=world.forum, owner_organisation=world.orgs["police"], name="Nätverket Norr",
                                 created_by=police)
    GroupMembership.objects.create(group=group, listing=listing, since=timezone.localdate(), recorded_by=police)
    assert "Nätverket Norr" in fast_login(police).get(_url(world, listing)).content.decode()
    assert "Nätverket Norr" not in fast_login(world.users["soc"]).get(_url(world, listing)).content.decode()
    _share(world, None, by="police", text="Om gruppen", state=ShareState.APPROVED, to=["soc"],
           topic=ShareTopic.GROUP, group=group)
    assert "Nätverket Norr" in fast_login(world.users["soc"]).get(_url(world, listing)).content.decode()
    assert "Nätverket Norr" not in fast_login(world.users["school"]).get(_url(world, listing)).content.decode()


def test_incidents_releases_actions_and_exits(world):
    listing = list_person(world)
    _fill(world, listing, 1)
    body = fast_login(world.users["soc"]).get(_url(world, listing)).content.decode()
    for text in ("Torget 0", "Victim", "Leave", "Avhopp 0", "Åtgärd 0"):
        assert text in body, text


def test_sig_case_linked_only_for_those_who_may_open_it(world):
    listing = list_person(world, by="soc")
    today = timezone.localdate()
    identity = make_fictitious(today.replace(year=today.year - 16) - timedelta(days=50), 777)
    case = open_case(world.users["sig_coord"], identity=identity)
    ExitLink.objects.create(listing=listing, kind=ExitKind.SIG_INTAKE, case=case,
                            created_by=world.users["soc"], created_by_organisation=world.orgs["soc"])
    case_url = reverse("cases:detail", kwargs={"public_id": case.public_id})
    soc = fast_login(world.users["soc"])
    body = soc.get(_url(world, listing)).content.decode()
    assert "SIG intake" in body and case_url not in body  # not on the case's team
    TeamMember.objects.create(case=case, user=world.users["soc"], organisation=world.orgs["soc"],
                              team_role=TeamRole.CASEWORKER)
    assert case_url in soc.get(_url(world, listing)).content.decode()
    assert case_url not in fast_login(world.users["police"]).get(_url(world, listing)).content.decode()


def test_removed_person_only_for_the_nominating_organisation(world):
    listing = list_person(world, by="police")
    listing.__class__.objects.filter(pk=listing.pk).update(removed_at=timezone.now(), removal_reason="Flyttat")
    assert fast_login(world.users["soc"]).get(_url(world, listing)).status_code == 404
    assert fast_login(world.users["city_coord"]).get(_url(world, listing)).status_code == 404
    response = fast_login(world.users["police"]).get(_url(world, listing))
    assert response.status_code == 200 and "Flyttat" in response.content.decode()


def test_the_person_page_costs_a_fixed_number_of_queries(world):
    small = list_person(world, first_name="Liten")
    large = list_person(world, first_name="Stor", rating=Rating.RED)
    _fill(world, small, 1)
    _fill(world, large, 12)
    client = fast_login(world.users["soc"])
    client.get(_url(world, small))  # warm up
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(world, small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url(world, large))
    assert response.status_code == 200 and "Åtgärd 11" in response.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)

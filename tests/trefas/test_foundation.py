"""The forum decision and the forum's existence: members see the forum, everyone else
gets 404; the decision's rules per forum role and organisation kind."""

from __future__ import annotations

import pytest

from samverkan.trefas.decision import TrefasAction
from samverkan.trefas.models import ForumMember, ForumOrganisation, ShareState
from samverkan.trefas.selectors.forums import forum_access, forums_for
from tests.conftest import fast_login
from tests.trefas.world import MEMBERS, OUTSIDERS, trefas_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return trefas_world()


def test_members_see_the_forum_outsiders_do_not(world):
    for name in MEMBERS:
        assert list(forums_for(world.users[name])) == [world.forum], name
        assert forum_access(world.users[name], world.forum.pk) is not None, name
    for name in OUTSIDERS:
        assert list(forums_for(world.users[name])) == [], name
        assert forum_access(world.users[name], world.forum.pk) is None, name


def test_a_member_whose_organisation_left_the_forum_is_out(world):
    ForumOrganisation.objects.filter(forum=world.forum, organisation=world.orgs["school"]).update(active=False)
    assert forum_access(world.users["school"], world.forum.pk) is None
    ForumMember.objects.filter(user=world.users["police"]).update(active=False)
    assert forum_access(world.users["police"], world.forum.pk) is None


def test_forum_roles_decide_meetings_reviews_and_releases(world):
    def may(name, action, entry=None):
        access = forum_access(world.users[name], world.forum.pk)
        return access is not None and access.may(action, entry)

    assert may("city_coord", TrefasAction.RUN_MEETINGS)
    assert not may("police", TrefasAction.RUN_MEETINGS)
    assert not may("soc_jurist", TrefasAction.RUN_MEETINGS)
    assert may("probation", TrefasAction.REGISTER_RELEASE)
    assert may("prison", TrefasAction.REGISTER_RELEASE)
    assert not may("police", TrefasAction.REGISTER_RELEASE)
    assert may("police", TrefasAction.MANAGE_GROUPS)
    assert not may("soc", TrefasAction.MANAGE_GROUPS)
    assert not may("police_jurist", TrefasAction.NOMINATE)

    class _Share:
        def __init__(self, org):
            self.from_organisation_id = org.pk
            self.state = ShareState.PROPOSED

    police_share = _Share(world.orgs["police"])
    assert may("police_jurist", TrefasAction.REVIEW_SHARE, police_share)
    assert not may("soc_jurist", TrefasAction.REVIEW_SHARE, police_share)  # another organisation's
    assert not may("police", TrefasAction.REVIEW_SHARE, police_share)  # not a jurist


def test_the_start_page_lists_only_ones_own_forums(world):
    response = fast_login(world.users["police"]).get("/trefas/")
    assert response.status_code == 200
    assert world.forum.name in response.content.decode()
    response = fast_login(world.users["skarholmen"]).get("/trefas/")
    assert response.status_code == 200
    assert world.forum.name not in response.content.decode()
    response = fast_login(world.users["tax"]).get("/trefas/")  # (a coordinator: holds the permission)
    assert world.forum.name not in response.content.decode()

"""The data-protection officer reads across every organisation (registerutdrag): an
organisation administrator can neither appoint one nor take over an existing one."""

import pytest
from django.core.exceptions import PermissionDenied

from samverkan.accounts import services
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_org_admin_cannot_grant_the_dpo_role():
    org = OrganisationFactory(kind="agency")
    admin = UserFactory(organisation=org, roles=["org_admin"])
    with pytest.raises(PermissionDenied):
        services.user_create(actor=admin, organisation=org, username="ny.dso", email="x@test.invalid",
                             first_name="A", last_name="B", role_codes=["dpo"])


def test_org_admin_cannot_disable_a_dpo_of_their_organisation():
    org = OrganisationFactory(kind="municipal")
    admin = UserFactory(organisation=org, roles=["org_admin"])
    dpo = UserFactory(organisation=org, roles=["dpo"])
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=admin, user=dpo, active=False)


def test_system_admin_can_appoint_a_dpo():
    org = OrganisationFactory(kind="municipal")
    sysadmin = UserFactory(roles=["system_admin"])
    user = services.user_create(actor=sysadmin, organisation=org, username="dso.ny", email="y@test.invalid",
                                first_name="C", last_name="D", role_codes=["dpo"])
    assert user.role_codes() == ["dpo"]

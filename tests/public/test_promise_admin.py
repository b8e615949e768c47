"""The staff pages for citizen promises moved from /hantera/medborgarloften/ to the
agreement app (/overenskommelser/medborgarloften/, tests/agreement/test_promises.py).
The old addresses stay as permanent redirects, behind the same guard as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samverkan.agreement.models import CitizenPromise

pytestmark = pytest.mark.django_db

LIST = "/hantera/medborgarloften/"


def test_the_old_addresses_redirect_permanently_to_the_agreement_app(logged_in, user_factory, public_area):
    client = logged_in(user_factory(roles=["coordinator"]))
    promise = CitizenPromise.objects.filter(area=public_area).first()
    for old, new in [
        (LIST, reverse("agreement:promise_list")),
        (f"{LIST}ny/", reverse("agreement:promise_new")),
        (f"{LIST}{promise.pk}/", reverse("agreement:promise_edit", args=[promise.pk])),
    ]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert new.startswith("/overenskommelser/medborgarloften/")


def test_roles_without_the_permission_get_403_and_anonymous_logs_in(
    client, logged_in, user_factory, public_area
):
    promise = CitizenPromise.objects.filter(area=public_area).first()
    weak = logged_in(user_factory(roles=["caseworker"]))
    for url in (LIST, f"{LIST}ny/", f"{LIST}{promise.pk}/"):
        assert weak.get(url).status_code == 403
        anonymous = client.get(url)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert weak.post(f"{LIST}{promise.pk}/", {"title": "x"}).status_code == 403

"""Staff pages for citizen promises: who may manage them, creating, editing, and a
conflicting edit that keeps the editor's text."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from samverkan.agreement.models import CitizenPromise
from samverkan.audit.models import AuditEvent
from tests.forms import post_data

pytestmark = pytest.mark.django_db

LIST = "/hantera/medborgarloften/"


def test_coordinator_creates_and_edits_a_promise(logged_in, user_factory, public_area):
    client = logged_in(user_factory(roles=["coordinator"]))
    assert client.get(LIST).status_code == 200
    created = client.post(f"{LIST}ny/", {
        "area": public_area.pk, "title": "Fler vuxna på torget", "text": "Vi lovar fler vuxna på torget.",
        "period": "2027", "published": "on"})
    assert created.status_code == 302
    promise = CitizenPromise.objects.get(title="Fler vuxna på torget")
    assert "Fler vuxna på torget" in client.get(LIST).content.decode()
    url = f"{LIST}{promise.pk}/"
    data = post_data(client.get(url).context["form"])
    assert client.post(url, {**data, "period": "2027–2028"}).status_code == 302
    promise.refresh_from_db()
    assert (promise.period, promise.version) == ("2027–2028", 2)
    assert AuditEvent.objects.filter(subject_type="citizen_promise").count() >= 2


def test_conflicting_edit_keeps_the_text_and_a_second_save_replaces(logged_in, user_factory, public_area):
    client = logged_in(user_factory(roles=["coordinator"]))
    promise = CitizenPromise.objects.filter(area=public_area).first()
    url = f"{LIST}{promise.pk}/"
    data = post_data(client.get(url).context["form"])
    CitizenPromise.objects.filter(pk=promise.pk).update(text="Deras text", version=F("version") + 1)
    stale = client.post(url, {**data, "text": "Min text"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Someone else saved this" in body and "Min text" in body
    promise.refresh_from_db()
    assert promise.text == "Deras text"
    kept = stale.context["form"].data
    assert kept["version"] == str(promise.version)
    assert client.post(url, kept).status_code == 302
    promise.refresh_from_db()
    assert promise.text == "Min text"


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

"""Staff pages for citizen promises in the agreement app: who may manage which area's
promises (with the negative cases), the agreement a promise is made within, progress
with its history, publishing after a confirmation, optimistic locking and the audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from samverkan.agreement.models import Agreement, AgreementKind, CitizenPromise, PromiseProgress
from samverkan.agreement.services import promises as services
from samverkan.audit.models import AuditEvent
from samverkan.picture.selectors.scope import local_access_for
from tests.forms import post_data
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

LIST = "/overenskommelser/medborgarloften/"


@pytest.fixture
def world():
    w = build_local_world()
    today = date(2026, 1, 1)
    w.agreements = {
        "jarva": Agreement.objects.create(
            kind=AgreementKind.LOCAL, title="Järvaöverenskommelsen", municipality="Stockholm",
            district=w.districts["jarva"], police=w.orgs["police_rinkeby"], valid_from=today,
            valid_to=today + timedelta(days=730)),
        "skarholmen": Agreement.objects.create(
            kind=AgreementKind.LOCAL, title="Skärholmensöverenskommelsen", municipality="Stockholm",
            district=w.districts["skarholmen"], police=w.orgs["police_skarholmen"], valid_from=today,
            valid_to=today + timedelta(days=730)),
        "city": Agreement.objects.create(
            kind=AgreementKind.CITY, title="Stadens överenskommelse", municipality="Stockholm",
            police=w.orgs["police_region"], valid_from=today, valid_to=today + timedelta(days=730)),
    }
    w.promises = {
        "husby": CitizenPromise.objects.create(
            area=w.areas["husby"], agreement=w.agreements["jarva"], title="Tryggare Husby torg",
            text="Vi finns på torget varje fredagskväll.", period="2026"),
        "bredang": CitizenPromise.objects.create(
            area=w.areas["bredang"], title="Ljusare gångvägar i Bredäng", text="Vi byter belysning.",
            period="2026"),
    }
    return w


def _url(name, promise):
    return reverse(f"agreement:{name}", args=[promise.pk])


def test_the_new_addresses_live_under_the_agreement_app():
    assert reverse("agreement:promise_list") == LIST
    assert reverse("agreement:promise_new") == f"{LIST}ny/"


def test_jarva_coordinator_lists_only_the_promises_of_jarvas_areas(world, login, django_assert_max_num_queries):
    client = login(world["jarva_coord"])
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tryggare Husby torg" in body
    assert "Ljusare gångvägar i Bredäng" not in body


def test_jarva_coordinator_creates_a_promise_within_the_agreement_unpublished(world, login):
    client = login(world["jarva_coord"])
    form = client.get(reverse("agreement:promise_new")).context["form"]
    assert {a.code for a in form.fields["area"].queryset} == {"rinkeby-tensta", "husby"}
    response = client.post(reverse("agreement:promise_new"), {
        "area": world.areas["husby"].pk, "agreement": world.agreements["jarva"].pk,
        "title": "Fler vuxna i centrum", "text": "Vi lovar fler vuxna i centrum på kvällarna.", "period": "2026–2027",
        "published": "on",  # ignored: publishing is its own, confirmed step
    })
    promise = CitizenPromise.objects.get(title="Fler vuxna i centrum")
    assert response.status_code == 302 and response["Location"] == _url("promise_progress", promise)
    assert promise.agreement == world.agreements["jarva"] and promise.published is False
    assert AuditEvent.objects.filter(action="agreement.promise_created", subject_id=str(promise.pk)).exists()


def test_an_agreement_that_does_not_cover_the_area_is_refused(world, login):
    client = login(world["city_coord"])
    response = client.post(reverse("agreement:promise_new"), {
        "area": world.areas["husby"].pk, "agreement": world.agreements["skarholmen"].pk,
        "title": "Fel överenskommelse", "text": "t", "period": "2026"})
    assert response.status_code == 200
    assert "agreement" in response.context["form"].errors
    assert not CitizenPromise.objects.filter(title="Fel överenskommelse").exists()
    # A city-wide agreement covers every area of its municipality.
    ok = client.post(reverse("agreement:promise_new"), {
        "area": world.areas["husby"].pk, "agreement": world.agreements["city"].pk,
        "title": "Stadens löfte", "text": "t", "period": "2026"})
    assert ok.status_code == 302


def test_an_agreement_that_names_its_areas_covers_only_those(world, login):
    world.agreements["jarva"].areas.add(world.areas["rinkeby-tensta"])
    client = login(world["jarva_coord"])
    response = client.post(reverse("agreement:promise_new"), {
        "area": world.areas["husby"].pk, "agreement": world.agreements["jarva"].pk,
        "title": "Utanför avtalets områden", "text": "t", "period": "2026"})
    assert response.status_code == 200 and "agreement" in response.context["form"].errors
    ok = client.post(reverse("agreement:promise_new"), {
        "area": world.areas["rinkeby-tensta"].pk, "agreement": world.agreements["jarva"].pk,
        "title": "Inom avtalets områden", "text": "t", "period": "2026"})
    assert ok.status_code == 302


def test_jarva_coordinator_cannot_offer_an_agreement_it_does_not_see(world, login):
    form = login(world["jarva_coord"]).get(reverse("agreement:promise_new")).context["form"]
    titles = {a.title for a in form.fields["agreement"].queryset}
    assert "Järvaöverenskommelsen" in titles and "Skärholmensöverenskommelsen" not in titles


def test_skarholmen_coordinator_gets_404_for_husbys_promise(world, login):
    client = login(world["skarholmen_coord"])
    husby = world.promises["husby"]
    for name in ("promise_progress", "promise_edit", "promise_publish"):
        assert client.get(_url(name, husby)).status_code == 404, name
        assert client.post(_url(name, husby), {"version": husby.version}).status_code == 404, name
    assert "Tryggare Husby torg" not in client.get(LIST).content.decode()
    # Nor can Husby be chosen for a new promise.
    response = client.post(reverse("agreement:promise_new"), {
        "area": world.areas["husby"].pk, "title": "Intrång", "text": "t", "period": "2026"})
    assert response.status_code == 200 and "area" in response.context["form"].errors
    assert not CitizenPromise.objects.filter(title="Intrång").exists()


def test_police_manage_their_areas_promises_only_with_the_permission(world, login):
    husby, bredang = world.promises["husby"], world.promises["bredang"]
    caseworker = login(world["police_rinkeby"])  # no CITIZEN_PROMISE_MANAGE
    assert caseworker.get(LIST).status_code == 403
    assert caseworker.get(_url("promise_progress", husby)).status_code == 403
    lead = login(world["police_rinkeby_lead"])  # coordinator: holds it
    assert lead.get(_url("promise_progress", husby)).status_code == 200
    assert lead.get(_url("promise_progress", bredang)).status_code == 404


@pytest.mark.parametrize("persona", ["jarva_staff", "housing_a", "association"])
def test_roles_without_the_permission_get_403(world, login, persona):
    client = login(world[persona])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("agreement:promise_new")).status_code == 403


def test_an_organisation_without_areas_may_not_start_a_promise(world, login):
    # Skatteverket's coordinator holds the role permission but no area: 403 on "new",
    # and an empty list.
    client = login(world["tax"])
    listing = client.get(LIST)
    assert listing.status_code == 200 and listing.context["rows"] == []
    assert "Tryggare Husby torg" not in listing.content.decode()
    assert client.get(reverse("agreement:promise_new")).status_code == 403
    assert client.get(_url("promise_progress", world.promises["husby"])).status_code == 404


def test_the_system_administrator_manages_every_area(world, login):
    client = login(world["admin"])
    body = client.get(LIST).content.decode()
    assert "Tryggare Husby torg" in body and "Ljusare gångvägar i Bredäng" in body


def test_an_editor_who_does_not_see_agreements_keeps_the_promises_agreement(world, login):
    client = login(world["admin"])  # every area, but no AGREEMENT_VIEW
    promise = world.promises["husby"]
    url = _url("promise_edit", promise)
    data = post_data(client.get(url).context["form"])
    assert data["agreement"] == world.agreements["jarva"].pk
    assert client.post(url, {**data, "title": "Tryggare Husby torg 2026"}).status_code == 302
    promise.refresh_from_db()
    assert promise.agreement == world.agreements["jarva"] and promise.title == "Tryggare Husby torg 2026"
    # ... but cannot choose another one.
    other = client.post(url, {**post_data(client.get(url).context["form"]),
                              "agreement": world.agreements["city"].pk})
    assert other.status_code == 200 and "agreement" in other.context["form"].errors


def test_moving_a_promise_needs_both_areas(world):
    access = local_access_for(world["jarva_coord"])
    husby = world.promises["husby"]
    with pytest.raises(PermissionDenied):
        services.promise_update(
            actor=world["jarva_coord"], access=access, promise=husby, expected_version=husby.version,
            area=world.areas["bredang"], agreement=None, title=husby.title, text=husby.text, period=husby.period)
    husby.refresh_from_db()
    assert husby.area == world.areas["husby"]


def test_conflicting_edit_keeps_the_text_and_a_second_save_replaces(world, login):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    url = _url("promise_edit", promise)
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
    assert AuditEvent.objects.filter(action="agreement.promise_updated", subject_id=str(promise.pk)).count() == 1


def test_publishing_asks_first_and_says_residents_will_see_it(world, login):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    url = _url("promise_publish", promise)
    page = client.get(url)
    assert page.status_code == 200
    assert "residents of Husby will see the promise" in page.content.decode()
    promise.refresh_from_db()
    assert promise.published is False  # a GET changes nothing
    assert client.post(url, {"version": promise.version}).status_code == 302
    promise.refresh_from_db()
    assert promise.published is True
    assert AuditEvent.objects.filter(action="agreement.promise_published", subject_id=str(promise.pk)).exists()
    # The same page takes it off again, also after a confirmation.
    assert "will no longer see" in client.get(url).content.decode()
    assert client.post(url, {"version": promise.version}).status_code == 302
    promise.refresh_from_db()
    assert promise.published is False


def test_a_stale_publish_is_refused_with_409(world, login):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    url = _url("promise_publish", promise)
    CitizenPromise.objects.filter(pk=promise.pk).update(version=F("version") + 1)
    assert client.post(url, {"version": promise.version}).status_code == 409
    promise.refresh_from_db()
    assert promise.published is False


def _progress(client, promise, **changes):
    url = _url("promise_progress", promise)
    data = post_data(client.get(url).context["form"])
    data.update({"recorded_on": timezone.localdate().isoformat(), "state": "on_track",
                 "public_text": "Vi har varit på torget fyra fredagar av fem.",
                 "internal_note": "Saknade personal en fredag."})
    data.update(changes)
    return client.post(url, data)


def test_progress_is_added_with_history_and_audit(world, login):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    assert _progress(client, promise, recorded_on=(timezone.localdate() - timedelta(days=30)).isoformat(),
                     state="not_started", public_text="Vi börjar i mars.").status_code == 302
    assert _progress(client, promise).status_code == 302
    entries = list(PromiseProgress.objects.filter(promise=promise).order_by("recorded_on"))
    assert [e.state for e in entries] == ["not_started", "on_track"]
    assert entries[1].recorded_by == world["jarva_coord"]
    page = client.get(_url("promise_progress", promise)).content.decode()
    assert "Vi börjar i mars." in page and "Saknade personal en fredag." in page  # staff see the note
    assert page.index("Vi har varit på torget") < page.index("Vi börjar i mars.")  # newest first
    assert AuditEvent.objects.filter(action="agreement.promise_progress_added").count() == 2
    event = AuditEvent.objects.filter(action="agreement.promise_progress_added").last()
    assert "Saknade" not in str(event.detail) and "torget" not in str(event.detail)


@pytest.mark.parametrize("text", ["Pratade med 19900101-1239 om torget.", "Se 199001011239.", "Se 900101-1239."])
def test_progress_text_with_an_identity_number_is_refused(world, login, text):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    response = _progress(client, promise, public_text=text)
    assert response.status_code == 200
    assert "identity number" in str(response.context["form"].errors["public_text"])
    assert not PromiseProgress.objects.filter(promise=promise).exists()


def test_progress_text_longer_than_500_characters_or_a_future_date_is_refused(world, login):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    too_long = _progress(client, promise, public_text="a" * 501)
    assert too_long.status_code == 200 and "public_text" in too_long.context["form"].errors
    future = _progress(client, promise, recorded_on=(timezone.localdate() + timedelta(days=1)).isoformat())
    assert future.status_code == 200 and "recorded_on" in future.context["form"].errors
    assert _progress(client, promise, public_text="a" * 500).status_code == 302


def test_the_service_refuses_an_identity_number_in_the_internal_note_too(world):
    access = local_access_for(world["jarva_coord"])
    promise = world.promises["husby"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.progress_add(
            actor=world["jarva_coord"], access=access, promise=promise, expected_version=promise.version,
            recorded_on=timezone.localdate(), state="on_track", public_text="Bra.",
            internal_note="Gäller 19900101-1239.")
    assert not PromiseProgress.objects.exists()


def test_progress_written_while_someone_else_wrote_gets_409_and_keeps_the_text(world, login):
    client = login(world["jarva_coord"])
    promise = world.promises["husby"]
    url = _url("promise_progress", promise)
    data = post_data(client.get(url).context["form"])
    CitizenPromise.objects.filter(pk=promise.pk).update(version=F("version") + 1)  # someone else's entry
    stale = client.post(url, {**data, "recorded_on": timezone.localdate().isoformat(), "state": "behind",
                              "public_text": "Min lägesbeskrivning."})
    assert stale.status_code == 409
    assert "Min lägesbeskrivning." in stale.content.decode()
    assert not PromiseProgress.objects.exists()
    assert client.post(url, stale.context["form"].data).status_code == 302
    assert PromiseProgress.objects.count() == 1

"""The public area pages: content, no names, no internal ids, caching, languages."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from samverkan.agreement.models import CitizenPromise
from samverkan.public import cache as public_cache
from tests.public.conftest import make_public_area

pytestmark = pytest.mark.django_db


def test_area_page_shows_where_when_who_and_how(client, public_area):
    response = client.get(reverse("public:area", args=[public_area.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Husby torg 1" in html
    assert "08-123 456 78" in html and 'href="tel:0812345678"' in html
    # Who is on duty now: agencies and counts from the newest published version only.
    assert re.search(r"Polismyndigheten: 2", html)
    assert re.search(r"Skatteverket: 1", html)
    assert "Tullverket: " not in html  # past shift and superseded version do not count
    # Citizen promises: published only.
    assert "Tryggare torg" in html
    assert "Utkast som inte syns" not in html
    # What each agency can help with (all three required agencies are listed).
    assert html.count("<dt") >= 3


def test_area_page_never_shows_people_or_internal_ids(client, public_area):
    html = client.get(reverse("public:area", args=[public_area.code])).content.decode()
    for secret in ("Kalle", "Hemlignamn", "Doldsson", "Okändsson", "Lisa"):
        assert secret not in html
    # Links on the public pages carry codes, never numeric ids.
    for href in re.findall(r'href="([^"]+)"', html):
        assert not re.search(r"/\d+/", href), href


def test_draft_roster_is_not_shown(client, db):
    area = make_public_area(published=False)
    html = client.get(reverse("public:area", args=[area.code])).content.decode()
    # Only the superseded v1 is published, and its one shift belongs to Tullverket.
    assert "Polismyndigheten: 2" not in html
    assert "Tullverket: 1" in html


def test_unknown_area_is_404(client, db):
    assert client.get(reverse("public:area", args=["finns-inte"])).status_code == 404


def test_overview_lists_every_area(client, public_area):
    from tests.factories import AreaFactory

    other = AreaFactory(name="Tomtområde", code="tomt")
    html = client.get(reverse("public:overview")).content.decode()
    assert "Husby" in html and other.name in html
    assert f'href="/omraden/{public_area.code}/"' in html


def test_public_pages_need_no_login_and_no_javascript(client, public_area):
    for url in (reverse("public:overview"), reverse("public:area", args=[public_area.code]), reverse("tips:submit")):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script" not in html
        assert ' style="' not in html
        assert "112" in html


def test_public_pages_have_a_strict_csp_and_no_third_party_urls(client, public_area):
    response = client.get(reverse("public:area", args=[public_area.code]))
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    html = response.content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#", "tel:", "mailto:")), url


def test_anonymous_area_page_is_cached_briefly_and_invalidated_on_publish(client, public_area, django_user_model):
    url = reverse("public:area", args=[public_area.code])
    first = client.get(url)
    assert "max-age=" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    second = client.get(url)
    assert second.get("X-Public-Cache") == "hit"
    CitizenPromise.objects.create(area=public_area, title="Ny lovad sak", text="x", period="2027", published=True)
    # Without invalidation the cached page is still served ...
    assert "Ny lovad sak" not in client.get(url).content.decode()
    public_cache.invalidate()
    assert "Ny lovad sak" in client.get(url).content.decode()


def test_promise_save_service_invalidates_the_cache(client, public_area, user_factory, django_capture_on_commit_callbacks):
    from samverkan.agreement.services import promises as services
    from samverkan.picture.selectors.scope import local_access_for

    url = reverse("public:area", args=[public_area.code])
    client.get(url)
    admin = user_factory(roles=["system_admin"])
    access = local_access_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(actor=admin, access=access, area=public_area, agreement=None,
                                          title="Genom tjänsten", text="t", period="2027")
    assert "Genom tjänsten" not in client.get(url).content.decode()  # saved, not yet published
    with django_capture_on_commit_callbacks(execute=True):
        services.promise_set_published(actor=admin, access=access, promise=promise, published=True,
                                       expected_version=promise.version)
    assert "Genom tjänsten" in client.get(url).content.decode()


def test_logged_in_staff_get_no_cache_and_no_store(logged_in, user_factory, public_area):
    client = logged_in(user_factory(roles=["caseworker"]))
    url = reverse("public:area", args=[public_area.code])
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.get("X-Public-Cache") is None
    assert not any(k.startswith(":1:public:page") or "public:page" in k for k in getattr(cache, "_cache", {}))


@pytest.mark.parametrize(("lang", "marker", "direction"), [
    ("sv", 'lang="sv"', 'dir="ltr"'),
    ("en", 'lang="en"', 'dir="ltr"'),
    ("ar", 'lang="ar"', 'dir="rtl"'),
    ("so", 'lang="so"', 'dir="ltr"'),
    ("sv-ll", 'lang="sv"', 'dir="ltr"'),
])
def test_language_cookie_selects_language_and_direction(public_area, lang, marker, direction):
    client = Client()
    response = client.get(reverse("public:set_language", args=[lang]) + f"?next=/omraden/{public_area.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/omraden/{public_area.code}/"
    cookie = response.cookies["samverkan_language"]
    assert cookie.value == lang
    assert cookie["httponly"]
    html = client.get(response["Location"]).content.decode()
    assert marker in html and direction in html


def test_each_language_has_its_own_cache_entry(public_area):
    url = reverse("public:area", args=[public_area.code])
    en, ar = Client(), Client()
    en.cookies["samverkan_language"] = "en"
    ar.cookies["samverkan_language"] = "ar"
    assert 'dir="ltr"' in en.get(url).content.decode()
    assert 'dir="rtl"' in ar.get(url).content.decode()
    assert 'dir="rtl"' in ar.get(url).content.decode()  # cached, still Arabic
    assert 'dir="ltr"' in en.get(url).content.decode()


def test_translations_exist_for_the_extra_languages(public_area):
    url = reverse("public:area", args=[public_area.code])
    expectations = {"ar": "112", "so": "112", "sv-ll": "112"}
    english = Client()
    english.cookies["samverkan_language"] = "en"
    english_html = english.get(url).content.decode()
    assert "In an emergency, call 112." in english_html
    for lang in expectations:
        c = Client()
        c.cookies["samverkan_language"] = lang
        html = c.get(url).content.decode()
        assert "In an emergency, call 112." not in html, lang  # translated, not English


def test_set_language_refuses_foreign_redirects_and_unknown_languages(client, db):
    response = client.get(reverse("public:set_language", args=["ar"]) + "?next=https://evil.example/")
    assert response["Location"] == reverse("public:overview")
    response = client.get(reverse("public:set_language", args=["xx"]) + "?next=/omraden/")
    assert "samverkan_language" not in response.cookies


def test_staff_pages_fall_back_to_a_staff_language(logged_in, user_factory):
    client = logged_in(user_factory(roles=["caseworker"]))
    client.cookies["samverkan_language"] = "ar"
    html = client.get(reverse("frontend:home")).content.decode()
    assert 'dir="ltr"' in html and 'lang="sv"' in html
    # The staff switcher offers only the staff languages.
    assert 'value="ar"' not in html and 'value="so"' not in html


def test_easy_swedish_resolves_as_a_language(settings):
    from django.utils import translation

    from samverkan.frontend.languages import register_language_info

    register_language_info()
    assert translation.get_supported_language_variant("sv-ll") == "sv-ll"
    assert translation.get_language_info("sv-ll")["name_local"] == "Lättläst svenska"
    assert translation.check_for_language("sv-ll")

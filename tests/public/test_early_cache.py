"""The early full-response cache of the public pages (public.cache early layer, served by
public.middleware.EarlyPublicCacheMiddleware before sessions, CSRF and authentication)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from samverkan.agreement.models import CitizenPromise
from samverkan.public import cache as public_cache

pytestmark = pytest.mark.django_db

# Added on every response by the outer middleware (fresh per response) or describing
# the cache itself; everything else must be identical between the full stack and a hit.
PER_RESPONSE = {"X-Request-ID", "X-Public-Cache"}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
    "Content-Language",
    "Vary",
    "Cache-Control",
    "Content-Type",
)


def _url(area) -> str:
    return reverse("public:area", args=[area.code])


def _entry(lang: str, path: str):
    return public_cache.early_entry(f"{lang}:{path}")


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.items() if k not in PER_RESPONSE}


def test_second_anonymous_get_is_served_early_without_touching_the_database(
    client, public_area, django_assert_num_queries
):
    url = _url(public_area)
    first = client.get(url)
    assert first.status_code == 200 and first.get("X-Public-Cache") is None
    assert _entry("en", url) is not None
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second["X-Public-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Length"] == str(len(first.content))


@pytest.mark.parametrize("page", ["overview", "area"])
def test_early_hit_carries_exactly_the_security_headers_of_the_full_stack(client, public_area, page):
    url = reverse("public:overview") if page == "overview" else _url(public_area)
    full = client.get(url)
    hit = client.get(url)
    assert hit["X-Public-Cache"] == "hit"
    assert _headers(hit) == _headers(full)
    for name in SECURITY_HEADERS:
        assert hit.has_header(name), name
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in hit["Content-Security-Policy"]
    assert "Cookie" in hit["Vary"] and "Accept-Language" in hit["Vary"]
    # Every response still gets its own request id.
    assert hit["X-Request-ID"] and hit["X-Request-ID"] != full["X-Request-ID"]


def test_public_pages_use_no_csp_nonce_so_the_header_is_constant(client, public_area):
    url = _url(public_area)
    headers = {client.get(url)["Content-Security-Policy"] for _ in range(2)}
    headers.add(Client().get(url)["Content-Security-Policy"])  # another visitor, early hit
    assert len(headers) == 1
    assert "nonce-" not in headers.pop()


def test_a_session_cookie_always_takes_the_full_stack(client, public_area):
    url = _url(public_area)
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    response = other.get(url)
    assert response.status_code == 200
    assert response.get("X-Public-Cache") != "hit"


def test_a_logged_in_user_is_never_served_from_the_early_cache(client, logged_in, user_factory, public_area):
    url = _url(public_area)
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"  # the entry exists
    staff = logged_in(user_factory(roles=["caseworker"]))
    for _ in range(2):
        response = staff.get(url)
        assert response.status_code == 200
        assert response.get("X-Public-Cache") is None
        assert "no-store" in response["Cache-Control"]


def test_a_response_for_a_logged_in_user_is_never_stored(logged_in, user_factory, public_area):
    url = _url(public_area)
    staff = logged_in(user_factory(roles=["caseworker"]))
    staff.get(url)
    assert _entry("en", url) is None
    # An anonymous visitor afterwards renders their own page through the full stack.
    assert Client().get(url).get("X-Public-Cache") is None


@pytest.mark.parametrize("cookie", ["messages", "sessionid", "tracking"])
def test_any_other_cookie_takes_the_full_stack(client, public_area, cookie):
    url = _url(public_area)
    client.get(url)
    other = Client()
    other.cookies[cookie] = "x"
    assert other.get(url).get("X-Public-Cache") != "hit"


def test_the_csrf_cookie_alone_still_gets_the_early_cache(client, public_area):
    url = _url(public_area)
    client.get(url)
    other = Client()
    other.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    response = other.get(url)
    assert response["X-Public-Cache"] == "hit"
    assert not response.cookies


def test_non_get_and_query_strings_take_the_full_stack(client, public_area):
    url = _url(public_area)
    client.get(url)
    assert client.post(url).status_code == 405
    assert client.head(url).get("X-Public-Cache") != "hit"
    assert client.get(url + "?x=1").get("X-Public-Cache") != "hit"
    assert client.get(url, HTTP_AUTHORIZATION="Basic eDp5").get("X-Public-Cache") != "hit"


def test_a_disallowed_host_is_refused_even_when_an_entry_exists(client, public_area):
    url = _url(public_area)
    client.get(url)
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


def test_non_200_responses_are_never_stored(client, db):
    url = reverse("public:area", args=["finns-inte"])
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert _entry("en", url) is None


def _marked_response(body: bytes = b"<p>page</p>") -> HttpResponse:
    response = HttpResponse(body)
    response["Content-Language"] = "en"
    response["Content-Security-Policy"] = "default-src 'none'"
    cache.add("public:generation", 0, timeout=None)
    response._samverkan_public_rendered_at = (cache.get("public:generation"), time.time())  # type: ignore[attr-defined]
    return response


def _anonymous_request():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/omraden/x/")
    request.user = AnonymousUser()
    return request


def test_early_store_accepts_a_clean_anonymous_200():
    assert public_cache.early_store("en:/omraden/x/", "en", _anonymous_request(), _marked_response())
    assert _entry("en", "/omraden/x/") is not None


@pytest.mark.parametrize(
    "spoil",
    [
        "cookie",
        "set_cookie_header",
        "status",
        "unmarked",
        "language",
        "no_csp",
        "csrf_used",
        "nonce_used",
        "too_old",
        "stale_generation",
        "logged_in",
    ],
)
def test_early_store_refuses_anything_not_safe_to_replay(spoil, user_factory):
    request, response = _anonymous_request(), _marked_response()
    if spoil == "cookie":
        response.set_cookie("csrftoken", "x")
    elif spoil == "set_cookie_header":
        response["Set-Cookie"] = "a=b"
    elif spoil == "status":
        response.status_code = 404
    elif spoil == "unmarked":
        del response._samverkan_public_rendered_at  # type: ignore[attr-defined]
    elif spoil == "language":
        response["Content-Language"] = "ar"
    elif spoil == "no_csp":
        del response["Content-Security-Policy"]
    elif spoil == "csrf_used":
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    elif spoil == "nonce_used":
        request._csp_nonce = "abc"  # type: ignore[attr-defined]
    elif spoil == "too_old":
        generation, _ = response._samverkan_public_rendered_at  # type: ignore[attr-defined]
        response._samverkan_public_rendered_at = (generation, time.time() - 3600)  # type: ignore[attr-defined]
    elif spoil == "stale_generation":
        public_cache.invalidate()
    elif spoil == "logged_in":
        request.user = user_factory()
    stored = public_cache.early_store("en:/omraden/x/", "en", request, response)
    if spoil == "stale_generation":
        # Stored under the old generation, so it is never served.
        assert public_cache.early_lookup("en:/omraden/x/") is None
    else:
        assert not stored
        assert _entry("en", "/omraden/x/") is None


def test_each_language_gets_its_own_early_entry(public_area):
    url = _url(public_area)
    by_cookie = {}
    for lang in ("sv", "en", "ar", "so", "sv-ll"):
        c = Client()
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        first = c.get(url)
        again = c.get(url)
        assert again["X-Public-Cache"] == "hit", lang
        assert again["Content-Language"] == lang
        assert again.content == first.content
        by_cookie[lang] = again.content
        assert _entry(lang, url) is not None
    assert len(set(by_cookie.values())) == 5
    assert b'dir="rtl"' in by_cookie["ar"] and b'dir="rtl"' not in by_cookie["en"]
    # Accept-Language resolves to the same variant as the cookie.
    via_header = Client().get(url, HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert via_header["X-Public-Cache"] == "hit"
    assert via_header.content == by_cookie["ar"]
    # An unknown language cookie falls back like the full stack does (Accept-Language).
    odd = Client()
    odd.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert odd.get(url, HTTP_ACCEPT_LANGUAGE="so").content == by_cookie["so"]


def test_publishing_invalidates_the_early_cache(client, public_area, user_factory, django_capture_on_commit_callbacks):
    from samverkan.agreement.services import promises as services
    from samverkan.picture.selectors.scope import local_access_for

    url = _url(public_area)
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    admin = user_factory(roles=["system_admin"])
    access = local_access_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        promise = services.promise_create(actor=admin, access=access, area=public_area, agreement=None,
                                          title="Nytt löfte", text="t", period="2027")
    assert "Nytt löfte" not in client.get(url).content.decode()  # saved, not yet published
    with django_capture_on_commit_callbacks(execute=True):
        services.promise_set_published(actor=admin, access=access, promise=promise, published=True,
                                       expected_version=promise.version)
    response = client.get(url)
    assert response.get("X-Public-Cache") is None
    assert "Nytt löfte" in response.content.decode()
    assert client.get(url)["X-Public-Cache"] == "hit"


def test_a_roster_publish_invalidates_the_early_cache(client, public_area, django_capture_on_commit_callbacks):
    from samverkan.rostering.models import RosterVersion

    url = _url(public_area)
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    version = RosterVersion.objects.order_by("-number").first()
    with django_capture_on_commit_callbacks(execute=True):
        version.save()
    assert client.get(url).get("X-Public-Cache") is None


def test_cache_off_means_no_early_cache(client, public_area, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = _url(public_area)
    client.get(url)
    assert client.get(url).get("X-Public-Cache") is None
    assert _entry("en", url) is None


def test_with_a_shared_cache_other_processes_publishes_are_seen_within_the_check_interval(
    client, public_area, monkeypatch
):
    """With Redis (several worker processes) the generation is polled, not read per hit."""
    monkeypatch.setattr(public_cache, "_cache_is_local", lambda: False)
    monkeypatch.setattr(public_cache, "GENERATION_CHECK_SECONDS", 1.0)
    url = _url(public_area)
    client.get(url)
    assert client.get(url)["X-Public-Cache"] == "hit"
    # Another worker process publishes: it bumps the shared generation only.
    cache.incr("public:generation")
    public_cache._early.checked_at = time.monotonic()  # just polled
    assert client.get(url)["X-Public-Cache"] == "hit"  # within the interval
    public_cache._early.checked_at -= 1.0  # the interval has passed
    assert client.get(url).get("X-Public-Cache") is None
    assert _entry("en", url)[0] == cache.get("public:generation")


def test_an_entry_expires_with_the_page_cache_lifetime(client, public_area):
    url = _url(public_area)
    client.get(url)
    key = f"en:{url}"
    generation, _rendered_at, headers, body = public_cache.early_entry(key)
    too_old = time.time() - settings.PUBLIC_PAGE_CACHE_SECONDS - 1
    public_cache._early.entries[key] = (generation, too_old, headers, body)
    assert client.get(url).get("X-Public-Cache") != "hit"


def test_one_request_renders_an_entry_anew_shortly_before_it_expires(client, public_area):
    url = _url(public_area)
    key = f"en:{url}"
    client.get(url)
    generation, rendered_at, headers, body = public_cache.early_entry(key)
    # Not yet near expiry: served early, nobody refreshes.
    assert client.get(url)["X-Public-Cache"] == "hit"
    assert public_cache.early_entry(key)[1] == rendered_at
    # Within REFRESH_AHEAD_SECONDS of expiry, while another request of this process is
    # already refreshing: still served early.
    nearly = time.time() - settings.PUBLIC_PAGE_CACHE_SECONDS + public_cache.REFRESH_AHEAD_SECONDS / 2
    public_cache._early.entries[key] = (generation, nearly, headers, body)
    view_key = f"public:page:en:{url}"
    cache.set(view_key, (generation, cache.get(view_key)[1], nearly))  # rendered together
    public_cache._early.refreshing.add(key)
    assert client.get(url)["X-Public-Cache"] == "hit"
    public_cache._early.refreshing.discard(key)
    # Otherwise this request goes through the full stack and renders anew (the view-level
    # entry is as old as the early one, so it is not reused) ...
    CitizenPromise.objects.create(area=public_area, title="Färskt", text="x", period="2027", published=True)
    refreshed = client.get(url)
    assert refreshed.get("X-Public-Cache") is None
    assert "Färskt" in refreshed.content.decode()
    assert key not in public_cache._early.refreshing
    # ... and the next one is served the new entry early.
    assert public_cache.early_entry(key)[1] > nearly
    again = client.get(url)
    assert again["X-Public-Cache"] == "hit" and "Färskt" in again.content.decode()

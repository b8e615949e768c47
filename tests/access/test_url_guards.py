"""Fail closed: every route carries a guard from access.guards, and the public ones are
exactly the explicit allowlist (guards.PUBLIC_VIEWS)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from samverkan.access import guards
from tests.access.urlwalk import Route, dummy_value, walk

KNOWN_LEVELS = {guards.PUBLIC, guards.LOGIN_ONLY, guards.VERIFIED, guards.PERMISSION}
ROUTES = list(walk())


def _url(route: Route) -> str:
    if route.name:
        return reverse(route.name, kwargs=route.dummy_kwargs())
    # Unnamed route: substitute each <converter:name> with a dummy value.
    return "/" + re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: str(dummy_value(route.converters[m.group(1)])), route.route
    )


def _ids(routes: list[Route]) -> list[str]:
    return [r.name or r.route for r in routes]


def test_the_walk_finds_the_routes():
    """Guard against a walker that silently finds nothing (then every check passes)."""
    names = {r.name for r in ROUTES}
    assert {
        "accounts:login",
        "frontend:home",
        "directory:area_detail",
        "jobs:detail",
        "audit:event_list",
    } <= names
    assert len(ROUTES) >= 30


def test_every_route_is_guarded():
    unguarded = [
        f"{r.route} -> {r.dotted}" for r in ROUTES if guards.guard_level(r.callback) is None
    ]
    assert not unguarded, "views without a guard from samverkan.access.guards:\n" + "\n".join(
        unguarded
    )


def test_guard_levels_are_known_and_permission_guards_name_permissions():
    bad = []
    for r in ROUTES:
        level = guards.guard_level(r.callback)
        if level not in KNOWN_LEVELS:
            bad.append(f"{r.route} -> {r.dotted}: unknown level {level!r}")
        elif level == guards.PERMISSION and not getattr(r.callback, "samverkan_permissions", ()):
            bad.append(f"{r.route} -> {r.dotted}: require_permission without permissions")
    assert not bad, "\n".join(bad)


def test_public_views_are_exactly_the_allowlist():
    public = {r.dotted for r in ROUTES if guards.guard_level(r.callback) == guards.PUBLIC}
    extra = sorted(public - guards.PUBLIC_VIEWS)
    stale = sorted(guards.PUBLIC_VIEWS - public)
    assert not extra, f"public views not on access.guards.PUBLIC_VIEWS: {extra}"
    assert not stale, f"PUBLIC_VIEWS entries no route serves (remove them): {stale}"


def test_public_decorator_refuses_views_not_on_the_allowlist():
    def sneaky(request):  # pragma: no cover - never called
        raise AssertionError

    with pytest.raises(RuntimeError, match="PUBLIC_VIEWS"):
        guards.public(sneaky)


NON_PUBLIC = [r for r in ROUTES if guards.guard_level(r.callback) != guards.PUBLIC]
NEEDS_2FA = [r for r in NON_PUBLIC if guards.guard_level(r.callback) != guards.LOGIN_ONLY]


@pytest.mark.django_db
@pytest.mark.parametrize("route", NON_PUBLIC, ids=_ids(NON_PUBLIC))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_login(client, route, method):
    url = _url(route)
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{method.upper()} {url} answered {response.status_code}"
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.django_db
def test_half_logged_in_user_reaches_only_login_only_views(client, user_factory):
    """Password done, second factor not: every non-login-only route sends to the code page."""
    user = user_factory(roles=["system_admin"])
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "pw-correct-horse-9"}
    )
    assert response.status_code == 302
    leaks = []
    for route in NEEDS_2FA:
        url = _url(route)
        response = client.get(url)
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("accounts:verify")
        ):
            leaks.append(f"GET {url} -> {response.status_code}")
    assert not leaks, "\n".join(leaks)


@pytest.fixture
def unguarded_urlconf():
    with override_settings(ROOT_URLCONF="tests.access.urls_unguarded"):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("unguarded_urlconf")
class TestFailClosedAtRuntime:
    """A view nobody guarded is refused by FailClosedMiddleware, not served."""

    def test_the_test_urlconf_really_has_an_unguarded_route(self):
        routes = {r.name: r for r in walk("tests.access.urls_unguarded")}
        assert guards.guard_level(routes["forgotten_guard"].callback) is None

    def test_anonymous_is_redirected_to_login(self, client):
        response = client.get("/glomt-skydd/")
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:login") + "?next=/glomt-skydd/"

    def test_verified_user_gets_403(self, logged_in, user_factory, caplog):
        client = logged_in(user_factory(roles=["system_admin"]))
        response = client.get("/glomt-skydd/")
        assert response.status_code == 403
        assert b"secret page content" not in response.content
        assert "refused unguarded view" in caplog.text

    def test_guarded_route_still_served_under_the_test_urlconf(self, logged_in, user_factory):
        """Control: the 403 above is about the missing guard, not the test set-up."""
        client = logged_in(user_factory(roles=["caseworker"]))
        assert client.get(reverse("frontend:home")).status_code == 200

"""Security headers, CSRF and POST-only state changes."""

from __future__ import annotations

import base64
import json
import os
import secrets
import string
import subprocess
import sys
import textwrap

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.jobs.models import Job

pytestmark = pytest.mark.django_db


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_headers(response, *, authenticated: bool) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    }
    csp_header = response["Content-Security-Policy"]
    csp = csp_directives(csp_header)
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp_header
    assert "'unsafe-eval'" not in csp_header
    assert "*" not in csp_header.split()
    if authenticated:
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


@pytest.fixture
def caseworker(user_factory):
    return user_factory(roles=["caseworker"])


@pytest.fixture
def sysadmin(user_factory):
    return user_factory(roles=["system_admin"])


CASEWORKER_PAGES = [
    "frontend:home",
    "accounts:account",
    "directory:organisation_list",
    "directory:district_list",
    "directory:area_list",
]
SYSADMIN_PAGES = ["accounts:user_list", "directory:organisation_create", "directory:area_create"]


@pytest.mark.parametrize("name", CASEWORKER_PAGES)
def test_caseworker_pages_are_not_cached_and_framed(logged_in, caseworker, name):
    response = logged_in(caseworker).get(reverse(name))
    assert response.status_code == 200
    assert_strict_headers(response, authenticated=True)


@pytest.mark.parametrize("name", SYSADMIN_PAGES)
def test_admin_pages_are_not_cached_and_framed(logged_in, sysadmin, name):
    response = logged_in(sysadmin).get(reverse(name))
    assert response.status_code == 200
    assert_strict_headers(response, authenticated=True)


def test_error_pages_and_fragments_for_logged_in_users_are_not_cached(logged_in, caseworker):
    client = logged_in(caseworker)
    forbidden = client.get(reverse("directory:organisation_create"))
    missing = client.get("/finns-inte/")
    job = Job.objects.create(kind="test.none", created_by=caseworker)
    fragment = client.get(reverse("jobs:detail", args=[job.public_id]), HTTP_HX_REQUEST="true")
    assert (forbidden.status_code, missing.status_code, fragment.status_code) == (403, 404, 200)
    for response in (forbidden, missing, fragment):
        assert_strict_headers(response, authenticated=True)


def test_half_logged_in_pages_are_not_cached(client, caseworker):
    """After the password, before the code: the verify page is already per-user."""
    client.post(
        reverse("accounts:login"),
        {"username": caseworker.username, "password": "pw-correct-horse-9"},
    )
    response = client.get(reverse("accounts:verify"))
    assert response.status_code == 200
    assert_strict_headers(response, authenticated=True)


def test_anonymous_login_page_has_the_strict_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_strict_headers(response, authenticated=False)


def test_no_inline_scripts_or_styles_that_the_csp_would_block(logged_in, sysadmin):
    client = logged_in(sysadmin)
    for name in [*CASEWORKER_PAGES, *SYSADMIN_PAGES]:
        html = client.get(reverse(name)).content.decode()
        assert ' style="' not in html, name
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">", 1)[0], f"inline <script> on {name}"


# --- HSTS and HTTPS under the real production settings ---------------------------------

PROBE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.test import Client
    client = Client()
    out = {}
    for name, extra in [
        ("https", {"secure": True}),
        ("proxied_https", {"HTTP_X_FORWARDED_PROTO": "https"}),
        ("http", {}),
    ]:
        r = client.get("/halsa/", HTTP_HOST="samverkan.example.org", **extra)
        out[name] = {"status": r.status_code, "headers": dict(r.items())}
    from django.conf import settings
    out["cookies_secure"] = [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                             settings.LANGUAGE_COOKIE_SECURE]
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    home = tmp_path_factory.mktemp("production-home")
    (home / "var" / "static").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "samverkan.settings.production",
            "SECRET_KEY": "".join(
                secrets.choice(string.ascii_letters + string.digits) for _ in range(60)
            ),
            "AUDIT_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
            "DATABASE_URL": f"sqlite:///{home}/probe.sqlite3",
            "ALLOWED_HOSTS": "samverkan.example.org",
            "SAMVERKAN_HOME": str(home),
        }
    )
    env.pop("SAMVERKAN_DEMO_MODE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_hsts_over_https(production_responses):
    for name in ("https", "proxied_https"):
        response = production_responses[name]
        assert response["status"] == 200
        hsts = response["headers"]["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts
        assert "includeSubDomains" in hsts
        assert "preload" in hsts


def test_production_redirects_plain_http_to_https(production_responses):
    response = production_responses["http"]
    assert response["status"] == 301
    assert response["headers"]["Location"] == "https://samverkan.example.org/halsa/"
    assert "Strict-Transport-Security" not in response["headers"]  # only over HTTPS (RFC 6797)


def test_production_cookies_are_secure(production_responses):
    assert production_responses["cookies_secure"] == [True, True, True]


def test_test_settings_send_no_hsts(client):
    """Control: HSTS comes from the production settings, not from every settings module."""
    response = client.get(reverse("frontend:health"), secure=True)
    assert "Strict-Transport-Security" not in response


# --- CSRF -------------------------------------------------------------------------------


def _template_names(response) -> set[str]:
    return {t.name for t in response.templates if t.name}


def test_anonymous_post_without_csrf_token_is_refused(caseworker):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"),
        {"username": caseworker.username, "password": "pw-correct-horse-9"},
    )
    assert response.status_code == 403
    assert "errors/csrf.html" in _template_names(response)
    assert "_auth_user_id" not in client.session


def test_logged_in_post_without_csrf_token_is_refused_and_changes_nothing(logged_in, caseworker):
    client = logged_in(caseworker)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "errors/csrf.html" in _template_names(response)
    assert_strict_headers(response, authenticated=True)
    assert client.get(reverse("frontend:home")).status_code == 200  # still logged in
    # Control: with the token the same request works.
    client.get(reverse("frontend:home"))
    token = client.cookies[_csrf_cookie_name()].value
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("frontend:home")).status_code == 302


def _csrf_cookie_name() -> str:
    from django.conf import settings

    return settings.CSRF_COOKIE_NAME


# --- State changes only by POST -------------------------------------------------------


def test_get_on_post_only_endpoints_is_405(logged_in, user_factory, client):
    admin = user_factory(roles=["org_admin"])
    colleague = user_factory(organisation=admin.organisation, roles=["caseworker"])
    job = Job.objects.create(kind="test.none", created_by=admin)
    client_admin = logged_in(admin)
    urls = [
        reverse("accounts:user_active", args=[colleague.pk]),
        reverse("accounts:user_reset_2fa", args=[colleague.pk]),
        reverse("accounts:user_password_link", args=[colleague.pk]),
        reverse("jobs:cancel", args=[job.public_id]),
        reverse("accounts:logout_everywhere"),
        reverse("accounts:logout"),
    ]
    for url in urls:
        response = client_admin.get(url)
        assert response.status_code == 405, f"GET {url} -> {response.status_code}"
    # Nothing changed: still active, still logged in, job not cancelled.
    colleague.refresh_from_db()
    job.refresh_from_db()
    assert colleague.is_active
    assert not job.cancel_requested
    assert client_admin.get(reverse("frontend:home")).status_code == 200
    # The public language switch too.
    assert client.get(reverse("frontend:set_language")).status_code == 405


@pytest.mark.django_db
def test_anonymous_login_page_is_not_cached(client):
    """The login page carries a CSRF token: no browser or proxy may keep it."""
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]

"""OpenID Connect sign-on against a fake identity provider on 127.0.0.1.

The fake IdP is a tiny http.server in a thread serving the token endpoint (an HS256
ID token signed with the client secret, plus an access token) and the userinfo endpoint.
The real flow runs through the Django test client:
GET /konto/oidc/authenticate/ -> redirect with state and nonce -> (the IdP would log the
person in) -> GET /konto/oidc/callback/?code=...&state=... -> logged in.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.test import Client, override_settings

from samverkan.access.guards import SESSION_IDP_MFA
from samverkan.accounts.models import User
from tests.accounts.conftest import events, fresh_code, is_logged_in, login_client
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

CLIENT_ID = "samverkan-test-rp"
CLIENT_SECRET = "fake-idp-shared-secret-" + "s" * 48  # HS256 keys must be long enough
CALLBACK = "/konto/oidc/callback/"


class FakeIdP:
    """Remembers, per authorisation code, the claims and nonce of one login."""

    def __init__(self) -> None:
        self.grants: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.sign_secret = CLIENT_SECRET
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                idp.token_requests.append(form)
                grant = idp.grants.pop(form.get("code", ""), None)  # codes work once
                if (
                    grant is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("grant_type") != "authorization_code"
                ):
                    return self._json(400, {"error": "invalid_grant"})
                now = int(time.time())
                id_claims = {
                    "iss": idp.url,
                    "aud": CLIENT_ID,
                    "iat": now,
                    "exp": now + 300,
                    "sub": grant["claims"]["sub"],
                    "nonce": grant["nonce"],
                }
                if grant.get("amr") is not None:
                    id_claims["amr"] = grant["amr"]
                token = jwt.encode(id_claims, idp.sign_secret, algorithm="HS256")
                access = "at-" + secrets.token_urlsafe(16)
                idp.userinfo_by_token[access] = grant["claims"]
                return self._json(
                    200,
                    {
                        "id_token": token,
                        "access_token": access,
                        "token_type": "Bearer",
                        "expires_in": 300,
                    },
                )

            def do_GET(self):
                if urlsplit(self.path).path != "/userinfo":
                    return self._json(404, {"error": "not_found"})
                auth = self.headers.get("Authorization", "")
                claims = idp.userinfo_by_token.get(auth.removeprefix("Bearer "))
                if claims is None:
                    return self._json(401, {"error": "invalid_token"})
                return self._json(200, claims)

        self.userinfo_by_token: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> FakeIdP:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def settings(self, *, trust_mfa: bool = False) -> dict:
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "HS256",
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": None,
            "OIDC_RP_SCOPES": "openid email profile",
            "OIDC_CREATE_USER": True,
            "OIDC_ORGANISATION_CLAIM": "organisation",
            "OIDC_TRUST_IDP_MFA": trust_mfa,
            "OIDC_TIMEOUT": 5,
            "AUTHENTICATION_BACKENDS": [
                "axes.backends.AxesStandaloneBackend",
                "samverkan.accounts.backends.PasswordBackend",
                "samverkan.accounts.oidc.OrganisationOIDCBackend",
            ],
        }

    def sign_in(
        self,
        client: Client,
        claims: dict,
        *,
        amr: list[str] | None = None,
        next_url: str | None = None,
    ):
        """Run the whole flow; returns the callback's response."""
        start = client.get("/konto/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302
        location = urlsplit(start["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{self.url}/authorize"
        params = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert params["client_id"] == CLIENT_ID
        assert params["response_type"] == "code"
        assert params["redirect_uri"] == f"http://testserver{CALLBACK}"
        assert params["state"] and params["nonce"]
        code = "code-" + secrets.token_urlsafe(12)
        self.grants[code] = {"claims": claims, "nonce": params["nonce"], "amr": amr}
        return client.get(CALLBACK, {"code": code, "state": params["state"]})


@pytest.fixture
def idp(monkeypatch):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeIdP() as server:
        yield server


@pytest.fixture
def police(db):
    return OrganisationFactory(short_code="lpo-rinkeby", kind="police_area", name="LPO Rinkeby")


@pytest.fixture
def school(db):
    return OrganisationFactory(short_code="skola-husby", kind="school", name="Husbyskolan")


def claims_for(sub: str, org_code: str, **extra) -> dict:
    claims = {
        "sub": sub,
        "email": f"{sub}@test.invalid",
        "preferred_username": f"{sub}@idp.test",
        "given_name": "Test",
        "family_name": "Person",
        "organisation": org_code,
    }
    claims.update(extra)
    return claims


def _logged_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


# --- Switched off by default ----------------------------------------------------------------


def test_oidc_is_off_without_configuration(client):
    assert client.get("/konto/oidc/authenticate/").status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404
    assert (
        "single sign-on"
        not in client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_login_page_offers_sso_when_on(client, idp):
    with override_settings(**idp.settings()):
        content = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "/konto/oidc/authenticate/" in content


# --- First login, organisation claim -------------------------------------------------------


def test_first_login_creates_user_in_claimed_org_without_roles(client, idp, police):
    with override_settings(**idp.settings()):
        response = idp.sign_in(client, claims_for("anna-sub-1", police.short_code))
        assert response.status_code == 302
        assert response["Location"] == "/"
        user = User.objects.get(oidc_subject="anna-sub-1")
        assert user.organisation_id == police.pk
        assert user.role_codes() == []
        assert not user.has_usable_password()
        assert user.username == "anna-sub-1"
        assert _logged_in_user_id(client) == str(user.pk)
        # Not trusted for MFA: the local authenticator is still required (enrol first).
        home = client.get("/")
        assert home.status_code == 302
        assert home["Location"].startswith("/konto/tvastegsverifiering/registrera/")
        created = events("user.created", subject_id=str(user.pk)).get()
        assert created.subject_organisation_id == police.pk
        assert '"source":"oidc"' in created.detail
        assert events("auth.oidc_login", actor_id=user.pk).count() == 1
        assert events("auth.login", actor_id=user.pk).count() == 1
    # The token request carried the secret and the code, nothing else surprising.
    assert idp.token_requests[-1]["redirect_uri"] == f"http://testserver{CALLBACK}"


def test_existing_user_is_matched_by_subject_not_email(client, idp, police):
    local = UserFactory(organisation=police, email="shared@test.invalid")
    with override_settings(**idp.settings()):
        idp.sign_in(client, claims_for("other-sub", police.short_code, email="shared@test.invalid"))
    user = User.objects.get(oidc_subject="other-sub")
    assert user.pk != local.pk
    assert _logged_in_user_id(client) == str(user.pk)


def test_second_login_reuses_the_account(client, idp, police):
    with override_settings(**idp.settings()):
        idp.sign_in(client, claims_for("bo-sub", police.short_code))
        client.post("/konto/logga-ut/")
        idp.sign_in(Client(), claims_for("bo-sub", police.short_code))
    assert User.objects.filter(oidc_subject="bo-sub").count() == 1


@pytest.mark.parametrize("org_code", ["no-such-org", "", None])
def test_unknown_organisation_is_refused(client, idp, police, org_code):
    with override_settings(**idp.settings()):
        claims = claims_for("carl-sub", police.short_code)
        claims["organisation"] = org_code
        response = idp.sign_in(client, claims)
        assert response.status_code == 302
        assert response["Location"] == "/konto/logga-in/"
        assert "_auth_user_id" not in client.session
        assert not User.objects.filter(oidc_subject="carl-sub").exists()
        assert client.get("/").status_code == 302
        assert events("auth.login_failed").exists()


def test_inactive_organisation_is_refused(client, idp, police):
    police.active = False
    police.save()
    with override_settings(**idp.settings()):
        idp.sign_in(client, claims_for("dora-sub", police.short_code))
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(oidc_subject="dora-sub").exists()


def test_disabled_user_is_refused(client, idp, police):
    UserFactory(organisation=police, oidc_subject="eva-sub", is_active=False)
    with override_settings(**idp.settings()):
        response = idp.sign_in(client, claims_for("eva-sub", police.short_code))
    assert response["Location"] == "/konto/logga-in/"
    assert "_auth_user_id" not in client.session


def test_organisation_change_moves_user_clears_roles_ends_sessions(idp, police, school, client_for):
    user = UserFactory(
        organisation=police, oidc_subject="fia-sub", roles=["caseworker", "coordinator"]
    )
    old_session = client_for(user)  # a password + TOTP session from before
    assert is_logged_in(old_session)
    with override_settings(**idp.settings()):
        sso = Client()
        response = idp.sign_in(sso, claims_for("fia-sub", school.short_code))
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.organisation_id == school.pk
        assert user.role_codes() == []
        assert not is_logged_in(old_session)
        assert _logged_in_user_id(sso) == str(user.pk)
        moved = events("user.organisation_changed", subject_id=str(user.pk)).get()
        assert f'"from":{police.pk}' in moved.detail
        assert f'"to":{school.pk}' in moved.detail
        assert moved.subject_organisation_id == school.pk
        roles = events("user.roles_changed", subject_id=str(user.pk)).get()
        assert '"removed":["caseworker","coordinator"]' in roles.detail
        # Same organisation again: nothing changes, nothing audited.
        idp.sign_in(Client(), claims_for("fia-sub", school.short_code))
        assert events("user.organisation_changed", subject_id=str(user.pk)).count() == 1


# --- Multi-factor at the IdP -----------------------------------------------------------------


def test_idp_mfa_satisfies_two_factor_only_when_trusted(idp, police):
    with override_settings(**idp.settings(trust_mfa=True)):
        client = Client()
        idp.sign_in(client, claims_for("gun-sub", police.short_code), amr=["pwd", "mfa"])
        assert client.session.get(SESSION_IDP_MFA) is True
        assert client.get("/").status_code == 200
        assert '"idp_mfa":true' in events("auth.oidc_login").last().detail


def test_idp_mfa_is_ignored_when_not_trusted(idp, police):
    with override_settings(**idp.settings(trust_mfa=False)):
        client = Client()
        idp.sign_in(client, claims_for("hans-sub", police.short_code), amr=["pwd", "mfa"])
        assert SESSION_IDP_MFA not in client.session
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/tvastegsverifiering/")


@pytest.mark.parametrize("amr", [None, ["pwd"], ["pwd", "otp-ish"], "pwd"])
def test_trusted_idp_without_mfa_still_needs_local_totp(idp, police, amr):
    user = UserFactory(organisation=police, oidc_subject="ivar-sub", roles=["caseworker"])
    with override_settings(**idp.settings(trust_mfa=True)):
        client = Client()
        idp.sign_in(client, claims_for("ivar-sub", police.short_code), amr=amr)
        assert SESSION_IDP_MFA not in client.session
        response = client.get("/")
        assert response["Location"].startswith("/konto/tvastegsverifiering/")
        assert (
            client.post("/konto/tvastegsverifiering/", {"token": fresh_code(user)}).status_code
            == 302
        )
        assert client.get("/").status_code == 200


def test_mfa_only_in_userinfo_does_not_count(idp, police):
    """The decision uses the signed ID token's amr, not what userinfo says."""
    with override_settings(**idp.settings(trust_mfa=True)):
        client = Client()
        idp.sign_in(client, claims_for("jan-sub", police.short_code, amr=["mfa"]), amr=["pwd"])
        assert SESSION_IDP_MFA not in client.session


def test_password_login_does_not_inherit_idp_mfa(idp, police):
    user = UserFactory(organisation=police, oidc_subject="kim-sub", roles=["caseworker"])
    with override_settings(**idp.settings(trust_mfa=True)):
        client = Client()
        idp.sign_in(client, claims_for("kim-sub", police.short_code), amr=["mfa"])
        assert client.get("/").status_code == 200
        client.post("/konto/logga-ut/")
        assert SESSION_IDP_MFA not in client.session
        login_client(client, user)  # password + TOTP still work for a user who has both
        assert SESSION_IDP_MFA not in client.session


# --- Protocol failures -----------------------------------------------------------------------


def test_wrong_signature_is_refused(client, idp, police):
    idp.sign_secret = "an-attackers-different-secret-" + "x" * 40
    with override_settings(**idp.settings(trust_mfa=True)):
        response = idp.sign_in(client, claims_for("lena-sub", police.short_code), amr=["mfa"])
    assert response.status_code in (302, 400)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(oidc_subject="lena-sub").exists()


def test_unknown_state_is_refused(client, idp, police):
    with override_settings(**idp.settings()):
        client.get("/konto/oidc/authenticate/")
        idp.grants["c1"] = {
            "claims": claims_for("mia-sub", police.short_code),
            "nonce": "n",
            "amr": None,
        }
        response = client.get(CALLBACK, {"code": "c1", "state": "forged-state"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_callback_cannot_be_replayed(client, idp, police):
    with override_settings(**idp.settings()):
        start = client.get("/konto/oidc/authenticate/")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
        idp.grants["c2"] = {
            "claims": claims_for("nils-sub", police.short_code),
            "nonce": params["nonce"],
            "amr": None,
        }
        first = client.get(CALLBACK, {"code": "c2", "state": params["state"]})
        assert first.status_code == 302
        client.post("/konto/logga-ut/")
        again = client.get(CALLBACK, {"code": "c2", "state": params["state"]})
        assert again.status_code in (302, 400)
        assert "_auth_user_id" not in client.session


def test_nonce_mismatch_is_refused(client, idp, police):
    with override_settings(**idp.settings()):
        start = client.get("/konto/oidc/authenticate/")
        params = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
        idp.grants["c3"] = {
            "claims": claims_for("olle-sub", police.short_code),
            "nonce": "not-the-nonce",
            "amr": None,
        }
        response = client.get(CALLBACK, {"code": "c3", "state": params["state"]})
    assert response.status_code in (302, 400)
    assert "_auth_user_id" not in client.session


def test_idp_error_response_logs_nobody_in(client, idp):
    with override_settings(**idp.settings()):
        start = client.get("/konto/oidc/authenticate/")
        state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
        response = client.get(CALLBACK, {"error": "access_denied", "state": state})
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/"
    assert "_auth_user_id" not in client.session


def test_safe_next_is_kept_and_unsafe_dropped(idp, police):
    with override_settings(**idp.settings(trust_mfa=True)):
        client = Client()
        response = idp.sign_in(
            client,
            claims_for("pia-sub", police.short_code),
            amr=["mfa"],
            next_url="/konto/mitt-konto/",
        )
        assert response["Location"] == "/konto/mitt-konto/"
        other = Client()
        response = idp.sign_in(
            other,
            claims_for("pia-sub", police.short_code),
            amr=["mfa"],
            next_url="https://evil.example/",
        )
        assert response["Location"] == "/"


def test_sso_session_of_disabled_user_stops_on_next_request(idp, police):
    with override_settings(**idp.settings(trust_mfa=True)):
        client = Client()
        idp.sign_in(client, claims_for("rut-sub", police.short_code), amr=["mfa"])
        assert client.get("/").status_code == 200
        # Disabled straight in the database (no session-generation bump): the OIDC
        # backend itself must refuse the inactive user.
        User.objects.filter(oidc_subject="rut-sub").update(is_active=False)
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")
        assert "_auth_user_id" not in client.session

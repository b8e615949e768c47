"""OpenID Connect sign-on (mozilla-django-oidc), mapping a claim to the organisation.

On only when OIDC_RP_CLIENT_ID is set (see settings and README).

- The claim named by settings.OIDC_ORGANISATION_CLAIM holds an Organisation.short_code;
  a user whose claim names no active organisation is refused.
- Users are matched by the IdP's subject (``sub``), never by e-mail (no silent linking
  of an IdP identity to an existing local account). A new user is created with no roles;
  an organisation administrator grants them.
- When the organisation claim changes, the user moves: roles are cleared (new
  compartment), every other session ends, and the move is audited.
- Only when settings.OIDC_TRUST_IDP_MFA is on and the ID token's ``amr`` claim contains
  "mfa" does the IdP's login satisfy Samverkan's two-factor requirement; otherwise the
  local TOTP is still asked.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from samverkan.access.guards import SESSION_IDP_MFA
from samverkan.accounts.backends import PasswordBackend
from samverkan.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation

# Samverkan's defaults for mozilla-django-oidc settings the deployment need not set.
_DEFAULTS: dict[str, Any] = {
    "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_USE_NONCE": True,
    "OIDC_TIMEOUT": 10,
}
# The amr value (RFC 8176) that counts as multi-factor authentication at the IdP.
MFA_AMR = "mfa"
_USERNAME_CLEAN = re.compile(r"[^a-z0-9_.-]+")


def _setting(attr: str, *args: Any) -> Any:
    if not hasattr(settings, attr) and attr in _DEFAULTS:
        return _DEFAULTS[attr]
    return import_from_settings(attr, *args)


def idp_asserted_mfa(amr: Any) -> bool:
    """True when the IdP's ``amr`` claim (a list of strings) contains "mfa"."""
    if isinstance(amr, str):
        amr = [amr]
    return isinstance(amr, list | tuple) and MFA_AMR in amr


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return _setting(attr, *args)

    def _organisation(self, claims: dict[str, Any]) -> Organisation | None:
        code = claims.get(settings.OIDC_ORGANISATION_CLAIM)
        if not isinstance(code, str) or not code:
            return None
        return Organisation.objects.filter(short_code=code, active=True).first()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # Refused (login fails) when the subject is missing or the organisation unknown.
        return bool(claims.get("sub")) and self._organisation(claims) is not None

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        sub = claims.get("sub")
        if not sub:
            return User.objects.none()
        return User.objects.filter(oidc_subject=sub)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            # The authentication methods come from the signed ID token.
            user.oidc_idp_mfa = idp_asserted_mfa(payload.get("amr"))
        return user

    @staticmethod
    def _username_for(claims: dict[str, Any]) -> str:
        raw = (
            str(claims.get("preferred_username") or claims.get("email") or "").split("@")[0].lower()
        )
        base = _USERNAME_CLEAN.sub("", raw)[:140] or "sso-user"
        username, suffix = base, 1
        while User.objects.filter(username__iexact=username).exists():
            suffix += 1
            username = f"{base}{suffix}"
        return username

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        """First login: a user of the claimed organisation with no roles and no password."""
        organisation = self._organisation(claims)
        if organisation is None:
            raise SuspiciousOperation("OIDC organisation claim names no organisation")
        user = User(
            username=self._username_for(claims),
            email=str(claims.get("email") or "")[:254],
            organisation=organisation,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            oidc_subject=str(claims["sub"])[:255],
        )
        user.set_unusable_password()
        user.save()
        audit.record(
            action=Action.USER_CREATED,
            subject_type="user",
            subject_id=user.pk,
            subject_organisation_id=organisation.pk,
            detail={"source": "oidc", "roles": []},
        )
        return user

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        organisation = self._organisation(claims)
        if organisation is None:
            raise SuspiciousOperation("OIDC organisation claim names no organisation")
        if user.organisation_id != organisation.pk:
            old = user.organisation_id
            # A new organisation is a new secrecy compartment: drop the roles and end
            # every existing session (they were granted in the old organisation).
            removed = sorted(user.role_codes())
            user.roles.clear()
            User.objects.filter(pk=user.pk).update(
                organisation=organisation,
                session_generation=F("session_generation") + 1,
                version=F("version") + 1,
            )
            user.refresh_from_db()
            audit.record(
                action=Action.USER_ORGANISATION_CHANGED,
                subject_type="user",
                subject_id=user.pk,
                subject_organisation_id=organisation.pk,
                detail={"from": old, "to": organisation.pk, "source": "oidc"},
            )
            if removed:
                audit.record(
                    action=Action.USER_ROLES_CHANGED,
                    subject_type="user",
                    subject_id=user.pk,
                    subject_organisation_id=organisation.pk,
                    detail={"added": [], "removed": removed, "source": "oidc"},
                )
        return user

    def get_user(self, user_id: int) -> User | None:
        # Like PasswordBackend: loaded with the organisation, and a disabled user's
        # session stops working at once.
        return PasswordBackend().get_user(user_id)


class SamverkanOIDCRequestView(OIDCAuthenticationRequestView):
    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return _setting(attr, *args)


class SamverkanOIDCCallbackView(OIDCAuthenticationCallbackView):
    user: Any

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return _setting(attr, *args)

    @property
    def failure_url(self) -> str:
        return reverse(settings.LOGIN_URL)

    def login_failure(self) -> HttpResponse:
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            audit.record(
                action=Action.LOGIN_FAILED,
                subject_type="user",
                subject_id=user.pk,
                subject_organisation_id=user.organisation_id,
                detail={"source": "oidc"},
            )
            messages.error(self.request, _("This account is disabled."))
        else:
            messages.error(
                self.request,
                _(
                    "Single sign-on did not log you in. Contact your organisation "
                    "administrator if this keeps happening."
                ),
            )
        return HttpResponseRedirect(self.failure_url)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        session = self.request.session
        now = time.time()
        session[SESSION_LOGIN_AT] = now
        session[SESSION_LAST_SEEN] = now
        trusted = bool(settings.OIDC_TRUST_IDP_MFA) and bool(
            getattr(self.user, "oidc_idp_mfa", False)
        )
        if trusted:
            session[SESSION_IDP_MFA] = True
        else:
            # Never carry an earlier IdP assertion over to a login that lacks one.
            session.pop(SESSION_IDP_MFA, None)
        audit.record(
            action=Action.OIDC_LOGIN,
            actor=self.user,
            subject_type="user",
            subject_id=self.user.pk,
            subject_organisation_id=self.user.organisation_id,
            detail={"idp_mfa": trusted},
        )
        return response

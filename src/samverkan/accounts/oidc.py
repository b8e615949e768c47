"""OpenID Connect sign-on (mozilla-django-oidc), mapping a claim to the organisation.

On only when OIDC_RP_CLIENT_ID is set (see settings and README). A user whose
organisation claim names no active organisation is refused. Unless the IdP asserts
multi-factor authentication and OIDC_TRUST_IDP_MFA is on, the local TOTP is still asked.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from samverkan.access.guards import SESSION_IDP_MFA
from samverkan.accounts.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT
from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Organisation


class OrganisationOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def _organisation(self, claims: dict[str, Any]) -> Organisation | None:
        code = claims.get(settings.OIDC_ORGANISATION_CLAIM)
        if not isinstance(code, str):
            return None
        return Organisation.objects.filter(short_code=code, active=True).first()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and self._organisation(claims) is not None

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(oidc_subject=claims.get("sub"))

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User:
        organisation = self._organisation(claims)
        if organisation is None:
            raise SuspiciousOperation("OIDC organisation claim names no organisation")
        base = (claims.get("preferred_username") or claims.get("email") or claims["sub"]).split("@")[0].lower()
        username = base[:140]
        suffix = 1
        while User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base[:140]}{suffix}"
        user = User(username=username, email=claims.get("email", ""), organisation=organisation,
                    first_name=claims.get("given_name", ""), last_name=claims.get("family_name", ""),
                    oidc_subject=claims["sub"])
        user.set_unusable_password()
        user.save()
        audit.record(action=Action.USER_CREATED, subject_type="user", subject_id=user.pk,
                     subject_organisation_id=organisation.pk, detail={"source": "oidc"})
        return user

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        organisation = self._organisation(claims)
        if organisation is None:
            raise SuspiciousOperation("OIDC organisation claim names no organisation")
        if user.organisation_id != organisation.pk:
            old = user.organisation_id
            user.organisation = organisation
            # A new organisation means new compartments: drop roles, end sessions.
            user.roles.clear()
            user.session_generation += 1
            user.save(update_fields=["organisation", "session_generation"])
            audit.record(action=Action.USER_ORGANISATION_CHANGED, subject_type="user", subject_id=user.pk,
                         subject_organisation_id=organisation.pk, detail={"from": old, "to": organisation.pk})
        return user

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        # Keep the authentication methods from the ID token for the MFA decision.
        info.setdefault("amr", payload.get("amr", []))
        self._last_amr = info.get("amr") or []
        return info


class SamverkanOIDCCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    def login_success(self) -> Any:
        response = super().login_success()
        now = time.time()
        self.request.session[SESSION_LOGIN_AT] = now
        self.request.session[SESSION_LAST_SEEN] = now
        amr = getattr(self.user, "_oidc_amr", None)
        backend = getattr(self.user, "backend", "")
        if settings.OIDC_TRUST_IDP_MFA and backend.endswith("OrganisationOIDCBackend"):
            amr = amr or []
            if any(m in ("mfa", "otp", "hwk", "swk") for m in amr):
                self.request.session[SESSION_IDP_MFA] = True
        audit.record(action=Action.OIDC_LOGIN, actor=self.user, subject_type="user", subject_id=self.user.pk,
                     subject_organisation_id=self.user.organisation_id)
        return response

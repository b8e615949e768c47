"""Staff accounts: every user belongs to exactly one organisation; roles are data."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from samverkan.access.roles import ROLE_NAMES, RoleCode
from samverkan.directory.models import Organisation


class Role(models.Model):
    code = models.CharField(max_length=40, unique=True)
    permissions = models.JSONField(
        default=list, help_text="Values of access.permissions.Permission"
    )
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        try:
            return str(ROLE_NAMES[RoleCode(self.code)])
        except ValueError:
            return self.code


class SamverkanUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="users"
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    # Bumped by "log out everywhere", password change and disabling: every session's
    # auth hash includes it, so all existing sessions stop verifying at once.
    session_generation = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(
        default=False, help_text="A fictitious demo persona; never set for a real person."
    )
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)

    REQUIRED_FIELDS = ["email"]
    objects: ClassVar[SamverkanUserManager] = SamverkanUserManager()

    class Meta:
        ordering = ["username"]
        indexes = [models.Index(fields=["organisation", "username"], name="user_org_username")]

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django checks this hash on every request; including session_generation means
        # bumping it ends every session of this user (log out everywhere).
        key_salt = "samverkan.accounts.User.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def role_codes(self) -> list[str]:
        return [role.code for role in self.roles.all()]

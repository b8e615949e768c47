"""The roles Samverkan ships and the permissions each grants by default.

Roles are rows in accounts.Role (held as data); this module is the seed the migration
loads and `samverkan load_reference_data` re-applies. An administrator may change a
role's permissions in the database without a code change.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from samverkan.access.permissions import Permission as P


class RoleCode(StrEnum):
    CASEWORKER = "caseworker"
    COORDINATOR = "coordinator"
    MANAGER = "manager"
    LOG_REVIEWER = "log_reviewer"
    DATA_PROTECTION_OFFICER = "dpo"
    ORGANISATION_ADMIN = "org_admin"
    SYSTEM_ADMIN = "system_admin"
    SYSTEM_AUDITOR = "system_auditor"


ROLE_NAMES = {
    RoleCode.CASEWORKER: _("Caseworker"),
    RoleCode.COORDINATOR: _("Coordinator"),
    RoleCode.MANAGER: _("Manager"),
    RoleCode.LOG_REVIEWER: _("Log reviewer"),
    RoleCode.DATA_PROTECTION_OFFICER: _("Data-protection officer"),
    RoleCode.ORGANISATION_ADMIN: _("Organisation administrator"),
    RoleCode.SYSTEM_ADMIN: _("System administrator"),
    RoleCode.SYSTEM_AUDITOR: _("System auditor"),
}

# Roles only a system administrator may grant.
SYSTEM_ONLY_ROLES = frozenset({RoleCode.SYSTEM_ADMIN, RoleCode.SYSTEM_AUDITOR})

DEFAULT_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.CASEWORKER: [P.DIRECTORY_VIEW],
    RoleCode.COORDINATOR: [P.DIRECTORY_VIEW],
    RoleCode.MANAGER: [P.DIRECTORY_VIEW],
    RoleCode.LOG_REVIEWER: [P.DIRECTORY_VIEW, P.AUDIT_VIEW_OWN_ORG, P.AUDIT_EXPORT],
    RoleCode.DATA_PROTECTION_OFFICER: [P.DIRECTORY_VIEW, P.AUDIT_VIEW_OWN_ORG, P.AUDIT_EXPORT],
    RoleCode.ORGANISATION_ADMIN: [P.DIRECTORY_VIEW, P.ORG_USERS_MANAGE],
    RoleCode.SYSTEM_ADMIN: [P.DIRECTORY_VIEW, P.DIRECTORY_MANAGE, P.ALL_USERS_MANAGE, P.JOBS_VIEW_ALL, P.AUDIT_VERIFY],
    RoleCode.SYSTEM_AUDITOR: [P.DIRECTORY_VIEW, P.AUDIT_VIEW_ALL, P.AUDIT_EXPORT, P.AUDIT_VERIFY],
}

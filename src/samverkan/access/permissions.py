"""Every permission in Samverkan, as one enum: ``<scope>:<resource>:<action>``.

Roles (accounts.Role, held as data) grant lists of these values. Views and services
name a member of this enum, never a string literal.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    # Directory of organisations and places
    DIRECTORY_VIEW = "directory:organisation:view"
    DIRECTORY_MANAGE = "directory:organisation:manage"
    # Staff accounts
    ORG_USERS_MANAGE = "organisation:user:manage"  # own organisation only
    ALL_USERS_MANAGE = "system:user:manage"  # every organisation
    # Audit trail and log review
    AUDIT_VIEW_OWN_ORG = "organisation:audit:view"
    AUDIT_VIEW_ALL = "system:audit:view"
    AUDIT_EXPORT = "audit:event:export"
    AUDIT_VERIFY = "system:audit:verify"
    # Background jobs
    JOBS_VIEW_ALL = "system:job:view"

    @classmethod
    def values(cls) -> set[str]:
        return {member.value for member in cls}

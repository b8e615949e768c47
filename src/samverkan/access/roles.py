"""The roles Samverkan ships: named bundles of permissions, granted by default.

Roles are rows in accounts.Role (held as data); this module is the seed the migration
loads and `samverkan load_reference_data` re-applies (accounts/reference.py). An
administrator may change a role's permissions in the database without a code change.
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
    JURIST = "jurist"
    REPORTER = "reporter"


ROLE_NAMES = {
    RoleCode.CASEWORKER: _("Caseworker"),
    RoleCode.COORDINATOR: _("Coordinator"),
    RoleCode.MANAGER: _("Manager"),
    RoleCode.LOG_REVIEWER: _("Log reviewer"),
    RoleCode.DATA_PROTECTION_OFFICER: _("Data-protection officer"),
    RoleCode.ORGANISATION_ADMIN: _("Organisation administrator"),
    RoleCode.SYSTEM_ADMIN: _("System administrator"),
    RoleCode.SYSTEM_AUDITOR: _("System auditor"),
    RoleCode.JURIST: _("Jurist"),
    RoleCode.REPORTER: _("Incident reporter"),
}

# Roles only a system administrator may grant.
# The data-protection officer reads across every organisation (registerutdrag), so only a
# system administrator may appoint one.
SYSTEM_ONLY_ROLES = frozenset({RoleCode.SYSTEM_ADMIN, RoleCode.SYSTEM_AUDITOR, RoleCode.DATA_PROTECTION_OFFICER})

DEFAULT_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.CASEWORKER: [P.DIRECTORY_VIEW],
    RoleCode.COORDINATOR: [P.DIRECTORY_VIEW],
    RoleCode.MANAGER: [P.DIRECTORY_VIEW],
    RoleCode.LOG_REVIEWER: [P.DIRECTORY_VIEW, P.AUDIT_VIEW_OWN_ORG, P.AUDIT_EXPORT],
    RoleCode.DATA_PROTECTION_OFFICER: [P.DIRECTORY_VIEW, P.AUDIT_VIEW_OWN_ORG, P.AUDIT_EXPORT],
    RoleCode.ORGANISATION_ADMIN: [P.DIRECTORY_VIEW, P.ORG_USERS_MANAGE],
    RoleCode.SYSTEM_ADMIN: [
        P.DIRECTORY_VIEW,
        P.DIRECTORY_MANAGE,
        P.ALL_USERS_MANAGE,
        P.JOBS_VIEW_ALL,
        P.AUDIT_VERIFY,
    ],
    RoleCode.SYSTEM_AUDITOR: [P.DIRECTORY_VIEW, P.AUDIT_VIEW_ALL, P.AUDIT_EXPORT, P.AUDIT_VERIFY],
    RoleCode.JURIST: [P.DIRECTORY_VIEW],
    RoleCode.REPORTER: [],
}

# Area track (action groups, outreach, experts, rosters, capacity planner). Existing
# installations get the same grants from the data migration
# actiongroups/0002_grant_area_permissions. Which organisation a grant reaches (the
# municipal side manages groups; an agency only its own experts) is decided in
# access/policy.py, not here.
AREA_TRACK_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.CASEWORKER: [P.AREA_VIEW, P.ROSTER_VIEW],
    RoleCode.COORDINATOR: [
        P.AREA_VIEW, P.AREA_MANAGE, P.ROSTER_VIEW, P.ROSTER_MANAGE, P.CAPACITY_VIEW,
    ],
    RoleCode.MANAGER: [
        P.AREA_VIEW, P.AREA_MANAGE, P.ROSTER_VIEW, P.ROSTER_MANAGE, P.CAPACITY_VIEW,
    ],
    RoleCode.ORGANISATION_ADMIN: [P.AREA_VIEW, P.ROSTER_VIEW, P.EXPERT_MANAGE_OWN],
}
for _code, _granted in AREA_TRACK_PERMISSIONS.items():
    DEFAULT_PERMISSIONS[_code].extend(p for p in _granted if p not in DEFAULT_PERMISSIONS[_code])

# Individual track (SIG). Existing installations get the same grants from the data
# migration cases/0002_grant_case_permissions.
_CASEWORK = [P.CASE_VIEW, P.CASE_INTAKE, P.CASE_NOTE_WRITE, P.CASE_PLAN_EDIT, P.CASE_MEETING_MANAGE,
             P.CASE_CONSENT_MANAGE, P.PERSON_LOOKUP]
INDIVIDUAL_TRACK_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.CASEWORKER: _CASEWORK,
    RoleCode.COORDINATOR: [*_CASEWORK, P.CASE_DECIDE, P.CASE_TEAM_MANAGE, P.CASE_DISCLOSE, P.CASE_BREAK_GLASS],
    RoleCode.MANAGER: [P.CASE_VIEW, P.CASE_DECIDE, P.CASE_DISCLOSE, P.CASE_BREAK_GLASS, P.PERSON_LOOKUP,
                       P.STATISTICS_VIEW, P.DISCLOSURE_REGISTER_VIEW],
    RoleCode.LOG_REVIEWER: [P.ACCESS_REVIEW],
    RoleCode.DATA_PROTECTION_OFFICER: [P.SUBJECT_ACCESS_EXPORT, P.DISCLOSURE_REGISTER_VIEW, P.RETENTION_MANAGE,
                                       P.ACCESS_REVIEW],
    RoleCode.SYSTEM_ADMIN: [P.PROGRAMME_MANAGE, P.LEGAL_BASIS_MANAGE],
}
for _code, _granted in INDIVIDUAL_TRACK_PERMISSIONS.items():
    DEFAULT_PERMISSIONS[_code].extend(p for p in _granted if p not in DEFAULT_PERMISSIONS[_code])


# Public pages and the anonymous tip channel. Existing installations get the same grants
# from the data migration tips/0002_grant_tip_permissions. Which tips a grant reaches
# (only those routed or forwarded to the user's organisation) is decided in
# access/policy.py. Caseworkers get no tip permissions.
TIP_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.COORDINATOR: [P.TIPS_VIEW, P.TIPS_HANDLE, P.CITIZEN_PROMISE_MANAGE],
    RoleCode.MANAGER: [P.TIPS_VIEW, P.TIPS_HANDLE, P.CITIZEN_PROMISE_MANAGE],
    RoleCode.SYSTEM_ADMIN: [P.TIPS_ROUTING_MANAGE, P.CITIZEN_PROMISE_MANAGE],
}
for _code, _granted in TIP_PERMISSIONS.items():
    DEFAULT_PERMISSIONS[_code].extend(p for p in _granted if p not in DEFAULT_PERMISSIONS[_code])


# Trefas. Existing installations get the same grants (and the jurist role) from the data
# migration trefas/0002_grant_trefas_permissions. A grant reaches only the forums the
# user is a named member of, and the forum role decides the rest (trefas.decision).
_TREFAS_WORK = [P.TREFAS_VIEW, P.TREFAS_LIST_MANAGE, P.TREFAS_SHARE_PROPOSE, P.TREFAS_INCIDENT_MANAGE,
                P.TREFAS_RELEASE_MANAGE]
TREFAS_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.CASEWORKER: _TREFAS_WORK,
    RoleCode.COORDINATOR: [*_TREFAS_WORK, P.TREFAS_MEETING_MANAGE],
    RoleCode.JURIST: [P.TREFAS_VIEW, P.TREFAS_SHARE_REVIEW, P.DISCLOSURE_REGISTER_VIEW],
    RoleCode.SYSTEM_ADMIN: [P.TREFAS_FORUM_MANAGE],
}
for _code, _granted in TREFAS_PERMISSIONS.items():
    DEFAULT_PERMISSIONS[_code].extend(p for p in _granted if p not in DEFAULT_PERMISSIONS[_code])


# The local picture, lag 2023:196 and the agreement. Existing installations get the same
# grants (and the reporter role, for external organisations' staff who only report
# incidents) from the data migration picture/0002_grant_picture_permissions. The area
# scope (picture.decision) decides which areas, districts and municipalities they reach.
_LOCAL = [P.PICTURE_VIEW, P.PICTURE_REPORT, P.PREVENTION_VIEW, P.AGREEMENT_VIEW, P.PRESENCE_REPORT]
_LOCAL_LEAD = [*_LOCAL, P.PICTURE_MEETING_MANAGE, P.PREVENTION_MANAGE, P.AGREEMENT_MANAGE]
PICTURE_PERMISSIONS: dict[RoleCode, list[P]] = {
    RoleCode.REPORTER: [P.PICTURE_REPORT],
    RoleCode.CASEWORKER: _LOCAL,
    RoleCode.COORDINATOR: _LOCAL_LEAD,
    RoleCode.MANAGER: _LOCAL_LEAD,
    RoleCode.SYSTEM_ADMIN: [P.PICTURE_CATALOGUE_MANAGE],
}
for _code, _granted in PICTURE_PERMISSIONS.items():
    DEFAULT_PERMISSIONS[_code].extend(p for p in _granted if p not in DEFAULT_PERMISSIONS[_code])

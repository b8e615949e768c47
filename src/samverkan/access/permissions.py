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
    # Area track: action groups, outreach, experts, rosters, capacity planner
    AREA_VIEW = "area:action_group:view"
    AREA_MANAGE = "area:action_group:manage"  # municipal side only (policy)
    ROSTER_VIEW = "area:roster:view"
    ROSTER_MANAGE = "area:roster:manage"  # agency side: own agency's experts only (policy)
    EXPERT_MANAGE_OWN = "organisation:expert:manage"  # own agency's experts only
    CAPACITY_VIEW = "area:capacity:view"
    # Individual track (SIG): cases, consent, disclosures, plans, notes. Which case a
    # grant reaches is decided per case by access.policy (team membership, compartments).
    CASE_VIEW = "case:case:view"
    CASE_INTAKE = "case:case:intake"  # lead organisation kinds only (policy)
    CASE_DECIDE = "case:case:decide"  # accept/decline, close, legal hold
    CASE_TEAM_MANAGE = "case:team:manage"  # also needs the lead-coordinator team role
    CASE_CONSENT_MANAGE = "case:consent:manage"
    CASE_DISCLOSE = "case:disclosure:decide"
    CASE_NOTE_WRITE = "case:note:write"
    CASE_PLAN_EDIT = "case:plan:edit"
    CASE_MEETING_MANAGE = "case:meeting:manage"
    CASE_BREAK_GLASS = "case:case:break_glass"
    PERSON_LOOKUP = "person:person:lookup"
    PROGRAMME_MANAGE = "system:programme:manage"
    LEGAL_BASIS_MANAGE = "system:legal_basis:manage"
    STATISTICS_VIEW = "organisation:statistics:view"
    DISCLOSURE_REGISTER_VIEW = "organisation:disclosure:view"
    SUBJECT_ACCESS_EXPORT = "organisation:person:subject_access_export"
    RETENTION_MANAGE = "organisation:retention:manage"
    ACCESS_REVIEW = "organisation:access_review:review"
    # Trefas (targeted violence prevention). Which forum a grant reaches, and what one may
    # do in it (forum coordinator, member, jurist), is decided by trefas.decision.
    TREFAS_VIEW = "trefas:forum:view"
    TREFAS_LIST_MANAGE = "trefas:listing:manage"  # nominate, rate, link to groups
    TREFAS_SHARE_PROPOSE = "trefas:share:propose"
    TREFAS_SHARE_REVIEW = "trefas:share:review"  # also needs the jurist role in the forum
    TREFAS_MEETING_MANAGE = "trefas:meeting:manage"  # also needs the forum coordinator role
    TREFAS_INCIDENT_MANAGE = "trefas:incident:manage"
    TREFAS_RELEASE_MANAGE = "trefas:release:manage"  # Kriminalvården's member organisations
    TREFAS_FORUM_MANAGE = "system:trefas_forum:manage"
    # The local picture (EST), lag 2023:196 and the agreement. Which areas, districts and
    # municipalities a grant reaches is decided in picture/decision.py (the area scope).
    PICTURE_REPORT = "picture:report:create"
    PICTURE_VIEW = "picture:area:view"
    PICTURE_MEETING_MANAGE = "picture:meeting:manage"
    PICTURE_CATALOGUE_MANAGE = "system:picture_catalogue:manage"
    PREVENTION_VIEW = "prevention:document:view"
    PREVENTION_MANAGE = "prevention:document:manage"
    AGREEMENT_VIEW = "agreement:agreement:view"
    AGREEMENT_MANAGE = "agreement:agreement:manage"
    PRESENCE_REPORT = "agreement:presence:report"  # the police's own reports of presence
    # Public pages and the anonymous tip channel
    TIPS_VIEW = "organisation:tip:view"  # tips routed or forwarded to the own organisation
    TIPS_HANDLE = "organisation:tip:handle"  # triage, reply, forward under a legal basis
    TIPS_ROUTING_MANAGE = "system:tip_routing:manage"
    CITIZEN_PROMISE_MANAGE = "public:citizen_promise:manage"

    @classmethod
    def values(cls) -> set[str]:
        return {member.value for member in cls}

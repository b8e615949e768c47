"""The access policy: the one place that decides who may see and do what.

Selectors in every app scope their querysets through the functions here; views never
query sensitive models directly (tests/access/test_no_direct_queries.py enforces it).
Outside a user's compartment the answer is 404, the same as "does not exist"; inside it,
a role too weak for the action gets 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from samverkan.access.permissions import Permission

if TYPE_CHECKING:
    from samverkan.accounts.models import User
    from samverkan.audit.models import AuditEvent

_CACHE_ATTR = "_samverkan_permissions"


def permissions_of(user: Any) -> frozenset[Permission]:
    """All permissions the user's roles grant; empty for anonymous or inactive users."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    granted: set[Permission] = set()
    known = Permission.values()
    for role in user.roles.all():
        granted.update(Permission(p) for p in role.permissions if p in known)
    result = frozenset(granted)
    setattr(user, _CACHE_ATTR, result)
    return result


def forget_cached_permissions(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_permission(user: Any, permission: Permission) -> bool:
    return permission in permissions_of(user)


# --- Staff accounts ----------------------------------------------------------------


def scope_users(*, actor: User, queryset: QuerySet[User]) -> QuerySet[User]:
    """Users the actor may administer: all for system admins, own organisation for
    organisation admins, nobody otherwise."""
    if has_permission(actor, Permission.ALL_USERS_MANAGE):
        return queryset
    if has_permission(actor, Permission.ORG_USERS_MANAGE):
        return queryset.filter(organisation_id=actor.organisation_id)
    return queryset.none()


def can_manage_organisation_users(*, actor: User, organisation_id: int) -> bool:
    if has_permission(actor, Permission.ALL_USERS_MANAGE):
        return True
    return has_permission(actor, Permission.ORG_USERS_MANAGE) and actor.organisation_id == organisation_id


def assignable_role_codes(*, actor: User) -> set[str] | None:
    """Role codes the actor may grant; None means every role (system admin)."""
    if has_permission(actor, Permission.ALL_USERS_MANAGE):
        return None
    if has_permission(actor, Permission.ORG_USERS_MANAGE):
        from samverkan.accounts.roles import SYSTEM_ONLY_ROLES, RoleCode

        return {code.value for code in RoleCode} - {c.value for c in SYSTEM_ONLY_ROLES}
    return set()


# --- Audit trail -----------------------------------------------------------------


def scope_audit_events(*, actor: User, queryset: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """Audit events the actor may review.

    System-wide reviewers see everything; organisation log reviewers see events done
    by their organisation's users or concerning their organisation's records.
    """
    if has_permission(actor, Permission.AUDIT_VIEW_ALL):
        return queryset
    if has_permission(actor, Permission.AUDIT_VIEW_OWN_ORG):
        org = actor.organisation_id
        return queryset.filter(Q(actor_organisation_id=org) | Q(subject_organisation_id=org))
    return queryset.none()


def get_or_404(queryset: QuerySet[Any], **lookup: Any) -> Any:
    """Fetch one object from an already scoped queryset; 404 when absent or not visible."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj

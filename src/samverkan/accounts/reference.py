"""The shipped roles as rows (accounts.Role), from access.roles; run by
`samverkan load_reference_data` and the demo."""

from __future__ import annotations

from samverkan.access.roles import DEFAULT_PERMISSIONS
from samverkan.accounts.models import Role

# What load() counts, for the command's summary line.
LOADED = "roles"


def ensure_default_roles() -> int:
    """Create any shipped role that is missing (existing roles keep their permissions,
    which an administrator may have changed). Returns how many were created."""
    created = 0
    for code, permissions in DEFAULT_PERMISSIONS.items():
        _role, was_created = Role.objects.get_or_create(
            code=code.value, defaults={"permissions": sorted(p.value for p in permissions)}
        )
        created += int(was_created)
    return created


def load() -> int:
    """Reference data of this app: the shipped roles (new ones only)."""
    return ensure_default_roles()

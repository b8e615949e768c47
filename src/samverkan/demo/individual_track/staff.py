"""The extra demo staff the individual track needs in Skärholmen."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from samverkan.accounts import services as accounts_services
from samverkan.accounts.models import Role, User
from samverkan.demo.individual_track.common import SEED
from samverkan.demo.personas import DEMO_PASSWORD
from samverkan.directory.models import Organisation

# Extra demo staff the individual track needs in Skärholmen (the personas list has only
# a caseworker there): a coordinator who takes decisions and manages teams, and a
# manager for the statistics. Same password and authenticator set-up as the personas.
EXTRA_STAFF: list[tuple[str, str, tuple[str, ...], str]] = [
    ("skarholmen.samordnare", "sdf-skarholmen", ("coordinator",), "SIG coordinator, Skärholmen"),
    ("skarholmen.chef", "sdf-skarholmen", ("manager",), "Unit manager, Skärholmen"),
]


def ensure_staff() -> list[dict[str, Any]]:
    """The extra Skärholmen demo staff (idempotent; never touches a non-demo account)."""
    return ensure_demo_staff(EXTRA_STAFF, seed=SEED)


def ensure_demo_staff(
    staff: list[tuple[str, str, tuple[str, ...], str]], *, seed: int
) -> list[dict[str, Any]]:
    """Create or refresh demo staff (username, organisation short code, role codes,
    description): the demo password, a confirmed authenticator and recovery codes, as
    the personas get. Names from Faker sv_SE with ``seed``. Never touches an account
    that is not ``is_demo``. Returns rows for the persona table ``load_demo`` prints."""
    fake = Faker("sv_SE")
    fake.seed_instance(seed)
    rows = []
    for username, org_code, roles, description in staff:
        first, last = fake.first_name(), fake.last_name()
        user = User.objects.filter(username=username).first()
        if user is not None and not user.is_demo:
            raise RuntimeError(f"{username} exists and is not a demo account; refusing to touch it")
        if user is None:
            user = User(
                username=username,
                is_demo=True,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
            )
        user.organisation = Organisation.objects.get(short_code=org_code)
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set(Role.objects.filter(code__in=roles))
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
        static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
        if not static.token_set.exists():
            accounts_services.recovery_codes_store(
                device=static, codes=[f"demo-{username[:3]}-{i}" for i in range(10)]
            )
        rows.append(
            {
                "username": username,
                "organisation": user.organisation.name,
                "roles": ", ".join(roles),
                "description": description,
            }
        )
    return rows

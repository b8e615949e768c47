"""Loading the demo: reference data plus fictitious personas (idempotent)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from samverkan.accounts import services as accounts_services
from samverkan.accounts.models import Role, User
from samverkan.accounts.reference import ensure_default_roles
from samverkan.cases import reference as programmes
from samverkan.consent import reference as legal_bases
from samverkan.demo.area_track import load_area_track
from samverkan.demo.identity import load_identity
from samverkan.demo.individual_track import load_individual_track
from samverkan.demo.localpicture import load_local_picture
from samverkan.demo.personas import DEMO_PASSWORD, PERSONAS
from samverkan.demo.trefas import load_trefas
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.public.demo import public_demo_load


@transaction.atomic
def demo_load() -> list[dict[str, Any]]:
    """Create or refresh every demo persona with a confirmed authenticator and
    recovery codes. Never touches accounts that are not ``is_demo``."""
    ensure_default_roles()
    reference_data_load()
    programmes.load()
    legal_bases.load()
    fake = Faker("sv_SE")
    fake.seed_instance(20260101)
    orgs = {o.short_code: o for o in Organisation.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    rows = []
    for persona in PERSONAS:
        first, last = fake.first_name(), fake.last_name()
        user = User.objects.filter(username=persona.username).first()
        if user is not None and not user.is_demo:
            raise RuntimeError(f"{persona.username} exists and is not a demo account; refusing to touch it")
        if user is None:
            user = User(username=persona.username, is_demo=True)
        user.first_name, user.last_name = first, last
        user.email = f"{persona.username}@demo.invalid"
        user.organisation = orgs[persona.organisation]
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set([roles[code] for code in persona.roles])
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
        static, _ = StaticDevice.objects.get_or_create(user=user, name="recovery")
        if not static.token_set.exists():
            accounts_services.recovery_codes_store(
                device=static, codes=[f"demo-{persona.username[:3]}-{i}" for i in range(10)]
            )
        rows.append({"username": persona.username, "organisation": user.organisation.name,
                     "roles": ", ".join(persona.roles), "description": persona.description})

    load_identity()
    load_area_track()
    public_demo_load()
    rows.extend(load_individual_track())
    rows.extend(load_trefas())
    rows.extend(load_local_picture())
    return rows

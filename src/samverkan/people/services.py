"""Writing people. Only called from case services, which have checked the policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.identity_numbers import IdentityNumber
from samverkan.people.models import Guardianship, Person

if TYPE_CHECKING:
    from samverkan.accounts.models import User


@transaction.atomic
def person_get_or_create(
    *,
    actor: User,
    identity: IdentityNumber,
    first_name: str,
    last_name: str,
    address: str = "",
    postal_code: str = "",
    city: str = "",
    phone: str = "",
    protected_identity: bool = False,
    is_fictitious: bool = False,
    organisation_id: int | None = None,
) -> tuple[Person, bool]:
    """The recording organisation's record of the person with this identity number
    (exact match), created if new. ``organisation_id`` defaults to the actor's.

    Each organisation keeps its own record (people.models.Person): another
    organisation's record of the same number is never read, changed or revealed here.
    An existing record is never overwritten by an intake; the lead team corrects it.
    """
    if organisation_id is None:
        organisation_id = actor.organisation_id
    person = (
        Person.objects.select_for_update()
        .filter(identity_number=identity.digits, organisation_id=organisation_id)
        .first()
    )
    if person is not None:
        if protected_identity and not person.protected_identity:
            Person.objects.filter(pk=person.pk).update(protected_identity=True)
            person.protected_identity = True
        return person, False
    person = Person.objects.create(
        organisation_id=organisation_id,
        identity_number=identity.digits,
        identity_kind=identity.kind.value,
        first_name=first_name,
        last_name=last_name,
        birth_date=identity.birth_date,
        address=address,
        postal_code=postal_code,
        city=city,
        phone=phone,
        protected_identity=protected_identity,
        is_fictitious=is_fictitious,
    )
    return person, True


@transaction.atomic
def guardian_add(
    *,
    actor: User,
    child: Person,
    identity: IdentityNumber,
    first_name: str,
    last_name: str,
    phone: str = "",
    address: str = "",
    subject_organisation_id: int | None = None,
    is_fictitious: bool = False,
) -> Guardianship:
    # The guardian is recorded in the same organisation's register as the child.
    guardian, _created = person_get_or_create(
        actor=actor,
        identity=identity,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        address=address,
        is_fictitious=is_fictitious,
        organisation_id=child.organisation_id or actor.organisation_id,
    )
    guardianship, _ = Guardianship.objects.get_or_create(
        child=child, guardian=guardian, defaults={"active": True}
    )
    if not guardianship.active:
        Guardianship.objects.filter(pk=guardianship.pk).update(active=True)
    audit.record(
        action=Action.GUARDIAN_ADDED,
        actor=actor,
        subject_type="person",
        subject_id=child.pk,
        subject_organisation_id=subject_organisation_id,
        detail={"guardianship": guardianship.pk},
    )
    return guardianship



"""factory_boy factories. Every person they make is fictitious and marked is_demo."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts.models import Role, User
from samverkan.directory.models import Area, District, Organisation

PASSWORD = "pw-correct-horse-9"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testorganisation {n}")
    short_code = factory.Sequence(lambda n: f"test-org-{n}")
    kind = "agency"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"Teststadsdel {n}")
    code = factory.Sequence(lambda n: f"test-district-{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Testområde {n}")
    code = factory.Sequence(lambda n: f"test-area-{n}")
    district = factory.SubFactory(DistrictFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A verified-ready staff user: password PASSWORD and a confirmed authenticator.

    ``roles`` is a list of role codes (roles are seeded by migration).
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    is_demo = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)

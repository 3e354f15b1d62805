"""Factories shared by every app's tests."""

import factory
from factory.django import DjangoModelFactory

from sinergi.accounts.models import Organization, Role, User
from sinergi.regions.models import Region

PASSWORD = "kata-sandi-uji-2026"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisasi Uji {n}")
    kind = Organization.Kind.CITY_GOV
    region = factory.LazyFunction(lambda: region("64.72"))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.go.id")
    first_name = "Pengguna"
    last_name = factory.Sequence(lambda n: f"Uji {n}")
    role = Role.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def regional_admin(region_code: str, **kwargs) -> User:
    org = OrganizationFactory(region=region(region_code), kind=Organization.Kind.CITY_GOV)
    return UserFactory(role=Role.REGIONAL_ADMIN, organization=org, **kwargs)


def national_admin(**kwargs) -> User:
    org = OrganizationFactory(region=None, kind=Organization.Kind.MINISTRY)
    return UserFactory(role=Role.NATIONAL_ADMIN, organization=org, **kwargs)


def provider_staff(region_code: str = "64.72", **kwargs) -> User:
    org = OrganizationFactory(region=region(region_code), kind=Organization.Kind.PROVIDER)
    return UserFactory(role=Role.PROVIDER_STAFF, organization=org, **kwargs)

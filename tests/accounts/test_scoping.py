"""The role × region matrix: who sees which organisations and users."""

import pytest
from tests.factories import (
    OrganizationFactory,
    UserFactory,
    national_admin,
    provider_staff,
    region,
    regional_admin,
)

from sinergi.accounts.models import Organization, Role
from sinergi.accounts.selectors import organizations_visible_to, users_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        "samarinda": OrganizationFactory(name="Pemkot Samarinda", region=region("64.72")),
        "balikpapan": OrganizationFactory(name="Pemkot Balikpapan", region=region("64.71")),
        "kaltim": OrganizationFactory(name="Pemprov Kaltim", region=region("64"), kind="province_gov"),
        "palembang": OrganizationFactory(name="Pemkot Palembang", region=region("16.71")),
        "kominfo": OrganizationFactory(name="Kominfo", region=None, kind="ministry"),
    }


def visible_names(user, orgs):
    names = set(organizations_visible_to(user).values_list("name", flat=True))
    return {key for key, org in orgs.items() if org.name in names}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("national", {"samarinda", "balikpapan", "kaltim", "palembang", "kominfo"}),
        ("admin_kaltim", {"samarinda", "balikpapan", "kaltim", "kominfo"}),
        ("admin_samarinda", {"samarinda", "kominfo"}),
        ("admin_palembang", {"palembang", "kominfo"}),
        ("participant", set()),
        ("public", set()),
    ],
)
def test_organization_visibility_matrix(orgs, who, expected):
    from django.contrib.auth.models import AnonymousUser

    users = {
        "national": lambda: national_admin(),
        "admin_kaltim": lambda: UserFactory(role=Role.REGIONAL_ADMIN, organization=orgs["kaltim"]),
        "admin_samarinda": lambda: UserFactory(role=Role.REGIONAL_ADMIN, organization=orgs["samarinda"]),
        "admin_palembang": lambda: UserFactory(role=Role.REGIONAL_ADMIN, organization=orgs["palembang"]),
        "participant": lambda: UserFactory(role=Role.PARTICIPANT, region=region("64.72")),
        "public": AnonymousUser,
    }
    assert visible_names(users[who](), orgs) == expected


def test_provider_staff_sees_own_organisation_and_its_units():
    staff = provider_staff("64.72")
    unit = OrganizationFactory(parent=staff.organization, kind=Organization.Kind.PROVIDER)
    OrganizationFactory(region=region("64.72"))
    assert set(organizations_visible_to(staff)) == {staff.organization, unit}


def test_regional_admin_sees_only_users_of_own_region():
    admin = regional_admin("64.72")
    colleague = UserFactory(organization=admin.organization)
    citizen = UserFactory(region=region("64.72.01"))
    outsider = UserFactory(region=region("16.71"))
    visible = set(users_visible_to(admin))
    assert {admin, colleague, citizen} <= visible
    assert outsider not in visible


def test_participant_sees_only_self():
    me = UserFactory()
    UserFactory()
    assert list(users_visible_to(me)) == [me]


@pytest.mark.parametrize(
    ("viewer_region", "status"), [("64.72", 200), ("64", 200), ("16.71", 404), ("64.71", 404)]
)
def test_cross_region_detail_is_a_404(client, viewer_region, status):
    target = OrganizationFactory(name="BLK Samarinda", region=region("64.72"), kind="provider")
    admin = regional_admin(viewer_region)
    client.force_login(admin)
    assert client.get(f"/organisasi/{target.pk}/").status_code == status


def test_organisation_list_shows_only_scoped_rows(client, orgs):
    client.force_login(UserFactory(role=Role.REGIONAL_ADMIN, organization=orgs["palembang"]))
    html = client.get("/organisasi/").content.decode()
    assert "Pemkot Palembang" in html and "Pemkot Samarinda" not in html


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.PROVIDER_STAFF, Role.ASSESSOR])
def test_non_admins_get_403_on_the_audit_trail(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get("/audit/").status_code == 403

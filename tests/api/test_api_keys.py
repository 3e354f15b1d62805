"""Organisation API keys: created by admins, shown once, stored hashed, scoped, region-bound, expiring,
revocable, every use logged; never valid on an HTML page."""

import datetime as dt
import hashlib

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from tests.api.keys import make_key, with_key
from tests.factories import (
    OrganizationFactory,
    TrainingClassFactory,
    national_admin,
    region,
    regional_admin,
)

from sinergi.accounts.models import Organization
from sinergi.api.models import ApiKey, ApiKeyUse

pytestmark = pytest.mark.django_db

CLASSES = "/api/v1/classes/"


@pytest.fixture
def two_regions():
    """A class in Palembang (16.71) and one in Samarinda (64.72), each run by its own provider."""
    palembang_provider = OrganizationFactory(kind=Organization.Kind.PROVIDER, region=region("16.71"))
    samarinda_provider = OrganizationFactory(kind=Organization.Kind.PROVIDER, region=region("64.72"))
    palembang = TrainingClassFactory(
        provider=palembang_provider,
        program__batch__region=region("16.71"),
        name="Kelas Palembang",
    )
    samarinda = TrainingClassFactory(
        provider=samarinda_provider,
        program__batch__region=region("64.72"),
        program__batch__organizer__region=region("64.72"),
        name="Kelas Samarinda",
    )
    return {"palembang": palembang, "samarinda": samarinda}


def names(response) -> set[str]:
    # Only this test's two classes: a module-scoped world elsewhere may leave classes of its own.
    return {row["name"] for row in response.json()["results"]} & {"Kelas Palembang", "Kelas Samarinda"}


def test_admin_creates_a_key_and_sees_the_secret_once_stored_only_as_a_hash(client):
    admin = regional_admin("16.71")
    lms = OrganizationFactory(
        kind=Organization.Kind.UNIVERSITY, region=region("16.71"), name="Universitas Uji"
    )
    client.force_login(admin)
    response = client.post(
        "/integrasi/kunci-api/",
        {
            "organisasi": lms.pk,
            "nama": "LMS Kampus",
            "cakupan": ["programs:read", "attendance:write"],
            "berlaku_sampai": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 200
    key = ApiKey.objects.get()
    secret = response.context["created"].secret
    assert secret.startswith(f"sng_{key.prefix}_") and secret in response.content.decode()
    assert "hanya ditampilkan sekarang" in response.content.decode()
    # Only the hash is kept: the secret is nowhere in the row.
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.values().get())
    assert key.organization == lms and key.scopes == ["attendance:write", "programs:read"]
    # The list page does not show it again.
    listing = client.get("/integrasi/kunci-api/").content.decode()
    assert "LMS Kampus" in listing and secret not in listing and key.shown_prefix in listing
    # Audited, without the hash.
    entry = LogEntry.objects.get_for_object(key).get()
    assert entry.actor == admin and "key_hash" not in (entry.changes or "")


def test_a_regional_admin_gives_keys_only_to_organisations_of_their_region(client):
    admin = regional_admin("16.71")
    other = OrganizationFactory(kind=Organization.Kind.UNIVERSITY, region=region("64.72"))
    ministry = OrganizationFactory(kind=Organization.Kind.MINISTRY, region=None)
    client.force_login(admin)
    for organization in (other, ministry):
        response = client.post(
            "/integrasi/kunci-api/",
            {
                "organisasi": organization.pk,
                "nama": "Kunci",
                "cakupan": ["programs:read"],
                "berlaku_sampai": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            },
        )
        assert response.status_code == 400
        assert "Organisasi: pilihan tidak tersedia." in response.content.decode()
    assert not ApiKey.objects.exists()
    # Nor do they see another region's keys.
    key, _secret = make_key(other, ["programs:read"])
    assert client.get(f"/integrasi/kunci-api/{key.pk}/").status_code == 404
    assert key.name not in client.get("/integrasi/kunci-api/").content.decode()


def test_bad_create_input_is_named_and_nothing_is_saved(client):
    client.force_login(national_admin())
    lms = OrganizationFactory(kind=Organization.Kind.UNIVERSITY, region=region("16.71"))
    response = client.post(
        "/integrasi/kunci-api/",
        {"organisasi": lms.pk, "nama": "", "cakupan": ["programs:write"], "berlaku_sampai": "2020-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nama kunci: wajib diisi." in body
    assert "Cakupan: pilihan tidak dikenal." in body
    assert "Berlaku sampai: harus setelah hari ini." in body
    assert not ApiKey.objects.exists()


def test_header_and_bearer_both_work_and_a_wrong_secret_does_not(client, two_regions):
    key, secret = make_key(two_regions["palembang"].provider, ["programs:read"])
    assert client.get(CLASSES, **with_key(secret)).status_code == 200
    assert client.get(CLASSES, **with_key(secret, bearer=True)).status_code == 200
    wrong = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    response = client.get(CLASSES, **with_key(wrong))
    assert response.status_code == 401
    assert response.json() == {"detail": "Kunci API tidak dikenal.", "errors": []}
    assert client.get(CLASSES).status_code == 401  # nothing at all


def test_a_key_of_one_region_never_sees_another_regions_records(client, two_regions):
    city = OrganizationFactory(kind=Organization.Kind.CITY_GOV, region=region("16.71"))
    _key, secret = make_key(city, ["programs:read"])
    assert names(client.get(CLASSES, **with_key(secret))) == {"Kelas Palembang"}
    samarinda = two_regions["samarinda"]
    assert client.get(f"{CLASSES}{samarinda.pk}/", **with_key(secret)).status_code == 404
    # A provider's key: its own classes only, whatever region.
    _key, provider_secret = make_key(two_regions["samarinda"].provider, ["programs:read"])
    assert names(client.get(CLASSES, **with_key(provider_secret))) == {"Kelas Samarinda"}
    # A ministry's key is national.
    _key, national_secret = make_key(OrganizationFactory(kind="ministry", region=None), ["programs:read"])
    assert names(client.get(CLASSES, **with_key(national_secret))) == {"Kelas Palembang", "Kelas Samarinda"}


def test_scope_is_enforced_per_resource_and_access(client, two_regions):
    _key, secret = make_key(two_regions["palembang"].provider, ["credentials:read"])
    response = client.get(CLASSES, **with_key(secret))
    assert response.status_code == 403
    assert response.json()["detail"] == "Kunci API ini tidak mempunyai cakupan programs:read."


def test_an_expired_key_is_refused(client, two_regions):
    key, secret = make_key(two_regions["palembang"].provider, ["programs:read"])
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(CLASSES, **with_key(secret))
    assert response.status_code == 401
    assert response.json()["detail"] == "Kunci API ini telah kedaluwarsa."


def test_a_revoked_key_is_refused_at_once_and_the_revocation_is_audited(client, two_regions):
    admin = national_admin()
    key, secret = make_key(two_regions["palembang"].provider, ["programs:read"], by=admin)
    assert client.get(CLASSES, **with_key(secret)).status_code == 200
    client.force_login(admin)
    refused = client.post(f"/integrasi/kunci-api/{key.pk}/cabut/", {"alasan": ""})
    assert refused.status_code == 400 and "Alasan pencabutan: wajib diisi." in refused.content.decode()
    response = client.post(f"/integrasi/kunci-api/{key.pk}/cabut/", {"alasan": "LMS diganti"})
    assert response.status_code == 302
    client.logout()
    answer = client.get(CLASSES, **with_key(secret))
    assert answer.status_code == 401 and answer.json()["detail"] == "Kunci API ini telah dicabut."
    key.refresh_from_db()
    assert key.revoked_by == admin and key.revocation_reason == "LMS diganti"
    entry = LogEntry.objects.get_for_object(key).filter(additional_data__alasan="LMS diganti").get()
    assert entry.actor == admin


def test_every_use_is_logged_with_endpoint_time_and_status(client, two_regions):
    key, secret = make_key(two_regions["palembang"].provider, ["programs:read"])
    before = timezone.now()
    client.get(CLASSES, **with_key(secret))
    client.get(f"{CLASSES}{two_regions['samarinda'].pk}/", **with_key(secret, bearer=True))
    client.get("/api/v1/programmes/999999/", **with_key(secret))
    uses = list(ApiKeyUse.objects.filter(key=key).order_by("pk"))
    assert [(u.method, u.path, u.status) for u in uses] == [
        ("GET", CLASSES, 200),
        ("GET", f"{CLASSES}{two_regions['samarinda'].pk}/", 404),
        ("GET", "/api/v1/programmes/999999/", 404),
    ]
    assert all(u.at >= before for u in uses)
    key.refresh_from_db()
    assert key.last_used_at is not None
    # The admin sees them on the key's page.
    client.force_login(national_admin())
    page = client.get(f"/integrasi/kunci-api/{key.pk}/").content.decode()
    assert f"GET {CLASSES}" in page


def test_a_key_never_works_for_an_html_page(client, two_regions):
    _key, secret = make_key(OrganizationFactory(kind="ministry", region=None), ["programs:read"])
    for page in ("/integrasi/kunci-api/", "/pelaksanaan/", "/kerja-sama/kelola/"):
        for headers in (with_key(secret), with_key(secret, bearer=True)):
            response = client.get(page, **headers)
            assert response.status_code == 302, page
            assert response["Location"].startswith("/akun/masuk/"), page


def test_a_key_with_a_session_is_judged_by_the_key(client, two_regions):
    client.force_login(national_admin())
    _key, secret = make_key(two_regions["palembang"].provider, ["credentials:read"])
    assert client.get(CLASSES).status_code == 200
    assert client.get(CLASSES, **with_key(secret)).status_code == 403


def test_the_schema_declares_the_key_schemes(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["KeyHeader"] == {
        **schemes["KeyHeader"],
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert schemes["KeyBearer"]["type"] == "http" and schemes["KeyBearer"]["scheme"] == "bearer"
    security = schema["paths"]["/api/v1/classes/"]["get"]["security"]
    assert {"KeyHeader": []} in security and {"KeyBearer": []} in security and {"Session": []} in security


def test_a_regional_body_without_a_region_cannot_be_given_a_key():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        make_key(OrganizationFactory(kind="opd", region=None), ["programs:read"])
    assert "organization" in error.value.message_dict

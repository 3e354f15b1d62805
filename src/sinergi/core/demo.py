"""Demo organisations and one account per role, built from the five seed articles."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sinergi.accounts.models import Organization, Role, User
from sinergi.regions.models import Region

DEMO_PASSWORD = "sinergi-demo-2026"
# Two-factor is required for national admins, so the demo's national admin has it on, with this
# published secret (README "Demo") that anyone trying the demo adds to an authenticator app. Like the
# demo password it protects nothing: demo accounts never belong on a real installation.
DEMO_TOTP_SECRET = "SINERGIDEMONASIONALDUALANGKAH234"


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    short_name: str
    kind: str
    region: str | None
    parent: str | None = None
    aliases: str = ""


DEMO_ORGS = [
    DemoOrg(
        "kominfo",
        "Kementerian Komunikasi dan Informatika",
        "Kominfo",
        "ministry",
        None,
        aliases="Kemenkominfo, Komdigi, Kementerian Kominfo",
    ),
    DemoOrg(
        "balitbang",
        "Badan Penelitian dan Pengembangan SDM Kominfo",
        "Balitbang SDM",
        "agency",
        None,
        "kominfo",
        aliases="BPSDM Kominfo, Balitbang SDM Kominfo",
    ),
    DemoOrg("kemnaker", "Kementerian Ketenagakerjaan", "Kemnaker", "ministry", None, aliases="Kemenaker"),
    DemoOrg(
        "binalavotas",
        "Direktorat Jenderal Pembinaan Pelatihan Vokasi dan Produktivitas",
        "Ditjen Binalavotas",
        "agency",
        None,
        "kemnaker",
    ),
    DemoOrg("samarinda", "Pemerintah Kota Samarinda", "Pemkot Samarinda", "city_gov", "64.72"),
    DemoOrg("palembang", "Pemerintah Kota Palembang", "Pemkot Palembang", "city_gov", "16.71"),
    DemoOrg("kotim", "Pemerintah Kabupaten Kotawaringin Timur", "Pemkab Kotim", "regency_gov", "62.02"),
    DemoOrg(
        "diskominfo_kotim",
        "Dinas Komunikasi dan Informatika Kabupaten Kotawaringin Timur",
        "Diskominfo Kotim",
        "opd",
        "62.02",
        "kotim",
    ),
    DemoOrg("sulsel", "Pemerintah Provinsi Sulawesi Selatan", "Pemprov Sulsel", "province_gov", "73"),
    DemoOrg(
        "blk_samarinda",
        "UPTP Balai Latihan Kerja Samarinda",
        "BLK Samarinda",
        "provider",
        "64.72",
        "kemnaker",
    ),
    DemoOrg("unda", "Universitas Darwan Ali", "Unda", "university", "62.02"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    org: str | None
    region: str | None = None


DEMO_USERS = [
    DemoUser("admin.nasional", "Admin Nasional Kominfo", Role.NATIONAL_ADMIN, "balitbang"),
    DemoUser("admin.palembang", "Admin Pemkot Palembang", Role.REGIONAL_ADMIN, "palembang"),
    DemoUser("admin.samarinda", "Admin Pemkot Samarinda", Role.REGIONAL_ADMIN, "samarinda"),
    DemoUser("admin.sulsel", "Admin Pemprov Sulawesi Selatan", Role.REGIONAL_ADMIN, "sulsel"),
    DemoUser("admin.kotim", "Admin Diskominfo Kotim", Role.REGIONAL_ADMIN, "diskominfo_kotim"),
    DemoUser("staf.blk", "Staf BLK Samarinda", Role.PROVIDER_STAFF, "blk_samarinda"),
    DemoUser("asesor", "Asesor Kesiapan Smart City", Role.ASSESSOR, "balitbang"),
    DemoUser("asesor2", "Asesor Kedua Kesiapan Smart City", Role.ASSESSOR, "balitbang"),
    DemoUser("peserta", "Siti Rahmawati", Role.PARTICIPANT, None, "16.71"),
]


@transaction.atomic
def seed_foundation() -> tuple[dict[str, Organization], list[User]]:
    orgs: dict[str, Organization] = {}
    for spec in DEMO_ORGS:
        org, _ = Organization.objects.update_or_create(
            name=spec.name,
            region=Region.objects.get(code=spec.region) if spec.region else None,
            defaults={
                "short_name": spec.short_name,
                "kind": spec.kind,
                "parent": orgs[spec.parent] if spec.parent else None,
                "aliases": spec.aliases,
            },
        )
        orgs[spec.key] = org
    users = []
    for person in DEMO_USERS:
        first, _, last = person.full_name.partition(" ")
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "email": f"{person.username}@demo.sinergi.localhost",
                "first_name": first,
                "last_name": last,
                "role": person.role,
                "organization": orgs[person.org] if person.org else None,
                "region_id": person.region,
                "is_staff": person.role == Role.NATIONAL_ADMIN,
                "is_superuser": person.role == Role.NATIONAL_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users.append(user)
        if person.role == Role.NATIONAL_ADMIN:
            _demo_two_factor(user)
    return orgs, users


def _demo_two_factor(user: User) -> None:
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)


def demo_org(key: str) -> Organization:
    """Look up a foundation demo organisation by its key; for other apps' demo steps."""
    spec = next(s for s in DEMO_ORGS if s.key == key)
    return Organization.objects.get(name=spec.name, region_id=spec.region)


# The demo's results chain hangs off this batch: programmes/registration create it, selection allocates it,
# learning completes one of its classes, credentials certify that class.
PALEMBANG_BATCH = "DTS Palembang 2026 — Gelombang 1"

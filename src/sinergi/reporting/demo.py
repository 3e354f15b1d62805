"""Demo KPI targets: the province of South Sulawesi's ASN goal from seed 004 and one for Palembang."""

from __future__ import annotations

from decimal import Decimal

from sinergi.accounts.models import User
from sinergi.regions.models import Region
from sinergi.reporting import services
from sinergi.reporting.models import RegionalTarget


def seed_demo(stdout=None) -> None:
    targets = [
        (
            "admin.sulsel",
            "73",
            "ASN Pemprov Sulsel terlatih digital",
            "readiness.asn_certified",
            Decimal("40"),
            23000,
            "ASN Pemerintah Provinsi Sulawesi Selatan",
            "Sekda Provinsi Sulawesi Selatan: “23.000 ASN Pemprov Sulsel” (pernyataan 10 November 2022)",
            2022,
        ),
        (
            "admin.palembang",
            "16.71",
            "Warga Palembang lulus pelatihan digital",
            "readiness.trained_people",
            Decimal("10"),
            3000,
            "pendaftar program demo Kota Palembang",
            "Data demo Sinergi: jumlah pendaftar angkatan Palembang",
            2026,
        ),
    ]
    for username, code, title, metric, percent, denominator, label, source, source_year in targets:
        if RegionalTarget.objects.filter(region_id=code, year=2027, title=title).exists():
            continue  # seeding again keeps what is there
        actor = User.objects.get(username=username)
        services.save_target(
            actor=actor,
            region=Region.objects.get(code=code),
            year=2027,
            title=title,
            metric=metric,
            target_percent=percent,
            denominator=denominator,
            denominator_label=label,
            denominator_source=source,
            denominator_year=source_year,
        )
    if stdout:
        stdout.write(f"  {len(targets)} target KPI daerah")

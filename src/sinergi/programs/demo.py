"""Demo step: the Palembang digital-skills batch (seed 001) with its classes (the applicants are
registration's demo step).

The batch's registration closed two days ago, so the selection step can allocate it. Written with
bulk_create, so the step stays fast on SQLite. Idempotent: if the batch exists, nothing is added.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Organization
from sinergi.core.demo import PALEMBANG_BATCH, demo_org
from sinergi.programs.academies import DTS_ACADEMIES
from sinergi.programs.models import Academy, Batch, EligibilityRule, Level, Program, TrainingClass
from sinergi.regions.models import Region

SEED = 2026
CITY = "16.71"
CLASS_SEATS = 30

PROVIDERS = [
    ("Universitas Sriwijaya", "Unsri", Organization.Kind.UNIVERSITY),
    ("Politeknik Negeri Sriwijaya", "Polsri", Organization.Kind.UNIVERSITY),
    ("UPTD Balai Latihan Kerja Kota Palembang", "BLK Palembang", Organization.Kind.PROVIDER),
]

# (academy, name, level, target categories, number of classes, reserved seats per class)
PROGRAMMES = [
    ("DLA", "Literasi Digital Aparatur", Level.DASAR, ["asn"], 6, {}),
    ("TA", "Kecakapan Digital Pelaku UMKM", Level.DASAR, ["umkm", "umum"], 6, {"disabilitas": 2}),
    ("VSGA", "Junior Web Developer", Level.MENENGAH, [], 8, {"asn": 6}),
    ("FGA", "Analis Data", Level.MENENGAH, [], 8, {"asn": 9, "disabilitas": 2}),
    ("PROA", "Cloud Practitioner", Level.LANJUT, [], 6, {"asn": 9}),
    ("TSA", "Keamanan Siber Pemerintahan", Level.LANJUT, ["asn", "guru", "umum"], 6, {}),
]


def ensure_academies() -> None:
    """The migration seeds them; a database flushed by tests gets them back here."""
    for code, name, description in DTS_ACADEMIES:
        Academy.objects.get_or_create(code=code, defaults={"name": name, "description": description})


@transaction.atomic
def seed_programs(stdout=None) -> None:
    ensure_academies()
    if Batch.objects.filter(name=PALEMBANG_BATCH).exists():
        return
    rng = random.Random(SEED)
    now = timezone.now()
    city = Region.objects.get(code=CITY)
    palembang = demo_org("palembang")
    batch = Batch.objects.create(
        name=PALEMBANG_BATCH,
        region=city,
        organizer=palembang,
        registration_opens=now - timedelta(days=30),
        registration_closes=now - timedelta(days=2),
        max_choices=3,
        status=Batch.Status.CLOSED,
    )
    agreement = _palembang_agreement(palembang)
    providers = [
        Organization.objects.get_or_create(
            name=name, region=city, defaults={"short_name": short, "kind": kind}
        )[0]
        for name, short, kind in PROVIDERS
    ]
    classes = _programmes_and_classes(rng, batch, city, agreement, providers)
    if agreement is not None:
        # From here on the 10,000-seat commitment is counted from the seats participants accept in
        # these programmes, never typed in.
        agreement.commitments.filter(unit="kursi", metric_key="manual").update(
            metric_key="selection.seats_filled"
        )
    if stdout:
        stdout.write(f"  program: {batch.name}, {len(classes)} kelas")


def _palembang_agreement(palembang: Organization):
    from sinergi.partnerships.models import Agreement

    return Agreement.objects.filter(parties__organization=palembang).order_by("pk").first()


def _programmes_and_classes(rng, batch, city, agreement, providers) -> list[tuple[TrainingClass, list[str]]]:
    academies = {a.code: a for a in Academy.objects.all()}
    starts = timezone.localdate() + timedelta(days=21)
    made: list[tuple[TrainingClass, list[str]]] = []
    number = 0
    modes = [TrainingClass.Mode.OFFLINE, TrainingClass.Mode.ONLINE, TrainingClass.Mode.HYBRID]
    for academy, name, level, targets, count, reserved in PROGRAMMES:
        program = Program.objects.create(
            batch=batch,
            academy=academies[academy],
            name=name,
            level=level,
            target_categories=targets,
            region=city,
            description=f"{name} — program tingkat {Level(level).label.lower()} bagi warga Kota Palembang.",
        )
        if agreement is not None:
            program.agreements.add(agreement)
        rules = [
            EligibilityRule(program=program, kind=EligibilityRule.Kind.DOMICILE, params={"regions": [CITY]})
        ]
        if targets:
            rules.append(
                EligibilityRule(program=program, kind=EligibilityRule.Kind.CATEGORY, params={"in": targets})
            )
        if targets == ["asn"]:
            rules.append(EligibilityRule(program=program, kind=EligibilityRule.Kind.ASN_ONLY, params={}))
        if level == Level.LANJUT:
            rules.append(
                EligibilityRule(program=program, kind=EligibilityRule.Kind.EDUCATION, params={"min": "sma"})
            )
        rules.append(
            EligibilityRule(program=program, kind=EligibilityRule.Kind.NOT_ENROLLED_IN_BATCH, params={})
        )
        EligibilityRule.objects.bulk_create(rules)
        objs = []
        for i in range(count):
            number += 1
            provider = providers[i % len(providers)]
            mode = modes[i % 3]
            start = starts + timedelta(days=7 * (i % 4))
            objs.append(
                TrainingClass(
                    program=program,
                    code=f"PLB26-{academy}-{i + 1:02d}",
                    name=f"{name} — Kelas {i + 1}",
                    provider=provider,
                    mode=mode,
                    venue=""
                    if mode == TrainingClass.Mode.ONLINE
                    else f"Kampus {provider.short_name}, Palembang",
                    region=city,
                    starts_on=start,
                    ends_on=start + timedelta(days=20 if level == Level.DASAR else 34),
                    schedule="Senin–Jumat 08.00–12.00" if i % 2 else "Sabtu–Minggu 09.00–15.00",
                    hours={"dasar": 32, "menengah": 80, "lanjut": 120}[level],
                    capacity=CLASS_SEATS,
                    reserved_seats=dict(reserved) if i % 2 == 0 or not reserved else {},
                    precedence=TrainingClass.Precedence.OPEN_FIRST,
                )
            )
        for obj in TrainingClass.objects.bulk_create(objs):
            made.append((obj, targets))
    return made

"""Demo step: the Palembang digital-skills batch (seed 001) with its classes and a few thousand applicants.

The batch's registration closed two days ago, so the selection step can allocate it. Everything is
drawn from a seeded random generator (same data on every machine) and written with bulk_create, so
the step stays fast on SQLite. Idempotent: if the batch exists, nothing is added.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Organization, User
from sinergi.core.demo import PALEMBANG_BATCH, demo_org
from sinergi.programs.academies import DTS_ACADEMIES
from sinergi.programs.models import Academy, Batch, Category, EligibilityRule, Level, Program, TrainingClass
from sinergi.regions.models import Region
from sinergi.registration import pii
from sinergi.registration.models import Application, ApplicationChoice, Education, Participant
from sinergi.registration.nik import compose_nik

SEED = 2026
APPLICANTS = 3000
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
CATEGORY_WEIGHTS = [("asn", 25), ("pelajar", 25), ("guru", 10), ("umkm", 15), ("umum", 25)]


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
    applicants = _applicants(rng, now)
    _applications(rng, batch, classes, applicants)
    _demo_participant(batch, classes)
    if stdout:
        stdout.write(
            f"  program: {batch.name}, {len(classes)} kelas, {len(applicants)} pendaftar dibangkitkan"
        )


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


def _applicants(rng, now) -> list[Participant]:
    from faker import Faker

    fake = Faker("id_ID")
    fake.seed_instance(SEED)
    kecamatan = list(
        Region.objects.filter(parent_id=CITY, level=Region.Level.DISTRICT).values_list("code", flat=True)
    )
    categories = [c for c, _w in CATEGORY_WEIGHTS]
    cum_weights = list(itertools.accumulate(w for _c, w in CATEGORY_WEIGHTS))
    educations = list(Education.values)
    people = []
    today = timezone.localdate()
    for i in range(APPLICANTS):
        sex = "P" if rng.random() < 0.5 else "L"
        category = rng.choices(categories, cum_weights=cum_weights)[0]
        age = {"pelajar": rng.randint(17, 23), "asn": rng.randint(24, 55), "guru": rng.randint(24, 58)}.get(
            category, rng.randint(18, 50)
        )
        born = today - timedelta(days=age * 365 + rng.randint(0, 364))
        first = fake.first_name_female() if sex == "P" else fake.first_name_male()
        name = f"{first} {fake.last_name()}"
        nik = compose_nik(rng.choice(kecamatan), born, sex, 1000 + i)
        nip = ""
        if category == "asn":
            tmt = born.year + rng.randint(22, min(age, 30))
            nip = (
                f"{born:%Y%m%d}{tmt}{rng.randint(1, 12):02d}{1 if sex == 'L' else 2}{rng.randint(1, 999):03d}"
            )
        education = (
            rng.choice(["sma", "d3"])
            if category == "pelajar"
            else rng.choice(["s1", "s1", "s2", "d3"])
            if category in ("asn", "guru")
            else rng.choice(educations[:5])
        )
        people.append(
            Participant(
                nik_hash=pii.keyed_hash(nik),
                nik_encrypted=pii.encrypt(nik),
                full_name=name,
                birth_date=born,
                sex=sex,
                email=f"{first.lower()}.{i}@contoh.id",
                phone=f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
                domicile_id=CITY,
                education=education,
                category=category,
                nip=nip,
                has_disability=rng.random() < 0.03,
                consent_version="2026-01",
                consented_at=now - timedelta(days=rng.randint(3, 29)),
            )
        )
    return Participant.objects.bulk_create(people, batch_size=1000)


def _applications(rng, batch, classes, applicants) -> None:
    open_to: dict[str, list[TrainingClass]] = {
        c: [cls for cls, targets in classes if not targets or c in targets] for c in Category.values
    }
    apps = []
    for person in applicants:
        apps.append(
            Application(
                participant=person,
                batch=batch,
                score=Decimal(rng.randint(4000, 10000)) / 100,
            )
        )
    Application.objects.bulk_create(apps, batch_size=1000)
    choices = []
    for app, person in zip(apps, applicants, strict=True):
        pool = open_to[person.category]
        picked = rng.sample(pool, k=min(len(pool), rng.choice([1, 2, 3, 3])))
        choices += [
            ApplicationChoice(application=app, training_class=cls, rank=rank)
            for rank, cls in enumerate(picked, start=1)
        ]
    ApplicationChoice.objects.bulk_create(choices, batch_size=2000)


def _demo_participant(batch, classes) -> None:
    """The demo account `peserta` (Siti Rahmawati) lives in Palembang and has applied to three classes."""
    user = User.objects.filter(username="peserta").first()
    if user is None or Participant.objects.filter(user=user).exists():
        return
    born = date(1998, 5, 17)
    nik = compose_nik("16.71.01", born, "P", 9001)
    person = Participant(
        user=user,
        full_name=user.get_full_name() or "Siti Rahmawati",
        birth_date=born,
        sex="P",
        email=user.email,
        phone="081234500001",
        domicile_id=CITY,
        education=Education.S1,
        category=Category.UMUM,
        consent_version="2026-01",
        consented_at=timezone.now() - timedelta(days=10),
    )
    person.set_nik(nik)
    person.save()
    picks = [cls for cls, targets in classes if not targets or "umum" in targets][:6:2]
    application = Application.objects.create(participant=person, batch=batch, score=Decimal("86.50"))
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, training_class=cls, rank=rank)
        for rank, cls in enumerate(picks, start=1)
    )

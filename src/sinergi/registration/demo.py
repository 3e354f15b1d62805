"""Demo step: a few thousand applicants for the Palembang batch that the programme step built, and the
demo participant `peserta` among them.

Everything is drawn from a seeded random generator (same data on every machine) and written with
bulk_create, so the step stays fast on SQLite. Idempotent: if the batch has applications, nothing is added.
"""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.core import pii
from sinergi.core.demo import PALEMBANG_BATCH
from sinergi.programs.demo import CITY, SEED
from sinergi.programs.models import Batch, Category, Education, TrainingClass
from sinergi.regions.models import Region
from sinergi.registration.models import Application, ApplicationChoice, Participant
from sinergi.registration.nik import compose_nik

APPLICANTS = 3000
CATEGORY_WEIGHTS = [("asn", 25), ("pelajar", 25), ("guru", 10), ("umkm", 15), ("umum", 25)]


@transaction.atomic
def seed_applicants(stdout=None) -> None:
    batch = Batch.objects.filter(name=PALEMBANG_BATCH).first()
    if batch is None or Application.objects.filter(batch=batch).exists():
        return
    rng = random.Random(SEED)
    classes = [
        (training_class, training_class.program.target_categories)
        for training_class in TrainingClass.objects.filter(program__batch=batch)
        .select_related("program")
        .order_by("pk")
    ]
    applicants = _applicants(rng, timezone.now())
    _applications(rng, batch, classes, applicants)
    _demo_participant(batch, classes)
    if stdout:
        stdout.write(f"  pendaftar: {len(applicants)} dibangkitkan untuk {batch.name}")


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

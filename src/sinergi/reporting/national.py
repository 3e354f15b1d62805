"""The national data set (issue 14): a DTS-sized programme over every province, for benchmarks.

`seed_national(participants=N, seed=S)` writes, from a seeded generator (same data for the same N and S):

  N participants          valid NIKs over all 514 kab/kota (kecamatan codes from the Kemendagri table,
                          birth date + 40 for women), encrypted and hashed by core.pii
  2N applications         each person applies to the national batch and to their province's batch,
                          ranking 1–3 classes (≈ 2 per application)
  N/25 classes            half national (over every kab/kota), half provincial (in the province)
  ≈ 0.38N enrolments      from first choices; 60 % completed; 6 sessions per class, one attendance
                          row per enrolment and session
  N/5 credentials         for completed enrolments, 1 % revoked, numbered by the issuer's pattern
  N/10 tracer answers     (or --tracer-answers) the default DTS/BLK tracer's 3- and 12-month rounds on
                          every programme with graduates; graduates invited to the 3-month round
                          (about two invitations per answer), four answers in five at 3 months and one
                          in five a 12-month answer of a graduate who answered at 3 months
  ≈ N/250 agreements      one national MoU over every national programme (N applications), a PKS per
                          province under it, a MoU per province over its batch, and kab/kota agreements;
                          commitments measured by every registered metric kind, manual ones with values
  N/100 duplicate flags   pending pairs for /data-ganda/

Credentials are stored without a real signature (`document` is an unsigned placeholder): the lists,
counts and metrics read only the rows; `/verify/<number>` of a seeded certificate reports it tampered.
Big tables go in with PostgreSQL COPY (bulk_create on SQLite, for the test at tiny N) with primary
keys assigned here, so nothing is read back; the sequences are reset at the end.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from sinergi.accounts.models import Organization
from sinergi.core import pii
from sinergi.credentials.models import Credential, Issuer
from sinergi.credentials.services import ensure_issuer
from sinergi.learning.models import Attendance, ClassSession, Enrolment
from sinergi.outcomes import tracer_default
from sinergi.outcomes.models import TracerInvitation, TracerResponse, TracerRound
from sinergi.outcomes.services import DEFAULT_OFFSETS, default_survey
from sinergi.partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementType,
    Commitment,
    ManualMeasurement,
    Status,
)
from sinergi.programs.demo import ensure_academies
from sinergi.programs.models import Academy, Batch, EligibilityRule, Level, Program, TrainingClass
from sinergi.regions.models import Region
from sinergi.registration.models import Application, ApplicationChoice, DuplicateFlag, Participant
from sinergi.registration.nik import compose_nik

NATIONAL_BATCH = "DTS Nasional 2026"
CATEGORIES = [("asn", 20), ("pelajar", 30), ("guru", 10), ("umkm", 15), ("umum", 25)]
FIRST_NAMES = ["Siti", "Budi", "Dewi", "Agus", "Rina", "Andi", "Putri", "Rizky", "Nur", "Wahyu", "Ayu", "Eko"]
LAST_NAMES = ["Rahmawati", "Santoso", "Lestari", "Saputra", "Hidayat", "Wulandari", "Pratama", "Siregar"]
EDUCATIONS = ["sma", "sma", "d3", "s1", "s1", "s2"]
METRIC_MIX = [
    ("registration.participants", "orang"),
    ("registration.applications", "pendaftaran"),
    ("registration.eligible", "orang"),
    ("selection.seats_filled", "kursi"),
    ("learning.completions", "lulusan"),
    ("credentials.certified", "sertifikat"),
    ("manual", "kegiatan"),
]
SESSIONS_PER_CLASS = 6
THEMES = ["Talenta Digital", "Kota Cerdas", "Pelatihan ASN"]


class _Writer:
    """Inserts rows with explicit primary keys: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self) -> None:
        self.models: list[type[models.Model]] = []
        self.next_pk: dict[type[models.Model], int] = {}

    def reserve(self, model: type[models.Model], count: int) -> int:
        """First of `count` consecutive free primary keys of `model`."""
        if model not in self.next_pk:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_pk[model] = last + 1
            self.models.append(model)
        first = self.next_pk[model]
        self.next_pk[model] += count
        return first

    def write(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        # Columns left out get the field's default (the database has no defaults of its own).
        rest = [f for f in model._meta.concrete_fields if f.name not in fields and f.attname not in fields]
        defaults = tuple(
            json.dumps(f.get_default()) if isinstance(f, models.JSONField) else f.get_default() for f in rest
        )
        fields = [*fields, *(f.name for f in rest)]
        rows = (tuple(row) + defaults for row in rows)
        concrete = {f.name: f for f in model._meta.concrete_fields}
        columns = [concrete[f].column for f in fields]
        n = 0
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(str(c)) for c in columns)
            sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        batch: list[models.Model] = []
        for row in rows:
            obj = model()
            for field, value in zip(fields, row, strict=True):
                attname = concrete[field].attname
                if isinstance(concrete[field], models.JSONField) and isinstance(value, str):
                    value = json.loads(value)
                setattr(obj, attname, value)
            batch.append(obj)
            n += 1
            if len(batch) >= 2000:
                model._default_manager.bulk_create(batch)
                batch = []
        model._default_manager.bulk_create(batch)
        return n

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


@transaction.atomic
def seed_national(
    *,
    participants: int = 500_000,
    seed: int = 14,
    tracers: int | None = None,
    say: Callable[[str], None] = print,
) -> dict:
    """Write the data set; returns the row counts. Refuses to run twice on the same database."""
    if Batch.objects.filter(name=NATIONAL_BATCH).exists():
        raise ValueError("Data set nasional sudah ada di basis data ini.")
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    w = _Writer()
    ensure_academies()

    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    kabkota = list(
        Region.objects.filter(level__in=(Region.Level.REGENCY, Region.Level.CITY)).order_by("code")
    )
    kecamatan: dict[str, list[str]] = {}
    for code, parent in Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", "parent_id"):
        kecamatan.setdefault(parent, []).append(code)
    kabkota = [k for k in kabkota if k.code in kecamatan]
    kab_of_province: dict[str, list[Region]] = {}
    for kab in kabkota:
        kab_of_province.setdefault(kab.parent_id or "", []).append(kab)

    # Organisations: the ministry and its agency, a Pemprov and a BPSDMP per province, a Pemda per kab/kota.
    ministry = Organization.objects.create(
        name="Kementerian Komunikasi dan Digital (nasional)", kind="ministry"
    )
    agency = Organization.objects.create(
        name="BPSDM Komdigi (nasional)", short_name="BPSDM", kind="agency", parent=ministry
    )
    pemprov = {
        p.code: Organization(name=f"Pemerintah Provinsi {p.name}", kind="province_gov", region=p)
        for p in provinces
    }
    Organization.objects.bulk_create(pemprov.values())
    bpsdmp = {
        p.code: Organization(name=f"BPSDMP Komdigi {p.name}", kind="provider", region=p, parent=agency)
        for p in provinces
    }
    Organization.objects.bulk_create(bpsdmp.values())
    pemda = {
        k.code: Organization(
            name=f"Pemerintah {k.name}",
            kind="city_gov" if k.level == Region.Level.CITY else "regency_gov",
            region=k,
        )
        for k in kabkota
    }
    Organization.objects.bulk_create(pemda.values())
    issuers = {code: ensure_issuer(org) for code, org in bpsdmp.items()}
    say(f"organisasi: {2 + len(pemprov) + len(bpsdmp) + len(pemda)}")

    # Batches and programmes: the national batch over every academy and level, a batch per province.
    academies = list(Academy.objects.order_by("code"))
    closes = now - timedelta(days=30)
    national = Batch.objects.create(
        name=NATIONAL_BATCH,
        organizer=agency,
        registration_opens=closes - timedelta(days=60),
        registration_closes=closes,
        status=Batch.Status.ALLOCATED,
    )
    batches = {
        p.code: Batch(
            name=f"DTS {p.name} 2026",
            region=p,
            organizer=pemprov[p.code],
            registration_opens=closes - timedelta(days=45),
            registration_closes=closes,
            status=Batch.Status.ALLOCATED,
        )
        for p in provinces
    }
    Batch.objects.bulk_create(batches.values())
    levels = list(Level.values)
    programs: list[Program] = [
        Program(batch=national, academy=a, name=f"{a.code} {lv} nasional", level=lv)
        for a in academies
        for lv in levels
    ]
    for p in provinces:
        for a in academies[:2]:
            for lv in levels:
                programs.append(
                    Program(
                        batch=batches[p.code], academy=a, name=f"{a.code} {lv} {p.name}", level=lv, region=p
                    )
                )
    Program.objects.bulk_create(programs)
    rules = []
    for prog in programs:
        if prog.level == Level.DASAR:
            rules.append(EligibilityRule(program=prog, kind="age", params={"min": 17, "max": 45}))
        elif prog.level == Level.LANJUT:
            rules.append(EligibilityRule(program=prog, kind="education", params={"min": "d3"}))
        if prog.region_id:
            rules.append(EligibilityRule(program=prog, kind="domicile", params={"regions": [prog.region_id]}))
    EligibilityRule.objects.bulk_create(rules)
    national_programs = [p for p in programs if p.batch_id == national.pk]
    programs_of_province = {p.code: [g for g in programs if g.region_id == p.code] for p in provinces}

    # Classes.
    n_classes = max(len(programs) * 2, participants // 25)
    first_class = w.reserve(TrainingClass, n_classes)
    class_rows = []
    national_classes: list[int] = []
    classes_of_province: dict[str, list[int]] = {p.code: [] for p in provinces}
    class_region: dict[int, str] = {}
    class_program: dict[int, Program] = {}
    for i in range(n_classes):
        pk = first_class + i
        if i % 2 == 0:
            prog = national_programs[(i // 2) % len(national_programs)]
            region = kabkota[(i // 2) % len(kabkota)]
            national_classes.append(pk)
        else:
            province = provinces[(i // 2) % len(provinces)]
            prog = programs_of_province[province.code][(i // 2 // len(provinces)) % 6]
            region = rng.choice(kab_of_province[province.code])
            classes_of_province[province.code].append(pk)
        class_region[pk] = region.code
        class_program[pk] = prog
        starts = today - timedelta(days=rng.randint(20, 120))
        class_rows.append(
            (
                pk,
                prog.pk,
                f"NAS-{pk:06d}",
                f"Kelas {prog.academy.code} {region.name} {i}",
                bpsdmp[region.parent_id or ""].pk,
                rng.choice(["daring", "luring", "hybrid"]),
                region.code,
                starts,
                starts + timedelta(days=30),
                40,
                rng.randint(20, 60),
                "{}",
                "open_first",
                "Bahasa Indonesia",
                now,
            )
        )
    w.write(
        TrainingClass,
        (
            "id program code name provider mode region starts_on ends_on hours capacity reserved_seats "
            "precedence language created_at"
        ).split(),
        class_rows,
    )
    say(f"kelas: {n_classes}")

    # Participants, over the kab/kota taken one province at a time: even a tiny N covers every province.
    spread = [k for group in itertools.zip_longest(*kab_of_province.values()) for k in group if k is not None]
    first_person = w.reserve(Participant, participants)
    people: list[tuple[str, str]] = []  # (domicile, category) per participant, index = pk - first_person

    def participant_rows():
        for i in range(participants):
            kab = spread[i % len(spread)]
            districts = kecamatan[kab.code]
            district = districts[(i // len(spread)) % len(districts)]
            serial = i // (len(spread) * len(districts)) + 1  # (kecamatan, serial) is unique
            sex = "P" if rng.random() < 0.5 else "L"
            category = _weighted(rng, CATEGORIES)
            born = date(rng.randint(1970, 2007), rng.randint(1, 12), rng.randint(1, 28))
            nik = compose_nik(district, born, sex, serial % 10000)
            people.append((kab.code, category))
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}"
            yield (
                first_person + i,
                pii.keyed_hash(nik),
                pii.encrypt(nik),
                "",
                name,
                born,
                sex,
                f"peserta{i}@nasional.contoh.id",
                "",
                kab.code,
                rng.choice(EDUCATIONS),
                category,
                "",
                rng.random() < 0.03,
                "2026-01",
                now,
                "clear",
                now,
                now,
            )

    w.write(
        Participant,
        (
            "id nik_hash nik_encrypted kk_encrypted full_name birth_date sex email phone domicile education "
            "category nip has_disability consent_version consented_at duplicate_status created_at updated_at"
        ).split(),
        participant_rows(),
    )
    say(f"peserta: {participants}")

    # Applications: every person to the national batch and to their province's batch.
    first_app = w.reserve(Application, 2 * participants)
    first_choice_of: dict[int, int] = {}  # application pk → its first-choice class
    choice_rows: list[tuple] = []

    def application_rows():
        for i, (domicile, _category) in enumerate(people):
            province = domicile.split(".")[0]
            for j, (batch_id, pool) in enumerate(
                ((national.pk, national_classes), (batches[province].pk, classes_of_province[province]))
            ):
                app = first_app + 2 * i + j
                picked = rng.sample(pool, k=min(len(pool), rng.choice((1, 2, 2, 3))))
                first_choice_of[app] = picked[0]
                choice_rows.extend((app, cls, rank) for rank, cls in enumerate(picked, start=1))
                status = "withdrawn" if rng.random() < 0.02 else "submitted"
                yield (
                    app,
                    first_person + i,
                    batch_id,
                    status,
                    Decimal(rng.randint(4000, 10000)) / 100,
                    now,
                    now,
                )

    w.write(
        Application, "id participant batch status score created_at updated_at".split(), application_rows()
    )
    first_choice = w.reserve(ApplicationChoice, len(choice_rows))
    w.write(
        ApplicationChoice,
        "id application training_class rank".split(),
        ((first_choice + k, *row) for k, row in enumerate(choice_rows)),
    )
    say(f"pendaftaran: {2 * participants}, pilihan: {len(choice_rows)}")
    choice_rows.clear()

    # Enrolments in the first choice of 19 % of the applications, then sessions and attendance.
    enrolled = [(app, cls) for app, cls in first_choice_of.items() if rng.random() < 0.19]
    first_enrolment = w.reserve(Enrolment, len(enrolled))
    enrolment_rows = []
    completed: list[tuple[int, int]] = []  # (enrolment pk, class pk)
    enrolments_of_class: dict[int, list[int]] = {}
    for k, (app, cls) in enumerate(enrolled):
        pk = first_enrolment + k
        person = first_person + (app - first_app) // 2
        status = rng.choices(["completed", "active", "not_completed", "withdrawn"], weights=[60, 25, 10, 5])[
            0
        ]
        done = now - timedelta(days=rng.randint(1, 20)) if status == "completed" else None
        if status == "completed":
            completed.append((pk, cls))
        enrolments_of_class.setdefault(cls, []).append(pk)
        enrolment_rows.append((pk, person, cls, status, None, 0, done, None, None, now))
    w.write(
        Enrolment,
        "id participant training_class status final_score assignments_passed completed_at decided_by "
        "decided_at created_at".split(),
        enrolment_rows,
    )
    del enrolment_rows
    first_session = w.reserve(ClassSession, SESSIONS_PER_CLASS * len(enrolments_of_class))
    session_rows = []
    attendance_rows: list[tuple] = []
    s = first_session
    for cls, enrolment_pks in enrolments_of_class.items():
        for number in range(1, SESSIONS_PER_CLASS + 1):
            session_rows.append(
                (
                    s,
                    cls,
                    number,
                    today - timedelta(days=7 * number),
                    time(9),
                    time(12),
                    Decimal(3),
                    f"Sesi {number}",
                    "",
                    now,
                )
            )
            attendance_rows.extend((s, e, rng.random() < 0.85, "checklist", now) for e in enrolment_pks)
            s += 1
    w.write(
        ClassSession,
        "id training_class number date start_time end_time hours topic instructor created_at".split(),
        session_rows,
    )
    first_attendance = w.reserve(Attendance, len(attendance_rows))
    w.write(
        Attendance,
        "id session enrolment present method recorded_at".split(),
        ((first_attendance + k, *row) for k, row in enumerate(attendance_rows)),
    )
    say(f"peserta kelas: {len(enrolled)}, sesi: {len(session_rows)}, kehadiran: {len(attendance_rows)}")
    del attendance_rows

    # Credentials for completed enrolments (unsigned placeholders, see the module docstring).
    certified = completed[: participants // 5]
    first_credential = w.reserve(Credential, len(certified))
    seq_of: dict[int, int] = {}
    credential_rows = []
    for k, (enrolment_pk, cls) in enumerate(certified):
        issuer = issuers[class_region[cls].split(".")[0]]
        seq = seq_of.get(issuer.pk, issuer.next_seq)
        seq_of[issuer.pk] = seq + 1
        issued = now - timedelta(days=rng.randint(0, 60), minutes=k % 1440)
        revoked = issued + timedelta(days=1) if rng.random() < 0.01 else None
        credential_rows.append(
            (
                first_credential + k,
                issuer.pk,
                enrolment_pk,
                "competency" if rng.random() < 0.2 else "completion",
                f"DTS/{issued.year}/{issuer.region_code}/N{seq:07d}",
                _uuid(rng),
                seq - 1,
                f"Peserta {enrolment_pk}",
                '{"unsigned": "data set nasional"}',
                issued,
                issued + timedelta(days=3 * 365),
                None,
                revoked,
                None,
                "Data uji" if revoked else "",
                "",
            )
        )
    w.write(
        Credential,
        "id issuer enrolment kind number uuid status_index holder_name document issued_at valid_until "
        "issued_by revoked_at revoked_by revocation_reason pdf".split(),
        credential_rows,
    )
    for issuer_pk, next_seq in seq_of.items():
        Issuer.objects.filter(pk=issuer_pk).update(next_seq=next_seq, next_status_index=next_seq - 1)
    say(f"sertifikat: {len(certified)}")

    wanted = participants // 10 if tracers is None else tracers
    n_answers = _tracers(w, rng, completed, class_program, now, wanted)
    say(f"jawaban tracer: {n_answers}")

    # Likely duplicates, pending review.
    flags = []
    for _k in range(participants // 100):
        one = first_person + rng.randrange(participants)
        other = first_person + rng.randrange(participants)
        if one != other:
            flags.append(DuplicateFlag(participant_id=one, similar_to_id=other, similarity=0.93))
    DuplicateFlag.objects.bulk_create(flags, ignore_conflicts=True)
    Participant.objects.filter(pk__in=[f.participant_id for f in flags]).update(duplicate_status="flagged")

    n_agreements = _agreements(
        rng,
        participants,
        ministry,
        agency,
        provinces,
        kabkota,
        pemprov,
        pemda,
        national_programs,
        programs_of_province,
        today,
    )
    w.reset_sequences()
    if connection.vendor == "postgresql":  # fresh statistics, or the planner guesses from empty tables
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = {
        "participants": participants,
        "applications": 2 * participants,
        "classes": n_classes,
        "enrolments": len(enrolled),
        "credentials": len(certified),
        "tracer_answers": n_answers,
        "agreements": n_agreements,
    }
    say("selesai: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts


ACTIVITY_MIX = [
    ("bekerja_penuh", 35),
    ("bekerja_paruh", 15),
    ("wirausaha", 12),
    ("studi", 10),
    ("mencari_kerja", 22),
    ("belum_bekerja", 6),
]
INCOME_MIX = [("lt1", 10), ("1-2", 25), ("2-3", 25), ("3-5", 25), ("5-10", 12), ("gt10", 3)]
BUSINESS_MIX = [("baru", 10), ("naik_kelas", 8), ("tetap", 12), ("tidak_ada", 70)]


def _tracer_answers(rng: random.Random) -> dict[str, Any]:
    activity = _weighted(rng, ACTIVITY_MIX)
    answers: dict[str, Any] = {"activity": activity, "business": _weighted(rng, BUSINESS_MIX)}
    if activity in tracer_default.EMPLOYED:
        answers |= {
            "months_to_job": rng.randint(0, 12),
            "income_band": _weighted(rng, INCOME_MIX),
            "uses_skills": rng.choice(["sangat", "sebagian", "tidak"]),
        }
    answers["satisfaction"] = rng.randint(2, 5)
    return answers


def _tracers(w: _Writer, rng, completed, class_program, now, answers: int) -> int:
    """Rounds, invitations and answers of the default tracer (see the module docstring)."""
    if not answers or not completed:
        return 0
    version = default_survey().current_version
    assert version is not None
    at_three = min(len(completed), answers - answers // 5)
    at_twelve = min(at_three, answers - at_three)
    invited = completed[: min(len(completed), 2 * at_three)]
    programs = sorted({class_program[cls].pk for _e, cls in invited})
    rounds = {}
    for program_pk in programs:
        for months in DEFAULT_OFFSETS:
            rounds[(program_pk, months)] = TracerRound(
                program_id=program_pk, survey=version.survey, offset_months=months
            )
    TracerRound.objects.bulk_create(rounds.values())
    first_invitation = w.reserve(TracerInvitation, len(invited) + at_twelve)
    first_response = w.reserve(TracerResponse, at_three + at_twelve)
    invitation_rows: list[tuple] = []
    response_rows: list[tuple] = []
    activities = [code for code, _w in ACTIVITY_MIX]
    asked = [(k, 3, enrolment, cls) for k, (enrolment, cls) in enumerate(invited)]
    asked += [(len(invited) + k, 12, *invited[k]) for k in range(at_twelve)]
    for k, months, enrolment, cls in asked:
        answered = months == 12 or k < at_three
        sent = now - timedelta(days=rng.randint(1, 60) if months == 3 else rng.randint(1, 10))
        invitation_rows.append(
            (
                first_invitation + k,
                rounds[(class_program[cls].pk, months)].pk,
                enrolment,
                f"lulusan{enrolment}@nasional.contoh.id",
                rng.choice(activities),
                sent.date(),
                sent + timedelta(days=TracerInvitation.VALID_DAYS),
                sent,
                sent,
                sent.date(),
                sent + timedelta(days=rng.randint(0, 14)) if answered else None,
                sent,
            )
        )
        if answered:
            response_rows.append(
                (
                    first_response + len(response_rows),
                    first_invitation + k,
                    version.pk,
                    json.dumps(_tracer_answers(rng)),
                    invitation_rows[-1][10],
                    invitation_rows[-1][10],
                )
            )
    w.write(
        TracerInvitation,
        "id round enrolment email activity_before due_on expires_at sent_at delivered_at last_contact_on "
        "answered_at created_at".split(),
        invitation_rows,
    )
    return w.write(
        TracerResponse, "id invitation version answers submitted_at updated_at".split(), response_rows
    )


def _uuid(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _agreements(
    rng,
    participants,
    ministry,
    agency,
    provinces,
    kabkota,
    pemprov,
    pemda,
    national_programs,
    programs_of_province,
    today,
) -> int:
    start = today - timedelta(days=400)
    end = today + timedelta(days=4 * 365)
    mou = Agreement.objects.create(
        type=AgreementType.MOU,
        title="Nota Kesepahaman Nasional Talenta Digital 2026",
        number="NK/NAS/2026/001",
        topics=["digital_talent", "certification"],
        signed_date=start,
        start_date=start,
        end_date=end,
        status=Status.BERLAKU,
    )
    parties = [AgreementParty(agreement=mou, organization=ministry, role="pihak_pertama")]
    parties += [
        AgreementParty(agreement=mou, organization=pemprov[p.code], role="pihak_kedua") for p in provinces
    ]
    agreements: list[Agreement] = []
    for p in provinces:
        agreements.append(
            Agreement(
                type=AgreementType.PKS,
                title=f"PKS Talenta Digital {p.name}",
                parent=mou,
                number=f"PKS/{p.code}/2026",
                topics=["digital_talent"],
                signed_date=start,
                start_date=start,
                end_date=end,
                status=Status.BERLAKU,
                region=p,
            )
        )
        agreements.append(
            Agreement(
                type=AgreementType.MOU,
                title=f"MoU Literasi Digital {p.name}",
                number=f"MOU/{p.code}/2026",
                topics=["digital_literacy"],
                signed_date=start,
                start_date=start,
                end_date=end,
                status=Status.BERLAKU,
                region=p,
            )
        )
    n_local = max(10, participants // 250 - len(agreements) - 1)
    statuses = [(Status.BERLAKU, 70), (Status.SELESAI, 10), (Status.USULAN, 10), (Status.PEMBAHASAN, 10)]
    for i in range(n_local):
        kab = kabkota[i % len(kabkota)]
        signed = today - timedelta(days=rng.randint(30, 1500))
        status = _weighted(rng, statuses)
        agreements.append(
            Agreement(
                type=AgreementType.PKS if i % 3 else AgreementType.MOU,
                title=f"Kerja sama {THEMES[i % 3]} {kab.name} {i}",
                number=f"KS/{kab.code}/{i:05d}",
                topics=[["digital_talent"], ["smart_city"], ["asn_training"]][i % 3],
                signed_date=signed if status in (Status.BERLAKU, Status.SELESAI) else None,
                start_date=signed,
                end_date=signed + timedelta(days=rng.choice([365, 730, 1825])),
                status=status,
                region=kab,
            )
        )
    Agreement.objects.bulk_create(agreements)
    province_of = {a.pk: a.region.parent_id or a.region_id for a in agreements if a.region}
    for a in agreements:
        if a.parent_id is None and a.region and a.region.level == Region.Level.PROVINCE:
            parties.append(AgreementParty(agreement=a, organization=ministry, role="pihak_pertama"))
            parties.append(AgreementParty(agreement=a, organization=pemprov[a.region_id], role="pihak_kedua"))
        elif a.parent_id:
            parties.append(AgreementParty(agreement=a, organization=agency, role="pihak_pertama"))
            parties.append(AgreementParty(agreement=a, organization=pemprov[a.region_id], role="pihak_kedua"))
        else:
            parties.append(AgreementParty(agreement=a, organization=pemda[a.region_id], role="pihak_pertama"))
            parties.append(
                AgreementParty(agreement=a, organization=pemprov[province_of[a.pk]], role="pihak_kedua")
            )
    AgreementParty.objects.bulk_create(parties)

    links = [Program.agreements.through(program_id=p.pk, agreement_id=mou.pk) for p in national_programs]
    for a in agreements:
        if a.parent_id:  # a province's PKS: the national programmes, counted in that province
            links += [
                Program.agreements.through(program_id=p.pk, agreement_id=a.pk) for p in national_programs
            ]
            continue
        province_programs = programs_of_province[province_of[a.pk]]
        chosen = province_programs if a.region_id == province_of[a.pk] else [rng.choice(province_programs)]
        links += [Program.agreements.through(program_id=p.pk, agreement_id=a.pk) for p in chosen]
    Program.agreements.through.objects.bulk_create(links)

    commitments = []
    for i, a in enumerate([mou, *agreements]):
        for j in range(2 if i % 2 else 3):
            key, unit = METRIC_MIX[(i + j) % len(METRIC_MIX)]
            breakdown: dict[str, Any] = {}
            if a.parent_id:
                breakdown = {"region": a.region_id}
            elif j == 2:
                breakdown = {"level": "dasar"}
            commitments.append(
                Commitment(
                    agreement=a,
                    title=f"Komitmen {j + 1}: {unit}",
                    metric_key=key,
                    target_value=Decimal(rng.choice([500, 1000, 5000, 20000, 100000])),
                    unit=unit,
                    deadline=a.end_date,
                    weight=Decimal(1 + j),
                    breakdown=breakdown,
                )
            )
    Commitment.objects.bulk_create(commitments)
    ManualMeasurement.objects.bulk_create(
        ManualMeasurement(
            commitment=c, value=Decimal(rng.randint(0, int(c.target_value))), evidence_note="Laporan"
        )
        for c in commitments
        if c.metric_key == "manual"
    )
    return 1 + len(agreements)

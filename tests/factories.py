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


# --- programmes, registration, learning -------------------------------------------------------------
import datetime as _dt  # noqa: E402

from django.utils import timezone  # noqa: E402

from sinergi.learning.models import Enrolment  # noqa: E402
from sinergi.programs.models import Academy, Batch, Level, Program, TrainingClass  # noqa: E402
from sinergi.registration.models import Application, ApplicationChoice, Participant  # noqa: E402
from sinergi.registration.nik import compose_nik  # noqa: E402

# A real kecamatan of each demo city, so composed NIKs pass the region check.
KECAMATAN_OF = {"16.71": "16.71.01", "64.72": "64.72.01", "62.02": "62.02.01", "73.71": "73.71.01"}


class AcademyFactory(DjangoModelFactory):
    class Meta:
        model = Academy
        django_get_or_create = ("code",)

    code = "VSGA"
    name = "Vocational School Graduate Academy"


class BatchFactory(DjangoModelFactory):
    class Meta:
        model = Batch

    name = factory.Sequence(lambda n: f"Gelombang Uji {n}")
    region = factory.LazyFunction(lambda: region("16.71"))
    organizer = factory.SubFactory(OrganizationFactory, region=factory.LazyFunction(lambda: region("16.71")))
    registration_opens = factory.LazyFunction(lambda: timezone.now() - _dt.timedelta(days=7))
    registration_closes = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=14))
    status = Batch.Status.OPEN


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    batch = factory.SubFactory(BatchFactory)
    academy = factory.SubFactory(AcademyFactory)
    name = factory.Sequence(lambda n: f"Program Uji {n}")
    level = Level.DASAR
    region = factory.LazyAttribute(lambda p: p.batch.region)


class TrainingClassFactory(DjangoModelFactory):
    class Meta:
        model = TrainingClass

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"KLS-{n:04d}")
    name = factory.Sequence(lambda n: f"Kelas Uji {n}")
    provider = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.PROVIDER)
    region = factory.LazyAttribute(lambda c: c.program.region)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=60))
    hours = 40
    capacity = 30


class ParticipantFactory(DjangoModelFactory):
    """Pass `nik=` to fix the NIK; otherwise one is composed from domicile, birth date and sex."""

    class Meta:
        model = Participant

    full_name = factory.Sequence(lambda n: f"Peserta Uji {n}")
    birth_date = _dt.date(1998, 5, 17)
    sex = "L"
    domicile = factory.LazyFunction(lambda: region("16.71"))
    email = factory.Sequence(lambda n: f"peserta{n}@contoh.id")
    nik = factory.LazyAttributeSequence(
        lambda p, n: compose_nik(
            KECAMATAN_OF.get(p.domicile.code, "16.71.01"), p.birth_date, p.sex, n % 10000
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        nik = kwargs.pop("nik", None)
        obj = model_class(*args, **kwargs)
        obj.set_nik(nik)
        obj.save()
        return obj


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    participant = factory.SubFactory(ParticipantFactory)
    batch = factory.SubFactory(BatchFactory)


def apply_to(participant: Participant, classes: list[TrainingClass], score: float = 0) -> Application:
    """A submitted application ranking `classes` in the order given."""
    application = Application.objects.create(
        participant=participant, batch=classes[0].program.batch, score=score
    )
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, training_class=c, rank=i) for i, c in enumerate(classes, 1)
    )
    return application


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    participant = factory.SubFactory(ParticipantFactory)
    training_class = factory.SubFactory(TrainingClassFactory)


# --- participant import files -------------------------------------------------------------------------
IMPORT_HEADER = [
    "nik",
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "email",
    "telepon",
    "kode_wilayah",
    "kategori",
    "nip",
]


def import_row(i: int, *, region_code: str = "16.71", category: str = "asn", **overrides) -> dict:
    """One valid row of a participant import (an ASN of `region_code` unless told otherwise)."""
    sex = "P" if i % 2 else "L"
    born = _dt.date(1970, 1, 1) + _dt.timedelta(days=(i * 37) % 12000)
    appointed = min(born.year + 25, 2020)  # never in the future, never before 18
    nip = f"{born:%Y%m%d}{appointed}{(i % 12) + 1:02d}{1 if sex == 'L' else 2}{i % 1000:03d}"
    row = {
        "nik": compose_nik(KECAMATAN_OF.get(region_code, "16.71.01"), born, sex, i % 10000),
        "nama": f"Pegawai Uji {i}",
        "tanggal_lahir": born.isoformat(),
        "jenis_kelamin": sex,
        "email": f"pegawai{i}@contoh.go.id",
        "telepon": f"0812{i:08d}",
        "kode_wilayah": region_code,
        "kategori": category,
        "nip": nip if category == "asn" else "",
    }
    row.update(overrides)
    return row


def pdf_bytes(text: str = "Nota kesepakatan kecakapan digital", *, padding: int = 0) -> bytes:
    """A small valid one-page PDF whose text layer holds `text` (ASCII); `padding` bytes of comment
    make it as large as a test needs (e.g. just over the upload limit)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- learning: sessions ------------------------------------------------------------------------------
from sinergi.learning.models import ClassSession  # noqa: E402


class ClassSessionFactory(DjangoModelFactory):
    """A 08.00–12.00 session of 4 JP; numbered in sequence, dated from the class start unless given."""

    class Meta:
        model = ClassSession

    training_class = factory.SubFactory(TrainingClassFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = factory.LazyAttribute(lambda s: s.training_class.starts_on)
    start_time = _dt.time(8, 0)
    end_time = _dt.time(12, 0)
    hours = 4
    topic = factory.Sequence(lambda n: f"Topik {n + 1}")
    instructor = "Pengajar Uji"


# --- records made by the apps' own services (for scoping tests) -----------------------------------------


def allocation_run(
    admin: User, region_code: str = "16.71", *, published: bool = False, applicant: Participant | None = None
):
    """A computed (or published) allocation run of a closed batch in `region_code` with one applicant
    (a new person unless `applicant` is given), made by `admin`."""
    from sinergi.selection import services as selection

    program = ProgramFactory(
        batch__region=region(region_code),
        batch__organizer__region=region(region_code),
        batch__registration_closes=timezone.now() - _dt.timedelta(hours=1),
    )
    training_class = TrainingClassFactory(program=program, capacity=1)
    apply_to(
        applicant or ParticipantFactory(user=UserFactory(), domicile=region(region_code)), [training_class]
    )
    run = selection.compute(admin, selection.draw_seed(admin, selection.create_run(admin, program.batch)))
    if published:
        selection.publish(admin, run)
        run.refresh_from_db()
    return run


def credential_in(training_class: TrainingClass, user: User | None = None):
    """A completion certificate for a new participant who completed `training_class`."""
    from sinergi.credentials.services import issue_credential

    enrolment = EnrolmentFactory(
        training_class=training_class,
        participant__domicile=training_class.region,
        status=Enrolment.Status.COMPLETED,
        completed_at=timezone.now(),
    )
    return issue_credential(enrolment, user=user)


def participant_import_check(admin: User, rows: int = 2):
    """A finished check-only participant import (the web upload's first job), started by `admin`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinergi.core.jobs import run_job_now
    from sinergi.core.models import Job
    from sinergi.registration import imports

    region_code = admin.work_region.code if admin.work_region else "16.71"
    lines = [",".join(IMPORT_HEADER)]
    for i in range(rows):
        row = import_row(90_000 + Job.objects.count() * 100 + i, region_code=region_code)
        lines.append(",".join(str(row.get(column, "")) for column in IMPORT_HEADER))
    upload = SimpleUploadedFile("peserta.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
    path = imports.save_upload(upload, admin)
    job = Job.objects.create(
        kind="registration.import",
        params={"path": path, "filename": "peserta.csv", "user_id": admin.pk, "write": False},
        created_by=admin,
    )
    return run_job_now(job.pk)


NEWS_TEXT = (
    "Pemerintah Kota dan Kementerian Komunikasi dan Digital menandatangani nota kesepahaman "
    "pelatihan talenta digital untuk 500 ASN pada 3 Maret 2026."
)


def intake_draft(officer: User, *, uploaded: bool = False):
    """A draft agreement started by `officer` (in their region) from a short news text: pasted, or
    (`uploaded`) as a PDF, which the intake job reads when the draft is saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sinergi.intake.services import start_draft

    if uploaded:
        upload = SimpleUploadedFile("berita.pdf", pdf_bytes(NEWS_TEXT), content_type="application/pdf")
        return start_draft(user=officer, upload=upload)
    return start_draft(user=officer, text=NEWS_TEXT)

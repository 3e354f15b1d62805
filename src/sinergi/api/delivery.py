"""Applications, allocation results, enrolments and attendance through the API, each read through its
app's scoping selector. The one write: an LMS pushes a session's attendance (idempotent)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from sinergi.accounts.scoping import get_visible_or_404
from sinergi.api import services
from sinergi.api.auth import key_or_session
from sinergi.api.common import MAX_PAGE_SIZE, Page, caller, limit_rate, paginate
from sinergi.api.models import Resource
from sinergi.api.schemas import ErrorOut
from sinergi.learning.models import ClassSession, Enrolment
from sinergi.learning.selectors import classes_managed_by, delivery_classes_visible_to
from sinergi.registration.models import Application, ApplicationChoice
from sinergi.registration.selectors import applications_visible_to
from sinergi.selection.models import AllocationRun, Offer, OfferStatus, RunStatus
from sinergi.selection.selectors import runs_visible_to

router = Router(tags=["pendaftaran, alokasi dan kehadiran"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
MAX_ATTENDANCE_RECORDS = 2000


# --- applications ---------------------------------------------------------------------------------


class ChoiceOut(Schema):
    class_id: int
    rank: int


class ApplicationOut(Schema):
    id: int
    batch_id: int
    participant_id: int
    participant_name: str
    status: str
    status_label: str
    score: float
    created_at: datetime
    choices: list[ChoiceOut]


@router.get(
    "/applications/",
    auth=key_or_session(Resource.APPLICATIONS),
    response={200: Page[ApplicationOut], **ERRORS},
    summary="Daftar pendaftaran",
    description="Pendaftaran dalam cakupan pemanggil (admin daerah: gelombang wilayahnya; penyelenggara: "
    "yang memilih kelasnya; peserta: miliknya sendiri). Cakupan kunci: applications:read.",
)
def list_applications(
    request: HttpRequest,
    batch: int | None = Query(None, description="Id gelombang."),
    status: Application.Status | None = Query(None, description="Status pendaftaran."),  # noqa: B008
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    qs = applications_visible_to(caller(request)).order_by("-created_at", "-pk")
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if status:
        qs = qs.filter(status=status)
    qs = qs.prefetch_related(Prefetch("choices", queryset=ApplicationChoice.objects.order_by("rank")))
    envelope, rows = paginate(request, qs, page, page_size)
    return {
        **envelope,
        "results": [
            {
                "id": a.pk,
                "batch_id": a.batch_id,
                "participant_id": a.participant_id,
                "participant_name": a.participant.full_name,
                "status": a.status,
                "status_label": a.get_status_display(),
                "score": float(a.score),
                "created_at": a.created_at,
                "choices": [{"class_id": c.training_class_id, "rank": c.rank} for c in a.choices.all()],
            }
            for a in rows
        ],
    }


# --- allocation runs and their results --------------------------------------------------------------


class RunOut(Schema):
    id: int
    batch_id: int
    number: int
    kind: str
    status: str
    status_label: str
    input_sha256: str = Field(description="Hash masukan yang diumumkan sebelum undian.")
    seed: int | None = Field(description="Angka undian; bersama hash masukan, hasil dapat diulang siapa pun.")
    published_at: datetime | None


class OfferOut(Schema):
    id: int
    participant_id: int
    participant_name: str
    class_id: int
    seat_kind: str
    status: str
    status_label: str
    deadline: datetime


def run_out(run: AllocationRun) -> dict:
    return {
        "id": run.pk,
        "batch_id": run.batch_id,
        "number": run.number,
        "kind": run.kind,
        "status": run.status,
        "status_label": run.get_status_display(),
        "input_sha256": run.input_sha256,
        "seed": run.seed,
        "published_at": run.published_at,
    }


@router.get(
    "/allocation-runs/",
    auth=key_or_session(Resource.ALLOCATIONS),
    response={200: Page[RunOut], **ERRORS},
    summary="Daftar alokasi kursi",
    description="Alokasi gelombang yang dikelola pemanggil. Cakupan kunci: allocations:read.",
)
def list_runs(
    request: HttpRequest,
    batch: int | None = Query(None, description="Id gelombang."),
    status: RunStatus | None = Query(None, description="Status alokasi."),  # noqa: B008
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    qs = runs_visible_to(caller(request)).order_by("-created_at", "-pk")
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if status:
        qs = qs.filter(status=status)
    envelope, rows = paginate(request, qs, page, page_size)
    return {**envelope, "results": [run_out(r) for r in rows]}


@router.get(
    "/allocation-runs/{int:run_id}/results/",
    auth=key_or_session(Resource.ALLOCATIONS),
    response={200: Page[OfferOut], **ERRORS},
    summary="Hasil satu alokasi",
    description="Tawaran kursi yang diterbitkan alokasi ini dan jawabannya (kosong sebelum diterbitkan).",
)
def run_results(
    request: HttpRequest,
    run_id: int,
    status: OfferStatus | None = Query(None, description="Status tawaran."),  # noqa: B008
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(100, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    run = get_visible_or_404(runs_visible_to(caller(request)), pk=run_id)
    qs = Offer.objects.filter(run=run).select_related("participant").order_by("pk")
    if status:
        qs = qs.filter(status=status)
    envelope, rows = paginate(request, qs, page, page_size)
    return {
        **envelope,
        "results": [
            {
                "id": o.pk,
                "participant_id": o.participant_id,
                "participant_name": o.participant.full_name,
                "class_id": o.training_class_id,
                "seat_kind": o.seat_kind,
                "status": o.status,
                "status_label": o.get_status_display(),
                "deadline": o.deadline,
            }
            for o in rows
        ],
    }


# --- enrolments and attendance ----------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    number: int
    date: date
    topic: str


class EnrolmentOut(Schema):
    id: int
    participant_id: int
    participant_name: str
    email: str = Field(description="Untuk mencocokkan peserta dengan akun LMS.")
    status: str
    status_label: str
    sessions_present: int


class ClassEnrolmentsOut(Page[EnrolmentOut]):
    sessions: list[SessionOut]


@router.get(
    "/classes/{int:class_id}/enrolments/",
    auth=key_or_session(Resource.ATTENDANCE),
    response={200: ClassEnrolmentsOut, **ERRORS},
    summary="Peserta dan sesi satu kelas",
    description="Peserta kelas dengan jumlah sesi yang dihadiri, dan sesi-sesi kelas. Cakupan kunci: "
    "attendance:read.",
)
def class_enrolments(
    request: HttpRequest,
    class_id: int,
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(100, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    training_class = get_visible_or_404(delivery_classes_visible_to(caller(request)), pk=class_id)
    qs = (
        Enrolment.objects.filter(training_class=training_class)
        .select_related("participant")
        .annotate(sessions_present=Count("attendances", filter=Q(attendances__present=True)))
        .order_by("participant__full_name", "pk")
    )
    envelope, rows = paginate(request, qs, page, page_size)
    sessions = ClassSession.objects.filter(training_class=training_class).order_by("number")
    return {
        **envelope,
        "sessions": [{"id": s.pk, "number": s.number, "date": s.date, "topic": s.topic} for s in sessions],
        "results": [
            {
                "id": e.pk,
                "participant_id": e.participant_id,
                "participant_name": e.participant.full_name,
                "email": e.participant.email,
                "status": e.status,
                "status_label": e.get_status_display(),
                "sessions_present": e.sessions_present,
            }
            for e in rows
        ],
    }


class _Strict(Schema):
    # A misspelt field is an error, not silently ignored.
    model_config = ConfigDict(extra="forbid")


class AttendanceRecordIn(_Strict):
    enrolment_id: int = Field(ge=1, le=2**62)
    present: bool


class AttendanceIn(_Strict):
    session: int = Field(ge=1, le=32767, description="Nomor sesi kelas (sesi ke-).")
    records: list[AttendanceRecordIn] = Field(min_length=1, max_length=MAX_ATTENDANCE_RECORDS)


class AttendanceOut(Schema):
    session_id: int
    session: int
    present: int
    absent: int
    created: int = Field(description="Baris kehadiran baru.")
    changed: int = Field(description="Baris yang berubah (hadir ↔ tidak hadir).")
    unchanged: int = Field(description="Baris yang sudah sama; mengirim ulang data yang sama aman.")


@router.post(
    "/classes/{int:class_id}/attendance/",
    auth=key_or_session(Resource.ATTENDANCE, "write", session_roles=("provider_staff",)),
    response={200: AttendanceOut, 400: ErrorOut, **ERRORS},
    summary="Kirim kehadiran satu sesi",
    description="Untuk LMS penyelenggara: kehadiran peserta pada satu sesi. Idempoten: mengirim ulang data "
    "yang sama tidak mengubah apa pun. Semua baris diperiksa lebih dulu; satu baris salah, tidak ada yang "
    "disimpan. Cakupan kunci: attendance:write; dengan sesi login: staf penyelenggara (token CSRF).",
)
def push_attendance(request: HttpRequest, class_id: int, payload: AttendanceIn):
    limit_rate(request)
    training_class = get_visible_or_404(classes_managed_by(caller(request)), pk=class_id)
    result = services.push_attendance(
        training_class=training_class,
        session_number=payload.session,
        marks=[(r.enrolment_id, r.present) for r in payload.records],
        user=caller(request),
    )
    return result

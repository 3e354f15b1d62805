"""/api/v1/programmes/ and /api/v1/classes/: the programmes and classes the caller may see (the
programmes selectors' scope: a region's key its region's batches, a provider's key its own classes),
with each class's seats."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sinergi.accounts.scoping import get_visible_or_404
from sinergi.api.auth import key_or_session
from sinergi.api.common import MAX_PAGE_SIZE, Page, caller, limit_rate, paginate
from sinergi.api.models import Resource
from sinergi.api.schemas import ErrorOut
from sinergi.learning.models import Enrolment
from sinergi.programs.models import Batch, Level, TrainingClass
from sinergi.programs.selectors import classes_visible_to, programs_visible_to

router = Router(tags=["program dan kelas"])
READ = key_or_session(Resource.PROGRAMS)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class BatchOut(Schema):
    id: int
    name: str
    status: str
    status_label: str
    region_code: str | None
    registration_opens: str
    registration_closes: str


class ProgrammeOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    academy_code: str
    academy: str
    batch: BatchOut
    region_code: str | None = Field(description="Wilayah program, bila berbeda dari gelombangnya.")


class SeatsOut(Schema):
    capacity: int = Field(description="Kapasitas kelas.")
    reserved: dict[str, int] = Field(description="Kursi cadangan per kategori peserta.")
    filled: int = Field(description="Peserta terdaftar di kelas (tidak termasuk yang mengundurkan diri).")
    available: int = Field(description="Kapasitas dikurangi peserta terdaftar, paling kecil 0.")


class ClassOut(Schema):
    id: int
    code: str
    name: str
    programme_id: int
    programme: str
    provider_id: int | None
    provider: str | None
    mode: str
    mode_label: str
    region_code: str | None
    starts_on: date
    ends_on: date
    hours: int
    seats: SeatsOut


def _batch(b: Batch) -> dict:
    return {
        "id": b.pk,
        "name": b.name,
        "status": b.status,
        "status_label": b.get_status_display(),
        "region_code": b.region_id,
        "registration_opens": b.registration_opens.isoformat(),
        "registration_closes": b.registration_closes.isoformat(),
    }


def programme_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "level": p.level,
        "level_label": p.get_level_display(),
        "academy_code": p.academy.code,
        "academy": p.academy.name,
        "batch": _batch(p.batch),
        "region_code": p.region_id,
    }


def class_out(c: TrainingClass) -> dict:
    filled = getattr(c, "filled", 0)
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "programme_id": c.program_id,
        "programme": c.program.name,
        "provider_id": c.provider_id,
        "provider": c.provider.name if c.provider else None,
        "mode": c.mode,
        "mode_label": c.get_mode_display(),
        "region_code": c.region_id,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "hours": c.hours,
        "seats": {
            "capacity": c.capacity,
            "reserved": {str(k): int(v) for k, v in (c.reserved_seats or {}).items()},
            "filled": filled,
            "available": max(c.capacity - filled, 0),
        },
    }


def _with_seats(qs):
    return qs.annotate(filled=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN)))


@router.get(
    "/programmes/",
    auth=READ,
    response={200: Page[ProgrammeOut], **ERRORS},
    summary="Daftar program",
    description="Program dalam cakupan pemanggil. Cakupan kunci: programs:read.",
)
def list_programmes(
    request: HttpRequest,
    batch: int | None = Query(None, description="Id gelombang."),
    level: Level | None = Query(None, description="Tingkat program."),  # noqa: B008
    academy: str = Query("", max_length=20, description="Kode akademi."),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    qs = programs_visible_to(caller(request)).order_by("-batch__registration_closes", "pk")
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if level:
        qs = qs.filter(level=level)
    if academy:
        qs = qs.filter(academy__code=academy)
    envelope, rows = paginate(request, qs, page, page_size)
    return {**envelope, "results": [programme_out(p) for p in rows]}


@router.get(
    "/programmes/{int:programme_id}/",
    auth=READ,
    response={200: ProgrammeOut, **ERRORS},
    summary="Satu program",
)
def get_programme(request: HttpRequest, programme_id: int):
    limit_rate(request)
    return programme_out(get_visible_or_404(programs_visible_to(caller(request)), pk=programme_id))


@router.get(
    "/classes/",
    auth=READ,
    response={200: Page[ClassOut], **ERRORS},
    summary="Daftar kelas dengan kursinya",
    description="Kelas dalam cakupan pemanggil, dengan kapasitas, kursi cadangan dan kursi terisi. "
    "Cakupan kunci: programs:read.",
)
def list_classes(
    request: HttpRequest,
    programme: int | None = Query(None, description="Id program."),
    batch: int | None = Query(None, description="Id gelombang."),
    mode: TrainingClass.Mode | None = Query(None, description="Moda kelas."),  # noqa: B008
    region: str = Query(
        "", max_length=13, description="Kode Kemendagri; provinsi termasuk kabupaten/kotanya."
    ),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    qs = _with_seats(classes_visible_to(caller(request))).order_by("starts_on", "pk")
    if programme is not None:
        qs = qs.filter(program_id=programme)
    if batch is not None:
        qs = qs.filter(program__batch_id=batch)
    if mode:
        qs = qs.filter(mode=mode)
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__code__startswith=region + "."))
    envelope, rows = paginate(request, qs, page, page_size)
    return {**envelope, "results": [class_out(c) for c in rows]}


@router.get(
    "/classes/{int:class_id}/",
    auth=READ,
    response={200: ClassOut, **ERRORS},
    summary="Satu kelas dengan kursinya",
)
def get_class(request: HttpRequest, class_id: int):
    limit_rate(request)
    return class_out(get_visible_or_404(_with_seats(classes_visible_to(caller(request))), pk=class_id))

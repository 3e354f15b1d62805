"""Certificates (status, and verification by number and check code), the metric registry and the
progress of commitments, through the API."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sinergi.accounts.scoping import get_visible_or_404
from sinergi.api.auth import key_or_session
from sinergi.api.common import MAX_PAGE_SIZE, Page, caller, limit_rate, paginate
from sinergi.api.models import Resource
from sinergi.api.schemas import ErrorOut
from sinergi.credentials import services as credential_services
from sinergi.credentials.models import Credential
from sinergi.credentials.selectors import credentials_visible_to
from sinergi.partnerships.metrics import METRICS, progress_for_commitments
from sinergi.partnerships.models import Commitment
from sinergi.partnerships.selectors import agreements_visible_to

router = Router(tags=["sertifikat dan kemajuan"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
CREDENTIAL_STATUSES = ("valid", "revoked", "expired")


class CredentialOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    holder_name: str
    issuer: str
    class_id: int | None
    issued_at: datetime
    valid_until: datetime | None
    status: str = Field(description="valid, revoked atau expired.")
    revoked_at: datetime | None
    revocation_reason: str


def _status(c: Credential, now: datetime) -> str:
    if c.revoked_at is not None:
        return "revoked"
    if c.valid_until is not None and c.valid_until <= now:
        return "expired"
    return "valid"


def credential_out(c: Credential, now: datetime) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "holder_name": c.holder_name,
        "issuer": c.issuer.organization.name,
        "class_id": c.enrolment.training_class_id if c.enrolment is not None else None,
        "issued_at": c.issued_at,
        "valid_until": c.valid_until,
        "status": _status(c, now),
        "revoked_at": c.revoked_at,
        "revocation_reason": c.revocation_reason,
    }


@router.get(
    "/credentials/",
    auth=key_or_session(Resource.CREDENTIALS),
    response={200: Page[CredentialOut], **ERRORS},
    summary="Daftar sertifikat",
    description="Sertifikat dalam cakupan pemanggil, terbaru lebih dulu. Cakupan kunci: credentials:read.",
)
def list_credentials(
    request: HttpRequest,
    class_id: int | None = Query(None, description="Id kelas."),
    revoked: bool | None = Query(None, description="true: hanya yang dicabut; false: hanya yang tidak."),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    qs = credentials_visible_to(caller(request)).defer("document").order_by("-issued_at", "-id")
    if class_id is not None:
        qs = qs.filter(enrolment__training_class_id=class_id)
    if revoked is not None:
        qs = qs.filter(revoked_at__isnull=not revoked)
    envelope, rows = paginate(request, qs, page, page_size)
    now = timezone.now()
    return {**envelope, "results": [credential_out(c, now) for c in rows]}


@router.get(
    "/credentials/{int:credential_id}/",
    auth=key_or_session(Resource.CREDENTIALS),
    response={200: CredentialOut, **ERRORS},
    summary="Status satu sertifikat",
)
def get_credential(request: HttpRequest, credential_id: int):
    limit_rate(request)
    credential = get_visible_or_404(
        credentials_visible_to(caller(request)).defer("document"), pk=credential_id
    )
    return credential_out(credential, timezone.now())


class VerificationOut(Schema):
    status: str = Field(description="valid, revoked, expired, unknown, tampered atau invalid.")
    reason: str
    number: str
    holder_masked: str
    programme: str
    issuer_name: str
    valid_from: str
    valid_until: str
    revoked_at: datetime | None


@router.get(
    "/credentials/verify/",
    response={200: VerificationOut, 422: ErrorOut, 429: ErrorOut},
    summary="Verifikasi sertifikat",
    description="Tanpa login, seperti halaman verifikasi: nomor sertifikat dan kode cek yang tercetak di "
    "sampingnya. Nomor yang tidak ada dan kode yang salah dijawab sama (status unknown).",
)
def verify_credential(
    request: HttpRequest,
    number: str = Query(..., min_length=1, max_length=credential_services.MAX_NUMBER_CHARS),
    code: str = Query(..., min_length=1, max_length=40, description="Kode cek."),
):
    limit_rate(request)
    result = credential_services.check_number(number.strip(), code.strip())
    return {
        "status": result.status,
        "reason": str(result.reason),
        "number": result.number,
        "holder_masked": result.holder_masked,
        "programme": result.programme,
        "issuer_name": result.issuer_name,
        "valid_from": result.valid_from,
        "valid_until": result.valid_until,
        "revoked_at": result.revoked_at,
    }


class MetricOut(Schema):
    key: str
    label: str
    description: str


@router.get(
    "/metrics/",
    auth=key_or_session(Resource.METRICS),
    response={200: list[MetricOut], 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Daftar metrik",
    description="Metrik yang dapat dipakai komitmen: setiap metrik adalah hitungan atas data nyata.",
)
def list_metrics(request: HttpRequest):
    limit_rate(request)
    return [
        {"key": m.key, "label": str(m.label), "description": str(m.description)}
        for m in sorted(METRICS.values(), key=lambda m: m.key)
    ]


class CommitmentProgressOut(Schema):
    value: float
    percent: float
    expected_percent: float
    status: str
    status_label: str
    measured_at: datetime | None


class CommitmentRowOut(Schema):
    id: int
    agreement_id: int
    agreement_title: str
    region_code: str | None
    title: str
    metric: str
    target: float
    baseline: float
    unit: str
    deadline: date
    progress: CommitmentProgressOut


@router.get(
    "/commitments/",
    auth=key_or_session(Resource.METRICS),
    response={200: Page[CommitmentRowOut], **ERRORS},
    summary="Kemajuan komitmen",
    description="Komitmen kerja sama yang terlihat oleh pemanggil, dengan kemajuan yang dihitung dari data. "
    "Cakupan kunci: metrics:read.",
)
def list_commitments(
    request: HttpRequest,
    agreement: int | None = Query(None, description="Id kerja sama."),
    metric: str = Query("", max_length=60, description="Kunci metrik."),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    limit_rate(request)
    visible = agreements_visible_to(caller(request))
    qs = (
        Commitment.objects.filter(agreement__in=visible.values("pk"))
        .select_related("agreement")
        .order_by("deadline", "pk")
    )
    if agreement is not None:
        qs = qs.filter(agreement_id=agreement)
    if metric:
        qs = qs.filter(metric_key=metric)
    envelope, rows = paginate(request, qs, page, page_size)
    progress = progress_for_commitments(rows, timezone.localdate())
    return {
        **envelope,
        "results": [
            {
                "id": c.pk,
                "agreement_id": c.agreement_id,
                "agreement_title": c.agreement.title,
                "region_code": c.agreement.region_id,
                "title": c.title,
                "metric": c.metric_key,
                "target": float(c.target_value),
                "baseline": float(c.baseline),
                "unit": c.unit,
                "deadline": c.deadline,
                "progress": {
                    "value": float(progress[c.pk].value),
                    "percent": progress[c.pk].percent,
                    "expected_percent": progress[c.pk].expected_percent,
                    "status": progress[c.pk].status,
                    "status_label": str(progress[c.pk].status_label),
                    "measured_at": progress[c.pk].measured_at,
                },
            }
            for c in rows
        ],
    }

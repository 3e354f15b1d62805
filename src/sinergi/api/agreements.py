"""/api/v1/agreements/: read without login (signed agreements), read more and write when signed in.

Reads go through the partnerships selectors (a signed-in officer also sees their scope's drafts);
writes go through partnerships.services (create_agreement, update_agreement), and are for
national admins and for regional admins within their region. Session auth with CSRF."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Query, Router
from ninja import Status as Reply
from ninja.security import SessionAuth

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.api.errors import ApiError, field_error
from sinergi.api.schemas import (
    AgreementCreated,
    AgreementIn,
    AgreementOut,
    AgreementPage,
    AgreementPatch,
    ErrorOut,
)
from sinergi.partnerships import services
from sinergi.partnerships.metrics import METRICS
from sinergi.partnerships.models import Agreement, Status
from sinergi.partnerships.selectors import (
    AgreementRow,
    agreement_rows,
    agreements_visible_to,
    can_create_agreement_in,
    can_manage_agreement,
    filter_agreements,
    link_refused,
    manageable_agreements,
    parse_agreement_filters,
    sort_rows_by_progress,
    with_parties_and_commitments,
)
from sinergi.regions.models import Region

router = Router(tags=["kerja sama"])

MAX_PAGE_SIZE = 100
WRITER_ROLES = ("national_admin", "regional_admin")


def _api_rate(group: str, request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return settings.SINERGI_API_ACCOUNT_RATE
    return settings.SINERGI_API_ANONYMOUS_RATE


def _limit_rate(request: HttpRequest) -> None:
    """Every request is rate-limited: per account with a session (a higher rate), else per address."""
    if is_ratelimited(request, group="api:agreements", key="user_or_ip", rate=_api_rate, increment=True):
        raise ApiError(429, _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."))


def _visible(request: HttpRequest):
    # Anonymous visitors get the public list; an officer's scope adds their region's drafts.
    return agreements_visible_to(request.user if request.user.is_authenticated else None)


def _num(value) -> float:
    return float(value)


def agreement_out(request: HttpRequest, row: AgreementRow) -> dict[str, Any]:
    a = row.agreement
    return {
        "id": a.pk,
        "url": request.build_absolute_uri(reverse("partnerships:agreement_detail", args=[a.pk])),
        "title": a.title,
        "number": a.number,
        "type": a.type,
        "type_label": a.get_type_display(),
        "scheme": a.scheme,
        "status": a.status,
        "status_label": a.get_status_display(),
        "is_public": a.is_public,
        "topics": list(a.topics),
        "topic_labels": a.topic_labels(),
        "scope": a.scope,
        "signed_date": a.signed_date,
        "signed_place": a.signed_place,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "region": {"code": a.region.code, "name": a.region.name, "level": a.region.level}
        if a.region
        else None,
        "parent_id": a.parent_id,
        "parties": [
            {
                "organization": {
                    "id": p.organization.pk,
                    "name": p.organization.name,
                    "short_name": p.organization.short_name,
                    "kind": p.organization.kind,
                    "kind_label": p.organization.get_kind_display(),
                    "region_code": p.organization.region_id,
                },
                "role": p.role,
                "role_label": p.get_role_display(),
                "signatory_name": p.signatory_name,
                "signatory_position": p.signatory_position,
                "party_number": p.party_number,
            }
            for p in a.parties.all()
        ],
        "commitments": [
            {
                "id": c.pk,
                "title": c.title,
                "metric": c.metric_key,
                "metric_label": str(METRICS[c.metric_key].label) if c.metric_key in METRICS else c.metric_key,
                "target": _num(c.target_value),
                "unit": c.unit,
                "deadline": c.deadline,
                "baseline": _num(c.baseline),
                "weight": _num(c.weight),
                "breakdown": c.breakdown,
                "progress": {
                    "value": _num(p.value),
                    "percent": p.percent,
                    "expected_percent": p.expected_percent,
                    "status": p.status,
                    "status_label": p.status_label,
                },
            }
            for c, p in row.commitments
        ],
        "progress": {
            "percent": row.rollup.percent if row.has_progress else None,
            "status": row.rollup.status,
            "status_label": row.status_label or None,
        },
    }


def _one(request: HttpRequest, pk: int) -> dict[str, Any]:
    agreement = get_visible_or_404(with_parties_and_commitments(_visible(request)), pk=pk)
    return agreement_out(request, agreement_rows([agreement], timezone.localdate())[0])


@router.get(
    "/",
    response={200: AgreementPage, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Daftar kerja sama",
    description="Tanpa login: kerja sama yang telah ditandatangani. Dengan sesi login: ditambah kerja sama "
    "dalam cakupan Anda (usulan, pembahasan). Saringan sama dengan halaman /kerja-sama/.",
)
def list_agreements(
    request: HttpRequest,
    q: str = Query("", description="Cari di judul, nomor dan nama pihak."),
    region: str = Query("", description="Kode Kemendagri; provinsi termasuk kabupaten/kotanya."),
    partner: int | None = Query(None, description="Id organisasi mitra (termasuk unit di bawahnya)."),
    type: str = Query("", description="Jenis: mou, nota_kesepakatan, pks, addendum."),  # noqa: A002
    status: str = Query("", description="Status kerja sama."),
    topic: str = Query("", description="Topik."),
    expiring_soon: bool = Query(False, description="Berlaku dan berakhir dalam 90 hari."),
    sort: str = Query(
        "", description="end_date, -end_date, signed_date, -signed_date, title, progress, -progress."
    ),
    page: int = Query(1, ge=1),
    page_size: int = Query(25, ge=1, le=MAX_PAGE_SIZE),
):
    _limit_rate(request)
    filters = parse_agreement_filters(
        q=q,
        region=region,
        partner=partner,
        type=type,
        status=status,
        topic=topic,
        expiring_soon=expiring_soon,
        sort=sort,
        strict=True,
    )
    today = timezone.localdate()
    filtered = filter_agreements(_visible(request), filters, today)
    if filters.sort in ("progress", "-progress"):
        rows = sort_rows_by_progress(
            agreement_rows(with_parties_and_commitments(filtered), today), filters.sort
        )
        paginator: Paginator = Paginator(rows, page_size)
    else:
        paginator = Paginator(filtered, page_size)
    if page > max(paginator.num_pages, 1):
        raise field_error(
            "page",
            _("halaman %(page)s tidak ada; jumlah halaman %(n)s.") % {"page": page, "n": paginator.num_pages},
            status=404,
        )
    current = paginator.page(page)
    if filters.sort in ("progress", "-progress"):
        results = list(current.object_list)
    else:
        ids = [a.pk for a in current.object_list]
        by_id = {a.pk: a for a in with_parties_and_commitments(Agreement.objects.filter(pk__in=ids))}
        results = agreement_rows([by_id[i] for i in ids], today)

    def link(number: int) -> str:
        params = {k: v for k, v in request.GET.items() if k != "page"}
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    return {
        "count": paginator.count,
        "page": page,
        "page_size": page_size,
        "num_pages": paginator.num_pages,
        "next": link(page + 1) if current.has_next() else None,
        "previous": link(page - 1) if current.has_previous() else None,
        "results": [agreement_out(request, row) for row in results],
    }


@router.get(
    "/{int:agreement_id}/",
    response={200: AgreementOut, 404: ErrorOut, 429: ErrorOut},
    summary="Satu kerja sama",
    description="Dengan para pihak dan komitmen beserta kemajuan yang dihitung dari data.",
)
def get_agreement(request: HttpRequest, agreement_id: int):
    _limit_rate(request)
    return _one(request, agreement_id)


def _require_writer(request: HttpRequest) -> None:
    if scope_for(request.user).role not in WRITER_ROLES:
        raise ApiError(403, _("Hanya admin daerah dan admin nasional yang dapat mengubah kerja sama."))


class WriterSession(SessionAuth):
    """The session of an account that may write agreements. The role is checked with the login, before
    the body is read, so a wrong role gets 403 whatever it sent (anonymous: 401), as on the pages."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None:
            _require_writer(request)
        return user


writer_session = WriterSession()


@router.post(
    "/",
    auth=writer_session,
    response={201: AgreementCreated, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Tambah kerja sama",
    description="Untuk admin nasional dan admin daerah (wilayahnya sendiri). Sesi login dan token CSRF.",
)
def create_agreement(request: HttpRequest, payload: AgreementIn):
    _require_writer(request)
    region = None
    if payload.region_code:
        region = Region.objects.filter(code=payload.region_code).exclude(level=Region.Level.DISTRICT).first()
        if region is None:
            raise field_error(
                "region_code", _("kode wilayah '%(code)s' tidak dikenal.") % {"code": payload.region_code}
            )
    if not can_create_agreement_in(request.user, region):
        raise ApiError(403, _("Anda tidak berwenang menambah kerja sama untuk wilayah ini."))
    if payload.status == Status.KEDALUWARSA:
        raise field_error("status", _("Kedaluwarsa ditetapkan otomatis setelah tanggal berakhir."))
    parent = None
    if payload.parent_id is not None:
        parent = manageable_agreements(request.user).filter(pk=payload.parent_id).first()
        if parent is None:
            raise field_error("parent_id", link_refused(payload.parent_id))
    for index, commitment in enumerate(payload.commitments):
        if commitment.metric not in METRICS:
            raise field_error(
                f"commitments[{index}].metric",
                _("metrik '%(key)s' tidak dikenal; pilihan: %(choices)s.")
                % {"key": commitment.metric, "choices": ", ".join(sorted(METRICS))},
            )
    result = services.create_agreement(
        user=request.user,
        type=payload.type,
        title=payload.title,
        start_date=payload.start_date,
        end_date=payload.end_date,
        region=region,
        status=payload.status,
        number=payload.number,
        scheme=payload.scheme,
        topics=[str(t) for t in payload.topics],
        scope=payload.scope,
        signed_date=payload.signed_date,
        signed_place=payload.signed_place,
        parent=parent,
        parties=[
            services.PartyInput(
                p.organization_id, p.role, p.signatory_name, p.signatory_position, p.party_number
            )
            for p in payload.parties
        ],
        commitments=[
            services.CommitmentInput(
                title=c.title,
                target_value=c.target,
                unit=c.unit,
                deadline=c.deadline,
                metric_key=c.metric,
                baseline=c.baseline,
                weight=c.weight,
                breakdown=c.breakdown,
            )
            for c in payload.commitments
        ],
    )
    return Reply(201, {**_one(request, result.agreement.pk), "warnings": result.warnings})


@router.patch(
    "/{int:agreement_id}/",
    auth=writer_session,
    response={200: AgreementOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Ubah kerja sama",
    description="Judul, nomor, tanggal, dan status (melalui alur status yang diizinkan, dengan alasan).",
)
def update_agreement(request: HttpRequest, agreement_id: int, payload: AgreementPatch):
    _require_writer(request)
    agreement = get_visible_or_404(agreements_visible_to(request.user), pk=agreement_id)
    if not can_manage_agreement(request.user, agreement):
        # Outside the scope this officer manages: a 404, as on the office's pages (core.access).
        raise Http404
    sent = payload.model_dump(exclude_unset=True)
    status = sent.pop("status", None)
    reason = sent.pop("reason", "")
    for required in ("title", "start_date", "end_date"):
        if required in sent and sent[required] is None:
            raise field_error(required, _("tidak boleh kosong."))
    services.update_agreement(agreement=agreement, user=request.user, status=status, reason=reason, **sent)
    return _one(request, agreement_id)

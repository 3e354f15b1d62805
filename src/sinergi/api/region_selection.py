"""Public API of region selection: calls and, once published, their ranking with each breakdown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Router, Schema

from sinergi.api.errors import ApiError
from sinergi.api.schemas import ErrorOut
from sinergi.readiness import region_selection
from sinergi.readiness.models import SelectionCall

router = Router(tags=["seleksi wilayah"])


class CriterionOut(Schema):
    key: str
    label: str
    weight: str


class FormulaOut(Schema):
    rule: str
    criteria: list[CriterionOut]


class RankingRowOut(Schema):
    rank: int
    region_code: str
    region: str
    score: str
    breakdown: dict[str, dict[str, str | None]]
    selected: bool


class SelectionCallSummaryOut(Schema):
    id: int
    name: str
    quota: int
    year: int
    status: str
    applicants: int


class SelectionCallOut(Schema):
    id: int
    name: str
    quota: int
    year: int
    status: str
    formula: FormulaOut
    ranking: list[RankingRowOut]


RULE = (
    "score = Σ weight × normalised(value); index 1–5 → (v−1)/4×100, percent capped at 100, reference "
    "indices min–max over applicants; missing = 0; ties: criteria in formula order, then region code"
)


def _limit_rate(request: HttpRequest) -> None:
    from sinergi.api.agreements import _api_rate

    if is_ratelimited(
        request, group="api:region-selection", key="user_or_ip", rate=_api_rate, increment=True
    ):
        raise ApiError(429, _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."))


def _public_ranking(call: SelectionCall) -> list[dict[str, Any]]:
    if call.status != SelectionCall.Status.PUBLISHED:
        return []
    return [
        {
            "rank": entry.rank,
            "region_code": entry.region_id,
            "region": entry.region.name,
            "score": str(entry.score),
            "breakdown": entry.breakdown,
            "selected": entry.selected,
        }
        for entry in region_selection.ranking_rows(call)
    ]


@router.get(
    "/",
    response={200: list[SelectionCallSummaryOut], 429: ErrorOut},
    summary="Daftar seleksi wilayah",
    description="Setiap panggilan seleksi wilayah program nasional: kuota, status dan jumlah pendaftar.",
)
def list_calls(request: HttpRequest):
    _limit_rate(request)
    calls = region_selection.calls_visible_to(None).order_by("-year", "-created_at")[:200]
    counts = region_selection.applicant_counts([c.pk for c in calls])
    return [
        {
            "id": c.pk,
            "name": c.name,
            "quota": c.quota,
            "year": c.year,
            "status": c.status,
            "applicants": counts.get(c.pk, 0),
        }
        for c in calls
    ]


@router.get(
    "/{int:call_id}/",
    response={200: SelectionCallOut, 404: ErrorOut, 429: ErrorOut},
    summary="Satu seleksi wilayah",
    description="Rumus yang diumumkan dan, setelah hasil diumumkan, peringkat semua pendaftar "
    "(urut peringkat) dengan rincian nilai tiap kriteria.",
)
def get_call(request: HttpRequest, call_id: int):
    _limit_rate(request)
    call = region_selection.call_for(None, call_id)
    return {
        "id": call.pk,
        "name": call.name,
        "quota": call.quota,
        "year": call.year,
        "status": call.status,
        "formula": {
            "rule": RULE,
            "criteria": [
                {
                    "key": item["key"],
                    "label": region_selection.criterion_label(item["key"]),
                    "weight": str(item["weight"]),
                }
                for item in call.formula
            ],
        },
        "ranking": _public_ranking(call),
    }

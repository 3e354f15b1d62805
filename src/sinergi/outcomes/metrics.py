"""Commitment metrics over tracer answers: what graduates do after training.

Scope: tracer invitations of graduates of classes whose programme is linked to the commitment's
agreement (Program.agreements). A graduate who answered several rounds (3 and 12 months) counts once,
with the answer of their latest round, unless the breakdown names a round.

Keys of `commitment.breakdown` read here (besides the filters of credentials/metrics.py: category,
level, region, academy):
    "round"              offset in months of the round to count, e.g. 12 (default: each graduate's
                         latest answered round)
    "min_wage_multiple"  outcomes.income_above only: the threshold as a multiple of the provincial
                         minimum wage (UMP), default 1, e.g. 1.5
    "rate"               outcomes.response_rate only: "gross" (answered / sent, the default) or "net"
                         (answered / delivered)

The metrics:
    outcomes.employed_after    % of respondents working full or part time or self-employed
    outcomes.business_started  number of graduates who reported, in any round, a business started or
                               grown (UMKM naik kelas) — a count, so "10.000 UKM naik kelas" is measured
    outcomes.income_above      % of respondents whose income band starts at or above the multiple of the
                               UMP of their domicile's province, for the year of the answer (or the
                               latest earlier year listed). Respondents of a province without a UMP
                               figure are left out of both counts
    outcomes.response_rate     % of invitations answered: of those sent (gross) or delivered (net)
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from sinergi.credentials.metrics import breakdown_filters
from sinergi.outcomes import tracer_default
from sinergi.outcomes.models import MinimumWage, TracerInvitation, TracerResponse
from sinergi.partnerships.metrics import MetricValue, register_metric

if TYPE_CHECKING:
    from sinergi.partnerships.models import Commitment


def _filter(qs: QuerySet, filters: dict[str, list[str]], prefix: str) -> QuerySet:
    if "category" in filters:
        qs = qs.filter(**{f"{prefix}participant__category__in": filters["category"]})
    if "level" in filters:
        qs = qs.filter(**{f"{prefix}training_class__program__level__in": filters["level"]})
    if "academy" in filters:
        qs = qs.filter(**{f"{prefix}training_class__program__academy__code__in": filters["academy"]})
    if "region" in filters:
        area = Q()
        for code in filters["region"]:
            area |= Q(**{f"{prefix}participant__domicile_id": code}) | Q(
                **{f"{prefix}participant__domicile__code__startswith": code + "."}
            )
        qs = qs.filter(area)
    return qs


def _round(breakdown: dict) -> int | None:
    value = breakdown.get("round")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def invitations_for(commitment: Commitment) -> QuerySet[TracerInvitation]:
    breakdown = commitment.breakdown or {}
    qs = TracerInvitation.objects.filter(
        enrolment__training_class__program__agreements=commitment.agreement_id
    )
    offset = _round(breakdown)
    if offset is not None:
        qs = qs.filter(round__offset_months=offset)
    return _filter(qs, breakdown_filters(breakdown), "enrolment__").distinct()


def responses_for(commitment: Commitment) -> QuerySet[TracerResponse]:
    return TracerResponse.objects.filter(invitation__in=invitations_for(commitment).values("pk"))


def latest_answers(commitment: Commitment) -> list[dict[str, Any]]:
    """One row per graduate: the answers of their latest answered round, with what the metrics need."""
    rows = responses_for(commitment).values_list(
        "invitation__enrolment_id",
        "invitation__round__offset_months",
        "answers",
        "version_id",
        "submitted_at",
        "invitation__enrolment__participant__domicile_id",
    )
    latest: dict[int, dict[str, Any]] = {}
    for enrolment_id, offset, answers, version_id, submitted_at, domicile in rows:
        if enrolment_id not in latest or offset > latest[enrolment_id]["offset"]:
            latest[enrolment_id] = {
                "offset": offset,
                "answers": answers or {},
                "version_id": version_id,
                "year": submitted_at.year,
                "province": (domicile or "").split(".")[0],
            }
    return list(latest.values())


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def employed_after_metric(commitment: Commitment) -> MetricValue:
    rows = latest_answers(commitment)
    employed = sum(1 for row in rows if row["answers"].get("activity") in tracer_default.EMPLOYED)
    return MetricValue(_percent(employed, len(rows)), responses_for(commitment))


def business_started_metric(commitment: Commitment) -> MetricValue:
    started = responses_for(commitment).filter(answers__business__in=tracer_default.BUSINESS_STARTED_OR_GROWN)
    graduates = started.values("invitation__enrolment_id").distinct().count()
    return MetricValue(Decimal(graduates), started)


def _multiple(breakdown: dict) -> Decimal:
    try:
        value = Decimal(str(breakdown.get("min_wage_multiple", 1)))
    except ArithmeticError:
        return Decimal(1)
    return value if value > 0 else Decimal(1)


def wage_table() -> dict[str, list[tuple[int, int]]]:
    """province code → [(year, amount)], newest first."""
    table: dict[str, list[tuple[int, int]]] = {}
    for province, year, amount in MinimumWage.objects.order_by("-year").values_list(
        "province_id", "year", "amount"
    ):
        table.setdefault(province, []).append((year, amount))
    return table


def wage_for(table: dict[str, list[tuple[int, int]]], province: str, year: int) -> int | None:
    return next((amount for listed, amount in table.get(province, []) if listed <= year), None)


def income_floor(question: dict | None, value: Any) -> int | None:
    """The least a respondent earns by their answer: a money answer itself, or the band's lower bound."""
    if question is None or value in (None, ""):
        return None
    if question.get("type") == "money":
        return int(value)
    for option in question.get("options") or []:
        if str(option.get("value")) == str(value):
            return option.get("min")
    return None


def income_above_metric(commitment: Commitment) -> MetricValue:
    from sinergi.outcomes.models import SurveyVersion

    multiple = _multiple(commitment.breakdown or {})
    rows = latest_answers(commitment)
    questions = {
        pk: next((q for q in qs if q.get("code") == "income_band"), None)
        for pk, qs in SurveyVersion.objects.filter(pk__in={r["version_id"] for r in rows}).values_list(
            "pk", "questions"
        )
    }
    table = wage_table()
    counted = above = 0
    for row in rows:
        wage = wage_for(table, row["province"], row["year"])
        if wage is None:
            continue
        counted += 1
        floor = income_floor(questions.get(row["version_id"]), row["answers"].get("income_band"))
        if row["answers"].get("activity") in tracer_default.EMPLOYED and floor is not None:
            above += floor >= multiple * wage
    return MetricValue(_percent(above, counted), responses_for(commitment))


def response_rate_metric(commitment: Commitment) -> MetricValue:
    invitations = invitations_for(commitment)
    net = str((commitment.breakdown or {}).get("rate", "")).strip().lower() == "net"
    base = (
        invitations.filter(delivered_at__isnull=False) if net else invitations.filter(sent_at__isnull=False)
    )
    answered = base.filter(answered_at__isnull=False).count()
    return MetricValue(_percent(answered, base.count()), base)


# A response or an invitation moves the commitments of agreements linked to the graduate's programme.
# The scheduler's bulk writes and e-mail updates bypass signals and mark these themselves.
SOURCES = [
    (
        "outcomes.TracerResponse",
        lambda r: Q(agreement__programs__classes__enrolments__tracer_invitations=r.invitation_id),
    ),
    ("outcomes.TracerInvitation", lambda i: Q(agreement__programs__classes__enrolments=i.enrolment_id)),
]
KEYS = (
    "outcomes.employed_after",
    "outcomes.business_started",
    "outcomes.income_above",
    "outcomes.response_rate",
)

_HELP = (
    " Dihitung dari jawaban survei pelacakan (tracer) lulusan kelas program yang terkait kerja sama ini; "
    "lulusan yang menjawab beberapa putaran dihitung sekali dengan jawaban putaran terakhirnya, kecuali "
    'rincian target menyebut putaran, mis. {"round": 12}. Dapat disaring dengan category, level, region dan '
    "academy seperti metrik sertifikat."
)

register_metric(
    "outcomes.employed_after",
    "Lulusan bekerja atau berwirausaha (%)",
    "Persentase lulusan yang menjawab tracer dan bekerja penuh waktu, paruh waktu atau berwirausaha." + _HELP,
    employed_after_metric,
    sources=SOURCES,
)
register_metric(
    "outcomes.business_started",
    "Lulusan yang memulai atau mengembangkan usaha (UMKM naik kelas)",
    "Jumlah lulusan yang pada putaran tracer mana pun melaporkan memulai usaha baru atau usahanya "
    "berkembang (omzet, pekerja atau pasar bertambah)." + _HELP,
    business_started_metric,
    sources=SOURCES,
)
register_metric(
    "outcomes.income_above",
    "Lulusan berpenghasilan di atas upah minimum (%)",
    "Persentase responden tracer yang penghasilan bulanannya (batas bawah rentang yang dipilih) paling "
    "sedikit kelipatan upah minimum provinsi (UMP) domisilinya pada tahun jawaban; kelipatan diatur lewat "
    'rincian target, mis. {"min_wage_multiple": 1.5}, bawaan 1. Responden dari provinsi tanpa data UMP '
    "tidak dihitung." + _HELP,
    income_above_metric,
    sources=SOURCES,
)
register_metric(
    "outcomes.response_rate",
    "Tingkat respons tracer (%)",
    "Persentase undangan tracer yang dijawab: kotor (dijawab / dikirim, bawaan) atau bersih (dijawab / "
    'terkirim ke server penerima) dengan rincian {"rate": "net"}.' + _HELP,
    response_rate_metric,
    sources=SOURCES,
)

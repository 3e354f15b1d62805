"""Commitment metrics counted from seat offers: seats offered, seats filled, acceptance rate.

A commitment measured by one of these counts the offers of classes whose programme is linked to the
commitment's agreement (``Program.agreements``).

Breakdown filter convention: ``Commitment.breakdown`` may carry a ``"filter"`` object that narrows the
count, any of
    {"filter": {"category": "asn", "region": "16.71", "level": "dasar"}}
* ``category`` — a participant category (``asn``, ``pelajar``, ``guru``, ``umkm``, ``umum``) or
  ``disabilitas``; a list means any of them. Categories are those frozen in the allocation run.
* ``region`` — a Kemendagri code; matches the participant's domicile at allocation time in that
  region or below it (``"16"`` is all of Sumatera Selatan). A list means any of them.
* ``level`` — the programme level (``dasar``, ``menengah``, ``lanjut``); a list means any of them.
Other breakdown keys (a split of the target for display) are ignored by these metrics.

Counting: an offer replaced by a better one for the same person, or withdrawn by a main re-run, is not
counted (the person is counted once, by their later offer). Acceptance rate = accepted ÷ (accepted +
declined + expired) × 100; offers still waiting for an answer are left out until answered.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from sinergi.partnerships.metrics import MetricValue, register_metric
from sinergi.selection.models import COUNTED_OFFER_STATUSES, Offer, OfferStatus

if TYPE_CHECKING:
    from sinergi.partnerships.models import Commitment


def _as_list(value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def commitment_offers(commitment: Commitment) -> QuerySet[Offer]:
    """Counted offers of the programmes linked to the commitment's agreement, narrowed by its filter."""
    qs = Offer.objects.filter(
        training_class__program__agreements=commitment.agreement_id, status__in=COUNTED_OFFER_STATUSES
    ).select_related("training_class__program", "participant")
    breakdown = commitment.breakdown if isinstance(commitment.breakdown, dict) else {}
    wanted = breakdown.get("filter") or {}
    if not isinstance(wanted, dict):
        return qs
    levels = _as_list(wanted.get("level"))
    if levels:
        qs = qs.filter(training_class__program__level__in=levels)
    regions = _as_list(wanted.get("region"))
    if regions:
        where = Q()
        for code in regions:
            where |= Q(region_code=code) | Q(region_code__startswith=code + ".")
        qs = qs.filter(where)
    categories = _as_list(wanted.get("category"))
    if categories:
        # JSON containment is not on SQLite; a per-category OR over the frozen list works on both.
        where = Q()
        for cat in categories:
            where |= Q(categories__icontains=f'"{cat}"')
        qs = qs.filter(where)
    return qs.distinct()


def seats_offered(commitment: Commitment) -> MetricValue:
    qs = commitment_offers(commitment)
    return MetricValue(Decimal(qs.count()), qs)


def seats_filled(commitment: Commitment) -> MetricValue:
    qs = commitment_offers(commitment).filter(status=OfferStatus.ACCEPTED)
    return MetricValue(Decimal(qs.count()), qs)


def acceptance_rate(commitment: Commitment) -> MetricValue:
    answered = commitment_offers(commitment).filter(
        status__in=(OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED)
    )
    total = answered.count()
    if not total:
        return MetricValue(Decimal(0), answered)
    accepted = answered.filter(status=OfferStatus.ACCEPTED).count()
    rate = (Decimal(100) * accepted / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return MetricValue(rate, answered)


def register() -> None:
    register_metric(
        "selection.seats_offered",
        "Kursi ditawarkan",
        "Jumlah tawaran kursi hasil alokasi di kelas program kerja sama ini (bisa disaring per kategori, "
        "wilayah, tingkat).",
        seats_offered,
    )
    register_metric(
        "selection.seats_filled",
        "Kursi terisi (diterima peserta)",
        "Jumlah tawaran kursi yang diterima peserta di kelas program kerja sama ini.",
        seats_filled,
    )
    register_metric(
        "selection.acceptance_rate",
        "Tingkat penerimaan tawaran (%)",
        "Tawaran diterima dibagi tawaran yang sudah dijawab atau kedaluwarsa, dalam persen.",
        acceptance_rate,
    )

"""Commitment metrics counted from seat offers: seats offered, seats filled, acceptance rate.

A commitment measured by one of these counts the offers of classes whose programme is linked to the
commitment's agreement (``Program.agreements``).

Filters come from ``Commitment.breakdown``, with the convention of registration/metrics.py and
credentials/metrics.py: only these keys filter, and only when their value is text or a list of text
(numbers there are the target's split, e.g. {"dasar": 6000}, and are ignored):
    "category"  participant category (asn, pelajar, guru, umkm, umum) or "disabilitas"; as frozen in
                the allocation run, so a later profile edit does not move the count
    "region"    Kemendagri code of the participant's domicile at allocation time; a province ("16")
                covers its kab/kota
    "level"     programme level: dasar, menengah, lanjut
A list means any of its values. Example: {"category": ["asn", "disabilitas"], "region": "16.71"}.

Counting: an offer replaced by a better one for the same person, or withdrawn by a main re-run, is not
counted (the person is counted once, by their later offer). Acceptance rate = accepted ÷ (accepted +
declined + expired) × 100; offers still waiting for an answer are left out until answered.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sinergi.partnerships.metrics import MetricValue, register_metric
from sinergi.selection.models import COUNTED_OFFER_STATUSES, Offer, OfferStatus

if TYPE_CHECKING:
    from sinergi.partnerships.models import Commitment


FILTER_KEYS = ("category", "region", "level")


def breakdown_filters(commitment: Commitment) -> dict[str, list[str]]:
    breakdown = commitment.breakdown if isinstance(commitment.breakdown, dict) else {}
    filters: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        value = breakdown.get(key)
        if isinstance(value, str) and value.strip():
            filters[key] = [value.strip()]
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            filters[key] = [v.strip() for v in value]
    return filters


def commitment_offers(commitment: Commitment) -> QuerySet[Offer]:
    """Counted offers of the programmes linked to the commitment's agreement, narrowed by its filter."""
    qs = Offer.objects.filter(
        training_class__program__agreements=commitment.agreement_id, status__in=COUNTED_OFFER_STATUSES
    ).select_related("training_class__program", "participant")
    filters = breakdown_filters(commitment)
    if "level" in filters:
        qs = qs.filter(training_class__program__level__in=filters["level"])
    if "region" in filters:
        where = Q()
        for code in filters["region"]:
            where |= Q(region_code=code) | Q(region_code__startswith=code + ".")
        qs = qs.filter(where)
    if "category" in filters:
        # JSON containment is not on SQLite; a per-category OR over the frozen list works on both.
        where = Q()
        for cat in filters["category"]:
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


def _published(run) -> Q:
    """Publishing writes its offers in bulk (no signals), then saves the run."""
    return Q(agreement__programs__batch=run.batch_id) if run.status == "published" else Q(pk__in=[])


# What moves these numbers, for the stored progress (see partnerships/metrics.py).
SOURCES = [
    ("selection.Offer", lambda o: Q(agreement__programs__classes=o.training_class_id)),
    ("selection.AllocationRun", _published),
]


def register() -> None:
    register_metric(
        "selection.seats_offered",
        "Kursi ditawarkan",
        "Jumlah tawaran kursi hasil alokasi di kelas program kerja sama ini (bisa disaring per kategori, "
        "wilayah, tingkat).",
        seats_offered,
        sources=SOURCES,
    )
    register_metric(
        "selection.seats_filled",
        "Kursi terisi (diterima peserta)",
        "Jumlah tawaran kursi yang diterima peserta di kelas program kerja sama ini.",
        seats_filled,
        sources=SOURCES,
    )
    register_metric(
        "selection.acceptance_rate",
        "Tingkat penerimaan tawaran (%)",
        "Tawaran diterima dibagi tawaran yang sudah dijawab atau kedaluwarsa, dalam persen.",
        acceptance_rate,
        sources=SOURCES,
    )

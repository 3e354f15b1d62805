"""Commitment metrics computed from delivery records (registered in LearningConfig.ready()).

Both count enrolments in the classes of the programmes linked to the commitment's agreement
(Program.agreements); a person who completes two classes counts twice.

  learning.completions     enrolments with status completed (lulus, confirmed by the provider).
  learning.competent_rate  of the enrolments with at least one competency test result, the percentage
                           that are Kompeten on every SKKNI unit of their scheme (no Belum Kompeten,
                           no unit left untested). 0 when nobody has been assessed yet.

Breakdown: breakdown(commitment, metric_key, by) splits either metric by one dimension:
  "category"  the participant's category (ASN, Pelajar/mahasiswa, …)
  "region"    the class's kab/kota (its programme's region when the class has none)
  "level"     the programme's level (Dasar / Menengah / Lanjut), matching a commitment's breakdown
              such as {"dasar": 6000, "menengah": 3000}
  "academy"   the programme's academy code (FGA, VSGA, GTA, …)
It returns {label: value}, labels in Indonesian, values as Decimal (counts or percentages), sorted by
label; the drilldown of the metric itself lists the records behind the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from sinergi.learning.models import CompetencyResult, CompetencyUnit, Enrolment
from sinergi.partnerships.metrics import MetricValue
from sinergi.programs.models import Category, Level

if TYPE_CHECKING:
    from sinergi.partnerships.models import Commitment

COMPLETIONS = "learning.completions"
COMPETENT_RATE = "learning.competent_rate"
DIMENSIONS = ("category", "region", "level", "academy")


def linked_enrolments(commitment: Commitment) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(training_class__program__agreements=commitment.agreement_id).distinct()


def completed_enrolments(commitment: Commitment) -> QuerySet[Enrolment]:
    return linked_enrolments(commitment).filter(status=Enrolment.Status.COMPLETED)


def _assessed(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return qs.filter(Exists(CompetencyResult.objects.filter(enrolment=OuterRef("pk"))))


def _competent(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Assessed enrolments with no Belum Kompeten result and a Kompeten result for every scheme unit."""
    units_in_scheme = Coalesce(
        Subquery(
            CompetencyUnit.objects.filter(programs=OuterRef("training_class__program"))
            .values("programs")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )
    return (
        _assessed(qs)
        .exclude(competency_results__outcome=CompetencyResult.Outcome.BELUM_KOMPETEN)
        .annotate(
            kompeten=Count(
                "competency_results",
                filter=Q(competency_results__outcome=CompetencyResult.Outcome.KOMPETEN),
                distinct=True,
            )
        )
        .filter(kompeten__gte=units_in_scheme)
    )


def completions(commitment: Commitment) -> MetricValue:
    qs = completed_enrolments(commitment)
    return MetricValue(Decimal(qs.count()), qs)


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def competent_rate(commitment: Commitment) -> MetricValue:
    base = linked_enrolments(commitment)
    competent = _competent(Enrolment.objects.filter(pk__in=base.values("pk")))
    assessed = _assessed(base).count()
    return MetricValue(_percent(competent.count(), assessed), competent)


_LEVELS = dict(Level.choices)
_CATEGORIES = dict(Category.choices)


def _group_label(by: str) -> tuple[tuple[str, ...], Callable[[dict], str]]:
    if by == "category":
        return ("participant__category",), lambda r: str(_CATEGORIES.get(r["participant__category"], "—"))
    if by == "level":
        return ("training_class__program__level",), lambda r: str(
            _LEVELS.get(r["training_class__program__level"], "—")
        )
    if by == "academy":
        return ("training_class__program__academy__code",), lambda r: r[
            "training_class__program__academy__code"
        ]
    if by == "region":
        return (
            "training_class__region__name",
            "training_class__program__region__name",
        ), lambda r: r["training_class__region__name"] or r["training_class__program__region__name"] or "—"
    raise ValueError(f"Rincian '{by}' tidak dikenal; pilih salah satu dari {', '.join(DIMENSIONS)}.")


def _counts(qs: QuerySet[Enrolment], by: str) -> dict[str, int]:
    fields, label = _group_label(by)
    totals: dict[str, int] = defaultdict(int)
    for row in Enrolment.objects.filter(pk__in=qs.values("pk")).values(*fields).annotate(n=Count("pk")):
        totals[label(row)] += row["n"]
    return dict(totals)


def breakdown(commitment: Commitment, metric_key: str, by: str) -> dict[str, Decimal]:
    if metric_key == COMPLETIONS:
        counts = _counts(completed_enrolments(commitment), by)
        return {k: Decimal(v) for k, v in sorted(counts.items())}
    if metric_key == COMPETENT_RATE:
        base = Enrolment.objects.filter(pk__in=linked_enrolments(commitment).values("pk"))
        assessed = _counts(_assessed(base), by)
        competent = _counts(_competent(base), by)
        return {k: _percent(competent.get(k, 0), n) for k, n in sorted(assessed.items())}
    raise ValueError(f"Metrik '{metric_key}' bukan metrik pelaksanaan pelatihan.")


# What moves these numbers, for the stored progress (see partnerships/metrics.py).
SOURCES = [
    ("learning.Enrolment", lambda e: Q(agreement__programs__classes=e.training_class_id)),
    ("learning.CompetencyResult", lambda r: Q(agreement__programs__classes__enrolments=r.enrolment_id)),
]


def register() -> None:
    from sinergi.partnerships.metrics import register_metric

    register_metric(
        COMPLETIONS,
        "Peserta lulus pelatihan",
        "Jumlah peserta yang dinyatakan lulus (dikonfirmasi penyelenggara) di kelas program yang terkait "
        "kerja sama ini.",
        completions,
        sources=SOURCES,
    )
    register_metric(
        COMPETENT_RATE,
        "Persentase peserta Kompeten",
        "Dari peserta yang sudah mengikuti uji kompetensi di kelas program terkait, persentase yang "
        "Kompeten di semua unit SKKNI skemanya.",
        competent_rate,
        sources=SOURCES,
    )

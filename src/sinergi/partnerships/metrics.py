"""Metric registry and progress computation.

A metric is a named, documented query over real records that yields a commitment's current value.
Each app registers its metrics from its AppConfig.ready() with register_metric(); a commitment names
its metric by key. This module ships the registry and the "manual" metric (the latest value an
officer entered, with evidence).

Progress rule (compute_progress), documented here because dashboards and the public page rely on it:
    achieved  = (value − baseline) / (target − baseline), at least 0 (may exceed 1)
    expected  = share of the period start → deadline that has elapsed today, in [0, 1]
    status    = on_track  when achieved ≥ 1 (target reached), or achieved ≥ expected − 0.10
                late      when the deadline has passed without reaching the target,
                          or achieved < expected / 2
                at_risk   otherwise (behind schedule, but by less than half)
The 10-point tolerance keeps a commitment that is slightly behind a linear schedule "on track";
programmes rarely deliver linearly, and a red flag should mean something.

Roll-up (rollup): an agreement's percent is the weighted mean of its commitments' percents (each
capped at 100 so one over-achieved commitment cannot hide another), and a PKS's commitments roll up
into its parent MoU the same way with their own weights. The rolled-up status is the worst status.

Many agreements at once (lists, exports, the API): progress_for_commitments() measures a whole set of
commitments. A metric may register a batch_fn that measures many commitments in a fixed number of
queries; metrics without one are measured one commitment at a time, giving the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from sinergi.partnerships.models import Agreement, Commitment

ON_TRACK, AT_RISK, LATE = "on_track", "at_risk", "late"
STATUS_LABELS = {ON_TRACK: "Sesuai jadwal", AT_RISK: "Berisiko", LATE: "Terlambat"}
_SEVERITY = {ON_TRACK: 0, AT_RISK: 1, LATE: 2}
TOLERANCE = 0.10


@dataclass(frozen=True)
class MetricValue:
    value: Decimal
    drilldown: QuerySet[Any] | None = None  # the records behind the number, for the "lihat data" link


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    description: str
    fn: Callable[[Commitment], MetricValue]
    # Optional: the same values as fn for many commitments at once, keyed by commitment pk.
    batch_fn: Callable[[Sequence[Commitment]], dict[int, MetricValue]] | None = None


METRICS: dict[str, Metric] = {}


def register_metric(
    key: str,
    label: str,
    description: str,
    fn: Callable[[Commitment], MetricValue],
    *,
    batch_fn: Callable[[Sequence[Commitment]], dict[int, MetricValue]] | None = None,
) -> None:
    METRICS[key] = Metric(key, label, description, fn, batch_fn)


def get_metric(key: str) -> Metric:
    try:
        return METRICS[key]
    except KeyError as exc:
        raise KeyError(f"Metrik '{key}' tidak terdaftar.") from exc


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, m.label) for m in sorted(METRICS.values(), key=lambda m: m.label)]


def manual_metric(commitment: Commitment) -> MetricValue:
    measurements = commitment.manual_measurements.order_by("-measured_at", "-pk")
    latest = measurements.first()
    return MetricValue(latest.value if latest else Decimal(0), measurements)


# Keeps each IN (...) list well under SQLite's limit on query parameters.
_BATCH_SIZE = 500


def manual_metric_batch(commitments: Sequence[Commitment]) -> dict[int, MetricValue]:
    """manual_metric for many commitments: one query per 500 commitments instead of one per commitment."""
    from sinergi.partnerships.models import ManualMeasurement

    ids = [c.pk for c in commitments]
    latest: dict[int, Decimal] = {}
    for start in range(0, len(ids), _BATCH_SIZE):
        rows = (
            ManualMeasurement.objects.filter(commitment_id__in=ids[start : start + _BATCH_SIZE])
            .order_by("commitment_id", "-measured_at", "-pk")
            .values_list("commitment_id", "value")
        )
        for commitment_id, value in rows:
            latest.setdefault(commitment_id, value)  # the first row per commitment is its latest
    return {
        c.pk: MetricValue(latest.get(c.pk, Decimal(0)), c.manual_measurements.order_by("-measured_at", "-pk"))
        for c in commitments
    }


register_metric(
    "manual",
    "Input manual dengan bukti",
    "Nilai terakhir yang dimasukkan petugas beserta keterangan bukti; satu-satunya angka yang diketik.",
    manual_metric,
    batch_fn=manual_metric_batch,
)


@dataclass(frozen=True)
class Progress:
    value: Decimal
    target: Decimal
    percent: float  # of the way from baseline to target; may exceed 100
    expected_percent: float
    status: str

    @property
    def bar_percent(self) -> float:
        return min(self.percent, 100.0)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def compute_progress(
    *, value: Decimal, target: Decimal, baseline: Decimal, start: date, deadline: date, today: date
) -> Progress:
    span = target - baseline
    achieved = float((value - baseline) / span) if span > 0 else (1.0 if value >= target else 0.0)
    achieved = max(achieved, 0.0)
    total_days = (deadline - start).days
    if total_days <= 0:
        expected = 1.0 if today >= deadline else 0.0
    else:
        expected = min(max((today - start).days / total_days, 0.0), 1.0)
    if achieved >= 1.0:
        status = ON_TRACK
    elif today > deadline or achieved < expected / 2:
        status = LATE
    elif achieved >= expected - TOLERANCE:
        status = ON_TRACK
    else:
        status = AT_RISK
    return Progress(value, target, round(achieved * 100, 1), round(expected * 100, 1), status)


@dataclass(frozen=True)
class Rollup:
    percent: float
    status: str | None  # None when there is nothing to measure


def rollup(parts: Sequence[tuple[Decimal, Progress]]) -> Rollup:
    total_weight = sum((w for w, _ in parts if w > 0), Decimal(0))
    if total_weight == 0:
        return Rollup(0.0, None)
    weighted = sum(float(w) * min(p.percent, 100.0) for w, p in parts if w > 0)
    worst = max((p.status for w, p in parts if w > 0), key=_SEVERITY.__getitem__)
    return Rollup(round(weighted / float(total_weight), 1), worst)


def commitment_progress(commitment: Commitment, today: date) -> Progress:
    return _progress(commitment, get_metric(commitment.metric_key).fn(commitment), today)


def _progress(commitment: Commitment, measured: MetricValue, today: date) -> Progress:
    return compute_progress(
        value=measured.value,
        target=commitment.target_value,
        baseline=commitment.baseline,
        start=commitment.agreement.start_date,
        deadline=commitment.deadline,
        today=today,
    )


def progress_for_commitments(commitments: Iterable[Commitment], today: date) -> dict[int, Progress]:
    """commitment_progress for many commitments, keyed by pk: grouped by metric so a metric with a
    batch_fn is measured in a fixed number of queries. The numbers are commitment_progress's."""
    by_metric: dict[str, list[Commitment]] = {}
    for commitment in commitments:
        by_metric.setdefault(commitment.metric_key, []).append(commitment)
    result: dict[int, Progress] = {}
    for key, group in by_metric.items():
        metric = get_metric(key)
        if metric.batch_fn is not None:
            measured = metric.batch_fn(group)
            for c in group:
                result[c.pk] = _progress(c, measured[c.pk], today)
        else:
            for c in group:
                result[c.pk] = _progress(c, metric.fn(c), today)
    return result


def agreement_rollup(agreement: Agreement, today: date) -> Rollup:
    """The agreement's own commitments plus those of its PKS children, weighted."""
    commitments = list(agreement.commitments.all())
    for child in agreement.children.all():
        commitments += child.commitments.all()
    progress = progress_for_commitments(commitments, today)
    return rollup([(c.weight, progress[c.pk]) for c in commitments])

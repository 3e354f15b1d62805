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
    grace     a commitment whose period has not begun, or began less than GRACE_DAYS ago, is never
              late or at risk (unless its deadline has passed): a first month says nothing yet.
The 10-point tolerance keeps a commitment that is slightly behind a linear schedule "on track";
programmes rarely deliver linearly, and a red flag should mean something.

Roll-up (rollup): an agreement's percent is the weighted mean of its commitments' percents (each
capped at 100 so one over-achieved commitment cannot hide another), and a PKS's commitments roll up
into its parent MoU the same way with their own weights. The rolled-up status is the worst status.

Stored values (issue 14). Pages, lists, exports, the API and monev snapshots read each commitment's
value from CommitmentProgress (one row per commitment, with the time it was measured), so a page costs
the same with a thousand applications or a million. The live computation (measure_live(), a metric's
fn or batch_fn) stays the reference: refresh() stores what it returns, and `sinergi refresh_metrics
--verify` compares the two.

Keeping the stored values current:
  * A metric names its `sources`: (model, affected) pairs, where affected(instance) is a Q over
    Commitment selecting the commitments that record can move (e.g. an application → the commitments
    of agreements linked to a programme of its batch). Saving or deleting such a record marks those
    commitments stale; writes that bypass signals (bulk inserts, COPY, queryset updates) call
    mark_stale() themselves.
  * After the transaction commits, one background job ("partnerships.refresh_metrics") measures every
    stale commitment again: in the embedded mode a few seconds later, with Celery as soon as a
    worker is free. A commitment with no stored value, or whose metric or breakdown changed since it
    was measured, is measured when it is first read.
  * As a safety net for writes nobody marked, the periodic job (Celery beat every 30 minutes, or
    `sinergi refresh_metrics` from cron) re-measures values older than MAX_AGE.
Pages show the measuring time ("dihitung pada …").

A metric may register a batch_fn that measures many commitments in a fixed number of queries; metrics
without one are measured one commitment at a time, giving the same numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from sinergi.core.jobs import job_handler

if TYPE_CHECKING:
    from sinergi.partnerships.models import Agreement, Commitment

ON_TRACK, AT_RISK, LATE = "on_track", "at_risk", "late"
STATUS_LABELS = {ON_TRACK: "Sesuai jadwal", AT_RISK: "Berisiko", LATE: "Terlambat"}
_SEVERITY = {ON_TRACK: 0, AT_RISK: 1, LATE: 2}
TOLERANCE = 0.10
# Days after the period's start before a commitment can be judged behind schedule.
GRACE_DAYS = 30


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


# A record kind a metric counts, and which commitments one such record can move: a Q over Commitment.
# The model may be a class or an "app_label.ModelName" string (resolved when the app registry is ready).
Source = tuple[type[Model] | str, Callable[[Any], Q]]

METRICS: dict[str, Metric] = {}
_SOURCES: dict[type[Model] | str, list[tuple[str, Callable[[Any], Q]]]] = {}


def register_metric(
    key: str,
    label: str,
    description: str,
    fn: Callable[[Commitment], MetricValue],
    *,
    batch_fn: Callable[[Sequence[Commitment]], dict[int, MetricValue]] | None = None,
    sources: Sequence[Source] = (),
) -> None:
    METRICS[key] = Metric(key, label, description, fn, batch_fn)
    for model, affected in sources:
        watchers = _SOURCES.setdefault(model, [])
        if all(existing != key for existing, _fn in watchers):
            watchers.append((key, affected))
        for signal in (post_save, post_delete):
            signal.connect(_source_changed, sender=model, weak=False, dispatch_uid=f"metrics:{model}")


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


@dataclass(frozen=True)
class Progress:
    value: Decimal
    target: Decimal
    percent: float  # of the way from baseline to target; may exceed 100
    expected_percent: float
    status: str
    measured_at: datetime | None = None  # when the value was counted; None when measured just now

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
    elif today <= deadline and (today - start).days < GRACE_DAYS:
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


def _progress(commitment: Commitment, value: Decimal, today: date, measured_at: datetime | None) -> Progress:
    progress = compute_progress(
        value=value,
        target=commitment.target_value,
        baseline=commitment.baseline,
        start=commitment.agreement.start_date,
        deadline=commitment.deadline,
        today=today,
    )
    return Progress(
        progress.value,
        progress.target,
        progress.percent,
        progress.expected_percent,
        progress.status,
        measured_at,
    )


def measure_live(commitments: Iterable[Commitment]) -> dict[int, Decimal]:
    """Every commitment's value counted now from the records (the reference), keyed by pk; grouped by
    metric so a metric with a batch_fn is measured in a fixed number of queries."""
    by_metric: dict[str, list[Commitment]] = {}
    for commitment in commitments:
        by_metric.setdefault(commitment.metric_key, []).append(commitment)
    result: dict[int, Decimal] = {}
    for key, group in by_metric.items():
        metric = get_metric(key)
        if metric.batch_fn is not None:
            measured = metric.batch_fn(group)
            result.update((c.pk, measured[c.pk].value) for c in group)
        else:
            result.update((c.pk, metric.fn(c).value) for c in group)
    return result


def live_progress_for_commitments(commitments: Iterable[Commitment], today: date) -> dict[int, Progress]:
    commitments = list(commitments)
    values = measure_live(commitments)
    return {c.pk: _progress(c, values[c.pk], today, None) for c in commitments}


def definition(commitment: Commitment) -> str:
    """What a stored value was measured for: a changed metric or breakdown needs a new measurement."""
    spec = json.dumps([commitment.metric_key, commitment.breakdown or {}], sort_keys=True, default=str)
    return hashlib.sha256(spec.encode()).hexdigest()


def refresh(commitments: Iterable[Commitment], *, now: datetime | None = None) -> dict[int, Decimal]:
    """Measure the commitments live and store the values (clearing their stale mark)."""
    from sinergi.partnerships.models import CommitmentProgress

    commitments = list({c.pk: c for c in commitments}.values())  # a PKS's commitments may come twice
    now = now or timezone.now()
    values = measure_live(commitments)
    CommitmentProgress.objects.bulk_create(
        [
            CommitmentProgress(
                commitment_id=c.pk, value=values[c.pk], measured_at=now, definition=definition(c), stale=False
            )
            for c in commitments
        ],
        update_conflicts=True,
        unique_fields=["commitment"],
        update_fields=["value", "measured_at", "definition", "stale"],
        batch_size=_BATCH_SIZE,
    )
    return values


def stored_values(
    commitments: Sequence[Commitment], *, fresh: bool = False
) -> dict[int, tuple[Decimal, datetime]]:
    """(value, measured_at) per commitment pk, from the stored rows; commitments never measured, or
    measured for another metric or breakdown (with `fresh`, stale ones too), are measured now and stored."""
    from sinergi.partnerships.models import CommitmentProgress

    ids = [c.pk for c in commitments]
    rows: dict[int, tuple[Decimal, datetime, str]] = {}
    for start in range(0, len(ids), _BATCH_SIZE):
        stored = CommitmentProgress.objects.filter(commitment_id__in=ids[start : start + _BATCH_SIZE])
        if fresh:
            stored = stored.filter(stale=False)
        for pk, value, measured_at, spec in stored.values_list(
            "commitment_id", "value", "measured_at", "definition"
        ):
            rows[pk] = (value, measured_at, spec)
    result = {pk: (value, measured_at) for pk, (value, measured_at, _spec) in rows.items()}
    unmeasured = [c for c in commitments if c.pk not in rows or rows[c.pk][2] != definition(c)]
    if unmeasured:
        now = timezone.now()
        result.update((pk, (value, now)) for pk, value in refresh(unmeasured, now=now).items())
    return result


def progress_for_commitments(
    commitments: Iterable[Commitment], today: date, *, fresh: bool = False
) -> dict[int, Progress]:
    """Progress of many commitments from their stored values, keyed by pk, in a fixed number of
    queries. The numbers are the live computation's as of each value's measured_at; `fresh` measures
    stale ones first (a monev round freezes current numbers, not ones waiting for the refresh job)."""
    commitments = list(commitments)
    stored = stored_values(commitments, fresh=fresh)
    return {c.pk: _progress(c, stored[c.pk][0], today, stored[c.pk][1]) for c in commitments}


def commitment_progress(commitment: Commitment, today: date, *, fresh: bool = False) -> Progress:
    return progress_for_commitments([commitment], today, fresh=fresh)[commitment.pk]


def agreement_rollup(agreement: Agreement, today: date) -> Rollup:
    """The agreement's own commitments plus those of its PKS children, weighted."""
    commitments = list(agreement.commitments.all())
    for child in agreement.children.all():
        commitments += child.commitments.all()
    progress = progress_for_commitments(commitments, today)
    return rollup([(c.weight, progress[c.pk]) for c in commitments])


# --- Keeping the stored values current ------------------------------------------------------------

REFRESH_JOB = "partnerships.refresh_metrics"
# The periodic job re-measures values older than this, in case a write changed records unmarked.
MAX_AGE = timedelta(hours=1)


def _source_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures being loaded
        return
    where = Q(pk__in=[])
    for model in (sender, f"{sender._meta.app_label}.{sender.__name__}"):
        for key, affected in _SOURCES.get(model, []):
            where |= Q(metric_key=key) & affected(instance)
    mark_stale(where)


def mark_stale(where: Q) -> int:
    """Mark the stored values of the commitments matching `where` (a Q over Commitment) stale and
    have them measured again once the current transaction commits. Returns how many were marked."""
    from sinergi.partnerships.models import Commitment, CommitmentProgress

    marked = CommitmentProgress.objects.filter(
        stale=False, commitment__in=Commitment.objects.filter(where).values("pk")
    ).update(stale=True)
    schedule_refresh()
    return marked


def schedule_refresh() -> None:
    """One refresh job per commit, whatever the number of records the transaction changed: every mark
    registers a callback, and the first of them to run at the commit enqueues the job for all (the
    generation counter lives on the connection, so one thread's commit never swallows another's)."""
    generation = getattr(connection, "metrics_refresh_generation", 0)

    def callback() -> None:
        if getattr(connection, "metrics_refresh_generation", 0) == generation:
            connection.metrics_refresh_generation = generation + 1  # type: ignore[attr-defined]
            _enqueue_refresh()

    transaction.on_commit(callback)


def _enqueue_refresh() -> None:
    from sinergi.core.jobs import enqueue
    from sinergi.core.models import Job

    # A queued job has not started reading yet, so it will see this change too.
    if not Job.objects.filter(kind=REFRESH_JOB, status=Job.Status.QUEUED).exists():
        enqueue(REFRESH_JOB)


def _links_changed(
    sender: type[Model], instance: Model, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """A programme linked to or unlinked from agreements: their commitments count other records now."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from sinergi.partnerships.models import Agreement

    if isinstance(instance, Agreement):
        mark_stale(Q(agreement=instance.pk))
    elif action == "post_clear":
        mark_stale(Q(agreement__programs=instance.pk))
    else:
        mark_stale(Q(agreement__in=pk_set or ()))


def _measurement_saved(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """An officer's typed value is stored at once: one cheap query, and they expect to see it."""
    from sinergi.partnerships.models import Commitment

    commitment = Commitment.objects.filter(pk=instance.commitment_id, metric_key="manual").first()
    if commitment is not None and not kwargs.get("raw"):
        refresh([commitment])


def connect_signals() -> None:
    """Called from PartnershipsConfig.ready(): a new commitment is measured by the refresh job, and
    linking a programme to an agreement changes what its commitments count."""
    from sinergi.partnerships.models import Agreement, Commitment, ManualMeasurement

    post_save.connect(
        lambda **kw: schedule_refresh(), sender=Commitment, weak=False, dispatch_uid="metrics:c"
    )
    post_save.connect(_measurement_saved, sender=ManualMeasurement, weak=False, dispatch_uid="metrics:m")
    # A deletion may be part of deleting the commitment itself: only mark, never write a new row.
    post_delete.connect(
        lambda instance, **kw: mark_stale(Q(pk=instance.commitment_id)),
        sender=ManualMeasurement,
        weak=False,
        dispatch_uid="metrics:m-",
    )
    through = Agreement.programs.through  # type: ignore[attr-defined]
    m2m_changed.connect(_links_changed, sender=through, weak=False, dispatch_uid="metrics:links")


@job_handler(REFRESH_JOB)
def refresh_job(job: Any, **params: Any) -> dict[str, Any]:
    return {"measured": refresh_stale()}


def refresh_stale(*, older_than: timedelta | None = None, now: datetime | None = None) -> int:
    """Measure again every stale commitment, every commitment never measured, and (with older_than)
    every value measured longer ago than that. Stale marks are cleared before measuring, so a change
    arriving meanwhile marks the commitment again for the next run. Returns how many were measured."""
    from sinergi.partnerships.models import Commitment, CommitmentProgress

    now = now or timezone.now()
    due = Q(stored_progress__stale=True) | Q(stored_progress__isnull=True)
    if older_than is not None:
        due |= Q(stored_progress__measured_at__lt=now - older_than)
    ids = list(Commitment.objects.filter(due).order_by("pk").values_list("pk", flat=True))
    CommitmentProgress.objects.filter(commitment_id__in=ids, stale=True).update(stale=False)
    # Measured together, so a metric's batch_fn reads its records once for all of them.
    every = Commitment.objects.select_related("agreement")
    due_commitments = [
        c
        for start in range(0, len(ids), _BATCH_SIZE)
        for c in every.filter(pk__in=ids[start : start + _BATCH_SIZE])
    ]
    refresh(due_commitments, now=now)
    return len(ids)


def verify(commitments: Iterable[Commitment]) -> list[tuple[Commitment, Decimal | None, Decimal]]:
    """(commitment, stored, live) for every commitment whose stored value differs from the live one;
    stored is None when it was never measured."""
    from sinergi.partnerships.models import CommitmentProgress

    commitments = list(commitments)
    stored: dict[int, Decimal] = {}
    ids = [c.pk for c in commitments]
    for start in range(0, len(ids), _BATCH_SIZE):
        stored.update(
            CommitmentProgress.objects.filter(commitment_id__in=ids[start : start + _BATCH_SIZE]).values_list(
                "commitment_id", "value"
            )
        )
    live = measure_live(commitments)
    return [(c, stored.get(c.pk), live[c.pk]) for c in commitments if stored.get(c.pk) != live[c.pk]]


register_metric(
    "manual",
    "Input manual dengan bukti",
    "Nilai terakhir yang dimasukkan petugas beserta keterangan bukti; satu-satunya angka yang diketik.",
    manual_metric,
    batch_fn=manual_metric_batch,
)

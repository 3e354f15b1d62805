"""What the public agreement and region pages say about each number: what the metric counts (its
registry description), how much the commitment weighs in the overall percentage, the split of its
target per level, and its progress over time from the monev rounds' frozen snapshots."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.partnerships.metrics import METRICS, Progress
from sinergi.partnerships.models import Commitment, MonevRound

# The training levels a target may be split by (programs.Level; partnerships comes before programs
# in the import chain, so the three words are repeated here).
LEVELS = {
    "dasar": gettext_lazy("Dasar"),
    "menengah": gettext_lazy("Menengah"),
    "lanjut": gettext_lazy("Lanjut"),
}


@dataclass(frozen=True)
class LevelShare:
    level: str
    label: str
    target: Decimal
    percent_of_target: float  # of the commitment's whole target


@dataclass(frozen=True)
class HistoryPoint:
    label: str
    on: date | None
    percent: float
    value: str


@dataclass
class Explanation:
    metric_label: str
    metric_description: str
    weight: Decimal
    weight_percent: float  # share of the overall percentage this commitment carries
    contribution: float  # percentage points it adds to the overall percentage
    levels: list[LevelShare] = field(default_factory=list)
    history: list[HistoryPoint] = field(default_factory=list)


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def level_split(commitment: Commitment) -> list[LevelShare]:
    """The target split per level ({"dasar": 6000, "menengah": 3000, …} in the breakdown)."""
    labels = LEVELS
    targets: dict[str, Decimal] = {}
    for key, raw in (commitment.breakdown or {}).items():
        amount = _decimal(raw) if key in labels else None
        if amount is not None and amount > 0:
            targets[key] = amount
    whole = commitment.target_value if commitment.target_value > 0 else sum(targets.values(), Decimal(0))
    if not targets or whole <= 0:
        return []
    return [
        LevelShare(k, str(labels[k]), targets[k], round(float(targets[k] / whole) * 100, 1))
        for k in LEVELS
        if k in targets
    ]


def explain(
    commitments: Sequence[tuple[Commitment, Progress]],
    monev_rounds: Iterable[MonevRound] = (),
    *,
    all_weights: Iterable[Decimal] | None = None,
) -> dict[int, Explanation]:
    """Keyed by commitment pk. `all_weights` are the weights of everything rolled up with these
    commitments (a PKS's commitments count in its MoU); by default those of `commitments`."""
    weights = list(all_weights) if all_weights is not None else [c.weight for c, _p in commitments]
    total = sum((w for w in weights if w > 0), Decimal(0))
    history: dict[int, list[HistoryPoint]] = {}
    for monev in sorted(monev_rounds, key=lambda r: (r.evaluated_on, r.pk)):
        for row in (monev.snapshot or {}).get("commitments", []) if isinstance(monev.snapshot, dict) else []:
            pk = row.get("commitment_id")
            if pk is not None:
                history.setdefault(pk, []).append(
                    HistoryPoint(
                        monev.period_label,
                        monev.evaluated_on,
                        float(row.get("percent") or 0),
                        str(row.get("value", "")),
                    )
                )
    result = {}
    for commitment, progress in commitments:
        metric = METRICS.get(commitment.metric_key)
        share = float(commitment.weight / total) if total > 0 and commitment.weight > 0 else 0.0
        points = list(history.get(commitment.pk, []))
        points.append(
            HistoryPoint(
                _("Sekarang"),
                progress.measured_at.date() if progress.measured_at else None,
                progress.percent,
                str(progress.value),
            )
        )
        result[commitment.pk] = Explanation(
            metric_label=str(metric.label) if metric else commitment.metric_key,
            metric_description=str(metric.description) if metric else _("Metrik ini tidak lagi terdaftar."),
            weight=commitment.weight,
            weight_percent=round(share * 100, 1),
            contribution=round(share * min(progress.percent, 100.0), 1),
            levels=level_split(commitment),
            history=points,
        )
    return result

"""Ranking regions for a national programme call (pure: criteria values in, ranked rows out).

The formula is published with the call: score = Σ weight × normalised value, where each criterion is
normalised to 0–100 on its own scale:
  * "scale" criteria have a known range (an assessment index 1–5 → (v − 1) / 4 × 100; a percentage
    0–100 stays as it is, capped);
  * "relative" criteria (reference indices such as fiscal capacity, whose units differ) are scaled
    min–max over the applicants of the call, so the best applicant gets 100 and the weakest 0.
A missing value counts as 0 and is shown as missing in the breakdown. Weights must sum to 1.
Ties are broken deterministically: by the criteria in the formula's order (higher first), then by
the Kemendagri region code (ascending), so anyone re-running the published inputs gets the same ranks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: Decimal
    kind: str  # "index_1_5", "percent" or "relative"
    higher_is_better: bool = True


class FormulaError(ValueError):
    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class RankedRegion:
    rank: int
    region_code: str
    score: Decimal
    breakdown: dict[str, dict[str, str | None]]  # criterion → raw value, normalised, weighted
    selected: bool


def check_formula(criteria: Sequence[Criterion]) -> None:
    if not criteria:
        raise FormulaError("no_criteria")
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise FormulaError("duplicate_criterion")
    for c in criteria:
        if c.kind not in ("index_1_5", "percent", "relative"):
            raise FormulaError("unknown_kind", criterion=c.key)
        if c.weight <= 0:
            raise FormulaError("weight_not_positive", criterion=c.key)
    total = sum((c.weight for c in criteria), Decimal(0))
    if abs(total - 1) > Decimal("0.0001"):
        raise FormulaError("weights_not_one", total=total)


def _normalise(criterion: Criterion, value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if criterion.kind == "index_1_5":
        share = (min(max(value, Decimal(1)), Decimal(5)) - 1) / 4 * HUNDRED
    elif criterion.kind == "percent":
        share = min(max(value, Decimal(0)), HUNDRED)
    else:
        share = HUNDRED if high == low else (value - low) / (high - low) * HUNDRED
    return share if criterion.higher_is_better else HUNDRED - share


def rank(
    criteria: Sequence[Criterion], values: Mapping[str, Mapping[str, Decimal | None]], quota: int
) -> list[RankedRegion]:
    """values: region code → criterion key → raw value (None when unknown). The top `quota` are selected."""
    check_formula(criteria)
    if quota < 1:
        raise FormulaError("quota_not_positive")
    bounds: dict[str, tuple[Decimal, Decimal]] = {}
    for c in criteria:
        present = [Decimal(value) for v in values.values() if (value := v.get(c.key)) is not None]
        bounds[c.key] = (min(present), max(present)) if present else (Decimal(0), Decimal(0))
    scored = []
    for code, raw in values.items():
        breakdown: dict[str, dict[str, str | None]] = {}
        total = Decimal(0)
        normalised_in_order = []
        for c in criteria:
            value = raw.get(c.key)
            if value is None:
                normalised = Decimal(0)
                breakdown[c.key] = {"value": None, "normalised": "0.00", "weighted": "0.00"}
            else:
                low, high = bounds[c.key]
                normalised = _normalise(c, Decimal(value), low, high)
                weighted = normalised * c.weight
                breakdown[c.key] = {
                    "value": str(value),
                    "normalised": str(normalised.quantize(_PLACES, ROUND_HALF_UP)),
                    "weighted": str(weighted.quantize(_PLACES, ROUND_HALF_UP)),
                }
            total += normalised * c.weight
            normalised_in_order.append(normalised)
        scored.append((total.quantize(_PLACES, ROUND_HALF_UP), normalised_in_order, code, breakdown))
    scored.sort(key=lambda row: (-row[0], [-n for n in row[1]], row[2]))
    return [
        RankedRegion(position, code, score, breakdown, position <= quota)
        for position, (score, _norm, code, breakdown) in enumerate(scored, start=1)
    ]

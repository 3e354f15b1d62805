"""Readiness scoring: the framework's index, dimension scores, assessor agreement, metric levels.

Pure module (no Django): levels and weights in, numbers and codes out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sinergi.readiness.frameworks import LEVELS, FrameworkSpec, Predicate

__all__ = ["LEVELS", "compute_index", "needs_consensus", "agreed_levels", "level_from_value", "predicate_for"]

# Two assessors whose levels differ by more than this must meet in a consensus round.
MAX_INDEPENDENT_GAP = 1
_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class IndexResult:
    index: Decimal  # Σ (weight / total) × level, rounded to 2 places
    predicate: str  # the framework's label for the index ("Baik"), or "" when it has none
    dimensions: dict[str, Decimal]  # dimension code → weighted mean level of its indicators
    missing: tuple[str, ...]  # indicator codes without a level (the index is not final while any)


def predicate_for(index: Decimal, predicates: Sequence[Predicate]) -> str:
    for predicate in sorted(predicates, key=lambda p: p.minimum, reverse=True):
        if index >= predicate.minimum:
            return predicate.label
    return ""


def compute_index(framework: FrameworkSpec, levels: Mapping[str, int]) -> IndexResult:
    """levels maps indicator code → 1..5. Missing indicators count as level 0 and are listed."""
    missing = tuple(i.code for i in framework.indicators() if i.code not in levels)
    weighted = sum((i.weight * levels.get(i.code, 0) for i in framework.indicators()), Decimal(0))
    index = (weighted / framework.weights_total).quantize(_PLACES, ROUND_HALF_UP)
    dimensions = {}
    for dimension in framework.dimensions:
        indicators = [i for a in dimension.aspects for i in a.indicators]
        dimension_total = sum((i.weight for i in indicators), Decimal(0))
        score = sum((i.weight * levels.get(i.code, 0) for i in indicators), Decimal(0)) / dimension_total
        dimensions[dimension.code] = score.quantize(_PLACES, ROUND_HALF_UP)
    return IndexResult(index, predicate_for(index, framework.predicates), dimensions, missing)


def needs_consensus(first: Mapping[str, int], second: Mapping[str, int]) -> list[str]:
    """Indicator codes where two independent assessors differ by more than one level."""
    return sorted(
        code for code in first.keys() & second.keys() if abs(first[code] - second[code]) > MAX_INDEPENDENT_GAP
    )


def agreed_levels(
    first: Mapping[str, int], second: Mapping[str, int], consensus: Mapping[str, int]
) -> dict[str, int]:
    """The final level per indicator: the consensus where one was needed, otherwise the lower of the two
    assessors' levels (a one-level difference is settled conservatively, never by averaging up)."""
    final = {}
    for code in first.keys() & second.keys():
        if code in consensus:
            final[code] = consensus[code]
        elif abs(first[code] - second[code]) <= MAX_INDEPENDENT_GAP:
            final[code] = min(first[code], second[code])
    return final


def level_from_value(value: Decimal, thresholds: Sequence[Decimal]) -> int:
    """A measured value → level 1..5; thresholds are where levels 2, 3, 4 and 5 begin."""
    level = 1
    for threshold in thresholds:
        if value >= threshold:
            level += 1
    return level

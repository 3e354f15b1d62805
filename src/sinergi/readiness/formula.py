"""The Django side of the published ranking formula (ranking.py stays pure): the stored formula read
as ranking criteria, criterion names for pages, and the formula checker's messages. Region selection
and the awards (later in the chain) use the same ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from sinergi.readiness import ranking
from sinergi.readiness.models import ReferenceIndex
from sinergi.readiness.region_metrics import REGION_METRICS

# A criterion read from a national reference index (e.g. IMDI), or from a readiness region metric.
REFERENCE_PREFIX = "ref:"
METRIC_PREFIX = "region_metric:"

FORMULA_MESSAGES = {
    "no_criteria": gettext_lazy("Rumus memerlukan setidaknya satu kriteria."),
    "duplicate_criterion": gettext_lazy("Setiap kriteria hanya boleh muncul sekali dalam rumus."),
    "unknown_kind": gettext_lazy("Jenis skala kriteria %(criterion)s tidak dikenal."),
    "weight_not_positive": gettext_lazy("Bobot kriteria %(criterion)s harus lebih dari 0."),
    "weights_not_one": gettext_lazy("Bobot kriteria harus berjumlah 1 (sekarang %(total)s)."),
    "quota_not_positive": gettext_lazy("Kuota harus paling sedikit 1."),
}


def criteria_of(formula: Iterable[Mapping[str, Any]], kinds: Mapping[str, str]) -> list[ranking.Criterion]:
    """The ranking criteria of a stored formula; a key without a scale in `kinds` is scaled over the
    regions being ranked."""
    return [
        ranking.Criterion(
            item["key"],
            Decimal(str(item["weight"])),
            kinds.get(item["key"], "relative"),
            item.get("higher_is_better", True),
        )
        for item in formula
    ]


def criterion_label(key: str, labels: Mapping[str, Any]) -> str:
    """A criterion's name on a page: a built-in one from `labels`, a reference index or a region
    metric by its own name, an unknown key as it is."""
    if key.startswith(REFERENCE_PREFIX):
        index = ReferenceIndex.objects.filter(code=key.removeprefix(REFERENCE_PREFIX)).first()
        return f"{index.name} ({index.year})" if index else key
    if key.startswith(METRIC_PREFIX):
        metric = REGION_METRICS.get(key.removeprefix(METRIC_PREFIX))
        return str(metric.label) if metric else key
    return str(labels.get(key, key))


def formula_error(exc: ranking.FormulaError, field: str) -> ValidationError:
    """The checker's refusal as a form error on `field`, in the reader's language."""
    return ValidationError({field: str(FORMULA_MESSAGES[exc.code]) % exc.params})

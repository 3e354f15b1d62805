"""Selection of regions for a national programme call: criteria values from records, the published
formula (readiness/ranking.py), applications, ranking and publication."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core.audit import record_action
from sinergi.partnerships.selectors import agreement_rows, public_agreements, with_parties_and_commitments
from sinergi.readiness import ranking
from sinergi.readiness.formula import REFERENCE_PREFIX, criteria_of, formula_error
from sinergi.readiness.formula import criterion_label as label_of
from sinergi.readiness.models import (
    Assessment,
    Framework,
    ReferenceIndex,
    ReferenceValue,
    SelectionCall,
    SelectionEntry,
)
from sinergi.regions.models import Region

ASSESSMENT_INDEX = "assessment_index"
COMMITMENT_FULFILMENT = "commitment_fulfilment"
CRITERION_LABELS = {
    ASSESSMENT_INDEX: gettext_lazy("Indeks penilaian kesiapan"),
    COMMITMENT_FULFILMENT: gettext_lazy("Capaian komitmen kerja sama (%)"),
}
CRITERION_KINDS = {ASSESSMENT_INDEX: "index_1_5", COMMITMENT_FULFILMENT: "percent"}


def criterion_label(key: str) -> str:
    return label_of(key, CRITERION_LABELS)


def _criteria(call: SelectionCall) -> list[ranking.Criterion]:
    return criteria_of(call.formula, CRITERION_KINDS)


@transaction.atomic
def create_call(
    *,
    actor,
    name: str,
    quota: int,
    year: int,
    framework: Framework,
    formula: list[dict],
    description: str = "",
) -> SelectionCall:
    if not scope_for(actor).is_national:
        raise ValidationError(_("Hanya admin nasional yang membuka seleksi wilayah."))
    if not name.strip():
        raise ValidationError({"name": _("Tuliskan nama panggilan seleksi.")})
    for item in formula:
        key = item.get("key", "")
        known = key in CRITERION_LABELS or (
            key.startswith(REFERENCE_PREFIX)
            and ReferenceIndex.objects.filter(code=key.removeprefix(REFERENCE_PREFIX)).exists()
        )
        if not known:
            raise ValidationError({"formula": _("Kriteria '%(key)s' tidak dikenal.") % {"key": key}})
    call = SelectionCall(
        name=name.strip(),
        quota=quota,
        year=year,
        framework=framework,
        formula=formula,
        description=description,
        created_by=actor,
    )
    try:
        ranking.check_formula(_criteria(call))
        if quota < 1:
            raise ranking.FormulaError("quota_not_positive")
    except ranking.FormulaError as exc:
        raise formula_error(exc, "formula") from None
    call.save()
    return call


@transaction.atomic
def apply(*, actor, call: SelectionCall, region: Region) -> SelectionEntry:
    scope = scope_for(actor)
    if not (scope.is_national or (scope.is_regional and scope.covers_region(region))):
        raise ValidationError(_("Hanya admin daerah wilayah ini yang dapat mendaftarkannya."))
    if region.level not in (Region.Level.REGENCY, Region.Level.CITY):
        raise ValidationError({"region": _("Seleksi ini untuk kabupaten/kota.")})
    if call.status != SelectionCall.Status.OPEN:
        raise ValidationError(_("Pendaftaran seleksi ini sudah ditutup."))
    entry, created = SelectionEntry.objects.get_or_create(
        call=call, region=region, defaults={"applied_by": actor}
    )
    if not created:
        raise ValidationError(
            {"region": _("%(region)s sudah terdaftar pada seleksi ini.") % {"region": region.name}}
        )
    return entry


def criteria_values(call: SelectionCall, regions: list[Region]) -> dict[str, dict[str, Decimal | None]]:
    """Each applicant's raw value per criterion, from records: the latest final assessment under the call's
    framework up to the call's year, the mean progress of the region's signed agreements, reference data."""
    codes = [r.code for r in regions]
    values: dict[str, dict[str, Decimal | None]] = {code: {} for code in codes}
    keys = [item["key"] for item in call.formula]
    if ASSESSMENT_INDEX in keys:
        latest: dict[str, Decimal | None] = {}
        finals = Assessment.objects.filter(
            status=Assessment.Status.FINAL,
            framework__slug=call.framework.slug,
            year__lte=call.year,
            region_id__in=codes,
        ).order_by("region_id", "year")
        for assessment in finals.only("region_id", "index"):
            latest[assessment.region_id] = assessment.index
        for code in codes:
            values[code][ASSESSMENT_INDEX] = latest.get(code)
    if COMMITMENT_FULFILMENT in keys:
        agreements = with_parties_and_commitments(public_agreements().filter(region_id__in=codes))
        percents: dict[str, list[float]] = defaultdict(list)
        for row in agreement_rows(agreements, timezone.localdate()):
            if row.has_progress and row.agreement.region_id:
                percents[row.agreement.region_id].append(min(row.rollup.percent, 100.0))
        for code in codes:
            found = percents.get(code)
            values[code][COMMITMENT_FULFILMENT] = (
                Decimal(sum(found) / len(found)).quantize(Decimal("0.01"), ROUND_HALF_UP) if found else None
            )
    for key in keys:
        if key.startswith(REFERENCE_PREFIX):
            stored = dict(
                ReferenceValue.objects.filter(
                    index__code=key.removeprefix(REFERENCE_PREFIX), region_id__in=codes
                ).values_list("region_id", "value")
            )
            for code in codes:
                values[code][key] = stored.get(code)
    return values


@transaction.atomic
def rank_call(*, actor, call: SelectionCall) -> SelectionCall:
    """Close the call and rank its applicants; may be run again until the result is published."""
    if not scope_for(actor).is_national:
        raise ValidationError(_("Hanya admin nasional yang menghitung peringkat."))
    call = SelectionCall.objects.select_for_update().get(pk=call.pk)
    if call.status == SelectionCall.Status.PUBLISHED:
        raise ValidationError(_("Hasil seleksi ini sudah diumumkan dan tidak dihitung ulang."))
    before = call.status
    entries = list(call.entries.select_related("region"))
    if not entries:
        raise ValidationError(_("Belum ada wilayah yang mendaftar."))
    values = criteria_values(call, [e.region for e in entries])
    try:
        ranked = ranking.rank(_criteria(call), values, call.quota)
    except ranking.FormulaError as exc:
        raise formula_error(exc, "formula") from None
    by_code = {e.region_id: e for e in entries}
    for row in ranked:
        entry = by_code[row.region_code]
        entry.rank, entry.score, entry.breakdown, entry.selected = (
            row.rank,
            row.score,
            row.breakdown,
            row.selected,
        )
    SelectionEntry.objects.bulk_update(entries, ["rank", "score", "breakdown", "selected"])
    call.status = SelectionCall.Status.RANKED
    call.ranked_at = timezone.now()
    call.save(update_fields=["status", "ranked_at"])
    record_action(
        actor=actor,
        target=call,
        operation="selection_ranked",
        changes={
            "status": (before, call.status),
            "pendaftar": ("", len(entries)),
            "terpilih": ("", min(call.quota, len(entries))),
        },
    )
    return call


@transaction.atomic
def publish_call(*, actor, call: SelectionCall) -> SelectionCall:
    if not scope_for(actor).is_national:
        raise ValidationError(_("Hanya admin nasional yang mengumumkan hasil seleksi."))
    call = SelectionCall.objects.select_for_update().get(pk=call.pk)
    if call.status != SelectionCall.Status.RANKED:
        raise ValidationError(_("Hitung peringkat terlebih dahulu."))
    call.status = SelectionCall.Status.PUBLISHED
    call.published_at = timezone.now()
    call.save(update_fields=["status", "published_at"])
    record_action(
        actor=actor,
        target=call,
        operation="selection_published",
        changes={
            "status": ("ranked", call.status),
            "terpilih": ("", call.entries.filter(selected=True).count()),
        },
    )
    return call


# --- reads ---------------------------------------------------------------------------------------------


def calls_visible_to(user) -> QuerySet[SelectionCall]:
    """Every call is public (regions must know they can apply); rankings are shown per rank_visible()."""
    return SelectionCall.objects.select_related("framework")


def call_for(user, pk: int) -> SelectionCall:
    return get_visible_or_404(calls_visible_to(user), pk=pk)


def ranking_visible(user, call: SelectionCall) -> bool:
    return call.status == SelectionCall.Status.PUBLISHED or (
        call.status == SelectionCall.Status.RANKED and scope_for(user).is_national
    )


def own_entries(user, call: SelectionCall) -> QuerySet[SelectionEntry]:
    """The entries of the officer's own region(s): each region sees its rank and breakdown once ranked."""
    scope = scope_for(user)
    if not scope.is_regional:
        return SelectionEntry.objects.none()
    return call.entries.filter(scope.region_q("region")).select_related("region")


def applicable_regions(user, call: SelectionCall) -> QuerySet[Region]:
    scope = scope_for(user)
    if call.status != SelectionCall.Status.OPEN or not scope.is_regional:
        return Region.objects.none()
    return scope.regions(Region.objects.filter(level__in=[Region.Level.REGENCY, Region.Level.CITY])).exclude(
        code__in=call.entries.values("region_id")
    )


def ranking_rows(call: SelectionCall) -> QuerySet[SelectionEntry]:
    return call.entries.filter(rank__isnull=False).select_related("region").order_by("rank")


def applicant_counts(call_ids: list[int]) -> dict[int, int]:
    from django.db.models import Count

    return dict(
        SelectionEntry.objects.filter(call_id__in=call_ids)
        .values("call_id")
        .annotate(n=Count("pk"))
        .values_list("call_id", "n")
    )

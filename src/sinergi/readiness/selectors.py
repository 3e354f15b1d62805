"""Reads of the readiness app, each through the viewer's scope.

National admin: every assessment. Regional admin: assessments of their region and the kab/kota inside
it. Assessor: the assessments they are assigned to. Everyone, the public included: final results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.programs.models import Program
from sinergi.readiness import scoring
from sinergi.readiness.models import (
    Aspect,
    Assessment,
    AssessorAssignment,
    Dimension,
    Framework,
    Indicator,
    Initiative,
    Masterplan,
    SmartCityDimension,
)
from sinergi.readiness.region_metrics import REGION_METRICS
from sinergi.regions.models import Region


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.all()


def framework_structure(framework: Framework) -> QuerySet[Dimension]:
    """The framework's dimensions with their aspects and indicators, each in its set order."""
    return framework.dimensions.prefetch_related(
        Prefetch("aspects", queryset=Aspect.objects.order_by("position")),
        Prefetch("aspects__indicators", queryset=Indicator.objects.order_by("position")),
    )


def assessments_visible_to(user) -> QuerySet[Assessment]:
    scope = scope_for(user)
    qs = Assessment.objects.select_related("region", "framework")
    if scope.is_national:
        return qs
    visible = Q(status=Assessment.Status.FINAL)
    if scope.is_regional:
        visible |= scope.region_q("region")
    elif scope.role == "assessor" and scope.user_id:
        visible |= Q(assignments__assessor_id=scope.user_id)
    return qs.filter(visible).distinct()


def assessment_for(user, pk: int) -> Assessment:
    return get_visible_or_404(assessments_visible_to(user), pk=pk)


def manageable_assessment(user, pk: int) -> Assessment:
    """An assessment its region's officer (or the national admin) may fill in; otherwise 404."""
    scope = scope_for(user)
    qs = Assessment.objects.select_related("region", "framework")
    if scope.is_regional:
        qs = qs.filter(scope.region_q("region"))
    elif not scope.is_national:
        qs = qs.none()
    return get_visible_or_404(qs, pk=pk)


def assignment_of(user, assessment_pk: int) -> AssessorAssignment:
    qs = AssessorAssignment.objects.select_related("assessment__region", "assessment__framework").filter(
        assessor_id=user.pk
    )
    return get_visible_or_404(qs, assessment_id=assessment_pk)


def open_assignments(user) -> QuerySet[AssessorAssignment]:
    return AssessorAssignment.objects.filter(
        assessor_id=user.pk,
        submitted_at__isnull=True,
        assessment__status=Assessment.Status.SUBMITTED,
    )


def indicator_of(assessment: Assessment, code: str) -> Indicator:
    return get_visible_or_404(
        Indicator.objects.select_related("aspect__dimension"), framework=assessment.framework, code=code
    )


@dataclass(frozen=True)
class MeasuredValue:
    label: str
    value: Decimal
    suggested_level: int


def measured_value(indicator: Indicator, assessment: Assessment) -> MeasuredValue | None:
    """What Sinergi's records say about this indicator for the region, when the framework names a metric."""
    metric = REGION_METRICS.get(indicator.region_metric)
    if metric is None:
        return None
    value = metric.fn(assessment.region)
    thresholds = [Decimal(t) for t in indicator.region_metric_thresholds]
    return MeasuredValue(str(metric.label), value, scoring.level_from_value(value, thresholds))


@dataclass(frozen=True)
class Gap:
    indicator: Indicator
    level: int
    programmes: Sequence[Program]


def gap_analysis(assessment: Assessment, *, limit: int = 3) -> list[Gap]:
    """The weakest indicators (lowest level, then heaviest weight) with catalogue programmes that address
    their dimension, found by the dimension's keywords in the framework file."""
    levels = assessment.final_levels
    indicators = list(assessment.framework.indicators.select_related("aspect__dimension"))
    weakest = sorted(
        (i for i in indicators if i.code in levels), key=lambda i: (levels[i.code], -i.weight, i.position)
    )[:limit]
    gaps = []
    for indicator in weakest:
        if levels[indicator.code] >= 5:
            continue
        keywords = indicator.aspect.dimension.programme_keywords
        match = Q()
        for keyword in keywords:
            match |= Q(name__icontains=keyword) | Q(description__icontains=keyword)
        # Programmes of the region itself (or its province) first, then national and other regions' ones.
        nearby = Q(region=assessment.region) | Q(region=assessment.region.parent_id)
        programmes = (
            list(
                Program.objects.filter(match)
                .annotate(nearby=Case(When(nearby, then=Value(0)), default=Value(1)))
                .select_related("academy", "region")
                .order_by("nearby", "-created_at")[:3]
            )
            if keywords
            else []
        )
        gaps.append(Gap(indicator, levels[indicator.code], programmes))
    return gaps


@dataclass(frozen=True)
class Peers:
    """Final results of comparable regions, with the size band that made them comparable."""

    results: Sequence[Assessment]
    districts: int  # kecamatan of the assessed region
    low: int
    high: int


PEER_SIZE_FACTOR = 2  # a peer has between half and twice as many kecamatan


def peer_results(assessment: Assessment, *, limit: int = 10) -> Peers:
    """Regions of the same kind (kota with kota, kabupaten with kabupaten), framework and year, and of a
    comparable size. Size is the number of kecamatan, which the Kemendagri reference data holds for every
    region; a population figure per kab/kota is not reference data here."""
    districts = Count("region__children", filter=Q(region__children__level=Region.Level.DISTRICT))
    own = Region.objects.filter(pk=assessment.region_id, children__level=Region.Level.DISTRICT).count()
    low, high = max(1, -(-own // PEER_SIZE_FACTOR)), own * PEER_SIZE_FACTOR
    results = list(
        Assessment.objects.filter(
            status=Assessment.Status.FINAL,
            framework__slug=assessment.framework.slug,
            year=assessment.year,
            region__level=assessment.region.level,
        )
        .exclude(pk=assessment.pk)
        .annotate(districts=districts)
        .filter(Q(districts__gte=low, districts__lte=high) if own else Q())
        .select_related("region")
        .order_by("-index", "region__code")[:limit]
    )
    return Peers(results, own, low, high)


def history(assessment: Assessment) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        status=Assessment.Status.FINAL, region=assessment.region, framework__slug=assessment.framework.slug
    ).order_by("year")


def region_readiness_page(code: str) -> Region:
    return get_visible_or_404(
        Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY]),
        code=code,
    )


def initiatives_of(region: Region) -> QuerySet[Initiative]:
    """Initiatives are public: what a region does for its smart-city plan is part of its public page."""
    return Initiative.objects.filter(region=region).prefetch_related("agreements")


def manageable_initiative(user, pk: int) -> Initiative:
    scope = scope_for(user)
    qs = Initiative.objects.select_related("region")
    if scope.is_regional:
        qs = qs.filter(scope.region_q("region"))
    elif not scope.is_national:
        qs = qs.none()
    return get_visible_or_404(qs, pk=pk)


@dataclass(frozen=True)
class DimensionProgress:
    code: str
    label: str
    planned: int
    running: int  # running or done

    @property
    def percent(self) -> int:
        return round(100 * self.running / self.planned) if self.planned else 0


def masterplan_progress(region: Region) -> list[DimensionProgress]:
    """The quick-win measure of the programme's evaluation: per dimension, the share of the masterplan's
    initiatives that are running or done."""
    counts = {code: [0, 0] for code, _label in SmartCityDimension.choices}
    for dimension, status in Initiative.objects.filter(region=region, in_masterplan=True).values_list(
        "dimension", "status"
    ):
        counts[dimension][0] += 1
        if status in (Initiative.Status.RUNNING, Initiative.Status.DONE):
            counts[dimension][1] += 1
    return [DimensionProgress(code, str(label), *counts[code]) for code, label in SmartCityDimension.choices]


def masterplan_of(region: Region) -> Masterplan | None:
    return Masterplan.objects.filter(region=region).prefetch_related("milestones").first()


def latest_final(region: Region) -> Assessment | None:
    return (
        Assessment.objects.filter(region=region, status=Assessment.Status.FINAL)
        .select_related("framework")
        .order_by("-year", "framework__slug")
        .first()
    )

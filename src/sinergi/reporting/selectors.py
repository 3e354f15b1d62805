"""Reads of the stored funnel, scoped: a national admin sees every batch, a regional admin the batches
of their region (as everywhere else in Sinergi), nobody else the funnel table. A region filter means
the batches of that region, the same as a regional admin's own view; the per-100,000 comparison is
by the participants' domicile."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.programs.models import Academy, Batch, Category, Level, Program
from sinergi.programs.selectors import batches_visible_to
from sinergi.readiness.region_metrics import REGION_METRICS
from sinergi.regions.models import Region
from sinergi.registration.models import Sex
from sinergi.reporting.funnel import AGE_BANDS, STAGE_LABELS, STAGES, TRACER_STAGES
from sinergi.reporting.models import FunnelCount, Population, RegionalTarget

BREAKDOWNS = ("category", "sex", "age_band", "disability", "academy", "level", "region", "month")


def breakdown_labels() -> dict[str, str]:
    return {
        "category": _("Kategori peserta"),
        "sex": _("Jenis kelamin"),
        "age_band": _("Kelompok umur"),
        "disability": _("Disabilitas"),
        "academy": _("Akademi"),
        "level": _("Tingkat"),
        "region": _("Wilayah domisili"),
        "month": _("Bulan"),
    }


def can_see_dashboards(user) -> bool:
    scope = scope_for(user)
    return scope.is_national or scope.is_regional


@dataclass(frozen=True)
class Filters:
    batch: Batch | None = None
    program: Program | None = None
    region: Region | None = None  # batches of this region (national admins only; a regional admin's own)
    year: int | None = None

    def query(self) -> dict[str, str]:
        params = {}
        if self.batch:
            params["batch"] = str(self.batch.pk)
        if self.program:
            params["program"] = str(self.program.pk)
        if self.region:
            params["region"] = self.region.code
        if self.year:
            params["year"] = str(self.year)
        return params


def dashboard_batches(user) -> QuerySet[Batch]:
    if not can_see_dashboards(user):
        return Batch.objects.none()
    return batches_visible_to(user).exclude(status=Batch.Status.DRAFT)


def dashboard_programs(user, filters: Filters) -> QuerySet[Program]:
    """The programme filter's choices: programmes of the user's dashboard batches (of the chosen one)."""
    batches = dashboard_batches(user)
    if filters.batch:
        batches = batches.filter(pk=filters.batch.pk)
    return Program.objects.filter(batch__in=batches).select_related("batch").order_by("batch", "name")


def dashboard_region_choices(user) -> QuerySet[Region]:
    """The region filter's choices: the provinces for the national office, the kab/kota within a
    province for its officers (a kab/kota officer has none: their view is their region already)."""
    scope = scope_for(user)
    if scope.is_national:
        return Region.objects.filter(level=Region.Level.PROVINCE)
    return Region.objects.filter(code__startswith=(scope.region_code or "") + ".").exclude(
        level=Region.Level.DISTRICT
    )


def parse_filters(user, params) -> Filters:
    """Unknown or out-of-scope values are ignored (the page shows the wider view), never an error page
    and never another region's batch: every choice is looked up within the user's batches."""
    batches = dashboard_batches(user)
    batch = program = region = None
    year = None
    raw_batch = str(params.get("batch", "")).strip()
    if raw_batch.isdigit():
        batch = batches.filter(pk=int(raw_batch)).first()
    raw_program = str(params.get("program", "")).strip()
    if raw_program.isdigit():
        program = (
            Program.objects.filter(pk=int(raw_program), batch__in=batches).select_related("batch").first()
        )
        if program and batch and program.batch_id != batch.pk:
            program = None
    raw_region = str(params.get("region", "")).strip()
    if raw_region:
        candidate = Region.objects.filter(code=raw_region).exclude(level=Region.Level.DISTRICT).first()
        if candidate and scope_for(user).covers_region(candidate):
            region = candidate
    raw_year = str(params.get("year", "")).strip()
    if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
        year = int(raw_year)
    return Filters(batch=batch, program=program, region=region, year=year)


def _batches(user, filters: Filters) -> QuerySet[Batch]:
    qs = dashboard_batches(user)
    if filters.batch:
        qs = qs.filter(pk=filters.batch.pk)
    if filters.region:
        code = filters.region.code
        qs = qs.filter(region__code=code) | qs.filter(region__code__startswith=code + ".")
    if filters.year:
        qs = qs.filter(registration_closes__year=filters.year)
    return qs


def _cells(user, filters: Filters, dimension: str) -> QuerySet[FunnelCount]:
    qs = FunnelCount.objects.filter(dimension=dimension, batch__in=_batches(user, filters).values("pk"))
    if dimension in ("region", "region_category", "region_sex"):
        return qs if not filters.program else qs.none()
    qs = qs.filter(program__isnull=False)
    if filters.program:
        qs = qs.filter(program=filters.program)
    return qs


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    count: int | None  # None: no data (the tracer steps before the outcomes app measures them)
    share_of_previous: float | None = None  # of respondents, for the tracer stages
    note: str = ""


def funnel(user, filters: Filters) -> list[Step]:
    totals = dict(_cells(user, filters, "").values_list("stage").annotate(n=Sum("count")).order_by())
    steps: list[Step] = []
    previous: int | None = None
    responded = int(totals.get("responded") or 0)
    for stage in STAGES:
        n = int(totals.get(stage) or 0)
        note = ""
        if stage in TRACER_STAGES:
            # A share of the graduates who answered: those who did not answer are not "unemployed".
            share = round(100 * n / responded, 1) if responded else None
            note = (
                _("%(p)s%% dari yang menjawab tracer") % {"p": number_format(share, 1)}
                if share is not None
                else _("belum ada jawaban tracer")
            )
        elif stage == "responded":
            # The tracer asks graduates, certified or not: the response is a share of the graduates.
            graduates = int(totals.get("completed") or 0)
            share = round(100 * n / graduates, 1) if graduates else None
            if not n:
                note = _("belum ada jawaban tracer")
            elif share is not None:
                note = _("%(p)s%% dari lulusan") % {"p": number_format(share, 1)}
        else:
            share = round(100 * n / previous, 1) if previous else None
            previous = n
        steps.append(Step(stage, str(STAGE_LABELS[stage]), n, share, note))
    return steps


def _value_labels(dimension: str, values: set[str]) -> dict[str, str]:
    if dimension == "category":
        return {k: str(v) for k, v in Category.choices}
    if dimension == "sex":
        return {k: str(v) for k, v in Sex.choices}
    if dimension == "disability":
        return {"ya": _("Penyandang disabilitas"), "tidak": _("Bukan penyandang disabilitas")}
    if dimension == "level":
        return {k: str(v) for k, v in Level.choices}
    if dimension == "academy":
        return dict(Academy.objects.filter(code__in=values).values_list("code", "name"))
    if dimension == "region":
        return dict(Region.objects.filter(code__in=values).values_list("code", "name"))
    return {}


def _order(dimension: str, values: list[str]) -> list[str]:
    fixed = {
        "category": Category.values,
        "sex": Sex.values,
        "level": Level.values,
        "age_band": list(AGE_BANDS),
        "disability": ["tidak", "ya"],
    }.get(dimension)
    if fixed:
        return [v for v in fixed if v in values] + sorted(v for v in values if v not in fixed)
    return sorted(values)


@dataclass(frozen=True)
class BreakdownRow:
    value: str
    label: str
    counts: dict[str, int]


def breakdown(user, filters: Filters, dimension: str) -> list[BreakdownRow]:
    """Counts per stage for each value of one dimension (academy and level from the programme)."""
    if dimension not in BREAKDOWNS:
        raise ValueError(dimension)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if dimension in ("academy", "level"):
        field = "program__academy__code" if dimension == "academy" else "program__level"
        rows = _cells(user, filters, "").values_list(field, "stage").annotate(n=Sum("count")).order_by()
    else:
        rows = (
            _cells(user, filters, dimension).values_list("value", "stage").annotate(n=Sum("count")).order_by()
        )
    for value, stage, n in rows:
        counts[value or ""][stage] = counts[value or ""].get(stage, 0) + int(n)
    labels = _value_labels(dimension, set(counts))
    return [
        BreakdownRow(v, labels.get(v, v or _("tidak diketahui")), {s: counts[v].get(s, 0) for s in STAGES})
        for v in _order(dimension, list(counts))
    ]


def time_series(user, filters: Filters, stage: str = "registered") -> list[tuple[str, int]]:
    rows = (
        _cells(user, filters, "month")
        .filter(stage=stage)
        .values_list("value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    by_month = {m: int(n) for m, n in rows if m}
    if not by_month:
        return []
    # Every month between the first and the last, so a quiet month shows as a gap, not as nothing.
    first, last = min(by_month), max(by_month)
    year, month = int(first[:4]), int(first[5:])
    series = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        series.append((key, by_month.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


@dataclass(frozen=True)
class RegionRate:
    code: str
    name: str
    counts: dict[str, int]
    population: int | None
    population_year: int | None
    source: str

    def per_100k(self, stage: str) -> float | None:
        if not self.population:
            return None
        return round(self.counts.get(stage, 0) * 100_000 / self.population, 1)


COMPARED_STAGES = ("registered", "completed", "certified")


def regions_per_100k(user, filters: Filters) -> list[RegionRate]:
    """Provinces (or, for a regional admin or a province filter, the kab/kota within) compared per
    100,000 inhabitants, by the participants' domicile, with the population's year and source."""
    scope = scope_for(user)
    within = filters.region or (
        Region.objects.filter(code=scope.region_code).first() if scope.is_regional else None
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    cells = _cells(user, Filters(batch=filters.batch, region=filters.region, year=filters.year), "region")
    for domicile, stage, n in (
        cells.filter(stage__in=COMPARED_STAGES)
        .values_list("value", "stage")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        if within is None:
            key = domicile.split(".")[0]
        elif within.level == Region.Level.PROVINCE:
            key = ".".join(domicile.split(".")[:2])
            if not key.startswith(within.code + "."):
                continue
        else:
            key = within.code
            if not domicile.startswith(within.code):
                continue
        counts[key][stage] += int(n)
    regions = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    # The population figure of the year nearest the one in view (the latest when no year is chosen).
    target = filters.year or 9999
    population: dict[str, tuple[int, int, str]] = {}
    for code, year, people, source in Population.objects.filter(region_code__in=list(counts)).values_list(
        "region_code", "year", "population", "source"
    ):
        best = population.get(code)
        if best is None or (abs(year - target), -year) < (abs(best[0] - target), -best[0]):
            population[code] = (year, people, source)
    result = []
    for code in sorted(counts):
        found = population.get(code)
        result.append(
            RegionRate(
                code,
                regions.get(code, code),
                dict(counts[code]),
                found[1] if found else None,
                found[0] if found else None,
                found[2] if found else "",
            )
        )
    return result


# --- Regional KPI targets --------------------------------------------------------------------------------


def targets_visible_to(user) -> QuerySet[RegionalTarget]:
    """A national admin sees every region's targets, a regional admin those of their region and the
    kab/kota inside it; targets are published on the region's public page as well (public_targets)."""
    scope = scope_for(user)
    targets = RegionalTarget.objects.select_related("region")
    if scope.is_national:
        return targets
    if scope.is_regional:
        return targets.filter(scope.region_q("region"))
    return targets.none()


def public_targets(region: Region) -> QuerySet[RegionalTarget]:
    return RegionalTarget.objects.filter(region=region).select_related("region").order_by("-year", "title")


def manageable_target(user, pk: int) -> RegionalTarget:
    return get_visible_or_404(targets_visible_to(user), pk=pk)


@dataclass(frozen=True)
class TargetProgress:
    target: RegionalTarget
    metric_label: str
    metric_description: str
    value: Decimal  # people counted by the metric today
    achieved_percent: Decimal  # value ÷ denominator
    needed: int  # people still missing to reach the target (0 once reached)

    @property
    def reached(self) -> bool:
        return self.needed == 0

    @property
    def bar_percent(self) -> Decimal:
        """Achievement relative to the target, capped at 100, for the bar."""
        return min(Decimal(100), self.achieved_percent / self.target.target_percent * 100).quantize(
            Decimal("1")
        )


def target_progress(targets) -> list[TargetProgress]:
    """Each target measured now from the records (one metric query per target: a page lists a page
    of targets, never all of them)."""
    rows = []
    for target in targets:
        metric = REGION_METRICS.get(target.metric)
        value = metric.fn(target.region) if metric else Decimal(0)
        goal = math.ceil(target.target_percent * target.denominator / 100)
        rows.append(
            TargetProgress(
                target=target,
                metric_label=str(metric.label) if metric else target.metric,
                metric_description=str(metric.description) if metric else "",
                value=value,
                achieved_percent=(value * 100 / target.denominator).quantize(Decimal("0.1")),
                needed=max(0, goal - int(value)),
            )
        )
    return rows

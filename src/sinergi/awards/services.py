"""Writes of award cycles: categories, nominations, jury scores, ranking and publication with credentials.

A category's score uses readiness/ranking.py (the same published rule as region selection): each
criterion normalised to 0–100, weighted; ties by the criteria in order, then region code. Criteria:
  jury                   mean of the jurors' scores (0–100) who declared no conflict;
  assessment_index       the region's latest final readiness index (smart-city framework), 1–5;
  assessment_dimension   the same assessment's score in the category's dimension, 1–5;
  region_metric:<key>    a readiness region metric (e.g. certified ASN), scaled over the nominees.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Organization
from sinergi.accounts.scoping import scope_for
from sinergi.awards.models import AwardCategory, AwardCycle, JuryScore, Nomination
from sinergi.core.audit import record_action
from sinergi.credentials import services as credentials
from sinergi.readiness import ranking
from sinergi.readiness.formula import METRIC_PREFIX, criteria_of, formula_error
from sinergi.readiness.formula import criterion_label as label_of
from sinergi.readiness.models import Assessment
from sinergi.readiness.region_metrics import REGION_METRICS
from sinergi.regions.models import Region

JURY = "jury"
ASSESSMENT_INDEX = "assessment_index"
ASSESSMENT_DIMENSION = "assessment_dimension"
SMART_CITY = "gerakan-100-smart-city"
CRITERION_LABELS = {
    JURY: gettext_lazy("Nilai juri"),
    ASSESSMENT_INDEX: gettext_lazy("Indeks kesiapan smart city"),
    ASSESSMENT_DIMENSION: gettext_lazy("Skor dimensi kategori"),
}


CRITERION_KINDS = {JURY: "percent", ASSESSMENT_INDEX: "index_1_5", ASSESSMENT_DIMENSION: "index_1_5"}


def criterion_label(key: str) -> str:
    return label_of(key, CRITERION_LABELS)


def _criteria(category: AwardCategory) -> list[ranking.Criterion]:
    return criteria_of(category.criteria, CRITERION_KINDS)


def _require_national(actor, what: str) -> None:
    if not scope_for(actor).is_national:
        raise ValidationError(_("Hanya admin nasional yang %(what)s.") % {"what": what})


@transaction.atomic
def create_cycle(*, actor, name: str, year: int, description: str = "", jurors=()) -> AwardCycle:
    _require_national(actor, _("membuka siklus penghargaan"))
    if not name.strip():
        raise ValidationError({"name": _("Tuliskan nama siklus penghargaan.")})
    cycle = AwardCycle.objects.create(name=name.strip(), year=year, description=description, created_by=actor)
    cycle.jurors.set(jurors)
    return cycle


@transaction.atomic
def add_category(
    *, actor, cycle: AwardCycle, name: str, nominee_kind: str, criteria: list[dict], dimension: str = ""
) -> AwardCategory:
    _require_national(actor, _("menyusun kategori penghargaan"))
    if cycle.status != AwardCycle.Status.NOMINATING:
        raise ValidationError(_("Kategori hanya dapat ditambahkan selama pencalonan dibuka."))
    if not name.strip():
        raise ValidationError({"name": _("Tuliskan nama kategori.")})
    for item in criteria:
        key = item.get("key", "")
        if key not in CRITERION_LABELS and not (
            key.startswith(METRIC_PREFIX) and key.removeprefix(METRIC_PREFIX) in REGION_METRICS
        ):
            raise ValidationError({"criteria": _("Kriteria '%(key)s' tidak dikenal.") % {"key": key}})
        if key == ASSESSMENT_DIMENSION and not dimension:
            raise ValidationError({"dimension": _("Kriteria skor dimensi memerlukan dimensi kategori.")})
    category = AwardCategory(
        cycle=cycle, name=name.strip(), nominee_kind=nominee_kind, dimension=dimension, criteria=criteria
    )
    try:
        ranking.check_formula(_criteria(category))
    except ranking.FormulaError as exc:
        raise formula_error(exc, "criteria") from None
    category.save()
    return category


@transaction.atomic
def nominate(
    *,
    actor,
    category: AwardCategory,
    region: Region,
    nominee_name: str,
    evidence: str,
    nominee_position: str = "",
    evidence_url: str = "",
) -> Nomination:
    scope = scope_for(actor)
    if not (scope.is_national or (scope.is_regional and scope.covers_region(region))):
        raise ValidationError(_("Hanya admin daerah wilayah ini yang dapat mencalonkannya."))
    if category.cycle.status != AwardCycle.Status.NOMINATING:
        raise ValidationError(_("Pencalonan siklus ini sudah ditutup."))
    errors = {}
    if not nominee_name.strip():
        errors["nominee_name"] = _("Tuliskan nama calon.")
    if not evidence.strip():
        errors["evidence"] = _("Uraikan prestasi calon beserta buktinya.")
    if category.nominee_kind != AwardCategory.NomineeKind.REGION and not nominee_position.strip():
        errors["nominee_position"] = _("Tuliskan jabatan calon.")
    if errors:
        raise ValidationError(errors)
    if Nomination.objects.filter(
        category=category, region=region, nominee_name=nominee_name.strip()
    ).exists():
        raise ValidationError({"nominee_name": _("Calon ini sudah dicalonkan pada kategori ini.")})
    return Nomination.objects.create(
        category=category,
        region=region,
        nominee_name=nominee_name.strip(),
        nominee_position=nominee_position.strip(),
        evidence=evidence.strip(),
        evidence_url=evidence_url,
        nominated_by=actor,
    )


@transaction.atomic
def close_nominations(*, actor, cycle: AwardCycle) -> AwardCycle:
    _require_national(actor, _("menutup pencalonan"))
    if cycle.status != AwardCycle.Status.NOMINATING:
        raise ValidationError(_("Pencalonan siklus ini sudah ditutup."))
    if not cycle.jurors.exists():
        raise ValidationError(_("Tugaskan juri sebelum menutup pencalonan."))
    cycle.status = AwardCycle.Status.JUDGING
    cycle.save(update_fields=["status"])
    record_action(
        actor=actor,
        target=cycle,
        operation="nominations_closed",
        changes={"status": ("nominating", cycle.status)},
    )
    return cycle


@transaction.atomic
def score_nomination(
    *, actor, nomination: Nomination, has_conflict: bool, score: int | None, note: str = ""
) -> JuryScore:
    """A juror declares, per nomination, whether they have a conflict of interest; without one, they score."""
    cycle = nomination.category.cycle
    if not cycle.jurors.filter(pk=actor.pk).exists():
        raise ValidationError(_("Hanya juri siklus ini yang dapat menilai."))
    if cycle.status != AwardCycle.Status.JUDGING:
        raise ValidationError(_("Siklus ini tidak sedang dalam tahap penilaian juri."))
    if not has_conflict and (score is None or not 0 <= score <= 100):
        raise ValidationError({"score": _("Beri nilai 0 sampai 100, atau nyatakan benturan kepentingan.")})
    jury_score, _created = JuryScore.objects.update_or_create(
        nomination=nomination,
        juror=actor,
        defaults={
            "has_conflict": has_conflict,
            "score": None if has_conflict else score,
            "note": note.strip(),
        },
    )
    return jury_score


def _latest_assessments(regions: list[str]) -> dict[str, Assessment]:
    latest: dict[str, Assessment] = {}
    finals = Assessment.objects.filter(
        status=Assessment.Status.FINAL, framework__slug=SMART_CITY, region_id__in=regions
    ).order_by("region_id", "year")
    for assessment in finals:
        latest[assessment.region_id] = assessment
    return latest


def criteria_values(category: AwardCategory) -> dict[str, dict[str, Decimal | None]]:
    """Raw values per nomination (keyed by nomination id as text, since a region may have several)."""
    nominations = list(category.nominations.select_related("region"))
    keys = [item["key"] for item in category.criteria]
    assessments = _latest_assessments([n.region_id for n in nominations])
    jury = dict(
        JuryScore.objects.filter(nomination__category=category, has_conflict=False, score__isnull=False)
        .values("nomination_id")
        .annotate(mean=Avg("score"))
        .values_list("nomination_id", "mean")
    )
    values: dict[str, dict[str, Decimal | None]] = {}
    for nomination in nominations:
        row: dict[str, Decimal | None] = {}
        assessment = assessments.get(nomination.region_id)
        for key in keys:
            if key == JURY:
                mean = jury.get(nomination.pk)
                row[key] = (
                    Decimal(str(mean)).quantize(Decimal("0.01"), ROUND_HALF_UP) if mean is not None else None
                )
            elif key == ASSESSMENT_INDEX:
                row[key] = assessment.index if assessment else None
            elif key == ASSESSMENT_DIMENSION:
                score = assessment.dimension_scores.get(category.dimension) if assessment else None
                row[key] = Decimal(score) if score is not None else None
            elif key.startswith(METRIC_PREFIX):
                row[key] = REGION_METRICS[key.removeprefix(METRIC_PREFIX)].fn(nomination.region)
        values[f"{nomination.region_id}#{nomination.pk:09d}"] = row
    return values


@transaction.atomic
def rank_cycle(*, actor, cycle: AwardCycle) -> AwardCycle:
    _require_national(actor, _("menghitung peringkat penghargaan"))
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status not in (AwardCycle.Status.JUDGING, AwardCycle.Status.RANKED):
        raise ValidationError(_("Peringkat dihitung setelah pencalonan ditutup dan sebelum diumumkan."))
    before = cycle.status
    for category in cycle.categories.all():
        values = criteria_values(category)
        if not values:
            continue
        ranked = ranking.rank(_criteria(category), values, quota=1)
        by_key = {f"{n.region_id}#{n.pk:09d}": n for n in category.nominations.all()}
        updated = []
        for row in ranked:
            nomination = by_key[row.region_code]
            nomination.rank, nomination.score = row.rank, row.score
            nomination.breakdown, nomination.winner = row.breakdown, row.selected
            updated.append(nomination)
        Nomination.objects.bulk_update(updated, ["rank", "score", "breakdown", "winner"])
    cycle.status = AwardCycle.Status.RANKED
    cycle.save(update_fields=["status"])
    record_action(
        actor=actor, target=cycle, operation="awards_ranked", changes={"status": (before, cycle.status)}
    )
    return cycle


@transaction.atomic
def publish_cycle(*, actor, cycle: AwardCycle, issuer: Organization) -> AwardCycle:
    """Announce the results; each category's winner receives a signed Open Badges 3.0 award."""
    _require_national(actor, _("mengumumkan penghargaan"))
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != AwardCycle.Status.RANKED:
        raise ValidationError(_("Hitung peringkat terlebih dahulu."))
    winners = Nomination.objects.filter(
        category__cycle=cycle, winner=True, credential__isnull=True
    ).select_related("category", "region")
    for nomination in winners:
        holder = (
            nomination.region.name
            if nomination.category.nominee_kind == AwardCategory.NomineeKind.REGION
            else nomination.nominee_name
        )
        nomination.credential = credentials.issue_award(
            organization=issuer,
            holder_name=holder,
            title=nomination.category.name,
            cycle_name=cycle.name,
            category=nomination.category.get_nominee_kind_display(),
            narrative=_(
                "Peringkat pertama kategori %(category)s dengan skor %(score)s menurut kriteria yang "
                "diumumkan: %(criteria)s."
            )
            % {
                "category": nomination.category.name,
                "score": nomination.score,
                "criteria": ", ".join(criterion_label(item["key"]) for item in nomination.category.criteria),
            },
            achievement_path=reverse("awards:cycle_detail", args=[cycle.pk])
            + f"#kategori-{nomination.category_id}",
            user=actor,
        )
        nomination.save(update_fields=["credential"])
    cycle.status = AwardCycle.Status.PUBLISHED
    cycle.published_at = timezone.now()
    cycle.save(update_fields=["status", "published_at"])
    record_action(
        actor=actor,
        target=cycle,
        operation="awards_published",
        changes={"status": ("ranked", cycle.status), "pemenang": ("", len(winners))},
    )
    return cycle

"""Writes of the readiness app: loading frameworks, the self-assessment, assessors, consensus, the index."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import scope_for
from sinergi.core.audit import record_action
from sinergi.partnerships.selectors import manageable_agreements
from sinergi.readiness import scoring
from sinergi.readiness.frameworks import (
    AspectSpec,
    DimensionSpec,
    FrameworkFileError,
    FrameworkSpec,
    IndicatorSpec,
    Predicate,
    Problem,
    RegionMetricSpec,
    parse_framework,
)
from sinergi.readiness.models import (
    Aspect,
    Assessment,
    AssessorAssignment,
    AssessorScore,
    ConsensusScore,
    Dimension,
    Framework,
    Indicator,
    Initiative,
    Masterplan,
    Milestone,
    SelfScore,
)
from sinergi.regions.models import Region

ASSESSORS_PER_ASSESSMENT = 2
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Evidence is checked by its first bytes, not by its name or the browser's content type.
EVIDENCE_SIGNATURES = {b"%PDF-": "PDF", b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@transaction.atomic
def load_framework(*, text: str, actor=None) -> tuple[Framework, bool]:
    """Load a framework file; (framework, False) when this exact version is already loaded.

    A version, once loaded, never changes: the same slug and version with other content is refused, so
    assessments made under it keep their meaning. A new version is a new file."""
    spec = parse_framework(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    existing = Framework.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if existing.file_sha256 == digest:
            return existing, False
        raise FrameworkFileError([Problem(1, "version_exists", {"slug": spec.slug, "version": spec.version})])
    framework = Framework.objects.create(
        slug=spec.slug,
        version=spec.version,
        name=spec.name,
        source=spec.source,
        weights_total=spec.weights_total,
        level_labels={str(level): label for level, label in spec.level_labels.items()},
        predicates=[[str(p.minimum), p.label] for p in spec.predicates],
        file_sha256=digest,
        loaded_by=actor,
    )
    position = 0
    for d_pos, dimension_spec in enumerate(spec.dimensions):
        dimension = Dimension.objects.create(
            framework=framework,
            code=dimension_spec.code,
            name=dimension_spec.name,
            weight=dimension_spec.weight,
            programme_keywords=list(dimension_spec.programme_keywords),
            position=d_pos,
        )
        for a_pos, aspect_spec in enumerate(dimension_spec.aspects):
            aspect = Aspect.objects.create(
                dimension=dimension,
                code=aspect_spec.code,
                name=aspect_spec.name,
                weight=aspect_spec.weight,
                position=a_pos,
            )
            indicators = []
            for indicator_spec in aspect_spec.indicators:
                metric = indicator_spec.region_metric
                indicators.append(
                    Indicator(
                        framework=framework,
                        aspect=aspect,
                        code=indicator_spec.code,
                        name=indicator_spec.name,
                        weight=indicator_spec.weight,
                        evidence=indicator_spec.evidence,
                        levels={str(level): text for level, text in indicator_spec.levels.items()},
                        region_metric=metric.key if metric else "",
                        region_metric_thresholds=[str(t) for t in metric.thresholds] if metric else [],
                        position=position,
                    )
                )
                position += 1
            Indicator.objects.bulk_create(indicators)
    return framework, True


def framework_spec(framework: Framework) -> FrameworkSpec:
    """The stored framework as the pure scoring module reads it (three queries)."""
    indicators_by_aspect: dict[int, list[IndicatorSpec]] = {}
    for indicator in framework.indicators.order_by("position"):
        metric = (
            RegionMetricSpec(
                indicator.region_metric, tuple(Decimal(t) for t in indicator.region_metric_thresholds)
            )
            if indicator.region_metric
            else None
        )
        indicators_by_aspect.setdefault(indicator.aspect_id, []).append(
            IndicatorSpec(
                indicator.code,
                indicator.name,
                indicator.weight,
                indicator.evidence,
                {int(k): v for k, v in indicator.levels.items()},
                metric,
            )
        )
    aspects_by_dimension: dict[int, list[AspectSpec]] = {}
    for aspect in Aspect.objects.filter(dimension__framework=framework).order_by(
        "dimension__position", "position"
    ):
        aspects_by_dimension.setdefault(aspect.dimension_id, []).append(
            AspectSpec(
                aspect.code, aspect.name, aspect.weight, tuple(indicators_by_aspect.get(aspect.pk, []))
            )
        )
    dimensions = tuple(
        DimensionSpec(
            d.code, d.name, d.weight, tuple(aspects_by_dimension.get(d.pk, [])), tuple(d.programme_keywords)
        )
        for d in framework.dimensions.order_by("position")
    )
    return FrameworkSpec(
        framework.slug,
        framework.version,
        framework.name,
        framework.source,
        framework.weights_total,
        {int(k): v for k, v in framework.level_labels.items()},
        tuple(Predicate(Decimal(minimum), label) for minimum, label in framework.predicates),
        dimensions,
    )


def _require_region_officer(actor, region: Region) -> None:
    scope = scope_for(actor)
    if not (scope.is_national or (scope.is_regional and scope.covers_region(region))):
        raise ValidationError(
            _("Hanya admin daerah wilayah ini atau admin nasional yang dapat mengisi penilaian.")
        )


@transaction.atomic
def start_assessment(*, actor, region: Region, framework: Framework, year: int) -> Assessment:
    _require_region_officer(actor, region)
    if region.level not in (Region.Level.CITY, Region.Level.REGENCY, Region.Level.PROVINCE):
        raise ValidationError(
            {"region": _("Penilaian kesiapan dilakukan untuk provinsi atau kabupaten/kota.")}
        )
    this_year = timezone.localdate().year
    if not this_year - 10 <= year <= this_year + 1:
        raise ValidationError(
            {
                "year": _("Tahun penilaian harus antara %(first)s dan %(last)s.")
                % {"first": this_year - 10, "last": this_year + 1}
            }
        )
    if Assessment.objects.filter(region=region, framework=framework, year=year).exists():
        raise ValidationError(
            {
                "year": _("Penilaian %(framework)s untuk %(region)s tahun %(year)s sudah ada.")
                % {"framework": framework.name, "region": region.name, "year": year}
            }
        )
    assessment = Assessment.objects.create(region=region, framework=framework, year=year, created_by=actor)
    record_action(
        actor=actor,
        target=assessment,
        operation="assessment_started",
        changes={"status": ("", assessment.status)},
    )
    return assessment


def check_evidence_file(upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "evidence_file": _("Berkas bukti paling besar %(mb)s MB.")
                % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
            }
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in EVIDENCE_SIGNATURES):
        raise ValidationError({"evidence_file": _("Berkas bukti harus PDF, PNG atau JPEG.")})


@transaction.atomic
def save_self_score(
    *,
    actor,
    assessment: Assessment,
    indicator: Indicator,
    level: int,
    justification: str,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
) -> SelfScore:
    _require_region_officer(actor, assessment.region)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Penilaian mandiri sudah diajukan dan tidak dapat diubah lagi."))
    if indicator.framework_id != assessment.framework_id:
        raise ValidationError({"indicator": _("Indikator ini bukan bagian dari kerangka penilaian.")})
    errors: dict[str, str] = {}
    if level not in scoring.LEVELS:
        errors["level"] = _("Pilih tingkat 1 sampai 5.")
    if not justification.strip():
        errors["justification"] = _("Tuliskan penjelasan mengapa tingkat ini dipilih.")
    if errors:
        raise ValidationError(errors)
    if evidence_file is not None:
        check_evidence_file(evidence_file)
    score, _created = SelfScore.objects.update_or_create(
        assessment=assessment,
        indicator=indicator,
        defaults={
            "level": level,
            "justification": justification.strip(),
            "evidence_url": evidence_url,
            "updated_by": actor,
        },
    )
    if evidence_file is not None:
        score.evidence_file.save(f"{assessment.pk}-{indicator.code}", evidence_file, save=True)
    return score


@transaction.atomic
def submit_assessment(*, actor, assessment: Assessment) -> Assessment:
    _require_region_officer(actor, assessment.region)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Penilaian ini sudah diajukan."))
    scored = set(assessment.self_scores.values_list("indicator_id", flat=True))
    missing = list(assessment.framework.indicators.exclude(pk__in=scored).values_list("code", flat=True))
    if missing:
        raise ValidationError(
            _("Masih ada %(count)s indikator tanpa tingkat: %(codes)s.")
            % {"count": len(missing), "codes": ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")}
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    record_action(
        actor=actor,
        target=assessment,
        operation="assessment_submitted",
        changes={"status": ("draft", "submitted")},
    )
    return assessment


@transaction.atomic
def assign_assessor(*, actor, assessment: Assessment, assessor) -> AssessorAssignment:
    if not scope_for(actor).is_national:
        raise ValidationError(_("Hanya admin nasional yang menugaskan asesor."))
    if assessor.role != "assessor":
        raise ValidationError({"assessor": _("Pengguna ini bukan asesor.")})
    if assessment.assignments.filter(assessor=assessor).exists():
        raise ValidationError({"assessor": _("Asesor ini sudah ditugaskan pada penilaian ini.")})
    if assessment.assignments.count() >= ASSESSORS_PER_ASSESSMENT:
        raise ValidationError({"assessor": _("Penilaian ini sudah memiliki dua asesor.")})
    assignment = AssessorAssignment.objects.create(
        assessment=assessment, assessor=assessor, assigned_by=actor
    )
    record_action(
        actor=actor,
        target=assessment,
        operation="assessor_assigned",
        changes={"asesor": ("", assessor.get_full_name() or assessor.username)},
    )
    return assignment


@transaction.atomic
def declare_no_conflict(*, actor, assignment: AssessorAssignment, confirmed: bool) -> AssessorAssignment:
    if assignment.assessor_id != actor.pk:
        raise ValidationError(_("Hanya asesor yang ditugaskan yang dapat membuat pernyataan ini."))
    if not confirmed:
        raise ValidationError(
            {"confirmed": _("Centang pernyataan tidak ada benturan kepentingan untuk mulai menilai.")}
        )
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at"])
        record_action(
            actor=actor,
            target=assignment.assessment,
            operation="no_conflict_declared",
            changes={"pernyataan": ("", "tidak ada benturan kepentingan")},
        )
    return assignment


@transaction.atomic
def save_assessor_scores(
    *, actor, assignment: AssessorAssignment, levels: dict[str, tuple[int, str]], submit: bool
) -> AssessorAssignment:
    """levels: indicator code → (level, note). Scores are independent: an assessor never sees the other's."""
    assignment = (
        AssessorAssignment.objects.select_for_update().select_related("assessment").get(pk=assignment.pk)
    )
    assessment = assignment.assessment
    if assignment.assessor_id != actor.pk:
        raise ValidationError(_("Hanya asesor yang ditugaskan yang dapat menilai."))
    if assignment.no_conflict_declared_at is None:
        raise ValidationError(_("Nyatakan dulu bahwa tidak ada benturan kepentingan."))
    if assessment.status != Assessment.Status.SUBMITTED or assignment.submitted_at is not None:
        raise ValidationError(_("Penilaian asesor sudah dikirim dan tidak dapat diubah."))
    indicators = {i.code: i for i in assessment.framework.indicators.all()}
    errors = {}
    for code, (level, _note) in levels.items():
        if code not in indicators:
            errors[f"level_{code}"] = _("Indikator %(code)s tidak dikenal.") % {"code": code}
        elif level not in scoring.LEVELS:
            errors[f"level_{code}"] = _("Indikator %(code)s: pilih tingkat 1 sampai 5.") % {"code": code}
    if errors:
        raise ValidationError(errors)
    for code, (level, note) in levels.items():
        AssessorScore.objects.update_or_create(
            assignment=assignment, indicator=indicators[code], defaults={"level": level, "note": note.strip()}
        )
    if submit:
        scored = set(assignment.scores.values_list("indicator__code", flat=True))
        missing = sorted(set(indicators) - scored)
        if missing:
            raise ValidationError(
                _("Masih ada %(count)s indikator tanpa nilai asesor: %(codes)s.")
                % {"count": len(missing), "codes": ", ".join(missing[:10])}
            )
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        record_action(
            actor=actor,
            target=assessment,
            operation="assessor_submitted",
            changes={"asesor": ("", actor.username)},
        )
        _advance(assessment, actor=actor)
    return assignment


def assessor_levels(assessment: Assessment) -> list[dict[str, int]]:
    """Each submitted assessor's levels, in assignment order."""
    result = []
    for assignment in assessment.assignments.filter(submitted_at__isnull=False).order_by("assigned_at", "pk"):
        result.append(dict(assignment.scores.values_list("indicator__code", "level")))
    return result


def _advance(assessment: Assessment, *, actor) -> None:
    """After both assessors submit: a consensus round where they differ by more than a level, else final."""
    levels = assessor_levels(assessment)
    if len(levels) < ASSESSORS_PER_ASSESSMENT:
        return
    disputed = scoring.needs_consensus(levels[0], levels[1])
    decided = set(assessment.consensus_scores.values_list("indicator__code", flat=True))
    if set(disputed) - decided:
        if assessment.status != Assessment.Status.CONSENSUS:
            assessment.status = Assessment.Status.CONSENSUS
            assessment.save(update_fields=["status"])
            record_action(
                actor=actor,
                target=assessment,
                operation="consensus_opened",
                changes={"status": ("submitted", "consensus"), "indikator": ("", ", ".join(disputed))},
            )
        return
    _finalize(assessment, actor=actor, levels=levels)


@transaction.atomic
def record_consensus(
    *, actor, assessment: Assessment, indicator: Indicator, level: int, note: str
) -> ConsensusScore:
    """The level both assessors agreed on in the consensus round.

    Recorded by one of the two assessors or the national admin."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    is_assessor = assessment.assignments.filter(assessor=actor).exists()
    if not (is_assessor or scope_for(actor).is_national):
        raise ValidationError(_("Hanya asesor penilaian ini atau admin nasional yang mencatat konsensus."))
    if assessment.status != Assessment.Status.CONSENSUS:
        raise ValidationError(_("Penilaian ini tidak sedang dalam rapat konsensus."))
    levels = assessor_levels(assessment)
    if indicator.code not in scoring.needs_consensus(levels[0], levels[1]):
        raise ValidationError({"indicator": _("Indikator ini tidak memerlukan konsensus.")})
    errors = {}
    if level not in scoring.LEVELS:
        errors["level"] = _("Pilih tingkat 1 sampai 5.")
    if not note.strip():
        errors["note"] = _("Tuliskan dasar kesepakatan kedua asesor.")
    if errors:
        raise ValidationError(errors)
    consensus, _created = ConsensusScore.objects.update_or_create(
        assessment=assessment,
        indicator=indicator,
        defaults={"level": level, "note": note.strip(), "decided_by": actor},
    )
    record_action(
        actor=actor,
        target=assessment,
        operation="consensus_recorded",
        changes={indicator.code: ("", level)},
        reason=note.strip(),
    )
    _advance(assessment, actor=actor)
    return consensus


def _finalize(assessment: Assessment, *, actor, levels: list[dict[str, int]]) -> None:
    consensus = dict(assessment.consensus_scores.values_list("indicator__code", "level"))
    final = scoring.agreed_levels(levels[0], levels[1], consensus)
    result = scoring.compute_index(framework_spec(assessment.framework), final)
    before = assessment.status
    assessment.final_levels = final
    assessment.index = result.index
    assessment.predicate = result.predicate
    assessment.dimension_scores = {code: str(score) for code, score in result.dimensions.items()}
    assessment.status = Assessment.Status.FINAL
    assessment.finalized_at = timezone.now()
    assessment.save()
    record_action(
        actor=actor,
        target=assessment,
        operation="assessment_final",
        changes={"status": (before, "final"), "indeks": ("", result.index)},
    )


# --- initiatives and masterplan ------------------------------------------------------------------------

INITIATIVE_FIELDS = (
    "name",
    "description",
    "dimension",
    "owner_unit",
    "status",
    "is_quick_win",
    "starts_on",
    "ends_on",
    "budget_source",
    "evidence_url",
    "users_served",
    "in_masterplan",
)


@transaction.atomic
def save_initiative(
    *, actor, region: Region, values: dict, agreements, initiative: Initiative | None = None
) -> Initiative:
    """Create or update an initiative of `region`.

    The supporting agreements must be ones the officer's office manages (as for programmes)."""
    _require_region_officer(actor, region)
    errors: dict[str, str] = {}
    if values.get("ends_on") and values.get("starts_on") and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if values.get("status") == Initiative.Status.DONE and not values.get("ends_on"):
        errors["ends_on"] = _("Inisiatif yang selesai memerlukan tanggal selesai.")
    allowed = set(manageable_agreements(actor).values_list("pk", flat=True))
    refused = [a for a in agreements if a.pk not in allowed]
    if refused:
        errors["agreements"] = _("Kerja sama ini tidak dapat dikaitkan oleh kantor Anda: %(titles)s.") % {
            "titles": ", ".join(a.title for a in refused)
        }
    if errors:
        raise ValidationError(errors)
    if initiative is None:
        initiative = Initiative(region=region, created_by=actor)
    elif initiative.region_id != region.code:
        raise ValidationError(_("Inisiatif ini milik wilayah lain."))
    for field in INITIATIVE_FIELDS:
        if field in values:
            setattr(initiative, field, values[field])
    initiative.save()
    initiative.agreements.set(agreements)
    return initiative


@transaction.atomic
def save_masterplan(
    *, actor, region: Region, title: str, vision: str, start_year: int, target_year: int
) -> Masterplan:
    _require_region_officer(actor, region)
    if target_year < start_year:
        raise ValidationError({"target_year": _("Tahun target tidak boleh sebelum tahun mulai.")})
    if target_year - start_year > 20:
        raise ValidationError({"target_year": _("Masterplan paling lama 20 tahun.")})
    masterplan, _created = Masterplan.objects.update_or_create(
        region=region,
        defaults={
            "title": title.strip(),
            "vision": vision.strip(),
            "start_year": start_year,
            "target_year": target_year,
        },
    )
    return masterplan


@transaction.atomic
def add_milestone(*, actor, masterplan: Masterplan, stage: str, title: str, target_year: int) -> Milestone:
    _require_region_officer(actor, masterplan.region)
    if not masterplan.start_year <= target_year <= masterplan.target_year:
        raise ValidationError(
            {
                "target_year": _("Tahun tonggak harus di antara %(start)s dan %(end)s.")
                % {"start": masterplan.start_year, "end": masterplan.target_year}
            }
        )
    return Milestone.objects.create(
        masterplan=masterplan, stage=stage, title=title.strip(), target_year=target_year
    )


@transaction.atomic
def mark_milestone(*, actor, milestone: Milestone, achieved_on) -> Milestone:
    _require_region_officer(actor, milestone.masterplan.region)
    if achieved_on and achieved_on > timezone.localdate():
        raise ValidationError({"achieved_on": _("Tanggal tercapai tidak boleh di masa depan.")})
    milestone.achieved_on = achieved_on
    milestone.save(update_fields=["achieved_on"])
    record_action(
        actor=actor,
        target=milestone.masterplan,
        operation="milestone_marked",
        changes={milestone.title: ("", achieved_on or "")},
    )
    return milestone

"""Smart-city readiness: frameworks loaded from YAML, a region's self-assessment, assessors' scores.

A framework version is immutable once loaded: assessments point at the version they were made under,
so loading version 2 never changes a score given under version 1.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.regions.models import Region


class Framework(models.Model):
    slug = models.SlugField(_("kode kerangka"), max_length=80)
    version = models.PositiveIntegerField(_("versi"))
    name = models.CharField(_("nama"), max_length=200)
    source = models.TextField(_("sumber"))
    weights_total = models.DecimalField(_("jumlah bobot"), max_digits=9, decimal_places=4)
    level_labels = models.JSONField(_("label tingkat"))  # {"1": "Rintisan", ...}
    predicates = models.JSONField(_("predikat"), default=list)  # [[minimum, label], ...] highest first
    file_sha256 = models.CharField(max_length=64, editable=False)
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="framework_one_per_version")]
        verbose_name = _("kerangka kesiapan")
        verbose_name_plural = _("kerangka kesiapan")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def level_label(self, level: int | None) -> str:
        return self.level_labels.get(str(level), "") if level else ""


class Dimension(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=9, decimal_places=4)
    programme_keywords = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="dimension_code_unique")]

    def __str__(self) -> str:
        return self.name


class Aspect(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="aspects")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=9, decimal_places=4)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["dimension", "position"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama"), max_length=300)
    weight = models.DecimalField(_("bobot"), max_digits=9, decimal_places=4)
    evidence = models.TextField(_("bukti yang diharapkan"))
    levels = models.JSONField(_("uraian tingkat"))  # {"1": "...", ..., "5": "..."}
    region_metric = models.CharField(_("metrik wilayah"), max_length=80, blank=True)
    region_metric_thresholds = models.JSONField(default=list, blank=True)  # where levels 2..5 begin
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf penilaian mandiri")
        SUBMITTED = "submitted", _("Diajukan, menunggu asesor")
        CONSENSUS = "consensus", _("Rapat konsensus")
        FINAL = "final", _("Final")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    # Filled when final: the index by the framework's formula, its predicate, per-dimension scores.
    index = models.DecimalField(_("indeks"), max_digits=5, decimal_places=2, null=True, blank=True)
    predicate = models.CharField(_("predikat"), max_length=60, blank=True)
    dimension_scores = models.JSONField(default=dict, blank=True)
    final_levels = models.JSONField(default=dict, blank=True)  # indicator code → level

    class Meta:
        ordering = ["-year", "region"]
        constraints = [
            models.UniqueConstraint(fields=["region", "framework", "year"], name="assessment_one_per_year")
        ]
        verbose_name = _("penilaian kesiapan")
        verbose_name_plural = _("penilaian kesiapan")

    def __str__(self) -> str:
        return f"{self.framework.name} · {self.region.name} · {self.year}"


class SelfScore(models.Model):
    """The region's own level for one indicator, with its justification and evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="self_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("tingkat"))
    justification = models.TextField(_("penjelasan"))
    evidence_url = models.URLField(_("tautan bukti"), max_length=500, blank=True)
    evidence_file = models.FileField(_("berkas bukti"), upload_to="readiness/evidence/%Y/", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="self_score_one_per_indicator")
        ]


class AssessorAssignment(models.Model):
    """An assessor assigned by the national admin; they score only after declaring no conflict."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "assessor"], name="assessor_once_per_assessment")
        ]


class AssessorScore(models.Model):
    assignment = models.ForeignKey(AssessorAssignment, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("tingkat"))
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "indicator"], name="assessor_score_one_per_indicator"
            )
        ]


class ConsensusScore(models.Model):
    """The level agreed in the consensus round where the two assessors were more than a level apart."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consensus_scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("tingkat"))
    note = models.TextField(_("catatan konsensus"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="consensus_one_per_indicator")
        ]


class ReferenceIndex(models.Model):
    """An index published elsewhere (fiscal capacity, SPBE results, population), entered with its source
    so a selection formula can use it; edited by the national admin."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    source = models.TextField(_("sumber"))
    year = models.PositiveIntegerField(_("tahun data"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indeks rujukan")
        verbose_name_plural = _("indeks rujukan")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ReferenceValue(models.Model):
    index = models.ForeignKey(ReferenceIndex, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("nilai"), max_digits=16, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index", "region"], name="reference_value_once")]


class SelectionCall(models.Model):
    """A national programme's call to regions (e.g. 50 kabupaten/kota to coach), ranked by a published
    formula over named criteria; see readiness/ranking.py for the rule."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pendaftaran dibuka")
        RANKED = "ranked", _("Peringkat dihitung")
        PUBLISHED = "published", _("Hasil diumumkan")

    name = models.CharField(_("nama panggilan"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    quota = models.PositiveIntegerField(_("kuota wilayah"))
    year = models.PositiveIntegerField(_("tahun"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("kerangka penilaian")
    )
    # [{"key": "assessment_index" | "commitment_fulfilment" | "ref:<code>", "weight": "0.5"}, ...]
    formula = models.JSONField(_("rumus"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ranked_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("seleksi wilayah")
        verbose_name_plural = _("seleksi wilayah")

    def __str__(self) -> str:
        return self.name


class SelectionEntry(models.Model):
    """A region's application to a call and, once ranked, its rank, score and breakdown."""

    call = models.ForeignKey(SelectionCall, on_delete=models.CASCADE, related_name="entries")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    selected = models.BooleanField(default=False)

    class Meta:
        ordering = ["call", "rank", "region"]
        constraints = [models.UniqueConstraint(fields=["call", "region"], name="selection_entry_once")]


class SmartCityDimension(models.TextChoices):
    """The six dimensions of Gerakan Menuju 100 Smart City, used to tag initiatives and milestones."""

    GOVERNANCE = "GOV", _("Smart Governance")
    BRANDING = "BRA", _("Smart Branding")
    ECONOMY = "ECO", _("Smart Economy")
    LIVING = "LIV", _("Smart Living")
    SOCIETY = "SOC", _("Smart Society")
    ENVIRONMENT = "ENV", _("Smart Environment")


class Initiative(models.Model):
    """A region's smart-city initiative or quick win (e.g. Sampit Creative Hub), with who runs it and what
    it achieved, linked to the agreements that support it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        STOPPED = "stopped", _("Dihentikan")

    class Budget(models.TextChoices):
        APBD = "apbd", _("APBD")
        APBN = "apbn", _("APBN")
        PARTNER = "partner", _("Mitra/CSR")
        KPBU = "kpbu", _("KPBU")
        OTHER = "other", _("Lainnya")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    name = models.CharField(_("nama inisiatif"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    dimension = models.CharField(_("dimensi"), max_length=3, choices=SmartCityDimension.choices)
    owner_unit = models.CharField(_("OPD penanggung jawab"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"), null=True, blank=True)
    budget_source = models.CharField(_("sumber anggaran"), max_length=10, choices=Budget.choices)
    evidence_url = models.URLField(_("tautan bukti"), max_length=500, blank=True)
    users_served = models.PositiveIntegerField(_("pengguna terlayani"), null=True, blank=True)
    agreements = models.ManyToManyField(
        "partnerships.Agreement", blank=True, related_name="+", verbose_name=_("kerja sama pendukung")
    )
    in_masterplan = models.BooleanField(_("bagian dari masterplan"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "dimension", "name"]
        verbose_name = _("inisiatif smart city")
        verbose_name_plural = _("inisiatif smart city")

    def __str__(self) -> str:
        return self.name


class Masterplan(models.Model):
    class Stage(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Dampak")
        QUICK_WIN = "quick_win", _("Quick win")

    region = models.OneToOneField(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    title = models.CharField(_("judul"), max_length=200)
    vision = models.TextField(_("visi"), blank=True)
    start_year = models.PositiveIntegerField(_("tahun mulai"))
    target_year = models.PositiveIntegerField(_("tahun target"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="milestones")
    stage = models.CharField(_("tahap evaluasi"), max_length=10, choices=Masterplan.Stage.choices)
    title = models.CharField(_("tonggak"), max_length=300)
    target_year = models.PositiveIntegerField(_("tahun target"))
    achieved_on = models.DateField(_("tercapai pada"), null=True, blank=True)

    class Meta:
        ordering = ["target_year", "pk"]

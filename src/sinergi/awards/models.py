"""Award cycles for regions, regional heads and ASN: categories with weighted criteria built from
readiness results, Sinergi's own records and a jury; nominations with evidence; jurors who declare
conflicts per nomination; a ranking with its breakdown; winners receive a signed Open Badges award."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.readiness.models import SmartCityDimension
from sinergi.regions.models import Region


class AwardCycle(models.Model):
    class Status(models.TextChoices):
        NOMINATING = "nominating", _("Pencalonan dibuka")
        JUDGING = "judging", _("Penilaian juri")
        RANKED = "ranked", _("Peringkat dihitung")
        PUBLISHED = "published", _("Diumumkan")

    name = models.CharField(_("nama"), max_length=200)
    year = models.PositiveIntegerField(_("tahun"))
    description = models.TextField(_("uraian"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOMINATING)
    jurors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("juri")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("siklus penghargaan")
        verbose_name_plural = _("siklus penghargaan")

    def __str__(self) -> str:
        return self.name


class AwardCategory(models.Model):
    class NomineeKind(models.TextChoices):
        REGION = "region", _("Pemerintah daerah")
        REGION_HEAD = "region_head", _("Kepala daerah")
        ASN = "asn", _("ASN")

    cycle = models.ForeignKey(AwardCycle, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("kategori"), max_length=200)
    nominee_kind = models.CharField(_("jenis calon"), max_length=12, choices=NomineeKind.choices)
    dimension = models.CharField(_("dimensi"), max_length=3, choices=SmartCityDimension.choices, blank=True)
    # [{"key": "jury" | "assessment_index" | "assessment_dimension" | "region_metric:<key>", "weight": "0.5"}]
    criteria = models.JSONField(_("kriteria"))

    class Meta:
        ordering = ["cycle", "pk"]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    category = models.ForeignKey(AwardCategory, on_delete=models.CASCADE, related_name="nominations")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah"))
    nominee_name = models.CharField(_("nama calon"), max_length=200)
    nominee_position = models.CharField(_("jabatan"), max_length=200, blank=True)
    evidence = models.TextField(_("uraian prestasi dan bukti"))
    evidence_url = models.URLField(_("tautan bukti"), max_length=500, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    winner = models.BooleanField(default=False)
    credential = models.OneToOneField(
        "credentials.Credential", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["category", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "region", "nominee_name"], name="nomination_once")
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} ({self.region.name})"


class JuryScore(models.Model):
    """A juror's score of one nomination, or their declared conflict of interest (then no score)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="jury_scores")
    juror = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField(_("ada benturan kepentingan"))
    score = models.PositiveSmallIntegerField(_("nilai (0–100)"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "juror"], name="jury_score_once")]

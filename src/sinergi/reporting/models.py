"""Stored aggregates the dashboards and open data read, and the population reference data.

FunnelCount is a materialised table: one row per (batch, programme, stage, dimension, value) with the
number of people at that stage, rebuilt by the refresh job (funnel.refresh_funnel) from the records.
A dashboard sums a few hundred of these rows instead of grouping a million applications while the
user waits; the page shows when the numbers were counted (FunnelRefresh)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.programs.models import Batch, Program


class FunnelCount(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    # Empty for the batch-level rows split by domicile (dimension region, region_category, region_sex).
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    stage = models.CharField(max_length=12)
    # "" is the total; otherwise category, sex, age_band, disability, month, region, region_category…
    dimension = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("hitungan corong")
        verbose_name_plural = _("hitungan corong")
        indexes = [models.Index(fields=["dimension", "batch", "stage"], name="funnel_dimension_batch")]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.program_id} {self.stage} {self.dimension}={self.value}: {self.count}"


class FunnelRefresh(models.Model):
    """When the funnel table was last rebuilt and how long it took (one row)."""

    refreshed_at = models.DateTimeField(_("dihitung pada"))
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("penghitungan corong")
        verbose_name_plural = _("penghitungan corong")


class Population(models.Model):
    """Inhabitants of a province or kab/kota in a year, with where the figure comes from."""

    region_code = models.CharField(_("kode wilayah"), max_length=13)
    year = models.PositiveSmallIntegerField(_("tahun"))
    population = models.PositiveBigIntegerField(_("jumlah penduduk"))
    source = models.CharField(_("sumber"), max_length=200)

    class Meta:
        ordering = ["region_code", "-year"]
        verbose_name = _("jumlah penduduk")
        verbose_name_plural = _("jumlah penduduk")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="population_once_per_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}: {self.population}"


class RegionalTarget(models.Model):
    """A region's yearly KPI that no single agreement carries, e.g. "ASN Pemprov Sulsel terlatih
    digital: 40 % of 23,000 ASN in 2027". The achievement is measured from Sinergi's records by a
    region metric (readiness.region_metrics) over a denominator entered with its source and year."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("wilayah")
    )
    year = models.PositiveSmallIntegerField(_("tahun target"))
    title = models.CharField(_("nama target"), max_length=200)
    metric = models.CharField(_("ukuran"), max_length=60)
    target_percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    denominator = models.PositiveIntegerField(_("jumlah sasaran"))
    denominator_label = models.CharField(_("sasaran"), max_length=200)
    denominator_source = models.CharField(_("sumber jumlah sasaran"), max_length=300)
    denominator_year = models.PositiveSmallIntegerField(_("tahun data sasaran"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "year", "title"]
        verbose_name = _("target KPI daerah")
        verbose_name_plural = _("target KPI daerah")
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "title"], name="regional_target_unique_title")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

"""Stored aggregates the dashboards and open data read, and the population reference data.

FunnelCount is a materialised table: one row per (batch, programme, stage, dimension, value) with the
number of people at that stage, rebuilt by the refresh job (funnel.refresh_funnel) from the records.
A dashboard sums a few hundred of these rows instead of grouping a million applications while the
user waits; the page shows when the numbers were counted (FunnelRefresh)."""

from __future__ import annotations

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

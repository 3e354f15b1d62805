"""Writes of the reporting app: a region's KPI targets."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import scope_for
from sinergi.core.audit import record_action
from sinergi.readiness.region_metrics import REGION_METRICS
from sinergi.regions.models import Region
from sinergi.reporting.models import RegionalTarget

TARGET_LEVELS = (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY)


def _check_target(
    *, actor, region: Region, year: int, metric: str, target_percent: Decimal, denominator: int, title: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not scope_for(actor).covers_region(region) or region.level not in TARGET_LEVELS:
        errors["region"] = _("Pilih provinsi atau kabupaten/kota dalam wilayah kerja Anda.")
    if metric not in REGION_METRICS:
        errors["metric"] = _("Ukuran '%(metric)s' tidak dikenal.") % {"metric": metric}
    if not 0 < target_percent <= 100:
        errors["target_percent"] = _("Target harus lebih dari 0 dan paling banyak 100 persen.")
    if denominator < 1:
        errors["denominator"] = _("Jumlah sasaran paling sedikit 1.")
    if not title.strip():
        errors["title"] = _("Tuliskan nama target.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Tahun target harus antara 2000 dan 2100.")
    return errors


@transaction.atomic
def save_target(
    *,
    actor,
    target: RegionalTarget | None = None,
    region: Region,
    year: int,
    title: str,
    metric: str,
    target_percent: Decimal,
    denominator: int,
    denominator_label: str,
    denominator_source: str,
    denominator_year: int,
) -> RegionalTarget:
    """Create a target (target=None) or change one the actor's scope covers."""
    if target is not None and not scope_for(actor).covers_region(target.region):
        raise ValidationError(_("Target ini di luar wilayah kerja Anda."))
    errors = _check_target(
        actor=actor,
        region=region,
        year=year,
        metric=metric,
        target_percent=target_percent,
        denominator=denominator,
        title=title,
    )
    if not denominator_source.strip():
        errors["denominator_source"] = _(
            "Sebutkan sumber jumlah sasaran (mis. BKD, data ASN per 31 Desember)."
        )
    clash = RegionalTarget.objects.filter(region=region, year=year, title=title.strip())
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if "title" not in errors and clash.exists():
        errors["title"] = _("Wilayah ini sudah memiliki target dengan nama yang sama untuk tahun itu.")
    if errors:
        raise ValidationError(errors)
    is_new = target is None
    target = target or RegionalTarget(created_by=actor)
    values = {
        "region": region,
        "year": year,
        "title": title.strip(),
        "metric": metric,
        "target_percent": target_percent,
        "denominator": denominator,
        "denominator_label": denominator_label.strip(),
        "denominator_source": denominator_source.strip(),
        "denominator_year": denominator_year,
    }
    changes = {
        field: ("" if is_new else getattr(target, field), value)
        for field, value in values.items()
        if is_new or getattr(target, field) != value
    }
    for field, value in values.items():
        setattr(target, field, value)
    target.save()
    record_action(
        actor=actor,
        target=target,
        operation="Target KPI dibuat" if is_new else "Target KPI diubah",
        changes=changes,
    )
    return target


@transaction.atomic
def delete_target(*, actor, target: RegionalTarget) -> None:
    if not scope_for(actor).covers_region(target.region):
        raise ValidationError(_("Target ini di luar wilayah kerja Anda."))
    record_action(actor=actor, target=target, operation="Target KPI dihapus", changes={})
    target.delete()

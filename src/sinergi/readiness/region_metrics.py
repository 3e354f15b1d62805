"""Figures about a region taken from Sinergi's own records, which fill framework indicators.

An indicator names one of these by key (`region_metric` in the framework file) with the thresholds at
which levels 2–5 begin; the self-assessment then shows the measured value and the level it suggests,
so a region's claim can be checked against the chain's records. A region covers the kab/kota inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.credentials.models import Credential
from sinergi.learning.models import Enrolment
from sinergi.programs.models import Category
from sinergi.regions.models import Region


@dataclass(frozen=True)
class RegionMetric:
    key: str
    label: str | Promise
    description: str | Promise
    fn: Callable[[Region], Decimal]


def _domicile_in(region: Region, prefix: str = "") -> Q:
    field = f"{prefix}domicile__code"
    return Q(**{field: region.code}) | Q(**{f"{field}__startswith": region.code + "."})


def _people_certified(region: Region, *, category: str | None = None) -> Decimal:
    credentials = Credential.objects.filter(revoked_at__isnull=True).filter(
        _domicile_in(region, "enrolment__participant__")
    )
    if category:
        credentials = credentials.filter(enrolment__participant__category=category)
    return Decimal(credentials.values("enrolment__participant").distinct().count())


def people_certified(region: Region) -> Decimal:
    return _people_certified(region)


def asn_certified(region: Region) -> Decimal:
    return _people_certified(region, category=Category.ASN)


def trained_people(region: Region) -> Decimal:
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).filter(
        _domicile_in(region, "participant__")
    )
    return Decimal(completed.values("participant").distinct().count())


REGION_METRICS: dict[str, RegionMetric] = {
    m.key: m
    for m in (
        RegionMetric(
            "readiness.people_certified",
            _("Warga bersertifikat"),
            _("Jumlah orang berdomisili di wilayah ini yang memegang sertifikat Sinergi yang tidak dicabut."),
            people_certified,
        ),
        RegionMetric(
            "readiness.asn_certified",
            _("ASN bersertifikat"),
            _("Jumlah ASN berdomisili di wilayah ini yang memegang sertifikat Sinergi yang tidak dicabut."),
            asn_certified,
        ),
        RegionMetric(
            "readiness.trained_people",
            _("Warga lulus pelatihan"),
            _("Jumlah orang berdomisili di wilayah ini yang dinyatakan lulus sebuah kelas."),
            trained_people,
        ),
    )
}

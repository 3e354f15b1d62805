"""Commitment metrics over credentials: people certified.

Scope: credentials of classes whose programme is linked to the commitment's agreement
(Program.agreements); a credential counts while it is not revoked. One person with two certificates of
the same kind counts twice only if they come from two enrolments (two classes).

Filters come from `commitment.breakdown`, following the convention of registration/metrics.py: only
these keys filter, and only when their value is text or a list of text (numbers are the target's
split, e.g. {"dasar": 6000}, and are ignored):
    "category"  participant category: asn, pelajar, guru, umkm, umum
    "level"     programme level: dasar, menengah, lanjut
    "region"    Kemendagri code of the participant's domicile; a province ("16") covers its kab/kota
    "academy"   academy code of the programme, e.g. VSGA, GTA, DEA
Example: {"level": "dasar", "region": "16.71", "academy": "GTA"}.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sinergi.credentials.models import Credential
from sinergi.partnerships.metrics import MetricValue, register_metric

if TYPE_CHECKING:
    from sinergi.partnerships.models import Commitment

FILTER_KEYS = ("category", "level", "region", "academy")


def breakdown_filters(breakdown: dict | None) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        value = (breakdown or {}).get(key)
        if isinstance(value, str) and value.strip():
            filters[key] = [value.strip()]
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            filters[key] = [v.strip() for v in value]
    return filters


def filter_credentials(qs: QuerySet[Credential], filters: dict[str, list[str]]) -> QuerySet[Credential]:
    if "category" in filters:
        qs = qs.filter(enrolment__participant__category__in=filters["category"])
    if "level" in filters:
        qs = qs.filter(enrolment__training_class__program__level__in=filters["level"])
    if "academy" in filters:
        qs = qs.filter(enrolment__training_class__program__academy__code__in=filters["academy"])
    if "region" in filters:
        area = Q()
        for code in filters["region"]:
            area |= Q(enrolment__participant__domicile_id=code) | Q(
                enrolment__participant__domicile__code__startswith=code + "."
            )
        qs = qs.filter(area)
    return qs


def certified(commitment: Commitment, kind: str | None = None) -> QuerySet[Credential]:
    qs = Credential.objects.filter(
        revoked_at__isnull=True, enrolment__training_class__program__agreements=commitment.agreement_id
    )
    if kind:
        qs = qs.filter(kind=kind)
    return (
        filter_credentials(qs, breakdown_filters(commitment.breakdown))
        .select_related("enrolment__participant", "enrolment__training_class")
        .distinct()
    )


def certified_metric(commitment: Commitment) -> MetricValue:
    qs = certified(commitment)
    return MetricValue(Decimal(qs.count()), qs)


def competency_certified_metric(commitment: Commitment) -> MetricValue:
    qs = certified(commitment, Credential.Kind.COMPETENCY)
    return MetricValue(Decimal(qs.count()), qs)


_FILTER_HELP = (
    " Dapat disaring lewat rincian target dengan kunci category (asn/pelajar/guru/umkm/umum), "
    "level (dasar/menengah/lanjut), region (kode wilayah domisili, mis. 16.71) dan academy (kode akademi, "
    'mis. VSGA), misalnya {"level": "dasar", "academy": "GTA"}.'
)

# What moves these numbers, for the stored progress (see partnerships/metrics.py): issuing in bulk
# marks them in services.py; revocation saves the credential.
SOURCES = [("credentials.Credential", lambda c: Q(agreement__programs__classes__enrolments=c.enrolment_id))]

register_metric(
    "credentials.certified",
    "Peserta bersertifikat",
    "Jumlah sertifikat (pelatihan maupun kompetensi) yang terbit dan tidak dicabut untuk kelas program yang "
    "terkait kerja sama ini." + _FILTER_HELP,
    certified_metric,
    sources=SOURCES,
)
register_metric(
    "credentials.competency_certified",
    "Peserta bersertifikat kompetensi",
    "Jumlah sertifikat kompetensi (seluruh unit SKKNI dinyatakan Kompeten) yang terbit dan tidak dicabut "
    "untuk kelas program yang terkait kerja sama ini." + _FILTER_HELP,
    competency_certified_metric,
    sources=SOURCES,
)

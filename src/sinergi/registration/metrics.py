"""Commitment metrics over registrations: participants, applications and eligible applicants.

Scope of every metric: the programmes linked to the commitment's agreement (Program.agreements);
an application counts when it is submitted (not withdrawn) and ranks at least one class of those
programmes.

Filters come from `commitment.breakdown`. Only these keys filter, and only when their value is text
or a list of text (numbers there are the target's split, e.g. {"dasar": 6000}, and are ignored):
    "category"  participant category: asn, pelajar, guru, umkm, umum
    "level"     programme level: dasar, menengah, lanjut
    "sex"       L or P
    "region"    Kemendagri code of the participant's domicile; a province ("16") covers its kab/kota
Example: {"category": "asn", "level": "dasar", "sex": "P", "region": "16.71"}.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from sinergi.partnerships.metrics import MetricValue, register_metric
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import Program
from sinergi.registration.models import Application, ApplicationChoice, Participant
from sinergi.registration.selectors import person_for, program_terms

if TYPE_CHECKING:
    from sinergi.partnerships.models import Commitment

FILTER_KEYS = ("category", "level", "sex", "region")


def breakdown_filters(commitment: Commitment) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        value = (commitment.breakdown or {}).get(key)
        if isinstance(value, str) and value.strip():
            filters[key] = [value.strip()]
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            filters[key] = [v.strip() for v in value]
    return filters


def _programs(commitment: Commitment, filters: dict[str, list[str]]) -> QuerySet[Program]:
    programs = Program.objects.filter(agreements=commitment.agreement_id)
    if "level" in filters:
        programs = programs.filter(level__in=filters["level"])
    return programs


def _participant_q(filters: dict[str, list[str]], prefix: str = "") -> Q:
    q = Q()
    if "category" in filters:
        q &= Q(**{f"{prefix}category__in": filters["category"]})
    if "sex" in filters:
        q &= Q(**{f"{prefix}sex__in": filters["sex"]})
    if "region" in filters:
        area = Q()
        for code in filters["region"]:
            area |= Q(**{f"{prefix}domicile__code": code}) | Q(
                **{f"{prefix}domicile__code__startswith": code + "."}
            )
        q &= area
    return q


def counted_applications(commitment: Commitment) -> QuerySet[Application]:
    filters = breakdown_filters(commitment)
    chosen = ApplicationChoice.objects.filter(training_class__program__in=_programs(commitment, filters))
    return (
        Application.objects.filter(
            status=Application.Status.SUBMITTED, pk__in=chosen.values("application_id")
        )
        .filter(_participant_q(filters, "participant__"))
        .select_related("participant", "batch")
    )


def applications_metric(commitment: Commitment) -> MetricValue:
    qs = counted_applications(commitment)
    return MetricValue(Decimal(qs.count()), qs)


def participants_metric(commitment: Commitment) -> MetricValue:
    qs = Participant.objects.filter(pk__in=counted_applications(commitment).values("participant_id"))
    return MetricValue(Decimal(qs.count()), qs.select_related("domicile"))


def eligible_participant_ids(commitment: Commitment) -> list[int]:
    """Applicants who meet every rule of at least one class they ranked among the counted programmes."""
    filters = breakdown_filters(commitment)
    programs = list(_programs(commitment, filters).select_related("batch"))
    terms = program_terms(programs)
    program_ids = set(terms)
    eligible: list[int] = []
    applications = counted_applications(commitment).prefetch_related("choices__training_class")
    for application in applications.iterator(chunk_size=500):
        person = person_for(application.participant, application.batch)
        for choice in application.choices.all():
            program_id = choice.training_class.program_id
            if program_id in program_ids and not reasons_not_eligible(
                person, terms[program_id], choice.training_class_id
            ):
                eligible.append(application.participant_id)
                break
    return eligible


def eligible_metric(commitment: Commitment) -> MetricValue:
    qs: QuerySet[Any] = Participant.objects.filter(pk__in=eligible_participant_ids(commitment))
    return MetricValue(Decimal(qs.count()), qs.select_related("domicile"))


_FILTER_HELP = (
    " Dapat disaring lewat rincian target dengan kunci category (asn/pelajar/guru/umkm/umum), "
    "level (dasar/menengah/lanjut), sex (L/P) dan region (kode wilayah domisili, mis. 16.71), "
    'misalnya {"category": "asn", "level": "dasar"}.'
)

register_metric(
    "registration.participants",
    "Peserta terdaftar",
    "Jumlah orang dengan pendaftaran aktif (tidak ditarik) ke kelas program yang terkait kerja sama ini."
    + _FILTER_HELP,
    participants_metric,
)
register_metric(
    "registration.applications",
    "Pendaftaran kelas",
    "Jumlah pendaftaran aktif yang memilih setidaknya satu kelas program yang terkait kerja sama ini."
    + _FILTER_HELP,
    applications_metric,
)
register_metric(
    "registration.eligible",
    "Pendaftar memenuhi syarat",
    "Jumlah pendaftar aktif yang memenuhi semua aturan kelayakan setidaknya satu kelas yang dipilihnya "
    "pada program yang terkait kerja sama ini." + _FILTER_HELP,
    eligible_metric,
)

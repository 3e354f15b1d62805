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

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from sinergi.learning.models import Enrolment
from sinergi.partnerships.metrics import MetricValue, register_metric
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import EligibilityRule, Program
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
    """Applicants who meet every rule of at least one class they ranked among the counted programmes.

    Set-based: the applications, their choices and (only when a programme has the not-enrolled rule)
    the enrolments are each read in one query, and the pure eligibility engine judges every choice in
    memory, so the number of queries does not grow with the number of applications."""
    filters = breakdown_filters(commitment)
    programs = list(_programs(commitment, filters).select_related("batch"))
    if not programs:
        return []
    terms = program_terms(programs)
    applications = counted_applications(commitment)
    choices: dict[int, list[tuple[int, int]]] = defaultdict(list)  # application → (class, programme)
    for application_id, class_id, program_id in (
        ApplicationChoice.objects.filter(
            application__in=applications.values("pk"), training_class__program__in=[p.pk for p in programs]
        )
        .order_by("application_id", "rank")
        .values_list("application_id", "training_class_id", "training_class__program_id")
        .iterator(chunk_size=5000)
    ):
        choices[application_id].append((class_id, program_id))
    enrolled: dict[tuple[int, int], set[int]] = defaultdict(set)  # (participant, batch) → classes
    if any(r.kind == EligibilityRule.Kind.NOT_ENROLLED_IN_BATCH for t in terms.values() for r in t.rules):
        for participant_id, class_id, batch_id in (
            Enrolment.objects.filter(
                participant__in=applications.values("participant_id"),
                training_class__program__batch__in={p.batch_id for p in programs},
            )
            .values_list("participant_id", "training_class_id", "training_class__program__batch_id")
            .iterator(chunk_size=5000)
        ):
            enrolled[(participant_id, batch_id)].add(class_id)
    eligible: list[int] = []
    rows = applications.values_list("pk", "batch_id", *(f"participant__{f}" for f in _PERSON_FIELDS))
    for application_id, batch_id, *person_fields in rows.iterator(chunk_size=5000):
        participant = Participant(**dict(zip(_PERSON_FIELDS, person_fields, strict=True)))
        person = replace(
            person_for(participant, None, with_enrolments=False),
            enrolled_class_ids=frozenset(enrolled.get((participant.pk, batch_id), ())),
        )
        if any(not reasons_not_eligible(person, terms[p], c) for c, p in choices.get(application_id, ())):
            eligible.append(participant.pk)
    return eligible


# What person_for() reads of a participant.
_PERSON_FIELDS = ("id", "birth_date", "category", "domicile_id", "education", "nip", "sex", "nik_hash")


def eligible_metric(commitment: Commitment) -> MetricValue:
    qs: QuerySet[Any] = Participant.objects.filter(pk__in=eligible_participant_ids(commitment))
    return MetricValue(Decimal(qs.count()), qs.select_related("domicile"))


_FILTER_HELP = (
    " Dapat disaring lewat rincian target dengan kunci category (asn/pelajar/guru/umkm/umum), "
    "level (dasar/menengah/lanjut), sex (L/P) dan region (kode wilayah domisili, mis. 16.71), "
    'misalnya {"category": "asn", "level": "dasar"}.'
)

# What moves these numbers, for the stored progress (see partnerships/metrics.py): applications and
# their choices, a participant's category, sex or domicile, and for `eligible` the programmes' rules and
# the enrolments the not-enrolled rule looks at.
SOURCES = [
    ("registration.Application", lambda a: Q(agreement__programs__batch=a.batch_id)),
    ("registration.ApplicationChoice", lambda c: Q(agreement__programs__classes=c.training_class_id)),
    ("registration.Participant", lambda p: Q(agreement__programs__batch__applications__participant=p.pk)),
]
ELIGIBLE_SOURCES = [
    *SOURCES,
    ("programs.EligibilityRule", lambda r: Q(agreement__programs=r.program_id)),
    ("programs.Program", lambda p: Q(agreement__programs=p.pk)),
    ("learning.Enrolment", lambda e: Q(agreement__programs__classes=e.training_class_id)),
]

register_metric(
    "registration.participants",
    "Peserta terdaftar",
    "Jumlah orang dengan pendaftaran aktif (tidak ditarik) ke kelas program yang terkait kerja sama ini."
    + _FILTER_HELP,
    participants_metric,
    sources=SOURCES,
)
register_metric(
    "registration.applications",
    "Pendaftaran kelas",
    "Jumlah pendaftaran aktif yang memilih setidaknya satu kelas program yang terkait kerja sama ini."
    + _FILTER_HELP,
    applications_metric,
    sources=SOURCES,
)
register_metric(
    "registration.eligible",
    "Pendaftar memenuhi syarat",
    "Jumlah pendaftar aktif yang memenuhi semua aturan kelayakan setidaknya satu kelas yang dipilihnya "
    "pada program yang terkait kerja sama ini." + _FILTER_HELP,
    eligible_metric,
    sources=ELIGIBLE_SOURCES,
)

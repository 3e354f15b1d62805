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
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from sinergi.partnerships.metrics import MetricValue, register_metric
from sinergi.programs.eligibility import reasons_not_eligible
from sinergi.programs.models import EligibilityRule, Program, TrainingClass
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


def eligible_participant_ids(commitment: Commitment) -> set[int]:
    """Applicants who meet every rule of at least one class they ranked among the counted programmes."""
    return _eligible_by_commitment([commitment])[commitment.pk]


def _matches(filters: dict[str, list[str]], category: str, sex: str, domicile: str) -> bool:
    """_participant_q() in memory."""
    if "category" in filters and category not in filters["category"]:
        return False
    if "sex" in filters and sex not in filters["sex"]:
        return False
    return "region" not in filters or any(
        domicile == code or domicile.startswith(code + ".") for code in filters["region"]
    )


def _eligible_by_commitment(commitments: Sequence[Commitment]) -> dict[int, set[int]]:
    """Set-based for many commitments at once: the submitted applications to any of their programmes,
    their choices and (only when a programme has the not-enrolled rule) the enrolments are each read
    in one query; the pure eligibility engine judges every choice once in memory; each commitment then
    takes the eligible people of its own programmes that match its breakdown. The number of queries
    grows with neither applications nor commitments."""
    filters = {c.pk: breakdown_filters(c) for c in commitments}
    linked: dict[int, set[int]] = defaultdict(set)  # agreement → programmes
    for agreement_id, program_id in Program.agreements.through.objects.filter(
        agreement_id__in={c.agreement_id for c in commitments}
    ).values_list("agreement_id", "program_id"):
        linked[agreement_id].add(program_id)
    programs = {
        p.pk: p for p in Program.objects.filter(pk__in=set().union(*linked.values())).select_related("batch")
    }
    counted = {
        c.pk: {
            pk
            for pk in linked[c.agreement_id]
            if "level" not in filters[c.pk] or programs[pk].level in filters[c.pk]["level"]
        }
        for c in commitments
    }
    result: dict[int, set[int]] = {c.pk: set() for c in commitments}
    if not programs:
        return result
    terms = program_terms(programs.values())
    submitted = Application.objects.filter(
        status=Application.Status.SUBMITTED, choices__training_class__program__in=list(programs)
    ).distinct()
    choices: dict[int, list[tuple[int, int]]] = defaultdict(list)  # application → (class, programme)
    for application_id, class_id, program_id in (
        ApplicationChoice.objects.filter(
            application__status=Application.Status.SUBMITTED, training_class__program__in=list(programs)
        )
        .values_list("application_id", "training_class_id", "training_class__program_id")
        .iterator(chunk_size=10000)
    ):
        choices[application_id].append((class_id, program_id))
    enrolled: dict[tuple[int, int], set[int]] = defaultdict(set)  # (participant, batch) → classes
    if any(r.kind == EligibilityRule.Kind.NOT_ENROLLED_IN_BATCH for t in terms.values() for r in t.rules):
        # Through the classes' reverse relation: registration reads enrolments without importing learning.
        for participant_id, class_id, batch_id in (
            TrainingClass.objects.filter(
                program__batch__in={p.batch_id for p in programs.values()},
                enrolments__participant__in=submitted.values("participant_id"),
            )
            .values_list("enrolments__participant_id", "pk", "program__batch_id")
            .iterator(chunk_size=10000)
        ):
            enrolled[(participant_id, batch_id)].add(class_id)
    # programme → eligible (participant, category, sex, domicile)
    eligible: dict[int, set[tuple[int, str, str, str]]] = defaultdict(set)
    rows = Application.objects.filter(pk__in=submitted.values("pk")).values_list(
        "pk", "batch_id", *(f"participant__{f}" for f in _PERSON_FIELDS)
    )
    for application_id, batch_id, *person_fields in rows.iterator(chunk_size=10000):
        participant = Participant(**dict(zip(_PERSON_FIELDS, person_fields, strict=True)))
        person = replace(
            person_for(participant, None, with_enrolments=False),
            enrolled_class_ids=frozenset(enrolled.get((participant.pk, batch_id), ())),
        )
        who = (participant.pk, participant.category, participant.sex, participant.domicile_id)
        for class_id, program_id in choices.get(application_id, ()):
            if who not in eligible[program_id] and not reasons_not_eligible(
                person, terms[program_id], class_id
            ):
                eligible[program_id].add(who)
    for c in commitments:
        for program_id in counted[c.pk]:
            result[c.pk].update(
                pk for pk, *attrs in eligible.get(program_id, ()) if _matches(filters[c.pk], *attrs)
            )
    return result


# What person_for() reads of a participant.
_PERSON_FIELDS = ("id", "birth_date", "category", "domicile_id", "education", "nip", "sex", "nik_hash")


def _counted_programs(commitments: Sequence[Commitment]) -> dict[int, set[int]]:
    """commitment → the programmes it counts (linked to its agreement, narrowed by its level filter)."""
    linked: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for agreement_id, program_id, level in Program.agreements.through.objects.filter(
        agreement_id__in={c.agreement_id for c in commitments}
    ).values_list("agreement_id", "program_id", "program__level"):
        linked[agreement_id].add((program_id, level))
    result = {}
    for c in commitments:
        levels = breakdown_filters(c).get("level")
        result[c.pk] = {pk for pk, level in linked[c.agreement_id] if levels is None or level in levels}
    return result


def _counts_batch(commitments: Sequence[Commitment], *, distinct: str) -> dict[int, int]:
    """applications_metric / participants_metric for many commitments: the submitted choices of all their
    programmes read once (with the participant's filter fields), each commitment counted in memory."""
    counted = _counted_programs(commitments)
    by_program: dict[int, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    for program_id, *row in (
        ApplicationChoice.objects.filter(
            application__status=Application.Status.SUBMITTED,
            training_class__program__in=set().union(*counted.values()),
        )
        .values_list(
            "training_class__program_id",
            "application_id",
            "application__participant_id",
            "application__participant__category",
            "application__participant__sex",
            "application__participant__domicile_id",
        )
        .iterator(chunk_size=10000)
    ):
        by_program[program_id].append(tuple(row))  # type: ignore[arg-type]
    position = 0 if distinct == "application" else 1
    result = {}
    for c in commitments:
        filters = breakdown_filters(c)
        result[c.pk] = len(
            {
                row[position]
                for program_id in counted[c.pk]
                for row in by_program.get(program_id, ())
                if _matches(filters, row[2], row[3], row[4])
            }
        )
    return result


def applications_metric_batch(commitments: Sequence[Commitment]) -> dict[int, MetricValue]:
    counts = _counts_batch(commitments, distinct="application")
    return {c.pk: MetricValue(Decimal(counts[c.pk]), counted_applications(c)) for c in commitments}


def participants_metric_batch(commitments: Sequence[Commitment]) -> dict[int, MetricValue]:
    counts = _counts_batch(commitments, distinct="participant")
    return {
        c.pk: MetricValue(
            Decimal(counts[c.pk]),
            Participant.objects.filter(pk__in=counted_applications(c).values("participant_id")),
        )
        for c in commitments
    }


def eligible_metric_batch(commitments: Sequence[Commitment]) -> dict[int, MetricValue]:
    eligible = _eligible_by_commitment(commitments)
    return {
        c.pk: MetricValue(Decimal(len(eligible[c.pk])), Participant.objects.filter(pk__in=eligible[c.pk]))
        for c in commitments
    }


def eligible_metric(commitment: Commitment) -> MetricValue:
    eligible = eligible_participant_ids(commitment)
    # Counted in memory: the ids are existing participants, and an IN list of a national programme's
    # hundreds of thousands would cost more than the count itself.
    qs: QuerySet[Any] = Participant.objects.filter(pk__in=eligible)
    return MetricValue(Decimal(len(eligible)), qs.select_related("domicile"))


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
    batch_fn=participants_metric_batch,
    sources=SOURCES,
)
register_metric(
    "registration.applications",
    "Pendaftaran kelas",
    "Jumlah pendaftaran aktif yang memilih setidaknya satu kelas program yang terkait kerja sama ini."
    + _FILTER_HELP,
    applications_metric,
    batch_fn=applications_metric_batch,
    sources=SOURCES,
)
register_metric(
    "registration.eligible",
    "Pendaftar memenuhi syarat",
    "Jumlah pendaftar aktif yang memenuhi semua aturan kelayakan setidaknya satu kelas yang dipilihnya "
    "pada program yang terkait kerja sama ini." + _FILTER_HELP,
    eligible_metric,
    batch_fn=eligible_metric_batch,
    sources=ELIGIBLE_SOURCES,
)

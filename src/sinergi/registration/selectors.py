"""Scoped reads of participants and applications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from sinergi.accounts.scoping import Scope, scope_for
from sinergi.programs.eligibility import Person, ProgramTerms, Rule, reasons_not_eligible
from sinergi.programs.models import Batch, EligibilityRule, Program, TrainingClass
from sinergi.regions.selectors import region_names
from sinergi.registration.models import (
    Application,
    DuplicateFlag,
    ErasureRequest,
    Participant,
    PersonalDataView,
)
from sinergi.registration.nik import validate_nip

# Enrolments are kept later in the chain (learning), which registers how to read them here.
EnrolmentSource = Callable[[Participant, Batch], Iterable[int]]
_ENROLMENT_SOURCES: list[EnrolmentSource] = []


def add_enrolment_source(source: EnrolmentSource) -> None:
    """source(participant, batch) → ids of the batch's classes the participant is enrolled in."""
    if source not in _ENROLMENT_SOURCES:
        _ENROLMENT_SOURCES.append(source)


def participants_visible_to(user) -> QuerySet[Participant]:
    """National: all. Regional: domiciled in the region or applying to one of its batches.
    Provider staff: enrolled in one of their organisation's classes. Participant: themself."""
    scope = scope_for(user)
    qs = Participant.objects.select_related("domicile")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(_in_region(scope, ""))
    if scope.role == "provider_staff" and scope.organization_id:
        return qs.filter(scope.organization_ids_q("enrolments__training_class__provider")).distinct()
    if scope.user_id is not None:
        return qs.filter(user_id=scope.user_id)
    return qs.none()


def _in_region(scope: Scope, person: str) -> Q:
    """The participant at path `person` ("" for the participant itself) is within a regional scope:
    domiciled in the region or applying to one of its batches. An EXISTS per row, not a join over
    applications and a DISTINCT over the result (that join multiplies rows on a national table)."""
    prefix = f"{person}__" if person else ""
    applying = Application.objects.filter(
        scope.region_q("batch__region"), participant=OuterRef(person or "pk")
    )
    return scope.region_q(f"{prefix}domicile") | Q(Exists(applying))


def applications_visible_to(user) -> QuerySet[Application]:
    scope = scope_for(user)
    qs = Application.objects.select_related("participant", "batch")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("batch__region"))
    if scope.role == "provider_staff" and scope.organization_id:
        return qs.filter(scope.organization_ids_q("choices__training_class__provider")).distinct()
    if scope.user_id is not None:
        return qs.filter(participant__user_id=scope.user_id)
    return qs.none()


def allocatable_applications(batch) -> QuerySet[Application]:
    """Submitted applications of the batch whose person may take a seat now.

    A person flagged as a likely duplicate waits for an admin's decision; one confirmed as a
    duplicate record never takes a seat. For the allocation run (trusted, unscoped: it runs for a
    batch the caller was already allowed to see).
    """
    return (
        Application.objects.filter(batch=batch, status=Application.Status.SUBMITTED)
        .filter(
            participant__duplicate_status__in=[
                Participant.DuplicateStatus.CLEAR,
                Participant.DuplicateStatus.CONFIRMED_DISTINCT,
            ]
        )
        .select_related("participant")
        .prefetch_related("choices")
    )


def own_participant(user) -> Participant | None:
    """The signed-in person's participant record, if they have completed the profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Participant.objects.select_related("domicile").filter(user=user).first()


def own_applications(participant: Participant | None) -> QuerySet[Application]:
    if participant is None:
        return Application.objects.none()
    return (
        Application.objects.filter(participant=participant)
        .select_related("batch")
        .prefetch_related("choices__training_class__program")
        .order_by("-batch__registration_closes")
    )


def own_application(participant: Participant, batch: Batch) -> Application | None:
    """The person's application to the batch, with its ranked choices."""
    return (
        Application.objects.filter(participant=participant, batch=batch).prefetch_related("choices").first()
    )


def duplicate_flags_visible_to(user, *, pending_only: bool = False) -> QuerySet[DuplicateFlag]:
    """Flags whose flagged participant the user may see (regional admins: their region), each with
    `pair_in_scope`: whether the look-alike it resembles is within the user's scope too. When it is
    not, the page names that person only as someone in another region (no name, NIK, birth date,
    domicile or status), so importing look-alikes is no nationwide people search."""
    scope = scope_for(user)
    if not (scope.is_national or scope.is_regional):
        return DuplicateFlag.objects.none()
    qs = DuplicateFlag.objects.select_related("participant__domicile", "similar_to__domicile", "decided_by")
    if scope.is_national:
        qs = qs.annotate(pair_in_scope=Value(True, output_field=BooleanField()))
    else:
        qs = qs.filter(_in_region(scope, "participant")).annotate(
            pair_in_scope=Case(
                When(_in_region(scope, "similar_to"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    if pending_only:
        qs = qs.filter(decision=DuplicateFlag.Decision.PENDING)
    return qs


def program_terms(
    programs: Iterable[Program], extra_region_codes: Iterable[str] = ()
) -> dict[int, ProgramTerms]:
    """The eligibility engine's view of each programme (rules, target categories, reference date)."""
    programs = list(programs)
    rules: dict[int, list[Rule]] = {p.pk: [] for p in programs}
    codes = set(extra_region_codes)
    for rule in EligibilityRule.objects.filter(program__in=programs).order_by("pk"):
        rules[rule.program_id].append(Rule(rule.kind, dict(rule.params or {})))
        if rule.kind == EligibilityRule.Kind.DOMICILE:
            codes.update(str(code) for code in (rule.params or {}).get("regions") or [])
    names = region_names(codes)
    return {
        p.pk: ProgramTerms(
            target_categories=tuple(p.target_categories or ()),
            rules=tuple(rules[p.pk]),
            reference_date=timezone.localtime(p.batch.registration_closes).date(),
            region_names=names,
        )
        for p in programs
    }


def person_for(participant: Participant, batch, *, with_enrolments: bool = True) -> Person:
    enrolled: frozenset[int] = frozenset()
    if with_enrolments:
        enrolled = frozenset(pk for source in _ENROLMENT_SOURCES for pk in source(participant, batch))
    return Person(
        birth_date=participant.birth_date,
        category=participant.category,
        domicile_code=participant.domicile_id,
        education=participant.education,
        nip_valid=participant.category == "asn"
        and bool(participant.nip)
        and not validate_nip(participant.nip, participant.birth_date, participant.sex),
        nik_hash=participant.nik_hash,
        enrolled_class_ids=enrolled,
    )


def eligibility_inputs(
    participant: Participant, batch, programs: Iterable[Program]
) -> tuple[Person, dict[int, ProgramTerms]]:
    return person_for(participant, batch), program_terms(programs, [participant.domicile_id])


def class_eligibility(
    participant: Participant | None, classes: Iterable[TrainingClass]
) -> dict[int, list[str]]:
    """class id → reasons the person may not apply (empty: eligible); {} for the public."""
    classes = list(classes)
    if participant is None or not classes:
        return {}
    by_batch: dict[int, list[TrainingClass]] = {}
    for c in classes:
        by_batch.setdefault(c.program.batch_id, []).append(c)
    result: dict[int, list[str]] = {}
    for batch_classes in by_batch.values():
        batch = batch_classes[0].program.batch
        person, terms = eligibility_inputs(participant, batch, {c.program for c in batch_classes})
        for c in batch_classes:
            result[c.pk] = reasons_not_eligible(person, terms[c.program_id], c.pk)
    return result


@dataclass(frozen=True)
class BatchOffer:
    """What applying to a batch is checked against: its classes and each programme's terms."""

    class_program: dict[int, int]  # class id → programme id
    class_names: dict[int, str]
    terms: dict[int, ProgramTerms]  # programme id → terms (region names: the rules' regions only)

    @property
    def needs_enrolments(self) -> bool:
        return any(
            r.kind == EligibilityRule.Kind.NOT_ENROLLED_IN_BATCH for t in self.terms.values() for r in t.rules
        )


OFFER_CACHE_SECONDS = 60


def offer_cache_key(batch_id: int) -> str:
    return f"registration:offer:{batch_id}"


def batch_offer(batch) -> BatchOffer:
    """Cached per batch: every apply request needs it, and it changes only when an admin edits the
    batch's programmes, classes or rules (signals in apps.py drop the entry then; the timeout bounds
    how long another process can see an old copy)."""
    key = offer_cache_key(batch.pk)
    stamp = batch.registration_closes.isoformat()
    cached = cache.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    programs = list(Program.objects.filter(batch=batch).select_related("batch"))
    classes = list(TrainingClass.objects.filter(program__batch=batch).values_list("pk", "program_id", "name"))
    offer = BatchOffer(
        class_program={pk: program_id for pk, program_id, _name in classes},
        class_names={pk: name for pk, _program_id, name in classes},
        terms=program_terms(programs),
    )
    cache.set(key, (stamp, offer), OFFER_CACHE_SECONDS)
    return offer


def forget_batch_offer(batch_id: int | None) -> None:
    if batch_id is not None:
        cache.delete_many([offer_cache_key(batch_id), batch_cache_key(batch_id)])


BATCH_CACHE_SECONDS = 30


def batch_cache_key(batch_id: int) -> str:
    return f"registration:batch:{batch_id}"


def published_batch_for_applying(batch_id: int):
    """The batch an apply request names, if it is published; cached briefly because every request
    of a burst names the same one. Only for the write path: the write itself re-checks the status and
    window on the batch row, so a stale copy can at most word the refusal differently."""
    from sinergi.programs.models import Batch
    from sinergi.programs.selectors import _PUBLISHED

    key = batch_cache_key(batch_id)
    batch = cache.get(key)
    if batch is None:
        batch = Batch.objects.filter(pk=batch_id, status__in=_PUBLISHED).first()
        if batch is None:
            raise Http404
        cache.set(key, batch, BATCH_CACHE_SECONDS)
    return batch


def data_views_of(participant: Participant | None) -> QuerySet[PersonalDataView]:
    """Who saw this person's unmasked data: the person's own log, nobody else's."""
    if participant is None:
        return PersonalDataView.objects.none()
    return PersonalDataView.objects.filter(participant=participant)


def erasure_requests_visible_to(user) -> QuerySet[ErasureRequest]:
    """Officers of the person's domicile region (a province's officers see its kab/kota); national
    admins all. Everyone else none."""
    scope = scope_for(user)
    qs = ErasureRequest.objects.select_related("participant__domicile", "decided_by")
    if scope.is_national:
        return qs
    if scope.is_regional:
        return qs.filter(scope.region_q("participant__domicile"))
    return qs.none()


def erasure_requests_of(participant: Participant) -> QuerySet[ErasureRequest]:
    """The person's own requests and their decisions."""
    return ErasureRequest.objects.filter(participant=participant)

"""Scoped reads for delivery: classes, sessions, enrolments, and each enrolment's progress against the
programme's completion rule (facts gathered here, judged by completion.evaluate)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Organization, Role, User
from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.learning import completion
from sinergi.learning.models import (
    Attendance,
    ClassSession,
    CompetencyResult,
    CompletionRule,
    Enrolment,
)
from sinergi.programs.models import Program, TrainingClass
from sinergi.programs.selectors import classes_visible_to

# Who looks after delivery: provider staff run their classes, regional and national admins follow them.
_READERS = ("provider_staff", "regional_admin", "national_admin")


def delivery_classes_visible_to(user) -> QuerySet[TrainingClass]:
    """Classes whose delivery the user may see: provider staff their organisation's, admins their region's
    (national: all), an assessor the classes of their own organisation and its units."""
    scope = scope_for(user)
    if scope.role in _READERS:
        return classes_visible_to(user)
    if scope.role == "assessor" and scope.organization_id:
        return classes_visible_to(user).filter(scope.organization_ids_q("provider"))
    return TrainingClass.objects.none()


def delivery_class_list(user, query: str = "") -> QuerySet[TrainingClass]:
    """The delivery list: newest classes first, searchable by name or code."""
    qs = delivery_classes_visible_to(user).order_by("-starts_on", "code")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return qs


def classes_managed_by(user) -> QuerySet[TrainingClass]:
    """Sessions, attendance, scores and completion are the provider's to record."""
    if scope_for(user).role == "provider_staff":
        return classes_visible_to(user)
    return TrainingClass.objects.none()


def classes_assessed_by(user) -> QuerySet[TrainingClass]:
    """Competency results are entered by the provider's staff or by an assessor of the organisation."""
    scope = scope_for(user)
    if scope.role in ("provider_staff", "assessor"):
        return delivery_classes_visible_to(user)
    return TrainingClass.objects.none()


def can_manage(user, training_class: TrainingClass) -> bool:
    return classes_managed_by(user).filter(pk=training_class.pk).exists()


def can_assess(user, training_class: TrainingClass) -> bool:
    return classes_assessed_by(user).filter(pk=training_class.pk).exists()


def delivery_class(user, pk: int) -> TrainingClass:
    return get_visible_or_404(delivery_classes_visible_to(user), pk=pk)


def managed_class(user, pk: int) -> TrainingClass:
    return get_visible_or_404(classes_managed_by(user), pk=pk)


def sessions_visible_to(user) -> QuerySet[ClassSession]:
    return ClassSession.objects.filter(training_class__in=delivery_classes_visible_to(user)).select_related(
        "training_class__program", "training_class__provider"
    )


def managed_session(user, pk: int) -> ClassSession:
    qs = ClassSession.objects.filter(training_class__in=classes_managed_by(user)).select_related(
        "training_class__program", "training_class__provider"
    )
    return get_visible_or_404(qs, pk=pk)


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """National: all. Regional: classes of their region's batches. Provider staff and assessors: their
    organisation's classes. Participant: their own."""
    scope = scope_for(user)
    qs = Enrolment.objects.select_related(
        "participant", "training_class__program__academy", "training_class__provider"
    )
    if scope.role in _READERS or scope.role == "assessor":
        return qs.filter(training_class__in=delivery_classes_visible_to(user))
    if scope.user_id is not None:
        return qs.filter(participant__user_id=scope.user_id)
    return qs.none()


def own_enrolments(user) -> QuerySet[Enrolment]:
    if not getattr(user, "is_authenticated", False):
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(participant__user_id=user.pk)
        .select_related("training_class__program__academy", "training_class__provider")
        .order_by("-training_class__starts_on", "pk")
    )


def enrolled_class_ids(participant, batch) -> list[int]:
    """The classes of the batch the participant is enrolled in (for registration's eligibility)."""
    return list(
        Enrolment.objects.filter(participant=participant, training_class__program__batch=batch).values_list(
            "training_class_id", flat=True
        )
    )


def completion_rule_of(program: Program) -> CompletionRule | None:
    return CompletionRule.objects.filter(program=program).first()


def competency_results_by_enrolment_and_unit(
    enrolments: Iterable[Enrolment],
) -> dict[tuple[int, int], CompetencyResult]:
    results = CompetencyResult.objects.filter(enrolment__in=enrolments).select_related(
        "unit", "assessor", "lsp"
    )
    return {(result.enrolment_id, result.unit_id): result for result in results}


def class_enrolments(training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The class list; the caller has already checked the class is in the user's scope."""
    return (
        training_class.enrolments.exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )


def rule_for(program: Program) -> completion.Rule:
    try:
        stored = program.completion_rule
    except CompletionRule.DoesNotExist:
        return completion.Rule()
    return completion.Rule(
        min_attendance_percent=stored.min_attendance_percent,
        min_assignments_passed=stored.min_assignments_passed,
        min_final_score=stored.min_final_score,
        requires_competent=stored.requires_competent,
    )


def scheme_unit_codes(program: Program) -> tuple[str, ...]:
    return tuple(program.competency_units.order_by("code").values_list("code", flat=True))


@dataclass
class EnrolmentProgress:
    enrolment: Enrolment
    evaluation: completion.Evaluation
    attended: set[int] = field(default_factory=set)  # session ids
    recorded: dict[int, bool] = field(default_factory=dict)  # session id → present, where recorded
    results: dict[str, CompetencyResult] = field(default_factory=dict)  # unit code → result

    @property
    def missing(self) -> list[str]:
        return [describe(s) for s in self.evaluation.shortfalls]

    @property
    def proposal_label(self) -> str:
        if self.evaluation.waiting:
            return str(WAITING_LABEL) % {"date": self.enrolment.training_class.ends_on.strftime("%d/%m/%Y")}
        return str(PROPOSAL_LABELS[self.evaluation.proposal])


WAITING_LABEL = gettext_lazy("Memenuhi syarat; lulus setelah kelas berakhir %(date)s")
PROPOSAL_LABELS = {
    completion.COMPLETED: gettext_lazy("Memenuhi syarat lulus"),
    completion.NOT_COMPLETED: gettext_lazy("Tidak memenuhi syarat"),
    completion.IN_PROGRESS: gettext_lazy("Masih berjalan"),
}


def describe(shortfall: completion.Shortfall) -> str:
    """What the participant still has to do, in their words."""
    s = shortfall
    if s.kind == completion.ATTENDANCE:
        if s.reachable:
            return _("Kehadiran %(have)s %% dari minimal %(need)s %%: hadiri %(more)s sesi lagi") % {
                "have": s.have,
                "need": s.need,
                "more": s.more,
            }
        return _(
            "Kehadiran %(have)s %% dari minimal %(need)s %%: kurang %(more)s sesi, "
            "dan sesi yang tersisa tidak lagi cukup"
        ) % {"have": s.have, "need": s.need, "more": s.more}
    if s.kind == completion.NO_SESSIONS:
        return _("Belum ada sesi yang dijadwalkan, sehingga kehadiran belum dapat dihitung")
    if s.kind == completion.ASSIGNMENTS:
        return _("Tugas/tes lulus %(have)s dari minimal %(need)s: selesaikan %(more)s lagi") % {
            "have": s.have,
            "need": s.need,
            "more": s.more,
        }
    if s.kind == completion.SCORE_MISSING:
        return _("Nilai akhir belum diisi penyelenggara (minimal %(need)s)") % {"need": _num(s.need)}
    if s.kind == completion.SCORE:
        return _("Nilai akhir %(have)s di bawah minimal %(need)s") % {
            "have": _num(s.have),
            "need": _num(s.need),
        }
    if s.kind == completion.HOURS:
        return _(
            "Jadwal baru berisi %(have)s dari %(need)s JP kelas; lengkapi sesinya sebelum kelulusan diusulkan"
        ) % {"have": _num(s.have), "need": _num(s.need)}
    if s.kind == completion.COMPETENCY:
        return _("Belum Kompeten atau belum diuji pada unit: %(units)s") % {"units": ", ".join(s.units)}
    raise ValueError(s.kind)


def _num(value) -> str:
    text = f"{value:f}" if value is not None else "—"
    return text.rstrip("0").rstrip(".") if "." in text else text


def class_progress(
    training_class: TrainingClass, *, today: datetime.date, enrolments=None
) -> list[EnrolmentProgress]:
    """Every (non-withdrawn) enrolment's standing against the rule, in a fixed number of queries."""
    enrolments = list(enrolments if enrolments is not None else class_enrolments(training_class))
    sessions = list(training_class.sessions.values_list("pk", "date", "hours"))
    hours_scheduled = sum((hours for _pk, _day, hours in sessions), Decimal(0))
    rule = rule_for(training_class.program)
    units = scheme_unit_codes(training_class.program) if rule.requires_competent else ()
    ids = [e.pk for e in enrolments]
    recorded: dict[int, dict[int, bool]] = defaultdict(dict)
    for enrolment_id, session_id, present in Attendance.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "session_id", "present"
    ):
        recorded[enrolment_id][session_id] = present
    results: dict[int, dict[str, CompetencyResult]] = defaultdict(dict)
    for result in CompetencyResult.objects.filter(enrolment_id__in=ids).select_related(
        "unit", "assessor", "lsp"
    ):
        results[result.enrolment_id][result.unit.code] = result
    upcoming = {pk for pk, day, _hours in sessions if day >= today}
    class_over = training_class.ends_on < today and not upcoming
    progress = []
    for enrolment in enrolments:
        attended = {sid for sid, present in recorded[enrolment.pk].items() if present}
        facts = completion.Facts(
            sessions_total=len(sessions),
            sessions_attended=len(attended),
            sessions_remaining=len(upcoming - attended),
            assignments_passed=enrolment.assignments_passed,
            final_score=enrolment.final_score,
            units_required=units,
            units_competent=frozenset(
                code
                for code, r in results[enrolment.pk].items()
                if r.outcome == CompetencyResult.Outcome.KOMPETEN
            ),
            class_over=class_over,
            waits_for_end=True,
            hours_scheduled=hours_scheduled,
            hours_required=Decimal(training_class.hours) if training_class.hours else None,
        )
        progress.append(
            EnrolmentProgress(
                enrolment,
                completion.evaluate(rule, facts),
                attended,
                recorded[enrolment.pk],
                results[enrolment.pk],
            )
        )
    return progress


def enrolment_progress(enrolment: Enrolment, *, today: datetime.date) -> EnrolmentProgress:
    return class_progress(enrolment.training_class, today=today, enrolments=[enrolment])[0]


def is_checked_in(user, session: ClassSession) -> bool:
    return session.attendances.filter(enrolment__participant__user_id=user.pk, present=True).exists()


def session_checklist(session: ClassSession) -> list[tuple[Enrolment, bool]]:
    """The class list for one session with who is marked present."""
    present = set(session.attendances.filter(present=True).values_list("enrolment_id", flat=True))
    return [(e, e.pk in present) for e in class_enrolments(session.training_class)]


def class_attendance_counts(training_class: TrainingClass) -> dict[int, int]:
    """Session id → number present."""
    counts: dict[int, int] = {}
    for session_id in Attendance.objects.filter(
        session__training_class=training_class, present=True
    ).values_list("session_id", flat=True):
        counts[session_id] = counts.get(session_id, 0) + 1
    return counts


def lsp_choices() -> QuerySet[Organization]:
    """Certification bodies are accredited nationally (BNSP), so any LSP may test any class."""
    return Organization.objects.filter(kind=Organization.Kind.LSP).order_by("name")


def assessor_choices(user) -> QuerySet[User]:
    """Accounts with the assessor role at an LSP, and the signed-in assessor themself."""
    qs = User.objects.filter(role=Role.ASSESSOR, is_active=True)
    return qs.filter(Q(organization__kind=Organization.Kind.LSP) | Q(pk=user.pk)).order_by(
        "first_name", "last_name", "username"
    )


def can_set_rule(user, program: Program) -> bool:
    """The rule binds every class of a programme, so it is set by whoever answers for all of them: the
    admins of the programme's region (national: any), or provider staff when every class is theirs."""
    from sinergi.programs.selectors import programs_visible_to

    scope = scope_for(user)
    if scope.is_national:
        return True
    if scope.is_regional:
        return programs_visible_to(user).filter(pk=program.pk).exists()
    if scope.role == "provider_staff" and scope.organization_id:
        classes = program.classes.all()
        return classes.exists() and not classes.exclude(scope.organization_ids_q("provider")).exists()
    return False

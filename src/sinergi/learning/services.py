"""Writes for delivery: sessions, attendance (checklist, QR check-in, LMS import), scores, completion
decisions and competency results. Each use case is one transaction; every decision names its actor in
the audit trail."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from decimal import Decimal

from auditlog.context import set_actor
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.core.audit import record_bulk
from sinergi.core.notifications import notify
from sinergi.learning import completion, schedule
from sinergi.learning.models import (
    Attendance,
    ClassSession,
    CompetencyResult,
    CompetencyUnit,
    CompletionRule,
    Enrolment,
)
from sinergi.learning.selectors import class_progress
from sinergi.programs.models import Program, TrainingClass
from sinergi.registration.models import Participant

# A QR code shown in the room is photographed and shared; a short life keeps a forwarded picture
# from checking in someone who is not there.
CHECKIN_MAX_AGE = datetime.timedelta(minutes=15)
_CHECKIN_SALT = "sinergi.learning.checkin"


class DeliveryError(Exception):
    """A request that cannot be carried out; the message is for the person who made it."""


@contextmanager
def _acting(user):
    if user is None:
        yield
    else:
        with set_actor(user):
            yield


def enrol(participant: Participant, training_class: TrainingClass) -> Enrolment:
    """Called by selection when a seat offer is accepted; idempotent. The new participant is sent the
    class's schedule as it stands (inside the accepting transaction: a rolled-back acceptance sends
    nothing)."""
    enrolment, created = Enrolment.objects.get_or_create(
        participant=participant, training_class=training_class
    )
    if created:
        _send_schedule(enrolment, list(training_class.sessions.order_by("number")))
    return enrolment


# --- schedule announcements ------------------------------------------------------------------------


def _schedule_lines(sessions: list[ClassSession]) -> tuple[str, str]:
    """(the schedule as text, a short digest of it): an unchanged schedule is never announced twice."""
    import hashlib

    lines = [
        f"{s.number}. {s.date:%d-%m-%Y} {s.start_time:%H:%M}–{s.end_time:%H:%M} {s.topic}" for s in sessions
    ]
    text = "\n".join(lines)
    return text, hashlib.sha256(text.encode()).hexdigest()[:16]


def _send_schedule(enrolment: Enrolment, sessions: list[ClassSession]) -> bool:
    account = enrolment.participant.user
    if account is None:
        return False
    tc = enrolment.training_class
    text, digest = _schedule_lines(sessions)
    if text:
        body = _("Jadwal kelas %(cls)s (%(start)s s.d. %(end)s):\n%(lines)s") % {
            "cls": tc.name,
            "start": f"{tc.starts_on:%d-%m-%Y}",
            "end": f"{tc.ends_on:%d-%m-%Y}",
            "lines": text,
        }
    else:
        body = _(
            "Kelas %(cls)s berlangsung %(start)s s.d. %(end)s. Jadwal sesinya dikirim setelah "
            "penyelenggara menyusunnya."
        ) % {"cls": tc.name, "start": f"{tc.starts_on:%d-%m-%Y}", "end": f"{tc.ends_on:%d-%m-%Y}"}
    return notify(
        account,
        _("Jadwal kelas %(cls)s") % {"cls": tc.name},
        body,
        reverse("learning:my_classes"),
        dedupe_key=f"learning-schedule:{enrolment.pk}:{digest}",
    )


@transaction.atomic
def announce_schedule(training_class: TrainingClass, *, user) -> int:
    """Send the class's current schedule to every enrolled participant with an account; a participant
    who already has this very schedule gets nothing. Returns how many were sent."""
    sessions = list(training_class.sessions.order_by("number"))
    if not sessions:
        raise DeliveryError(_("Kelas ini belum memiliki sesi; susun jadwalnya dahulu."))
    sent = 0
    for enrolment in Enrolment.objects.filter(training_class=training_class).select_related(
        "participant__user", "training_class"
    ):
        sent += _send_schedule(enrolment, sessions)
    record_bulk(
        actor=user, target=training_class, operation=_("pengumuman jadwal kelas"), counts={"dikirim": sent}
    )
    return sent


# --- sessions -------------------------------------------------------------------------------------


@transaction.atomic
def save_session(
    training_class: TrainingClass, *, user, session: ClassSession | None = None, **fields
) -> ClassSession:
    """Create (session=None) or update a session. A new session without a number gets the next one."""
    with _acting(user):
        if session is None:
            session = ClassSession(training_class=training_class)
            if not fields.get("number"):
                last = training_class.sessions.aggregate(n=Max("number"))["n"] or 0
                fields["number"] = last + 1
        for name, value in fields.items():
            setattr(session, name, value)
        session.save()
    return session


@transaction.atomic
def generate_sessions(
    training_class: TrainingClass,
    *,
    user,
    weekdays: Iterable[int],
    first_day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    count: int,
    hours: Decimal,
    topic: str,
) -> list[ClassSession]:
    """Lay out `count` sessions on the given weekdays from first_day, numbered after the existing ones
    and named "<topic> <n>". All or nothing: when the class ends before the last one, none is made."""
    days = schedule.session_dates(first_day, training_class.ends_on, set(weekdays), count)
    if len(days) < count:
        raise DeliveryError(
            _(
                "Hanya %(fit)s dari %(count)s sesi muat pada hari yang dipilih sebelum kelas berakhir "
                "pada %(end)s. Kurangi jumlah sesi atau tambah hari pertemuan."
            )
            % {"fit": len(days), "count": count, "end": training_class.ends_on.strftime("%d/%m/%Y")}
        )
    if end_time <= start_time:
        raise DeliveryError(_("Jam selesai harus setelah jam mulai."))
    TrainingClass.objects.select_for_update().filter(pk=training_class.pk).first()  # numbering in turn
    last = training_class.sessions.aggregate(n=Max("number"))["n"] or 0
    with _acting(user):
        sessions = [
            ClassSession(
                training_class=training_class,
                number=last + i,
                date=day,
                start_time=start_time,
                end_time=end_time,
                hours=hours,
                topic=f"{topic} {last + i}",
            )
            for i, day in enumerate(days, start=1)
        ]
        for session in sessions:
            session.save()  # one by one, so the audit trail has each session
    record_bulk(
        actor=user, target=training_class, operation=_("sesi disusun dari jadwal"), counts={"sesi": count}
    )
    return sessions


@transaction.atomic
def delete_session(session: ClassSession, *, user) -> None:
    if session.attendances.exists():
        raise DeliveryError(
            _("Sesi %(number)s sudah memiliki catatan kehadiran sehingga tidak dapat dihapus.")
            % {"number": session.number}
        )
    with _acting(user):
        session.delete()


# --- attendance -----------------------------------------------------------------------------------


@transaction.atomic
def mark_attendance(
    session: ClassSession,
    present_ids: Iterable[int],
    *,
    user,
    method: str = Attendance.Method.CHECKLIST,
) -> tuple[int, int]:
    """Record the whole class list for one session: the given enrolments present, everyone else absent.
    Returns (present, absent)."""
    present = set(present_ids)
    enrolment_ids = set(
        session.training_class.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).values_list(
            "pk", flat=True
        )
    )
    unknown = present - enrolment_ids
    if unknown:
        raise DeliveryError(
            _("Ada peserta yang tidak terdaftar di kelas ini; muat ulang halaman lalu coba lagi.")
        )
    write_attendance(session, {e: e in present for e in enrolment_ids}, user=user, method=method)
    return len(present), len(enrolment_ids) - len(present)


@transaction.atomic
def set_attendance(
    session: ClassSession, enrolment: Enrolment, *, present: bool, user: User | None
) -> Attendance:
    if (
        enrolment.training_class_id != session.training_class_id
        or enrolment.status == Enrolment.Status.WITHDRAWN
    ):
        raise DeliveryError(_("Peserta ini tidak terdaftar di kelas sesi tersebut."))
    return _upsert_attendance(
        session, enrolment.pk, present=present, user=user, method=Attendance.Method.CHECKLIST
    )


def _lock(session: ClassSession) -> None:
    """Writers of one session's attendance (staff on two phones, QR check-ins, an import) queue on the
    session row, so a bulk insert never collides with a concurrent one. Callers hold a transaction."""
    list(ClassSession.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True))


def _upsert_attendance(
    session: ClassSession, enrolment_id: int, *, present: bool, user: User | None, method: str
) -> Attendance:
    _lock(session)
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        enrolment_id=enrolment_id,
        defaults={"present": present, "method": method, "recorded_by": user},
    )
    if not created and attendance.present != present:
        attendance.present = present
        attendance.method = method
        attendance.recorded_by = user
        attendance.save(update_fields=["present", "method", "recorded_by", "recorded_at"])
    return attendance


def write_attendance(session: ClassSession, marks: Mapping[int, bool], *, user, method: str) -> None:
    """Set enrolment id → present for one session in a handful of queries (a class list, an import)."""
    _lock(session)
    existing = {a.enrolment_id: a for a in session.attendances.filter(enrolment_id__in=list(marks))}
    now = timezone.now()
    created = [
        Attendance(session=session, enrolment_id=eid, present=present, method=method, recorded_by=user)
        for eid, present in marks.items()
        if eid not in existing
    ]
    changed = []
    for eid, present in marks.items():
        attendance = existing.get(eid)
        if attendance is not None and attendance.present != present:
            attendance.present, attendance.method, attendance.recorded_by = present, method, user
            attendance.recorded_at = now
            changed.append(attendance)
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(changed, ["present", "method", "recorded_by", "recorded_at"])
    if created or changed:
        record_bulk(
            actor=user,
            target=session,
            operation=_("Presensi dicatat (%(method)s)") % {"method": method},
            counts={
                _("hadir"): sum(marks.values()),
                _("tidak hadir"): sum(not p for p in marks.values()),
                _("baris baru"): len(created),
                _("baris diubah"): len(changed),
            },
        )


def checkin_token(session: ClassSession) -> str:
    """A signed, timestamped token naming the session; the QR code shown in the room encodes it."""
    return signing.TimestampSigner(salt=_CHECKIN_SALT).sign(str(session.pk))


def checkin_url(session: ClassSession) -> str:
    return reverse("learning:check_in", args=[checkin_token(session)])


def session_from_token(token: str) -> ClassSession:
    """The session a check-in token names, or DeliveryError with what went wrong, in plain words."""
    signer = signing.TimestampSigner(salt=_CHECKIN_SALT)
    try:
        session_id = signer.unsign(token, max_age=CHECKIN_MAX_AGE)
    except signing.SignatureExpired:
        raise DeliveryError(
            _(
                "Kode QR ini sudah kedaluwarsa (berlaku %(minutes)s menit). "
                "Minta pengajar menampilkan kode yang baru lalu pindai lagi."
            )
            % {"minutes": int(CHECKIN_MAX_AGE.total_seconds() // 60)}
        ) from None
    except signing.BadSignature:
        raise DeliveryError(
            _("Kode QR ini tidak sah atau sudah diubah. Pindai kode yang ditampilkan pengajar di kelas.")
        ) from None
    try:
        return ClassSession.objects.select_related("training_class").get(pk=int(session_id))
    except (ValueError, ClassSession.DoesNotExist):
        raise DeliveryError(_("Sesi untuk kode QR ini sudah tidak ada.")) from None


def enrolment_for_checkin(user, session: ClassSession) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(participant__user_id=user.pk, training_class_id=session.training_class_id)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .first()
    )
    if enrolment is None:
        raise DeliveryError(
            _("Anda tidak terdaftar sebagai peserta kelas %(cls)s, jadi tidak dapat presensi di sesi ini.")
            % {"cls": session.training_class.name}
        )
    return enrolment


@transaction.atomic
def check_in(user, token: str) -> tuple[ClassSession, bool]:
    """The participant's own check-in by QR. Returns (session, newly_recorded)."""
    session = session_from_token(token)
    enrolment = enrolment_for_checkin(user, session)
    already = Attendance.objects.filter(session=session, enrolment=enrolment, present=True).exists()
    if not already:
        _upsert_attendance(session, enrolment.pk, present=True, user=user, method=Attendance.Method.QR)
    return session, not already


# --- scores, rule, completion ---------------------------------------------------------------------


@transaction.atomic
def record_scores(
    training_class: TrainingClass, scores: Mapping[int, tuple[Decimal | None, int]], *, user
) -> int:
    """scores: enrolment id → (final score or None, assignments passed). Returns how many changed."""
    changed = 0
    with _acting(user):
        for enrolment in training_class.enrolments.select_for_update().filter(pk__in=scores):
            score, passed = scores[enrolment.pk]
            if enrolment.final_score != score or enrolment.assignments_passed != passed:
                enrolment.final_score = score
                enrolment.assignments_passed = passed
                enrolment.save(update_fields=["final_score", "assignments_passed"])
                changed += 1
    record_bulk(
        actor=user,
        target=training_class,
        operation=_("Nilai dicatat"),
        counts={_("baris dikirim"): len(scores), _("baris diubah"): changed},
    )
    return changed


@transaction.atomic
def save_completion_rule(program: Program, *, user, **fields) -> CompletionRule:
    with _acting(user):
        rule, _created = CompletionRule.objects.update_or_create(program=program, defaults=fields)
    return rule


@transaction.atomic
def add_competency_unit(program: Program, *, code: str, title: str, user) -> CompetencyUnit:
    """Attach an SKKNI unit to a scheme, creating the unit the first time its code is seen."""
    code = code.strip().upper()
    with _acting(user):
        unit, created = CompetencyUnit.objects.get_or_create(code=code, defaults={"title": title.strip()})
        unit.programs.add(program)
    return unit


def _notify_outcome(enrolment: Enrolment) -> None:
    account = enrolment.participant.user
    if account is None:
        return
    name = enrolment.training_class.name
    if enrolment.status == Enrolment.Status.COMPLETED:
        title = _("Selamat, Anda lulus kelas %(cls)s") % {"cls": name}
    else:
        title = _("Hasil kelas %(cls)s: belum lulus") % {"cls": name}
    notify(
        account,
        title,
        _("Lihat rincian kehadiran dan syarat kelulusan di halaman Kelas saya."),
        reverse("learning:my_classes"),
        dedupe_key=f"learning-outcome-{enrolment.pk}-{enrolment.status}",
    )


def _decide(enrolment: Enrolment, *, status: str, user: User | None, now: datetime.datetime) -> bool:
    if enrolment.status == status:
        return False
    enrolment.status = status
    enrolment.completed_at = now if status == Enrolment.Status.COMPLETED else None
    enrolment.decided_by = user
    enrolment.decided_at = now
    enrolment.save(update_fields=["status", "completed_at", "decided_by", "decided_at"])
    _notify_outcome(enrolment)  # inside the transaction: a rolled-back decision sends nothing
    return True


@transaction.atomic
def confirm_completion(
    training_class: TrainingClass, enrolment_ids: Iterable[int], *, user, today: datetime.date | None = None
) -> dict[str, int]:
    """Apply the rule's proposal to the chosen enrolments. Those still in progress are left alone, so
    a bulk confirm in the middle of a class decides nobody too early. Returns counts per outcome."""
    today = today or timezone.localdate()
    now = timezone.now()
    chosen = set(enrolment_ids)
    enrolments = list(
        training_class.enrolments.select_for_update(of=("self",))
        .filter(pk__in=chosen)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("participant__user")
    )
    counts = {"completed": 0, "not_completed": 0, "skipped": 0, "unchanged": 0}
    with _acting(user):
        for progress in class_progress(training_class, today=today, enrolments=enrolments):
            proposal = progress.evaluation.proposal
            if proposal == completion.IN_PROGRESS:
                counts["skipped"] += 1
            elif _decide(progress.enrolment, status=proposal, user=user, now=now):
                counts[proposal] += 1
            else:
                counts["unchanged"] += 1
    record_bulk(
        actor=user,
        target=training_class,
        operation=_("Kelulusan dikonfirmasi bersama"),
        counts={
            _("lulus"): counts["completed"],
            _("tidak lulus"): counts["not_completed"],
            _("belum dapat diputuskan"): counts["skipped"],
            _("tidak berubah"): counts["unchanged"],
        },
    )
    return counts


@transaction.atomic
def decide_outcome(enrolment: Enrolment, *, status: str, user: User | None, reason: str = "") -> bool:
    """The provider's explicit decision for one participant, which may differ from the proposal (e.g. a
    documented illness, or completing before the class ends); such a completion needs a reason, kept
    on the enrolment and in the audit trail with who decided."""
    if status not in (Enrolment.Status.COMPLETED, Enrolment.Status.NOT_COMPLETED, Enrolment.Status.ACTIVE):
        raise DeliveryError(_("Status kelulusan tidak dikenal."))
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("participant__user", "training_class")
        .get(pk=enrolment.pk)
    )
    reason = (reason or "").strip()
    if status == Enrolment.Status.COMPLETED and enrolment.status != status:
        [progress] = class_progress(
            enrolment.training_class, today=timezone.localdate(), enrolments=[enrolment]
        )
        if progress.evaluation.proposal != completion.COMPLETED and len(reason) < 5:
            raise DeliveryError(
                _(
                    "%(name)s belum diusulkan lulus oleh aturan (%(why)s). Menyatakan lulus di luar "
                    "usulan, misalnya sebelum kelas berakhir, wajib disertai alasan (minimal 5 karakter)."
                )
                % {"name": enrolment.participant.full_name, "why": progress.proposal_label.lower()}
            )
    with _acting(user):
        if reason != enrolment.decision_reason and enrolment.status != status:
            enrolment.decision_reason = reason
            enrolment.save(update_fields=["decision_reason"])
        if status == Enrolment.Status.ACTIVE:
            if enrolment.status == status:
                return False
            enrolment.status = status
            enrolment.completed_at = None
            enrolment.decided_by = user
            enrolment.decided_at = timezone.now()
            enrolment.save(update_fields=["status", "completed_at", "decided_by", "decided_at"])
            return True
        return _decide(enrolment, status=status, user=user, now=timezone.now())


@transaction.atomic
def record_competency_result(
    enrolment: Enrolment,
    unit: CompetencyUnit,
    *,
    outcome: str,
    assessed_at: datetime.datetime,
    user,
    assessor=None,
    assessor_name: str = "",
    lsp=None,
) -> CompetencyResult:
    """Enter (or, after a re-test, replace) one participant's outcome on one SKKNI unit."""
    if not unit.programs.filter(pk=enrolment.training_class.program_id).exists():
        raise DeliveryError(
            _("Unit %(code)s bukan bagian dari skema program kelas ini.") % {"code": unit.code}
        )
    if assessor is None and not assessor_name.strip():
        raise DeliveryError(_("Asesor wajib diisi: pilih akun asesor atau tulis namanya."))
    with _acting(user):
        result, _created = CompetencyResult.objects.update_or_create(
            enrolment=enrolment,
            unit=unit,
            defaults={
                "outcome": outcome,
                "assessor": assessor,
                "assessor_name": assessor_name.strip(),
                "lsp": lsp,
                "assessed_at": assessed_at,
                "recorded_by": user,
            },
        )
    return result


@transaction.atomic
def record_competency_sheet(
    unit: CompetencyUnit,
    outcomes: Mapping[Enrolment, str],
    *,
    assessed_at: datetime.datetime,
    user,
    assessor=None,
    assessor_name: str = "",
    lsp=None,
) -> int:
    """One unit tested for several participants at once; all saved or none."""
    for enrolment, outcome in outcomes.items():
        record_competency_result(
            enrolment,
            unit,
            outcome=outcome,
            assessed_at=assessed_at,
            user=user,
            assessor=assessor,
            assessor_name=assessor_name,
            lsp=lsp,
        )
    return len(outcomes)

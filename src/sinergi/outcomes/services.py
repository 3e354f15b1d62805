"""Writes of the tracer: survey versions, rounds, the scheduler that invites graduates and sends their
e-mails (with up to two reminders), responses through the personal link, and bounces.

The scheduler (send_tracers) is safe to run as often as one likes, with Celery beat daily or
`sinergi send_tracers` from cron: an invitation is unique per (round, enrolment), its first e-mail is
claimed (sent_at) before it leaves, and each reminder is claimed by raising reminders_sent from the
value it was read with, so neither a second run nor two workers send anything twice.
"""

from __future__ import annotations

import calendar
import smtplib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.audit import record_action
from sinergi.core.jobs import enqueue, job_handler
from sinergi.learning.models import Enrolment
from sinergi.outcomes import answers, tracer_default
from sinergi.outcomes.models import Survey, SurveyVersion, TracerInvitation, TracerResponse, TracerRound
from sinergi.partnerships.metrics import mark_stale
from sinergi.programs.models import Program

SALT = "sinergi.outcomes.tracer"
SEND = "outcomes.send_tracer_emails"
REMIND_AFTER_DAYS = 7
DEFAULT_OFFSETS = (3, 12)


# --- Survey versions ----------------------------------------------------------------------------------


def definition_errors(questions: list[dict]) -> list[str]:
    return [_(answers.DEFINITION_MESSAGES[p.code]) % p.params for p in answers.check_questions(questions)]


@transaction.atomic
def revise_survey(*, survey: Survey, questions: list[dict], actor=None) -> SurveyVersion:
    """The survey's questions from now on. The current version is edited only while nobody has answered
    it; otherwise a new version is written and earlier responses keep theirs."""
    problems = definition_errors(questions)
    if problems:
        raise ValidationError(problems)
    current = survey.versions.select_for_update().order_by("-number").first()
    if current is not None and current.questions == questions:
        return current
    if current is not None and not current.responses.exists():
        current.questions = questions
        current.save(update_fields=["questions"])
        return current
    number = current.number + 1 if current else 1
    return SurveyVersion.objects.create(
        survey=survey, number=number, questions=questions, created_by=actor if _is_user(actor) else None
    )


def _is_user(actor) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False))


def load_default_tracer() -> Survey:
    """Create the DTS/BLK tracer, or bring its questions up to date (a new version once answered)."""
    survey, _created = Survey.objects.get_or_create(
        slug=tracer_default.SLUG,
        defaults={"title": tracer_default.TITLE, "description": tracer_default.DESCRIPTION},
    )
    revise_survey(survey=survey, questions=tracer_default.QUESTIONS)
    return survey


def default_survey() -> Survey:
    return Survey.objects.filter(slug=tracer_default.SLUG).first() or load_default_tracer()


# --- Rounds -------------------------------------------------------------------------------------------


def add_round(
    *, actor, program: Program, offset_months: int, survey: Survey | None = None, window_days: int = 60
) -> TracerRound:
    if not 1 <= offset_months <= 60:
        raise ValidationError({"offset_months": _("Bulan setelah lulus: isi 1 sampai 60.")})
    if not 7 <= window_days <= 365:
        raise ValidationError({"window_days": _("Masa pengiriman: isi 7 sampai 365 hari.")})
    try:
        with transaction.atomic():
            made = TracerRound.objects.create(
                program=program,
                survey=survey or default_survey(),
                offset_months=offset_months,
                window_days=window_days,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "offset_months": _("Program ini sudah memiliki putaran %(n)s bulan setelah lulus.")
                % {"n": offset_months}
            }
        ) from None
    record_action(
        actor=actor,
        target=made,
        operation=_("putaran tracer ditambahkan"),
        changes={"bulan setelah lulus": (None, offset_months)},
    )
    return made


def ensure_default_rounds(program: Program) -> list[TracerRound]:
    """The usual 3- and 12-month rounds, for a programme that has none (demo, new programmes)."""
    survey = default_survey()
    rounds = []
    for months in DEFAULT_OFFSETS:
        made, _created = TracerRound.objects.get_or_create(
            program=program, offset_months=months, defaults={"survey": survey}
        )
        rounds.append(made)
    return rounds


# --- Dates --------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def completion_day(enrolment: Enrolment) -> date | None:
    if enrolment.completed_at is None:
        return None
    return timezone.localtime(enrolment.completed_at).date()


# --- The scheduler ------------------------------------------------------------------------------------


def invite_due(*, today: date) -> int:
    """Write the invitations of every graduate whose round is due today (due and within the round's
    window). Returns how many were written; an existing invitation is never written again."""
    made = 0
    now = timezone.now()
    for tracer_round in TracerRound.objects.select_related("program"):
        latest = add_months(today, -tracer_round.offset_months) + timedelta(days=1)
        earliest = add_months(today - timedelta(days=tracer_round.window_days), -tracer_round.offset_months)
        candidates = (
            Enrolment.objects.filter(
                training_class__program=tracer_round.program_id,
                status=Enrolment.Status.COMPLETED,
                completed_at__isnull=False,
                completed_at__date__gte=earliest - timedelta(days=1),
                completed_at__date__lte=latest,
            )
            .exclude(tracer_invitations__round=tracer_round)
            .select_related("participant__user")
        )
        rows = []
        for enrolment in candidates:
            completed = completion_day(enrolment)
            assert completed is not None
            due = add_months(completed, tracer_round.offset_months)
            if not due <= today <= due + timedelta(days=tracer_round.window_days):
                continue
            person = enrolment.participant
            rows.append(
                TracerInvitation(
                    round=tracer_round,
                    enrolment=enrolment,
                    email=person.email or (person.user.email if person.user else ""),
                    activity_before=person.activity_before,
                    due_on=due,
                    expires_at=now + timedelta(days=TracerInvitation.VALID_DAYS),
                )
            )
        made += len(TracerInvitation.objects.bulk_create(rows, ignore_conflicts=True))
    return made


def send_tracers(*, today: date | None = None) -> dict[str, int]:
    """Invite whoever is due and queue the e-mails (first messages and reminders) as one job."""
    today = today or timezone.localdate()
    with transaction.atomic():
        invited = invite_due(today=today)
        enqueue(SEND, today=today.isoformat())
        if invited:
            _outcome_metrics_changed()
    return {"invited": invited}


@job_handler(SEND)
def send_tracer_emails_job(job, *, today: str) -> dict[str, Any]:
    return send_tracer_emails(today=date.fromisoformat(today))


def _sendable(now: datetime):
    return TracerInvitation.objects.exclude(email="").filter(
        answered_at__isnull=True, bounced_at__isnull=True, expires_at__gt=now
    )


def send_tracer_emails(*, today: date) -> dict[str, int]:
    now = timezone.now()
    mail = get_connection()
    first = 0
    for pk in _sendable(now).filter(sent_at__isnull=True).order_by("pk").values_list("pk", flat=True):
        claimed = TracerInvitation.objects.filter(pk=pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), last_contact_on=today
        )
        if claimed and _send(pk, mail, reminder=False, undo={"sent_at": None, "last_contact_on": None}):
            first += 1
    reminders = 0
    waiting = _sendable(now).filter(
        sent_at__isnull=False,
        reminders_sent__lt=TracerInvitation.MAX_REMINDERS,
        last_contact_on__lte=today - timedelta(days=REMIND_AFTER_DAYS),
    )
    for pk, count, contact in waiting.order_by("pk").values_list("pk", "reminders_sent", "last_contact_on"):
        claimed = TracerInvitation.objects.filter(
            pk=pk, reminders_sent=count, last_contact_on=contact
        ).update(reminders_sent=count + 1, last_contact_on=today)
        undo = {"reminders_sent": count, "last_contact_on": contact}
        if claimed and _send(pk, mail, reminder=True, undo=undo):
            reminders += 1
    if first:
        _outcome_metrics_changed()
    return {"sent": first, "reminders": reminders}


def _outcome_metrics_changed() -> None:
    # Bulk inserts and queryset updates bypass the signals the metric sources listen to.
    mark_stale(Q(metric_key__startswith="outcomes."))


def tracer_token(invitation: TracerInvitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT, compress=False)


def tracer_link(invitation: TracerInvitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("outcomes:answer", args=[tracer_token(invitation)])


def _send(pk: int, mail, *, reminder: bool, undo: Mapping[str, Any]) -> bool:
    invitation = TracerInvitation.objects.select_related(
        "enrolment__participant", "enrolment__training_class", "round__program"
    ).get(pk=pk)
    body = render_to_string(
        "outcomes/email_tracer.txt",
        {
            "name": invitation.enrolment.participant.full_name,
            "class_name": invitation.enrolment.training_class.name,
            "months": invitation.round.offset_months,
            "link": tracer_link(invitation),
            "expires": timezone.localtime(invitation.expires_at),
            "reminder": reminder,
        },
    )
    subject = (
        _("Pengingat: bagaimana kabar Anda setelah pelatihan?")
        if reminder
        else _("Bagaimana kabar Anda setelah pelatihan? Survei singkat")
    )
    key = f"tracer:{pk}:{invitation.reminders_sent if reminder else 0}"
    message = EmailMessage(
        subject, body, None, [invitation.email], headers={"X-Sinergi-Key": key}, connection=mail
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        # The receiving server refused the address: no reminder will reach it either.
        TracerInvitation.objects.filter(pk=pk).update(bounced_at=timezone.now())
        return False
    except Exception:
        TracerInvitation.objects.filter(pk=pk).update(**undo)
        raise
    if invitation.delivered_at is None:
        TracerInvitation.objects.filter(pk=pk, delivered_at__isnull=True).update(delivered_at=timezone.now())
    return True


def record_bounce(*, invitation: TracerInvitation) -> None:
    """A bounce reported after the message left (a delivery-status notification): the invitation no
    longer counts as delivered, so the net response rate leaves it out."""
    TracerInvitation.objects.filter(pk=invitation.pk).update(bounced_at=timezone.now(), delivered_at=None)
    _outcome_metrics_changed()


# --- Answering ----------------------------------------------------------------------------------------

INVALID = _(
    "Tautan survei ini tidak berlaku: salah salin atau sudah lewat masa berlakunya. Bila Anda masih ingin "
    "mengisi survei, hubungi penyelenggara pelatihan Anda."
)


def invitation_from_token(token: str) -> TracerInvitation:
    """The invitation the link was made for, or ValidationError (one message for every reason)."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise ValidationError(_(INVALID)) from None
    invitation = (
        TracerInvitation.objects.select_related(
            "round__survey", "round__program", "enrolment__participant", "enrolment__training_class"
        )
        .filter(pk=pk)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        raise ValidationError(_(INVALID))
    return invitation


def version_for(invitation: TracerInvitation) -> SurveyVersion:
    """The version already answered (an edit keeps it), or the survey's current one."""
    response = TracerResponse.objects.filter(invitation=invitation).select_related("version").first()
    if response is not None:
        return response.version
    version = invitation.round.survey.current_version
    if version is None:
        raise ValidationError(_(INVALID))
    return version


def problem_message(problem: answers.Problem) -> str:
    return _(answers.MESSAGES[problem.code]) % problem.params


def submit_response(*, invitation: TracerInvitation, raw: Mapping[str, Any]) -> tuple[TracerResponse, bool]:
    """Store the answers (or replace the earlier ones: one response per invitation). Returns (response,
    created). Bad answers: ValidationError keyed by question code, nothing stored."""
    with transaction.atomic():
        locked = TracerInvitation.objects.select_for_update().get(pk=invitation.pk)
        version = version_for(locked)
        clean, problems = answers.validate(version.questions, raw)
        if problems:
            errors: dict[str, list[str]] = {}
            for problem in problems:
                errors.setdefault(problem.question, []).append(problem_message(problem))
            raise ValidationError(errors)
        response = TracerResponse.objects.filter(invitation=locked).first()
        now = timezone.now()
        if response is None:
            response = TracerResponse.objects.create(invitation=locked, version=version, answers=clean)
            TracerInvitation.objects.filter(pk=locked.pk).update(answered_at=now)
            _outcome_metrics_changed()
            return response, True
        response.answers = clean
        response.edits += 1
        response.save(update_fields=["answers", "edits", "updated_at"])
        return response, False

"""Reads of the tracer for officers, scoped through the programmes they may see (a regional admin: the
programmes of their region's batches; the national admin: all). Rates follow tracer practice:
gross = answered / sent, net = answered / delivered (sent and not refused by the receiving server)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sinergi.accounts.scoping import get_visible_or_404, scope_for
from sinergi.core.pii import mask_name
from sinergi.outcomes import answers as answer_rules
from sinergi.outcomes.models import SurveyVersion, TracerInvitation, TracerResponse, TracerRound
from sinergi.programs.models import Program
from sinergi.programs.selectors import programs_visible_to
from sinergi.registration.models import ActivityStatus


def tracer_programs_visible_to(user) -> QuerySet[Program]:
    scope = scope_for(user)
    if not (scope.is_national or scope.is_regional):
        return Program.objects.none()
    return programs_visible_to(user).annotate(
        round_count=Count("tracer_rounds", distinct=True),
        invitation_count=Count("tracer_rounds__invitations", distinct=True),
        answered_count=Count(
            "tracer_rounds__invitations",
            filter=Q(tracer_rounds__invitations__answered_at__isnull=False),
            distinct=True,
        ),
    )


def tracer_program(user, pk: int) -> Program:
    return get_visible_or_404(tracer_programs_visible_to(user), pk=pk)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class RoundStats:
    round: TracerRound
    invited: int
    without_email: int
    sent: int
    delivered: int
    bounced: int
    answered: int
    reminded: int

    @property
    def gross_rate(self) -> float | None:
        return _rate(self.answered, self.sent)

    @property
    def net_rate(self) -> float | None:
        return _rate(self.answered, self.delivered)


def round_stats(program: Program) -> list[RoundStats]:
    rounds = (
        TracerRound.objects.filter(program=program)
        .select_related("survey")
        .annotate(
            invited=Count("invitations"),
            without_email=Count("invitations", filter=Q(invitations__email="")),
            sent=Count("invitations", filter=Q(invitations__sent_at__isnull=False)),
            delivered=Count("invitations", filter=Q(invitations__delivered_at__isnull=False)),
            bounced=Count("invitations", filter=Q(invitations__bounced_at__isnull=False)),
            # Answered counts only what was sent, so the gross rate never exceeds 100 %.
            answered=Count(
                "invitations",
                filter=Q(invitations__answered_at__isnull=False, invitations__sent_at__isnull=False),
            ),
            reminded=Count("invitations", filter=Q(invitations__reminders_sent__gt=0)),
        )
        .order_by("offset_months")
    )
    return [
        RoundStats(
            r,
            r.invited,
            r.without_email,
            r.sent,
            r.delivered,
            r.bounced,
            r.answered,
            r.reminded,  # type: ignore[attr-defined]
        )
        for r in rounds
    ]


@dataclass
class QuestionSummary:
    code: str
    label: str
    type: str
    answered: int = 0
    rows: list[tuple[str, int, float]] = field(default_factory=list)  # (label, count, percent)
    mean: float | None = None
    median: float | None = None


def responses_of(program: Program, offset_months: int | None = None) -> QuerySet[TracerResponse]:
    qs = TracerResponse.objects.filter(invitation__round__program=program)
    if offset_months is not None:
        qs = qs.filter(invitation__round__offset_months=offset_months)
    return qs


def distribution(program: Program, offset_months: int | None = None) -> list[QuestionSummary]:
    """Answer counts per question of the newest version answered, over every version's answers (a
    question is matched by its code; an option a later version dropped still counts under its value)."""
    responses = list(responses_of(program, offset_months).values_list("version_id", "answers"))
    if not responses:
        return []
    versions = dict(
        SurveyVersion.objects.filter(pk__in={v for v, _a in responses}).values_list("pk", "questions")
    )
    newest = versions[max(versions)]
    summaries = []
    for q in newest:
        if q["type"] == "text":
            continue
        values = [a[q["code"]] for _v, a in responses if q["code"] in (a or {})]
        summary = QuestionSummary(q["code"], q["label"], q["type"], answered=len(values))
        if q["type"] in ("single", "multiple", "scale"):
            counts: Counter[str] = Counter()
            for value in values:
                for item in value if isinstance(value, list) else [value]:
                    counts[str(item)] += 1
            keys = (
                [str(s) for s in answer_rules.SCALE]
                if q["type"] == "scale"
                else [str(o["value"]) for o in q["options"]]
            )
            keys += sorted(k for k in counts if k not in keys)
            summary.rows = [
                (
                    answer_rules.option_label(q, k) if q["type"] != "scale" else k,
                    counts[k],
                    _rate(counts[k], len(values)) or 0.0,
                )
                for k in keys
            ]
            if q["type"] == "scale" and values:
                summary.mean = round(statistics.mean(int(v) for v in values), 2)
        elif values:
            numbers = [float(v) for v in values]
            summary.mean = round(statistics.mean(numbers), 1)
            summary.median = statistics.median(numbers)
        summaries.append(summary)
    return summaries


def before_after(program: Program, offset_months: int | None = None) -> list[tuple[str, list[int], int]]:
    """Rows: activity before training → counts of each activity after (columns in ActivityStatus order,
    then "tidak dijawab"), with the row total. Only graduates who answered both."""
    labels = dict(ActivityStatus.choices)
    codes = list(labels)
    table: dict[str, Counter[str]] = {}
    rows = responses_of(program, offset_months).values_list("invitation__activity_before", "answers")
    for before, answers in rows:
        key = before or ""
        table.setdefault(key, Counter())[str((answers or {}).get("activity", ""))] += 1
    result = []
    for before in [*codes, ""]:
        if before in table:
            counts = [table[before][c] for c in codes]
            result.append((str(labels.get(before, _("Tidak diisi saat mendaftar"))), counts, sum(counts)))
    return result


def activity_labels() -> list[str]:
    return [str(label) for _code, label in ActivityStatus.choices]


def export_rows(program: Program) -> tuple[list[str], list[list[Any]]]:
    """The CSV of the officer's page: one row per invitation, names masked, answers by question code."""
    invitations = (
        TracerInvitation.objects.filter(round__program=program)
        .select_related("round", "enrolment__participant", "enrolment__training_class", "response__version")
        .order_by("round__offset_months", "enrolment__training_class__code", "pk")
    )
    codes: list[str] = []
    for questions in (
        SurveyVersion.objects.filter(responses__invitation__round__program=program)
        .distinct()
        .values_list("questions", flat=True)
    ):
        codes += [q["code"] for q in questions if q["code"] not in codes]
    header = [
        "putaran_bulan",
        "kelas",
        "peserta",
        "jatuh_tempo",
        "dikirim",
        "terkirim",
        "ditolak",
        "pengingat",
        "dijawab",
        "kegiatan_sebelum",
        "versi_survei",
        *codes,
    ]
    rows = []
    for inv in invitations:
        response = getattr(inv, "response", None)
        given = response.answers if response else {}
        rows.append(
            [
                inv.round.offset_months,
                inv.enrolment.training_class.code,
                mask_name(inv.enrolment.participant.full_name),
                inv.due_on,
                inv.sent_at,
                inv.delivered_at,
                inv.bounced_at,
                inv.reminders_sent,
                inv.answered_at,
                inv.activity_before,
                response.version.number if response else "",
                *[
                    "; ".join(map(str, given[c])) if isinstance(given.get(c), list) else given.get(c, "")
                    for c in codes
                ],
            ]
        )
    return header, rows


def unanswered_invitations(user) -> int:
    """Invitations of the officer's programmes sent and not answered yet (for the home page)."""
    scope = scope_for(user)
    if not (scope.is_national or scope.is_regional):
        return 0
    return TracerInvitation.objects.filter(
        round__program__in=programs_visible_to(user).values("pk"),
        sent_at__isnull=False,
        answered_at__isnull=True,
        bounced_at__isnull=True,
    ).count()

"""The completion rule as a pure function: facts about one enrolment in, proposed outcome and exactly
what is still missing out. No Django import, so it can be tested and reasoned about on its own; the
selectors gather the facts and the templates word the shortfalls.

Rule (every condition that is set must hold):
  attendance   attended sessions / all scheduled sessions of the class ≥ min_attendance_percent.
               Sessions still to come count as not attended yet, so the percentage only grows; the
               participant is told how many more sessions to attend, and whether that is still possible.
  assignments  assignments/tests passed ≥ min_assignments_passed (0 = not required).
  final score  final_score ≥ min_final_score (None = not required; a missing score is a shortfall).
  competency   with requires_competent, every SKKNI unit of the scheme has the outcome Kompeten.

  hours        the sessions scheduled add up to the class's hours (JP); until then nobody is proposed,
               since the percentage would be counted over an incomplete schedule.

Proposal: COMPLETED when every condition holds and the class is over. While it still runs, a
participant who meets every condition is IN_PROGRESS with `waiting` set: completion (and so the
certificate) waits for the end, or for the provider's explicit early decision with a reason.
NOT_COMPLETED when some condition can no longer be met (too few sessions left) or the class is over
(every session held and the end date passed). IN_PROGRESS otherwise: the provider can wait, or decide
anyway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

COMPLETED = "completed"
NOT_COMPLETED = "not_completed"
IN_PROGRESS = "in_progress"

# Shortfall kinds.
ATTENDANCE = "attendance"
NO_SESSIONS = "no_sessions"
ASSIGNMENTS = "assignments"
SCORE_MISSING = "score_missing"
SCORE = "score"
COMPETENCY = "competency"
HOURS = "hours"  # the schedule does not yet hold the class's hours


@dataclass(frozen=True)
class Rule:
    min_attendance_percent: int = 80
    min_assignments_passed: int = 0
    min_final_score: Decimal | None = None
    requires_competent: bool = False


@dataclass(frozen=True)
class Facts:
    sessions_total: int
    sessions_attended: int
    sessions_remaining: int  # not yet held (today or later) and not attended yet
    assignments_passed: int = 0
    final_score: Decimal | None = None
    units_required: tuple[str, ...] = ()  # SKKNI unit codes of the scheme
    units_competent: frozenset[str] = frozenset()
    class_over: bool = False
    # Proposals wait for the end of the class (False: decide as soon as the conditions hold).
    waits_for_end: bool = False
    hours_scheduled: Decimal | None = None  # None: not checked
    hours_required: Decimal | None = None


@dataclass(frozen=True)
class Shortfall:
    kind: str
    have: Decimal | int | None = None
    need: Decimal | int | None = None
    more: int = 0  # e.g. sessions still to attend
    reachable: bool = True
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    proposal: str
    attendance_percent: int  # floored: never shows 80 % for 79.5 %
    shortfalls: tuple[Shortfall, ...] = field(default_factory=tuple)
    waiting: bool = False  # every condition holds; the class has not ended yet

    @property
    def met(self) -> bool:
        return not self.shortfalls


def attendance_percent(attended: int, total: int) -> int:
    return (attended * 100) // total if total else 0


def sessions_needed(min_percent: int, total: int) -> int:
    """The fewest sessions that reach min_percent of total, in exact integer arithmetic."""
    return math.ceil(min_percent * total / 100) if min_percent else 0


def evaluate(rule: Rule, facts: Facts) -> Evaluation:
    shortfalls: list[Shortfall] = []
    percent = attendance_percent(facts.sessions_attended, facts.sessions_total)

    if rule.min_attendance_percent > 0:
        if facts.sessions_total == 0:
            shortfalls.append(Shortfall(NO_SESSIONS))
        else:
            needed = sessions_needed(rule.min_attendance_percent, facts.sessions_total)
            more = needed - facts.sessions_attended
            if more > 0:
                shortfalls.append(
                    Shortfall(
                        ATTENDANCE,
                        have=percent,
                        need=rule.min_attendance_percent,
                        more=more,
                        reachable=more <= facts.sessions_remaining,
                    )
                )

    if rule.min_assignments_passed and facts.assignments_passed < rule.min_assignments_passed:
        shortfalls.append(
            Shortfall(
                ASSIGNMENTS,
                have=facts.assignments_passed,
                need=rule.min_assignments_passed,
                more=rule.min_assignments_passed - facts.assignments_passed,
            )
        )

    if rule.min_final_score is not None:
        if facts.final_score is None:
            shortfalls.append(Shortfall(SCORE_MISSING, need=rule.min_final_score))
        elif facts.final_score < rule.min_final_score:
            shortfalls.append(Shortfall(SCORE, have=facts.final_score, need=rule.min_final_score))

    if rule.requires_competent and facts.units_required:
        missing = tuple(code for code in facts.units_required if code not in facts.units_competent)
        if missing:
            shortfalls.append(Shortfall(COMPETENCY, units=missing))

    if (
        facts.hours_required
        and facts.hours_scheduled is not None
        and facts.hours_scheduled < facts.hours_required
    ):
        shortfalls.append(Shortfall(HOURS, have=facts.hours_scheduled, need=facts.hours_required))

    if not shortfalls and facts.waits_for_end and not facts.class_over:
        return Evaluation(IN_PROGRESS, percent, (), waiting=True)
    if not shortfalls:
        proposal = COMPLETED
    elif any(s.kind == HOURS for s in shortfalls):
        proposal = IN_PROGRESS  # an incomplete schedule says nothing yet about the participant
    elif facts.class_over or any(not s.reachable for s in shortfalls):
        proposal = NOT_COMPLETED
    else:
        proposal = IN_PROGRESS
    return Evaluation(proposal, percent, tuple(shortfalls))

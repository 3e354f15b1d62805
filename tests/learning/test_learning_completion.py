"""The completion rule as a pure function: edge cases of attendance, scores and competency."""

from decimal import Decimal

from sinergi.learning import completion
from sinergi.learning.completion import Facts, Rule, evaluate


def facts(**kwargs):
    base = {"sessions_total": 8, "sessions_attended": 8, "sessions_remaining": 0}
    base.update(kwargs)
    return Facts(**base)


def test_all_conditions_met_proposes_completed():
    result = evaluate(Rule(min_attendance_percent=80), facts(sessions_attended=7))
    assert result.proposal == completion.COMPLETED
    assert result.met


def test_attendance_exactly_at_minimum_passes():
    # 8 of 10 is exactly 80 %: the minimum itself is enough.
    result = evaluate(Rule(min_attendance_percent=80), facts(sessions_total=10, sessions_attended=8))
    assert result.proposal == completion.COMPLETED


def test_attendance_percent_is_floored_and_sessions_to_go_rounded_up():
    # 5 of 8 = 62.5 %; 80 % of 8 is 6.4 sessions, so 7 are needed: 2 more.
    result = evaluate(Rule(min_attendance_percent=80), facts(sessions_attended=5, sessions_remaining=3))
    assert result.attendance_percent == 62
    [short] = result.shortfalls
    assert (short.kind, short.have, short.need, short.more, short.reachable) == (
        completion.ATTENDANCE,
        62,
        80,
        2,
        True,
    )
    assert result.proposal == completion.IN_PROGRESS


def test_just_below_minimum_is_not_shown_as_reached():
    # 79 of 100 sessions must not round up to 80 %.
    result = evaluate(Rule(min_attendance_percent=80), facts(sessions_total=100, sessions_attended=79))
    assert result.attendance_percent == 79
    assert result.shortfalls[0].more == 1


def test_too_few_sessions_left_is_not_completed_even_before_class_ends():
    result = evaluate(Rule(min_attendance_percent=80), facts(sessions_attended=3, sessions_remaining=2))
    assert result.proposal == completion.NOT_COMPLETED
    assert result.shortfalls[0].reachable is False


def test_class_over_turns_any_shortfall_into_not_completed():
    result = evaluate(
        Rule(min_attendance_percent=0, min_final_score=Decimal("70")),
        facts(final_score=Decimal("69.99"), class_over=True),
    )
    assert result.proposal == completion.NOT_COMPLETED
    assert result.shortfalls[0].kind == completion.SCORE


def test_no_sessions_yet_cannot_complete_an_attendance_rule():
    result = evaluate(Rule(min_attendance_percent=80), facts(sessions_total=0, sessions_attended=0))
    assert result.proposal == completion.IN_PROGRESS
    assert result.shortfalls[0].kind == completion.NO_SESSIONS
    assert result.attendance_percent == 0


def test_zero_minimum_attendance_needs_no_sessions():
    result = evaluate(Rule(min_attendance_percent=0), facts(sessions_total=0, sessions_attended=0))
    assert result.proposal == completion.COMPLETED


def test_missing_final_score_is_a_shortfall_not_a_failure():
    result = evaluate(Rule(min_final_score=Decimal("70")), facts(final_score=None))
    assert [s.kind for s in result.shortfalls] == [completion.SCORE_MISSING]
    assert result.proposal == completion.IN_PROGRESS


def test_score_equal_to_minimum_passes():
    result = evaluate(Rule(min_final_score=Decimal("70")), facts(final_score=Decimal("70.00")))
    assert result.met


def test_assignments_count_what_is_left():
    result = evaluate(Rule(min_assignments_passed=4), facts(assignments_passed=1))
    [short] = result.shortfalls
    assert (short.kind, short.more) == (completion.ASSIGNMENTS, 3)


def test_competency_lists_units_not_yet_kompeten():
    rule = Rule(requires_competent=True)
    result = evaluate(rule, facts(units_required=("J.1", "J.2", "J.3"), units_competent=frozenset({"J.2"})))
    assert result.shortfalls[0].units == ("J.1", "J.3")
    assert evaluate(rule, facts(units_required=("J.1",), units_competent=frozenset({"J.1"}))).met


def test_several_shortfalls_are_all_reported():
    result = evaluate(
        Rule(min_attendance_percent=80, min_assignments_passed=2, min_final_score=Decimal("60")),
        facts(sessions_attended=4, sessions_remaining=4, assignments_passed=0, final_score=Decimal("10")),
    )
    assert [s.kind for s in result.shortfalls] == [
        completion.ATTENDANCE,
        completion.ASSIGNMENTS,
        completion.SCORE,
    ]


def test_conditions_met_before_the_end_wait_for_it():
    waiting = evaluate(Rule(), facts(waits_for_end=True, class_over=False))
    assert waiting.proposal == completion.IN_PROGRESS and waiting.waiting and waiting.met
    over = evaluate(Rule(), facts(waits_for_end=True, class_over=True))
    assert over.proposal == completion.COMPLETED and not over.waiting


def test_missing_scheduled_hours_hold_every_proposal_back():
    short = Decimal("32"), Decimal("40")
    result = evaluate(Rule(), facts(hours_scheduled=short[0], hours_required=short[1], class_over=True))
    assert [s.kind for s in result.shortfalls] == [completion.HOURS]
    assert result.proposal == completion.IN_PROGRESS  # not a failure of the participant
    full = evaluate(Rule(), facts(hours_scheduled=Decimal("40"), hours_required=Decimal("40")))
    assert full.proposal == completion.COMPLETED

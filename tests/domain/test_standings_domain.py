"""The pure rules behind leaderboards and exports: which attempt counts, how names show, safe CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.domain.csv_export import safe_cell, to_csv
from quizapp.domain.standings import TIE_BREAK, Counted, Outcome, board_name, counted_result, initials

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def outcome(score, seconds=60.0, minutes_after=0, max_score=10.0):
    return Outcome(score=score, max_score=max_score, seconds=seconds, finished_at=T0 + timedelta(minutes=minutes_after))


# --- counted_result -------------------------------------------------------------------------------


def test_no_finished_attempts_count_for_nothing():
    for rule in ("best", "last", "average"):
        assert counted_result([], rule) is None


def test_best_takes_the_highest_score():
    counted = counted_result([outcome(4, minutes_after=1), outcome(9, minutes_after=2), outcome(6, minutes_after=3)],
                             "best")
    assert counted == Counted(score=9, max_score=10, seconds=60, finished_at=T0 + timedelta(minutes=2),
                              attempts_used=3)


def test_best_on_equal_scores_takes_the_quicker_then_the_earlier():
    slow, quick_late, quick_early = outcome(8, 90, 1), outcome(8, 30, 9), outcome(8, 30, 5)
    counted = counted_result([slow, quick_late, quick_early], "best")
    assert (counted.seconds, counted.finished_at) == (30, quick_early.finished_at)


def test_last_takes_the_latest_finished_whatever_its_score():
    counted = counted_result([outcome(9, 20, 1), outcome(2, 45, 7), outcome(5, 10, 3)], "last")
    assert (counted.score, counted.seconds, counted.finished_at) == (2, 45, T0 + timedelta(minutes=7))
    assert counted.attempts_used == 3


def test_average_is_the_mean_score_and_time_finished_at_the_last():
    counted = counted_result([outcome(3, 30, 1), outcome(5, 60, 9), outcome(1, 91, 4)], "average")
    assert counted.score == 3
    assert counted.max_score == 10
    assert counted.seconds == round((30 + 60 + 91) / 3)
    assert counted.finished_at == T0 + timedelta(minutes=9)
    assert counted.attempts_used == 3


def test_average_score_is_rounded_to_four_places():
    assert counted_result([outcome(1), outcome(1), outcome(2)], "average").score == 1.3333


def test_counted_time_is_in_whole_seconds():
    counted = counted_result([outcome(5, 59.6)], "best")
    assert counted.seconds == 60 and isinstance(counted.seconds, int)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown counting rule"):
        counted_result([outcome(1)], "worst")


def test_the_tie_break_text_says_what_the_ranking_does():
    assert "Higher score ranks first" in TIE_BREAK
    assert "less total time" in TIE_BREAK
    assert "(1, 2, 2, 4)" in TIE_BREAK


# --- names on a board -----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("Ana María López", "A. M. L."),
    ("  zoë   ångström ", "Z. Å."),
    ("Cher", "C."),
    ("", "?"),
    ("   ", "?"),
])
def test_initials(name, expected):
    assert initials(name) == expected


@pytest.mark.parametrize(("mode", "nickname", "expected"), [
    ("full", "Speedy", "Ana María López"),
    ("nickname", "Speedy", "Speedy"),
    ("nickname", "  Speedy  ", "Speedy"),
    ("nickname", "", "A. M. L."),
    ("nickname", "   ", "A. M. L."),
    ("initials", "Speedy", "A. M. L."),
])
def test_board_name(mode, nickname, expected):
    assert board_name(mode, "Ana María López", nickname) == expected


# --- CSV cells and files --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(1)", "\tx", "\rx", "=1+1"])
def test_a_cell_that_looks_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""),
    (True, "yes"),
    (False, "no"),
    (3, "3"),
    (-2, "-2"),
    (2.5, "2.5"),
    (-0.5, "-0.5"),
    (4.0, "4"),
    ("Ana", "Ana"),
    ("a=b", "a=b"),
    ("Zoë", "Zoë"),
])
def test_plain_values_are_left_alone(value, expected):
    assert safe_cell(value) == expected


def parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_to_csv_starts_with_a_bom_and_round_trips_awkward_text():
    awkward = ['Smith, "Jo"', "line one\nline two", "Zoë Ångström", "trailing space ", "semi;colon", "'quoted'"]
    text = to_csv(["name", "n"], [[value, i] for i, value in enumerate(awkward)])
    assert text.startswith("\ufeffname,n\r\n")
    rows = parse(text)
    assert rows[0] == ["name", "n"]
    assert rows[1:] == [[value, str(i)] for i, value in enumerate(awkward)]


def test_to_csv_neutralises_formulas_in_header_and_rows():
    rows = parse(to_csv(["=cmd", "ok"], [["+1", -2], ["@SUM(1)", "-2"]]))
    assert rows == [["'=cmd", "ok"], ["'+1", "-2"], ["'@SUM(1)", "'-2"]]

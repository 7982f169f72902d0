"""The live games' scoring profiles: the formula at t = 0, T/2 and T, partial credit, double points, and
the streak bonus built, broken and capped."""

from __future__ import annotations

import pytest

from quizapp.domain.live_scoring import Profile, score_answer, speed_factor


def _right(profile, seconds=0.0, streak_before=0, double=False, score=1.0):
    return score_answer(profile, score=score, is_correct=score == 1.0, seconds=seconds, allowed=20,
                        streak_before=streak_before, double=double)


@pytest.mark.parametrize(("seconds", "points"), [(0, 1000), (10, 750), (20, 500), (25, 500), (-1, 1000)])
def test_speed_is_round_base_times_one_minus_half_the_share_of_time(seconds, points):
    assert _right(Profile.SPEED, seconds).points == points


def test_accuracy_only_ignores_time():
    assert _right(Profile.ACCURACY, 0).points == _right(Profile.ACCURACY, 19.9).points == 1000


def test_a_wrong_answer_scores_nothing_and_breaks_the_streak():
    for profile in Profile:
        scored = score_answer(profile, score=0.0, is_correct=False, seconds=1, allowed=20, streak_before=4)
        assert scored == type(scored)(0, 0)


def test_partial_credit_scales_the_points_as_the_question_scores_them():
    half = _right(Profile.ACCURACY, score=0.5)
    assert half.points == 500 and half.streak == 0  # only a fully right answer builds a streak
    assert _right(Profile.SPEED, seconds=10, score=0.5).points == 375


def test_double_points_doubles_the_base():
    assert _right(Profile.SPEED, seconds=10, double=True).points == 1500
    assert _right(Profile.ACCURACY, double=True).points == 2000


def test_the_streak_bonus_is_100_per_right_answer_in_a_row_after_the_first_up_to_500():
    bonuses = [_right(Profile.SPEED_STREAK, streak_before=n).points - 1000 for n in range(8)]
    assert bonuses == [0, 100, 200, 300, 400, 500, 500, 500]
    assert _right(Profile.SPEED_STREAK, streak_before=3).streak == 4
    assert _right(Profile.SPEED, streak_before=3).points == 1000  # no bonus outside the streak profile


def test_a_broken_streak_starts_again_from_nothing():
    broken = score_answer(Profile.SPEED_STREAK, score=0, is_correct=False, seconds=0, allowed=20, streak_before=5)
    assert broken.streak == 0
    assert _right(Profile.SPEED_STREAK, streak_before=broken.streak).points == 1000


def test_the_speed_factor_stays_between_a_half_and_one():
    assert speed_factor(0, 20) == 1 and speed_factor(20, 20) == 0.5 and speed_factor(99, 20) == 0.5
    assert speed_factor(3, 0) == 1


def test_every_profile_says_its_formula():
    assert "round(1,000 × (1 − (t ÷ T) ÷ 2))" in Profile.SPEED.formula
    assert all(p.label and p.formula for p in Profile)


def test_a_half_point_rounds_up_as_the_formula_reads():
    assert _right(Profile.SPEED, seconds=0.06).points == 999  # 998.5; round() would give 998

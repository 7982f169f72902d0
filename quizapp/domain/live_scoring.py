"""How a live game scores an answer: the profiles a host chooses from, each with its formula in words.

Points are whole numbers on a base of 1,000 a question (2,000 on a double-points question). The grade's
score (0 to 1) scales them, so a multiple-select question gives part of them as its own scoring rule says,
and a wrong answer gives none. ``seconds`` is measured by the server, from the question's opening to the
answer's arrival; ``allowed`` is the time the question was open for.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

BASE_POINTS = 1000
STREAK_STEP = 100
STREAK_CAP = 500


class Profile(enum.StrEnum):
    ACCURACY = "accuracy"
    SPEED = "speed"
    SPEED_STREAK = "speed_streak"

    @property
    def label(self) -> str:
        return PROFILE_LABELS[self]

    @property
    def formula(self) -> str:
        return PROFILE_FORMULAS[self]


PROFILE_LABELS = {
    Profile.ACCURACY: "Accuracy only",
    Profile.SPEED: "Speed",
    Profile.SPEED_STREAK: "Speed with streak bonus",
}
PROFILE_FORMULAS = {
    Profile.ACCURACY: "A right answer scores 1,000 points, whenever it comes in time. Slow readers lose nothing.",
    Profile.SPEED: "A right answer scores round(1,000 × (1 − (t ÷ T) ÷ 2)): 1,000 at once, 500 at the buzzer "
                   "(t: seconds taken, measured by the server; T: the time allowed).",
    Profile.SPEED_STREAK: "As Speed, plus 100 points for each right answer in a row after the first, up to 500.",
}
DOUBLE_POINTS_NOTE = "A double-points question counts twice. A multiple-select question gives part of its points "\
                     "as its own scoring says."


@dataclass(frozen=True)
class Scored:
    """Points for one answer and the player's streak after it."""

    points: int
    streak: int


def speed_factor(seconds: float, allowed: float) -> float:
    """1 at once, ½ at the buzzer, linear between; never below ½ nor above 1."""
    if allowed <= 0:
        return 1.0
    share = min(max(seconds / allowed, 0.0), 1.0)
    return 1 - share / 2


def score_answer(profile: Profile, *, score: float, is_correct: bool, seconds: float, allowed: float,
                 streak_before: int, double: bool = False) -> Scored:
    """The points for an answer graded ``score`` (0 to 1), and the streak of right answers after it."""
    base = BASE_POINTS * (2 if double else 1)
    streak = streak_before + 1 if is_correct else 0
    if score <= 0:
        return Scored(0, streak)
    points = base * score
    if profile is not Profile.ACCURACY:
        points *= speed_factor(seconds, allowed)
    points = math.floor(points + 0.5)  # half up, as the formula is read (round() would go to even)
    if profile is Profile.SPEED_STREAK and is_correct:
        points += min(STREAK_STEP * (streak - 1), STREAK_CAP)
    return Scored(points, streak)

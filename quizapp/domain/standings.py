"""How a student's attempts at an assignment become one counted result, and how students
are named on a leaderboard. The ranking itself runs in the database (services/standings.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

TIE_BREAK = (
    "Higher score ranks first. Equal scores are split by less total time (in whole seconds). "
    "Students equal on both share a rank (1, 2, 2, 4) and are listed earliest finish first."
)


@dataclass(frozen=True)
class Outcome:
    """A finished attempt, as counting sees it."""

    score: float
    max_score: float
    seconds: float
    finished_at: datetime


@dataclass(frozen=True)
class Counted:
    """The result that counts for one student on one assignment."""

    score: float
    max_score: float
    seconds: int
    finished_at: datetime
    attempts_used: int


def counted_result(outcomes: Sequence[Outcome], rule: str) -> Counted | None:
    """Apply the assignment's rule (``best``, ``last`` or ``average``) to the finished attempts.

    ``best`` takes the highest score, the quicker on a tie, then the earlier; ``last`` the latest
    finished; ``average`` the mean score and mean time, finished when the last attempt finished.
    """
    if not outcomes:
        return None
    if rule == "best":
        chosen = min(outcomes, key=lambda o: (-o.score, o.seconds, o.finished_at))
    elif rule == "last":
        chosen = max(outcomes, key=lambda o: o.finished_at)
    elif rule == "average":
        n = len(outcomes)
        chosen = Outcome(
            score=round(sum(o.score for o in outcomes) / n, 4),
            max_score=sum(o.max_score for o in outcomes) / n,
            seconds=sum(o.seconds for o in outcomes) / n,
            finished_at=max(o.finished_at for o in outcomes),
        )
    else:
        raise ValueError(f"unknown counting rule {rule!r}")
    return Counted(chosen.score, chosen.max_score, round(chosen.seconds), chosen.finished_at, len(outcomes))


def initials(name: str) -> str:
    """``"Ana María López"`` → ``"A. M. L."``."""
    return " ".join(f"{part[0].upper()}." for part in name.split() if part) or "?"


def board_name(mode: str, full_name: str, nickname: str) -> str:
    """The name a class's leaderboard shows: full name, nickname (initials if none chosen), or initials."""
    if mode == "full":
        return full_name
    if mode == "nickname" and nickname.strip():
        return nickname.strip()
    return initials(full_name)

"""Spaced practice rules: how a graded answer rates a memory card, the scheduler that schedules it, and the
school days, streaks and forecasts that practice is counted in.

The scheduling itself is the ``fsrs`` package's (FSRS 6): nothing here computes an interval. This module
turns answers into its ratings, and its times into the exact form it accepts (timezone-aware with
``datetime.timezone.utc`` as the zone: SQLite hands back naive times and psycopg ``Etc/UTC``, which it
refuses).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler, State

DESIRED_RETENTION = 0.9
"""The predicted recall at which a card falls due: Anki's and the package's default."""

FAST_SHARE = 0.5
"""A right answer is fast when it took at most this share of the usual time (see ``rating_for_answer``)."""

PACE_MINIMUM = 5
"""How many timed answers a median needs before it says what is slow or fast."""

RATING_NAMES = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good", Rating.Easy: "easy"}
RATINGS_BY_NAME = {name: rating for rating, name in RATING_NAMES.items()}
STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


@cache
def scheduler(fuzzing: bool = True) -> Scheduler:
    """The scheduler with the package's default parameters. Fuzzing spreads intervals a little so that
    cards learnt together do not fall due together; tests turn it off for exact due dates."""
    return Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=fuzzing)


def as_utc(moment: datetime) -> datetime:
    """``moment`` with ``datetime.timezone.utc`` as its zone, the only one the scheduler takes; a naive time is
    UTC (as SQLite returns it)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def rating_for_answer(is_correct: bool, seconds: float | None, usual_seconds: float | None,
                      in_review: bool) -> Rating:
    """The rating a graded answer gives its card. Wrong (or only partly right): Again. Right but slower
    than usual (the question's median time for the class, or failing that the student's own): Hard. Right,
    fast (at most ``FAST_SHARE`` of the usual time) and on a card already in review: Easy. Otherwise Good.
    Without a usual time, a right answer is Good."""
    if not is_correct:
        return Rating.Again
    if usual_seconds is None or seconds is None:
        return Rating.Good
    if seconds > usual_seconds:
        return Rating.Hard
    if in_review and seconds <= FAST_SHARE * usual_seconds:
        return Rating.Easy
    return Rating.Good


def median(values: Iterable[float]) -> float | None:
    """The median of ``values``, or None when there are fewer than ``PACE_MINIMUM``."""
    ordered = sorted(values)
    if len(ordered) < PACE_MINIMUM:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def key_fingerprint(question_type: str, correct_answer: Any) -> str:
    """A short digest of a question's key: a new version with the same fingerprint changed only its filing
    or wording around the key, so the student's memory of it still holds."""
    text = json.dumps([question_type, correct_answer], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Memory:
    """A card's scheduling state, as stored: ``fsrs.Card``'s fields without its id."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None

    def card(self, card_id: int = 0) -> Card:
        return Card(card_id=card_id, state=State(self.state), step=self.step, stability=self.stability,
                    difficulty=self.difficulty, due=as_utc(self.due),
                    last_review=as_utc(self.last_review) if self.last_review else None)

    @classmethod
    def of(cls, card: Card) -> Memory:
        return cls(int(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review)

    @property
    def in_review(self) -> bool:
        return self.state == State.Review


def review(memory: Memory | None, rating: Rating, at: datetime, fuzzing: bool = True) -> Memory:
    """The memory after a review rated ``rating`` at ``at``; ``memory`` None for a card's first review."""
    card = memory.card() if memory is not None else Card(card_id=0, due=as_utc(at))
    reviewed, _log = scheduler(fuzzing).review_card(card, rating, as_utc(at))
    return Memory.of(reviewed)


def is_lapse(memory: Memory | None, rating: Rating) -> bool:
    """Whether a review forgets a card: Again on a card that was in review."""
    return memory is not None and memory.in_review and rating == Rating.Again


def recall(stability: float | None, last_review: datetime | None, now: datetime) -> float:
    """The predicted recall (retrievability) of a card at ``now``: the package's forgetting curve on the exact
    time since the review. (The package counts whole days, which is all scheduling needs; read on a progress
    page, that would show 100% all day after a wrong answer.) 0 for a card never reviewed."""
    if stability is None or last_review is None:
        return 0.0
    days = max(0.0, (as_utc(now) - as_utc(last_review)).total_seconds() / 86400)
    factor, decay = recall_curve()
    return (1 + factor * days / stability) ** decay


def recall_curve() -> tuple[float, float]:
    """The curve's ``(factor, decay)``: recall ``t`` days after a review is ``(1 + factor * t / S) ** decay``, the
    package's formula, for ``recall`` and for queries that compute it over many cards at once."""
    sched = scheduler()
    decay = -sched.parameters[20]
    return 0.9 ** (1 / decay) - 1, decay


# School days -------------------------------------------------------------------------------------------

def school_day(moment: datetime, zone: ZoneInfo) -> date:
    """The school's calendar day at ``moment``: days end at midnight in the school's time zone."""
    return as_utc(moment).astimezone(zone).date()


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC moment the school's ``day`` begins (its midnight, whatever the offset that day)."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The UTC moment the school's ``day`` ends: the next day's midnight."""
    return day_start(day + timedelta(days=1), zone)


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive practice days up to today; a streak still counts through today until today ends, so one
    that reached yesterday is not broken yet."""
    practised = set(days)
    day = today if today in practised else today - timedelta(days=1)
    count = 0
    while day in practised:
        count += 1
        day -= timedelta(days=1)
    return count


def forecast(dues: Iterable[datetime], now: datetime, zone: ZoneInfo, days: int = 14) -> list[tuple[date, int]]:
    """Reviews falling due on each of the next ``days`` school days from today; overdue cards count today."""
    today = school_day(now, zone)
    counts = dict.fromkeys((today + timedelta(days=n) for n in range(days)), 0)
    for due in dues:
        day = max(school_day(due, zone), today)
        if day in counts:
            counts[day] += 1
    return list(counts.items())


@dataclass(frozen=True)
class Limits:
    """A student's daily limits: new questions first seen in practice, and reviews of due cards."""

    new_per_day: int = 10
    reviews_per_day: int = 100

    MAXIMUM = 9999

"""Spaced practice: a memory card per student and question, each review of it, and a student's limits.

A card holds the state the FSRS scheduler (the ``fsrs`` package, through ``domain/practice.py``) keeps for
one student's memory of one question. It is made by the student's first graded answer to the question,
from wherever it came (a practice quiz, an assignment, a live game, practice itself), and every later
graded answer reviews it. Each review is kept with the card's state before and after, so the history
can be replayed, and the scheduler's parameters refitted, later.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.bank import Question
from quizapp.models.base import UTCDateTime, utcnow


class PracticeCard(db.Model):
    """One student's memory of one question, as the scheduler sees it (``fsrs.Card``'s fields), with the
    counts the teachers' reports read and what the card was made for: the question's version and a
    fingerprint of its key. A new version that changes the key starts the card again (``note`` says so)."""

    __tablename__ = "practice_card"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        # The due queue: a student's cards by due time; with the question, a class's overdue counts read
        # the index alone.
        Index("ix_practice_card_user_due", "user_id", "due", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    state: Mapped[int] = mapped_column(SmallInteger, doc="fsrs.State: 1 learning, 2 review, 3 relearning.")
    step: Mapped[int | None] = mapped_column(SmallInteger)
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(default=0, doc="Reviews since the card was (re)started.")
    lapses: Mapped[int] = mapped_column(default=0, doc="Reviews rated Again on a card in review: forgotten.")
    question_version: Mapped[int]
    key_fingerprint: Mapped[str] = mapped_column(String(32), doc="Of the key it was made for (domain.practice).")
    note: Mapped[str] = mapped_column(Text, default="", server_default="",
                                      doc="Why the card started again, for the student; empty otherwise.")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship()


class PracticeReview(db.Model):
    """One review of a card: the rating, where it came from, when, and the card's state before and after.

    ``source`` is ``practice`` (answered on the practice page), ``self`` (the student's own rating after
    practice feedback, which replaces the rating from the answer), ``quiz`` (a practice quiz), ``assignment``
    or ``live``. ``answer_id`` links the answer of a quiz, an assignment or a live game.
    """

    __tablename__ = "practice_review"
    __table_args__ = (
        # A student's reviews by time: practice days (the streak) and what was done today.
        Index("ix_practice_review_user_reviewed", "user_id", "reviewed_at"),
        Index("ix_practice_review_card_reviewed", "card_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("practice_card.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id", ondelete="SET NULL"), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger, doc="fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy.")
    source: Mapped[str] = mapped_column(String(16))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None]
    new_card: Mapped[bool] = mapped_column(default=False, doc="The card's first review: it was made by it.")
    response: Mapped[list[str] | None] = mapped_column(JSON, doc="The answer given on the practice page.")
    score: Mapped[float | None] = mapped_column(doc="Its grade, 0 to 1, on the practice page.")
    state_before: Mapped[int | None] = mapped_column(SmallInteger)
    step_before: Mapped[int | None] = mapped_column(SmallInteger)
    stability_before: Mapped[float | None]
    difficulty_before: Mapped[float | None]
    due_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_review_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state_after: Mapped[int] = mapped_column(SmallInteger)
    step_after: Mapped[int | None] = mapped_column(SmallInteger)
    stability_after: Mapped[float]
    difficulty_after: Mapped[float]
    due_after: Mapped[datetime] = mapped_column(UTCDateTime)

    card: Mapped[PracticeCard] = relationship()


class PracticeSettings(db.Model):
    """A student's daily limits; a student without a row has the defaults (``domain.practice.Limits``)."""

    __tablename__ = "practice_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    new_per_day: Mapped[int]
    reviews_per_day: Mapped[int]


class PracticeDay(db.Model):
    """A class's cards of one question at the start of one school day: how many, their summed predicted
    recall then, and their lapses and reviews. Stored once a day (``flask practice store-days``), so that a
    class's practice page reads a few rows per question instead of counting every student's cards; a day not
    stored is counted from the cards and reviews, with the same result."""

    __tablename__ = "practice_day"
    __table_args__ = (UniqueConstraint("classroom_id", "day", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    cards: Mapped[int]
    recall_sum: Mapped[float]
    lapses: Mapped[int]
    reviews: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Quizzes, attempts at them, and the answers given."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.bank import Bank, Question
from quizapp.models.base import Points, UTCDateTime, names, utcnow
from quizapp.models.user import User

if TYPE_CHECKING:
    from quizapp.models.classroom import Assignment


class Feedback(enum.StrEnum):
    """When a student sees whether they were right, the key and the explanation."""

    AFTER_EACH = "after_each"
    AT_END = "at_end"


class Quiz(db.Model):
    """A way of drawing questions from a bank: the ``question_keys`` picked, or all, or a random
    ``count`` filtered by source and tag."""

    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    count: Mapped[int | None]
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    shuffle: Mapped[bool] = mapped_column(default=True)
    question_keys: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]",
                                                     doc="Questions picked by id; empty means drawn by the filters.")
    feedback: Mapped[Feedback] = mapped_column(
        Enum(Feedback, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Feedback.AFTER_EACH, server_default=Feedback.AFTER_EACH.value,
    )
    archived: Mapped[bool] = mapped_column(default=False)

    bank: Mapped[Bank] = relationship()

    _clean_names = names("title")


class Attempt(db.Model):
    """One student's go at a quiz; the questions drawn and their order are fixed at the start."""

    __table_args__ = (
        Index("ix_attempt_user_started", "user_id", "started_at"),
        Index("ix_attempt_quiz_user", "quiz_id", "user_id"),
        # Numbering a student's attempts at an assignment makes the attempts limit hold
        # even when two starts race: the second to insert the same number fails.
        UniqueConstraint("assignment_id", "user_id", "number"),
        # Only unfinished attempts with a deadline: what each board looks for (results.pending_results)
        # and what close_overdue closes.
        Index("ix_attempt_open_deadline", "assignment_id", "deadline_at",
              sqlite_where=text("finished_at IS NULL"), postgresql_where=text("finished_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float] = mapped_column(Points, default=0.0)
    max_score: Mapped[float] = mapped_column(Points, default=0.0)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="SET NULL"))
    number: Mapped[int | None] = mapped_column(doc="1 for a student's first attempt at the assignment, and so on.")
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="When the server finishes it by itself.")
    feedback: Mapped[Feedback] = mapped_column(
        Enum(Feedback, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Feedback.AFTER_EACH, server_default=Feedback.AFTER_EACH.value,
        doc="The quiz's feedback timing when the attempt began: a later change to the quiz does not reach it.",
    )

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptItem.position"
    )
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def seconds(self) -> float | None:
        """Time taken, once finished."""
        if self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 1)

    @property
    def percentage(self) -> float:
        return round(100 * self.score / self.max_score, 1) if self.max_score else 0.0


class AttemptItem(db.Model):
    """A question's place in an attempt, the order its choices were shown in, and the question's
    type, key and points as they were when the attempt began: grading and feedback use these, so
    reloading a bank mid-attempt cannot grade an answer against choices the student never saw."""

    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    presentation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The one write a read makes (``attempts.current_item``, on the GET that shows the question): the
    # seconds an answer took are counted by the server from here, not from a clock the browser could set,
    # and only the request that shows the question knows when that was. Written once, the first time.
    presented_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When the question was first shown: stored by the GET that shows it (see above).")
    version: Mapped[int]
    type: Mapped[str] = mapped_column(String(32))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    points: Mapped[int]

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()


class Answer(db.Model):
    """One recorded answer, right or wrong; the unique constraint makes it the only one."""

    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    question_version: Mapped[int]
    response: Mapped[list[str]] = mapped_column(JSON)
    is_correct: Mapped[bool]
    score: Mapped[float]
    points_awarded: Mapped[float] = mapped_column(Points)
    seconds: Mapped[float]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

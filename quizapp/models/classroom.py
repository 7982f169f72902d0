"""Classrooms, their members, assignments, and each member's counted result per assignment."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.base import Points, UTCDateTime, names, utcnow
from quizapp.models.quiz import Quiz
from quizapp.models.user import User


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class NameDisplay(enum.StrEnum):
    """How a class's leaderboards name its students."""

    FULL = "full"
    NICKNAME = "nickname"
    INITIALS = "initials"


class Counting(enum.StrEnum):
    """Which of a student's attempts at an assignment counts."""

    BEST = "best"
    LAST = "last"
    AVERAGE = "average"


class Classroom(db.Model):
    """A teacher's class; students join it with its code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    name_display: Mapped[NameDisplay] = mapped_column(_enum(NameDisplay), default=NameDisplay.FULL)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    teacher: Mapped[User] = relationship()
    memberships: Mapped[list[Membership]] = relationship(back_populates="classroom", cascade="all, delete-orphan")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", order_by="Assignment.opens_at"
    )

    _clean_names = names("name")


class Membership(db.Model):
    """A student in a class. Removing it keeps the student's attempts and answers."""

    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(40), default="")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    _clean_names = names("nickname")


class Assignment(db.Model):
    """A quiz set to a class, with when it can be taken, how often, and which attempt counts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_limit_minutes: Mapped[int | None]
    attempts_allowed: Mapped[int | None] = mapped_column(doc="None means as many as the student likes.")
    counting: Mapped[Counting] = mapped_column(_enum(Counting), default=Counting.BEST)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="Set when deleted after students answered: hidden from them, from the boards and the "
                         "gradebook, the answers kept, until the teacher restores it.")

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")
    quiz: Mapped[Quiz] = relationship()

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class AssignmentExtension(db.Model):
    """More time or more attempts at an assignment for one student: a later close for them, and attempts on
    top of those the class has. Closing the assignment early ends the later close too."""

    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="None: when the class's closes.")
    extra_attempts: Mapped[int] = mapped_column(default=0)

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship()


class AssignmentResult(db.Model):
    """A current member's counted score on an assignment, kept up to date whenever one of
    their attempts finishes, so that leaderboards and gradebooks read one row per student."""

    __table_args__ = (
        UniqueConstraint("assignment_id", "user_id"),
        Index("ix_assignment_result_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Points)
    max_score: Mapped[float] = mapped_column(Points)
    seconds: Mapped[int]
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts_used: Mapped[int]

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship()


class ClassStanding(db.Model):
    """A current member's counted results summed over the class's assignments: the class
    leaderboard's one row per student, kept with the assignment results."""

    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Points)
    max_score: Mapped[float] = mapped_column(Points)
    seconds: Mapped[int]
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Leaderboards read the top of these in their ranking order straight off the index.
Index("ix_assignment_result_rank", AssignmentResult.assignment_id, AssignmentResult.score.desc(),
      AssignmentResult.seconds, AssignmentResult.finished_at, AssignmentResult.user_id)
Index("ix_class_standing_rank", ClassStanding.classroom_id, ClassStanding.score.desc(),
      ClassStanding.seconds, ClassStanding.finished_at, ClassStanding.user_id)

"""Live games: a host-paced quiz on the projector, answered from phones. The game's whole state is in
these rows, so a game survives a restart of the server: the phase, the current question and when it
closes, every player and every answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.domain.live_game import Phase
from quizapp.domain.live_scoring import Profile
from quizapp.extensions import db
from quizapp.models.bank import Question
from quizapp.models.base import UTCDateTime, utcnow
from quizapp.models.classroom import Assignment, Classroom
from quizapp.models.quiz import Quiz
from quizapp.models.user import User


def _enum(cls) -> Enum:
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class LiveGame(db.Model):
    """One game: its PIN (unique among the games not finished), its host, quiz and settings, and where
    it stands: the phase, the question being played (``position``, 0 in the lobby) and, while a question
    is open, when it opened and closes on the server's clock."""

    __table_args__ = (
        Index("ix_live_game_pin_open", "pin", unique=True,
              sqlite_where=text("phase != 'finished'"), postgresql_where=text("phase != 'finished'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pin: Mapped[str] = mapped_column(String(6))
    host_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), index=True)
    classroom_id: Mapped[int | None] = mapped_column(ForeignKey("classroom.id", ondelete="SET NULL"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment.id", ondelete="SET NULL"),
        doc="The closed assignment a class's game became when it finished, for the gradebook (live_results).")
    title: Mapped[str] = mapped_column(String(200))
    profile: Mapped[Profile] = mapped_column(_enum(Profile), default=Profile.SPEED)
    seconds_per_question: Mapped[int] = mapped_column(default=20)
    double_positions: Mapped[list[int]] = mapped_column(JSON, default=list)
    blocked_words: Mapped[list[str]] = mapped_column(JSON, default=list)
    phase: Mapped[Phase] = mapped_column(_enum(Phase), default=Phase.LOBBY)
    position: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    host: Mapped[User] = relationship()
    quiz: Mapped[Quiz] = relationship()
    classroom: Mapped[Classroom | None] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    questions: Mapped[list[LiveQuestion]] = relationship(
        back_populates="game", cascade="all, delete-orphan", order_by="LiveQuestion.position")
    players: Mapped[list[LivePlayer]] = relationship(
        back_populates="game", cascade="all, delete-orphan", order_by="LivePlayer.joined_at")

    @property
    def total(self) -> int:
        return len(self.questions)


class LiveQuestion(db.Model):
    """A question's place in a game, with its type, key, choices' order and points as they were when the
    game was made (as ``AttemptItem``): a bank edited mid-game grades nothing against unseen choices."""

    __table_args__ = (UniqueConstraint("game_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_game.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    version: Mapped[int]
    type: Mapped[str] = mapped_column(String(32))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    presentation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    points: Mapped[int]

    game: Mapped[LiveGame] = relationship(back_populates="questions")
    question: Mapped[Question] = relationship()


class LivePlayer(db.Model):
    """Someone playing: a nickname unique in the game (``nickname_key``: case, accents and spacing aside),
    and the signed-in student behind it if any. A removed player keeps the row, so that the nickname cannot
    come back; ``score`` and ``streak`` are kept up to date as answers are counted."""

    __table_args__ = (
        UniqueConstraint("game_id", "nickname_key"),
        # A student plays a game once, however many tabs she joins from.
        Index("ix_live_player_game_user", "game_id", "user_id", unique=True,
              sqlite_where=text("user_id IS NOT NULL"), postgresql_where=text("user_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_game.id", ondelete="CASCADE"), index=True)
    nickname: Mapped[str] = mapped_column(String(40))
    nickname_key: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    removed: Mapped[bool] = mapped_column(default=False)
    score: Mapped[int] = mapped_column(default=0)
    streak: Mapped[int] = mapped_column(default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    game: Mapped[LiveGame] = relationship(back_populates="players")
    user: Mapped[User | None] = relationship()


class LiveAnswer(db.Model):
    """One player's answer to one question of a game, stamped on arrival by the server. The unique
    constraint takes one answer per player per question."""

    __table_args__ = (
        UniqueConstraint("player_id", "position"),
        Index("ix_live_answer_game_position", "game_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("live_game.id", ondelete="CASCADE"))
    player_id: Mapped[int] = mapped_column(ForeignKey("live_player.id", ondelete="CASCADE"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    response: Mapped[list[str]] = mapped_column(JSON)
    is_correct: Mapped[bool]
    score: Mapped[float]
    points: Mapped[int]
    streak: Mapped[int]
    seconds: Mapped[float]
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
